package cmdlet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// typeValue is a type literal used as a value: `[System.IO.File]` before
// `::ReadAllBytes`.
type typeValue string

// errorValue is the error record a catch block sees as $_.
type errorValue struct{ rec *ErrorRecord }

func (m *machine) memberName(sc *scope, n syntax.Expr) (string, error) {
	if s, ok := n.(*syntax.StringLit); ok {
		return s.Value, nil
	}
	v, err := m.eval(sc, n)
	if err != nil {
		return "", err
	}
	return toString(v), nil
}

// staticType is the type named left of '::': [System.IO.File]::..., or a
// value whose text names a type.
func (m *machine) staticType(sc *scope, x syntax.Expr) (string, error) {
	if t, ok := x.(*syntax.TypeLit); ok {
		return t.Name, nil
	}
	v, err := m.eval(sc, x)
	if err != nil {
		return "", err
	}
	return toString(v), nil
}

func (m *machine) member(sc *scope, e *syntax.Member) (value.Value, error) {
	name, err := m.memberName(sc, e.Name)
	if err != nil {
		return nil, err
	}
	if e.Static {
		tn, err := m.staticType(sc, e.X)
		if err != nil {
			return nil, err
		}
		return m.staticProperty(e, tn, name)
	}
	obj, err := m.eval(sc, e.X)
	if err != nil {
		return nil, err
	}
	return m.getMember(obj, name), nil
}

// getMember is property access with PowerShell's rules: case-insensitive
// names, hashtable keys as properties, Count/Length on anything, and member
// enumeration over arrays (`(Get-CsCertificate).Thumbprint`).
func (m *machine) getMember(obj value.Value, name string) value.Value {
	lname := strings.ToLower(name)
	switch o := obj.(type) {
	case nil:
		if lname == "count" || lname == "length" {
			return int32(0)
		}
		return nil
	case value.Unknown:
		return value.Unknown{}
	case *value.Object:
		if v, ok := o.Get(name); ok {
			return v
		}
	case *value.Hashtable:
		if v, ok := o.Get(name); ok {
			return v
		}
		switch lname {
		case "count":
			return int32(o.Len())
		case "keys":
			ks := o.Keys()
			out := make([]value.Value, len(ks))
			for i, k := range ks {
				out[i] = k
			}
			return out
		case "values":
			ks := o.Keys()
			out := make([]value.Value, len(ks))
			for i, k := range ks {
				out[i], _ = o.Get(k)
			}
			return out
		}
		return nil
	case []value.Value:
		switch lname {
		case "count", "length", "longlength":
			return int32(len(o))
		case "rank":
			return int32(1)
		}
		var out []value.Value
		for _, e := range o {
			v := m.getMember(e, name)
			if v == nil {
				continue
			}
			out = append(out, enumerate(v)...)
		}
		return collapse(out)
	case []byte:
		switch lname {
		case "count", "length", "longlength":
			return int32(len(o))
		}
		return nil
	case string:
		if lname == "length" {
			return int32(utf16Len(o))
		}
	case *value.Credential:
		switch lname {
		case "username":
			return o.UserName
		case "password":
			return o.Password
		}
	case value.SecureString:
		if lname == "length" {
			return int32(len([]rune(o.Reveal())))
		}
	case time.Time:
		switch lname {
		case "year":
			return int32(o.Year())
		case "month":
			return int32(o.Month())
		case "day":
			return int32(o.Day())
		case "hour":
			return int32(o.Hour())
		case "minute":
			return int32(o.Minute())
		case "second":
			return int32(o.Second())
		case "dayofweek":
			return o.Weekday().String()
		case "dayofyear":
			return int32(o.YearDay())
		case "date":
			y, mo, d := o.Date()
			return time.Date(y, mo, d, 0, 0, 0, 0, o.Location())
		case "ticks":
			return o.Sub(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)).Nanoseconds() / 100
		}
	case *errorValue:
		switch lname {
		case "exception":
			ex := value.NewObject("System.Management.Automation.RuntimeException")
			ex.Props.Set("Message", m.sec.scrub(o.rec.Message))
			return ex
		case "fullyqualifiederrorid":
			return o.rec.ID
		case "categoryinfo":
			return o.rec.categoryInfo()
		case "targetobject":
			return o.rec.TargetName
		}
		return nil
	}
	switch lname {
	case "count", "length":
		return int32(1)
	}
	return nil
}

// utf16Len is .NET's String.Length: UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func (m *machine) invoke(sc *scope, e *syntax.Invoke) (value.Value, error) {
	name, err := m.memberName(sc, e.Name)
	if err != nil {
		return nil, err
	}
	args := make([]value.Value, 0, len(e.Args))
	unknown := false
	for _, a := range e.Args {
		v, err := m.eval(sc, a)
		if err != nil {
			return nil, err
		}
		if isUnknown(v) {
			unknown = true
		}
		args = append(args, v)
	}
	if e.Static {
		tn, err := m.staticType(sc, e.X)
		if err != nil {
			return nil, err
		}
		if m.static {
			// A .NET call is something only a run can know.
			return value.Unknown{}, nil
		}
		return m.staticCall(e, tn, name, args)
	}
	obj, err := m.eval(sc, e.X)
	if err != nil {
		return nil, err
	}
	if unknown || isUnknown(obj) {
		return value.Unknown{}, nil
	}
	v, err := m.callMethod(obj, name, args)
	if err != nil {
		return nil, m.methodError(e, name, len(args), err)
	}
	return v, nil
}

// methodError wraps a failing method as PowerShell does:
// Exception calling "X" with "1" argument(s): "...".
func (m *machine) methodError(at syntax.Node, name string, n int, err error) *ErrorRecord {
	if rec, ok := err.(*ErrorRecord); ok {
		return m.record(rec, at)
	}
	if nm, ok := err.(*noMethod); ok {
		return m.errAt(at, "MethodNotFound", fmt.Sprintf("Method invocation failed because [%s] does not contain a method named '%s'.", nm.typeName, name), "", "InvalidOperation", "RuntimeException")
	}
	id := "MethodInvocationException"
	if fe, ok := err.(*fileError); ok {
		id = fe.dotnetID()
		err = fe.dotnet()
	}
	rec := m.errAt(at, id, fmt.Sprintf("Exception calling %q with \"%d\" argument(s): %q", name, n, err.Error()), "", "NotSpecified", "MethodInvocationException")
	return rec
}

type noMethod struct{ typeName string }

func (e *noMethod) Error() string { return "no method on " + e.typeName }

func argString(args []value.Value, i int) string {
	if i < len(args) {
		return toString(args[i])
	}
	return ""
}

func argInt(args []value.Value, i int) int {
	if i < len(args) {
		if n, ok := toNumber(args[i]); ok {
			if n.isFloat {
				return int(n.f)
			}
			return int(n.i)
		}
	}
	return 0
}

func argFloat(args []value.Value, i int) float64 {
	if i < len(args) {
		if n, ok := toNumber(args[i]); ok {
			return n.float()
		}
	}
	return 0
}

func (m *machine) callMethod(obj value.Value, name string, args []value.Value) (value.Value, error) {
	lname := strings.ToLower(name)
	switch lname {
	case "tostring":
		if t, ok := obj.(time.Time); ok && len(args) > 0 {
			return formatDate(t, toString(args[0])), nil
		}
		return toString(obj), nil
	case "gettype":
		t := value.NewObject("System.RuntimeType")
		full := typeNameOf(obj)
		t.Props.Set("FullName", full)
		t.Props.Set("Name", full[strings.LastIndex(full, ".")+1:])
		return t, nil
	case "equals":
		if len(args) == 1 {
			return equal(obj, args[0], true), nil
		}
	}
	switch o := obj.(type) {
	case string:
		return stringMethod(o, lname, args)
	case time.Time:
		d := argFloat(args, 0)
		switch lname {
		case "adddays":
			return o.Add(time.Duration(d * float64(24*time.Hour))), nil
		case "addhours":
			return o.Add(time.Duration(d * float64(time.Hour))), nil
		case "addminutes":
			return o.Add(time.Duration(d * float64(time.Minute))), nil
		case "addseconds":
			return o.Add(time.Duration(d * float64(time.Second))), nil
		case "addmonths":
			return o.AddDate(0, argInt(args, 0), 0), nil
		case "addyears":
			return o.AddDate(argInt(args, 0), 0, 0), nil
		case "touniversaltime":
			return o.UTC(), nil
		case "tolocaltime":
			return o.Local(), nil
		case "toshortdatestring":
			return o.Format("1/2/2006"), nil
		case "tolongdatestring":
			return o.Format("Monday, January 2, 2006"), nil
		case "toshorttimestring":
			return o.Format("3:04 PM"), nil
		}
	case *value.Hashtable:
		switch lname {
		case "add":
			if len(args) != 2 {
				break
			}
			k := toString(args[0])
			if _, dup := o.Get(k); dup {
				return nil, fmt.Errorf("Item has already been added. Key in dictionary: '%s'  Key being added: '%s'", k, k)
			}
			o.Set(k, args[1])
			return void{}, nil
		case "remove":
			k := toString(args[0])
			n := value.NewHashtable()
			for _, key := range o.Keys() {
				if !strings.EqualFold(key, k) {
					v, _ := o.Get(key)
					n.Set(key, v)
				}
			}
			*o = *n
			return void{}, nil
		case "containskey", "contains":
			_, ok := o.Get(argString(args, 0))
			return ok, nil
		case "clear":
			*o = *value.NewHashtable()
			return void{}, nil
		case "clone":
			n := value.NewHashtable()
			for _, key := range o.Keys() {
				v, _ := o.Get(key)
				n.Set(key, v)
			}
			return n, nil
		}
	case []value.Value:
		switch lname {
		case "contains":
			for _, e := range o {
				if len(args) == 1 && equal(e, args[0], true) {
					return true, nil
				}
			}
			return false, nil
		case "indexof":
			for i, e := range o {
				if len(args) == 1 && equal(e, args[0], true) {
					return int32(i), nil
				}
			}
			return int32(-1), nil
		}
	case *value.Credential:
		if lname == "getnetworkcredential" {
			nc := value.NewObject("System.Net.NetworkCredential")
			user, domain := o.UserName, ""
			if i := strings.IndexByte(user, '\\'); i >= 0 {
				domain, user = user[:i], user[i+1:]
			}
			nc.Props.Set("UserName", user)
			nc.Props.Set("Domain", domain)
			// The script asked for the plain text; it stays a secret to
			// every output.
			pw := o.Password.Reveal()
			m.sec.add(pw)
			nc.Props.Set("Password", pw)
			return nc, nil
		}
	}
	return nil, &noMethod{typeName: typeNameOf(obj)}
}

func stringMethod(s, name string, args []value.Value) (value.Value, error) {
	a0 := argString(args, 0)
	switch name {
	case "toupper", "toupperinvariant":
		return strings.ToUpper(s), nil
	case "tolower", "tolowerinvariant":
		return strings.ToLower(s), nil
	case "trim":
		if len(args) > 0 {
			return strings.Trim(s, a0), nil
		}
		return strings.TrimSpace(s), nil
	case "trimstart":
		if len(args) > 0 {
			return strings.TrimLeft(s, a0), nil
		}
		return strings.TrimLeft(s, " \t\r\n"), nil
	case "trimend":
		if len(args) > 0 {
			return strings.TrimRight(s, a0), nil
		}
		return strings.TrimRight(s, " \t\r\n"), nil
	case "split":
		var parts []string
		if len(args) == 0 {
			parts = strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' })
		} else {
			seps := a0
			parts = strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) })
			if !strings.ContainsAny(s, seps) {
				parts = []string{s}
			}
		}
		out := make([]value.Value, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	case "replace":
		return strings.ReplaceAll(s, a0, argString(args, 1)), nil
	case "contains":
		return strings.Contains(s, a0), nil
	case "startswith":
		return strings.HasPrefix(s, a0), nil
	case "endswith":
		return strings.HasSuffix(s, a0), nil
	case "indexof":
		return int32(strings.Index(s, a0)), nil
	case "substring":
		r := []rune(s)
		i := argInt(args, 0)
		if i < 0 || i > len(r) {
			return nil, fmt.Errorf("startIndex cannot be larger than length of string.")
		}
		if len(args) > 1 {
			n := argInt(args, 1)
			if n < 0 || i+n > len(r) {
				return nil, fmt.Errorf("Index and length must refer to a location within the string.")
			}
			return string(r[i : i+n]), nil
		}
		return string(r[i:]), nil
	case "padleft":
		return fmt.Sprintf("%*s", argInt(args, 0), s), nil
	case "padright":
		return fmt.Sprintf("%-*s", argInt(args, 0), s), nil
	}
	return nil, &noMethod{typeName: "System.String"}
}

// normType reduces a .NET type name to a lower-case key without "System.".
func normType(tn string) string {
	t := strings.ToLower(strings.TrimSpace(tn))
	t = strings.TrimPrefix(t, "[")
	t = strings.TrimSuffix(t, "]")
	return strings.TrimPrefix(t, "system.")
}

func (m *machine) staticProperty(at syntax.Node, tn, name string) (value.Value, error) {
	if m.static {
		return value.Unknown{}, nil
	}
	switch normType(tn) + "::" + strings.ToLower(name) {
	case "datetime::now":
		return m.host.now(), nil
	case "datetime::today":
		y, mo, d := m.host.now().Date()
		return time.Date(y, mo, d, 0, 0, 0, 0, time.Local), nil
	case "datetime::utcnow":
		return m.host.now().UTC(), nil
	case "environment::machinename":
		return m.envVar("COMPUTERNAME"), nil
	case "environment::newline":
		return "\r\n", nil
	case "string::empty":
		return "", nil
	case "int32::maxvalue", "int::maxvalue":
		return int32(2147483647), nil
	}
	return nil, m.errAt(at, "certledger.PropertyNotSupported", fmt.Sprintf("The static property [%s]::%s is not supported by certledger.", tn, name), "", "NotImplemented", "RuntimeException")
}

func (m *machine) staticCall(at *syntax.Invoke, tn, name string, args []value.Value) (value.Value, error) {
	key := normType(tn) + "::" + strings.ToLower(name)
	switch key {
	case "io.file::readallbytes":
		if len(args) != 1 {
			break
		}
		data, _, err := m.readFile(toString(args[0]))
		if err != nil {
			return nil, m.methodError(at, name, 1, err)
		}
		return data, nil
	case "io.file::readalltext":
		data, _, err := m.readFile(argString(args, 0))
		if err != nil {
			return nil, m.methodError(at, name, len(args), err)
		}
		return string(data), nil
	case "io.file::exists", "io.directory::exists":
		_, err := m.files.resolve(argString(args, 0))
		return err == nil, nil
	case "management.automation.pscredential::new", "pscredential::new":
		cred, err := newCredential(args)
		if err != nil {
			return nil, m.methodError(at, name, len(args), err)
		}
		return cred, nil
	case "io.path::combine":
		var parts []string
		for _, a := range args[min(1, len(args)):] {
			parts = append(parts, toString(a))
		}
		return joinPaths(argString(args, 0), parts...), nil
	case "io.path::getfilename":
		_, leaf := splitWinPath(argString(args, 0))
		return leaf, nil
	case "io.path::getdirectoryname":
		parent, _ := splitWinPath(argString(args, 0))
		return parent, nil
	case "io.path::getextension", "io.path::getfilenamewithoutextension":
		_, leaf := splitWinPath(argString(args, 0))
		i := strings.LastIndexByte(leaf, '.')
		if key == "io.path::getextension" {
			if i < 0 {
				return "", nil
			}
			return leaf[i:], nil
		}
		if i < 0 {
			return leaf, nil
		}
		return leaf[:i], nil
	case "datetime::parse":
		d, ok := parseDate(argString(args, 0))
		if !ok {
			return nil, m.methodError(at, name, len(args), fmt.Errorf("String was not recognized as a valid DateTime."))
		}
		return d, nil
	case "string::isnullorempty":
		return len(args) == 1 && toString(args[0]) == "", nil
	case "string::isnullorwhitespace":
		return len(args) == 1 && strings.TrimSpace(toString(args[0])) == "", nil
	case "string::join":
		if len(args) < 2 {
			break
		}
		var parts []string
		for _, a := range args[1:] {
			for _, e := range enumerate(a) {
				parts = append(parts, toString(e))
			}
		}
		return strings.Join(parts, toString(args[0])), nil
	case "net.dns::gethostname", "environment::getenvironmentvariable":
		if key == "net.dns::gethostname" {
			return m.envVar("COMPUTERNAME"), nil
		}
		return m.envVar(argString(args, 0)), nil
	case "convert::tobase64string":
		if b, ok := args[0].([]byte); ok && len(args) == 1 {
			return base64Std(b), nil
		}
	case "math::round":
		f := argFloat(args, 0)
		return roundHalfEven(f, argInt(args, 1)), nil
	}
	switch normType(tn) {
	case "io.file", "io.path", "management.automation.pscredential", "pscredential", "datetime", "string", "environment", "net.dns", "convert", "math":
		return nil, m.errAt(at, "MethodNotFound", fmt.Sprintf("Method invocation failed because [%s] does not contain a method named '%s'.", tn, name), "", "InvalidOperation", "RuntimeException")
	}
	return nil, m.errAt(at, "certledger.TypeNotSupported", fmt.Sprintf("The .NET type [%s] is not supported by certledger.", tn), "", "NotImplemented", "RuntimeException")
}

// formatDate converts the .NET custom format specifiers scripts use in file
// names and log lines (yyyy MM dd HH mm ss and friends) to Go's layout.
func formatDate(t time.Time, f string) string {
	switch f {
	case "o", "O":
		return t.Format("2006-01-02T15:04:05.0000000Z07:00")
	case "s":
		return t.Format("2006-01-02T15:04:05")
	case "d":
		return t.Format("1/2/2006")
	case "g":
		return t.Format("1/2/2006 3:04 PM")
	case "G", "":
		return t.Format("1/2/2006 3:04:05 PM")
	case "u":
		return t.UTC().Format("2006-01-02 15:04:05Z")
	}
	repl := []struct{ net, gofmt string }{
		{"yyyy", "2006"}, {"yy", "06"}, {"MMMM", "January"}, {"MMM", "Jan"}, {"MM", "01"},
		{"dddd", "Monday"}, {"ddd", "Mon"}, {"dd", "02"}, {"HH", "15"}, {"hh", "03"},
		{"mm", "04"}, {"ss", "05"}, {"tt", "PM"}, {"fff", "000"},
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		matched := false
		for _, r := range repl {
			if strings.HasPrefix(f[i:], r.net) {
				b.WriteString(t.Format(r.gofmt))
				i += len(r.net)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		switch f[i] {
		case 'M':
			b.WriteString(strconv.Itoa(int(t.Month())))
		case 'd':
			b.WriteString(strconv.Itoa(t.Day()))
		case 'H':
			b.WriteString(strconv.Itoa(t.Hour()))
		case 'h':
			h := t.Hour() % 12
			if h == 0 {
				h = 12
			}
			b.WriteString(strconv.Itoa(h))
		default:
			b.WriteByte(f[i])
		}
		i++
	}
	return b.String()
}

// formatObject is how an uncaptured object prints on the console: scalars
// as their string, objects as a "Name : Value" list.
func formatObject(v value.Value) string {
	switch o := v.(type) {
	case *value.Object:
		return formatProps(o.Props)
	case *value.Hashtable:
		return formatProps(o)
	case *value.Credential:
		return "UserName : " + o.UserName + "\nPassword : System.Security.SecureString"
	}
	return toString(v)
}

// consoleText is one uncaptured object as the console shows it: a scalar
// on its line, an object's property list after a blank line.
func consoleText(v value.Value) string {
	switch v.(type) {
	case *value.Object, *value.Hashtable, *value.Credential:
		return "\n" + formatObject(v) + "\n"
	}
	return formatObject(v) + "\n"
}

func formatProps(h *value.Hashtable) string {
	keys := h.Keys()
	w := 0
	for _, k := range keys {
		if len(k) > w {
			w = len(k)
		}
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('\n')
		}
		v, _ := h.Get(k)
		s := toString(v)
		if arr, ok := v.([]value.Value); ok {
			parts := make([]string, len(arr))
			for i, e := range arr {
				parts[i] = toString(e)
			}
			s = "{" + strings.Join(parts, ", ") + "}"
		}
		fmt.Fprintf(&b, "%-*s : %s", w, k, s)
	}
	return b.String()
}
