package cmdlet

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/value"
)

// opError is an operator failing at run time; the evaluator gives it the
// operator's position.
type opError struct {
	id  string
	msg string
}

func (e *opError) Error() string { return e.msg }

// splitCaseOp turns "-ceq", "-ieq", "-eq" into ("-eq", caseSensitive).
// PowerShell's named comparison operators come in three spellings: the
// plain one and the "i" one ignore case, the "c" one does not.
func splitCaseOp(op string) (string, bool) {
	if len(op) > 2 && op[0] == '-' {
		base := "-" + op[2:]
		if _, ok := comparisonOps[base]; ok {
			switch op[1] {
			case 'c':
				return base, true
			case 'i':
				return base, false
			}
		}
	}
	return op, false
}

var comparisonOps = map[string]bool{
	"-eq": true, "-ne": true, "-gt": true, "-ge": true, "-lt": true, "-le": true,
	"-like": true, "-notlike": true, "-match": true, "-notmatch": true,
	"-contains": true, "-notcontains": true, "-in": true, "-notin": true,
	"-replace": true, "-split": true,
}

// binaryOp applies a non-short-circuit binary operator. matches receives the
// $Matches table when -match succeeds on a scalar.
func binaryOp(op string, l, r value.Value, matches func(*value.Hashtable)) (value.Value, error) {
	base, cs := splitCaseOp(strings.ToLower(op))
	switch base {
	case "-eq", "-ne", "-gt", "-ge", "-lt", "-le", "-like", "-notlike", "-match", "-notmatch":
		if arr, ok := l.([]value.Value); ok {
			// An array on the left filters: the elements for which the
			// comparison holds.
			out := []value.Value{}
			for _, e := range arr {
				ok, err := compareOp(base, cs, e, r, nil)
				if err != nil {
					return nil, err
				}
				if ok {
					out = append(out, e)
				}
			}
			return out, nil
		}
		return compareOp(base, cs, l, r, matches)
	case "-contains", "-notcontains":
		found := false
		for _, e := range enumerate(l) {
			if equal(e, r, cs) {
				found = true
				break
			}
		}
		return found == (base == "-contains"), nil
	case "-in", "-notin":
		found := false
		for _, e := range enumerate(r) {
			if equal(e, l, cs) {
				found = true
				break
			}
		}
		return found == (base == "-in"), nil
	case "-replace":
		return replaceOp(l, r, cs)
	case "-split":
		return splitOp(l, r, cs)
	case "-join":
		parts := enumerate(l)
		s := make([]string, len(parts))
		for i, p := range parts {
			s[i] = toString(p)
		}
		return strings.Join(s, toString(r)), nil
	case "-f":
		return formatOp(toString(l), enumerate(r)), nil
	case "-xor":
		return toBool(l) != toBool(r), nil
	case "-band", "-bor", "-bxor":
		a, ok1 := toNumber(l)
		b, ok2 := toNumber(r)
		if !ok1 || !ok2 {
			return nil, &opError{"OperatorFailed", fmt.Sprintf("The operation '[%s] %s [%s]' is not defined.", typeNameOf(l), base, typeNameOf(r))}
		}
		switch base {
		case "-band":
			return number{i: a.i & b.i}.value(), nil
		case "-bor":
			return number{i: a.i | b.i}.value(), nil
		}
		return number{i: a.i ^ b.i}.value(), nil
	case "+", "-", "*", "/", "%":
		return arith(base, l, r)
	case "..":
		a, ok1 := toNumber(l)
		b, ok2 := toNumber(r)
		if !ok1 || !ok2 {
			return nil, &opError{"InvalidCastFromStringToInteger", "Cannot convert value to type \"System.Int32\"."}
		}
		from, to := int64(math.Round(a.float())), int64(math.Round(b.float()))
		if d := to - from; d > 1e6 || d < -1e6 {
			return nil, &opError{"certledger.RangeTooBig", "The range is too big: certledger allows at most 1000000 elements."}
		}
		var out []value.Value
		step := int64(1)
		if to < from {
			step = -1
		}
		for i := from; ; i += step {
			out = append(out, number{i: i}.value())
			if i == to {
				break
			}
		}
		return out, nil
	case ",":
		if arr, ok := l.([]value.Value); ok && len(arr) >= maxElements {
			return nil, errTooLarge
		}
		return append(append([]value.Value{}, enumerate(l)...), r), nil
	}
	return nil, &opError{"certledger.OperatorNotSupported", fmt.Sprintf("The operator '%s' is not supported by certledger.", op)}
}

// compareOp evaluates a scalar comparison.
func compareOp(op string, cs bool, l, r value.Value, matches func(*value.Hashtable)) (bool, error) {
	switch op {
	case "-eq":
		return equal(l, r, cs), nil
	case "-ne":
		return !equal(l, r, cs), nil
	case "-gt", "-ge", "-lt", "-le":
		c, err := compare(l, r, cs)
		if err != nil {
			return false, err
		}
		switch op {
		case "-gt":
			return c > 0, nil
		case "-ge":
			return c >= 0, nil
		case "-lt":
			return c < 0, nil
		}
		return c <= 0, nil
	case "-like", "-notlike":
		re, err := wildcardRegexp(toString(r), cs)
		if err != nil {
			return false, err
		}
		return re.MatchString(toString(l)) == (op == "-like"), nil
	case "-match", "-notmatch":
		re, err := psRegexp(toString(r), cs)
		if err != nil {
			return false, err
		}
		s := toString(l)
		m := re.FindStringSubmatch(s)
		if m != nil && matches != nil && op == "-match" {
			h := value.NewHashtable()
			for i, g := range m {
				if i > 0 && g == "" {
					continue
				}
				name := re.SubexpNames()[i]
				if name == "" {
					name = strconv.Itoa(i)
				}
				h.Set(name, g)
			}
			matches(h)
		}
		return (m != nil) == (op == "-match"), nil
	}
	return false, &opError{"certledger.OperatorNotSupported", fmt.Sprintf("The operator '%s' is not supported by certledger.", op)}
}

// equal is -eq: the right operand converts to the left operand's type.
func equal(l, r value.Value, cs bool) bool {
	if _, ok := r.(void); ok {
		r = nil
	}
	switch lv := l.(type) {
	case nil, void:
		return r == nil
	case string:
		if r == nil {
			return false
		}
		rs := toString(r)
		if cs {
			return lv == rs
		}
		return strings.EqualFold(lv, rs)
	case bool:
		if r == nil {
			return false
		}
		return lv == toBool(r)
	case value.Switch:
		if r == nil {
			return false
		}
		return bool(lv) == toBool(r)
	case int32, int64, int, uint8, float64:
		if r == nil {
			return false
		}
		a, _ := toNumber(lv)
		b, ok := toNumber(r)
		if !ok {
			return false
		}
		if _, isStr := r.(string); isStr && strings.TrimSpace(r.(string)) == "" {
			return false
		}
		if !a.isFloat && !b.isFloat {
			return a.i == b.i
		}
		return a.float() == b.float()
	case time.Time:
		rt, ok := toTime(r)
		return ok && lv.Equal(rt)
	case *value.Hashtable:
		rh, ok := r.(*value.Hashtable)
		return ok && lv == rh
	case *value.Object:
		ro, ok := r.(*value.Object)
		return ok && lv == ro
	case *value.Credential:
		rc, ok := r.(*value.Credential)
		return ok && lv == rc
	case value.Unknown:
		return false
	}
	return false
}

func toTime(v value.Value) (time.Time, bool) {
	switch v := v.(type) {
	case time.Time:
		return v, true
	case string:
		return parseDate(v)
	}
	return time.Time{}, false
}

// compare orders two values for -lt/-gt: the right operand converts to the
// left operand's type; $null sorts first.
func compare(l, r value.Value, cs bool) (int, error) {
	if l == nil {
		if r == nil {
			return 0, nil
		}
		return -1, nil
	}
	if r == nil {
		return 1, nil
	}
	switch lv := l.(type) {
	case string:
		a, b := lv, toString(r)
		if !cs {
			a, b = strings.ToLower(a), strings.ToLower(b)
		}
		return strings.Compare(a, b), nil
	case int32, int64, int, uint8, float64, bool, value.Switch:
		a, _ := toNumber(lv)
		b, ok := toNumber(r)
		if !ok {
			return 0, &opError{"ComparisonFailure", fmt.Sprintf("Could not compare %q to %q. Error: \"Cannot convert value %q to type %q. Error: \"Input string was not in a correct format.\"\"", toString(l), toString(r), toString(r), typeNameOf(l))}
		}
		if !a.isFloat && !b.isFloat {
			switch {
			case a.i < b.i:
				return -1, nil
			case a.i > b.i:
				return 1, nil
			}
			return 0, nil
		}
		switch af, bf := a.float(), b.float(); {
		case af < bf:
			return -1, nil
		case af > bf:
			return 1, nil
		}
		return 0, nil
	case time.Time:
		rt, ok := toTime(r)
		if !ok {
			return 0, &opError{"ComparisonFailure", fmt.Sprintf("Could not compare %q to %q. Error: \"Cannot convert value %q to type \"System.DateTime\". Error: \"String was not recognized as a valid DateTime.\"\"", toString(l), toString(r), toString(r))}
		}
		return lv.Compare(rt), nil
	}
	return 0, &opError{"NotIcomparable", fmt.Sprintf("Cannot compare %q because it is not IComparable.", toString(l))}
}

// wildcardRegexp compiles a PowerShell wildcard pattern (*, ?, [abc],
// backtick escapes) into an anchored regular expression.
func wildcardRegexp(pat string, cs bool) (*regexp.Regexp, error) {
	var b strings.Builder
	if !cs {
		b.WriteString("(?is)")
	} else {
		b.WriteString("(?s)")
	}
	b.WriteByte('^')
	rs := []rune(pat)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteByte('.')
		case '`':
			if i+1 < len(rs) {
				i++
				b.WriteString(regexp.QuoteMeta(string(rs[i])))
			}
		case '[':
			j := i + 1
			for j < len(rs) && rs[j] != ']' {
				j++
			}
			if j >= len(rs) {
				return nil, &opError{"WildcardPatternException", fmt.Sprintf("The specified wildcard character pattern is not valid: %s", pat)}
			}
			b.WriteByte('[')
			for _, x := range rs[i+1 : j] {
				if x == '\\' || x == '[' || x == '^' {
					b.WriteByte('\\')
				}
				b.WriteRune(x)
			}
			b.WriteByte(']')
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteByte('$')
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, &opError{"WildcardPatternException", fmt.Sprintf("The specified wildcard character pattern is not valid: %s", pat)}
	}
	return re, nil
}

func psRegexp(pat string, cs bool) (*regexp.Regexp, error) {
	p := pat
	if !cs {
		p = "(?i)" + p
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, &opError{"InvalidRegularExpression", fmt.Sprintf("The regular expression pattern %s is not valid.", pat)}
	}
	return re, nil
}

var dotnetGroupRef = regexp.MustCompile(`\$(\d+)`)

func replaceOp(l, r value.Value, cs bool) (value.Value, error) {
	args := enumerate(r)
	if len(args) == 0 || len(args) > 2 {
		return nil, &opError{"BadReplaceArgument", "The -replace operator allows only two elements to follow it, not " + strconv.Itoa(len(args)) + "."}
	}
	re, err := psRegexp(toString(args[0]), cs)
	if err != nil {
		return nil, err
	}
	repl := ""
	if len(args) == 2 {
		repl = dotnetGroupRef.ReplaceAllString(toString(args[1]), "$${$1}")
	}
	if arr, ok := l.([]value.Value); ok {
		out := make([]value.Value, len(arr))
		for i, e := range arr {
			out[i] = re.ReplaceAllString(toString(e), repl)
		}
		return out, nil
	}
	return re.ReplaceAllString(toString(l), repl), nil
}

func splitOp(l, r value.Value, cs bool) (value.Value, error) {
	args := enumerate(r)
	if len(args) == 0 {
		return nil, &opError{"certledger.BadSplitArgument", "The -split operator needs a delimiter."}
	}
	re, err := psRegexp(toString(args[0]), cs)
	if err != nil {
		return nil, err
	}
	n := -1
	if len(args) > 1 {
		if c, ok := toNumber(args[1]); ok && c.i > 0 {
			n = int(c.i)
		}
	}
	var out []value.Value
	for _, e := range enumerate(l) {
		for _, p := range re.Split(toString(e), n) {
			out = append(out, p)
		}
	}
	return out, nil
}

var formatItem = regexp.MustCompile(`\{\{|\}\}|\{(\d+)(,-?\d+)?(:[^}]*)?\}`)

// formatOp is -f with .NET composite formatting's index and alignment; a
// format string after ':' is honoured only for what legacy scripts use
// (none of it is needed for certificate work), otherwise ignored.
func formatOp(f string, args []value.Value) string {
	return formatItem.ReplaceAllStringFunc(f, func(m string) string {
		switch m {
		case "{{":
			return "{"
		case "}}":
			return "}"
		}
		sub := formatItem.FindStringSubmatch(m)
		i, _ := strconv.Atoi(sub[1])
		if i >= len(args) {
			return m
		}
		s := toString(args[i])
		if sub[2] != "" {
			w, _ := strconv.Atoi(sub[2][1:])
			if w < 0 {
				s = fmt.Sprintf("%-*s", -w, s)
			} else {
				s = fmt.Sprintf("%*s", w, s)
			}
		}
		return s
	})
}

// Limits on what one value may grow to, so that a script doubling an
// array or a string in a loop ends with an error instead of exhausting
// memory long before the statement limit.
const (
	maxElements  = 1 << 22
	maxStringLen = 1 << 26
)

var errTooLarge = &opError{"certledger.ValueTooLarge", fmt.Sprintf("The value grows beyond what certledger allows (%d array elements, %d characters).", maxElements, maxStringLen)}

// arith is + - * / % with PowerShell's conversions: the left operand's type
// decides (string concatenation, array concatenation, hashtable union,
// numeric arithmetic widening to double on overflow).
func arith(op string, l, r value.Value) (value.Value, error) {
	switch lv := l.(type) {
	case nil:
		if op == "+" {
			return r, nil
		}
		if op == "-" {
			b, ok := toNumber(r)
			if !ok {
				return nil, notDefined(op, l, r)
			}
			return numArith(op, number{}, b)
		}
	case string:
		switch op {
		case "+":
			rs := toString(r)
			if len(lv)+len(rs) > maxStringLen {
				return nil, errTooLarge
			}
			return lv + rs, nil
		case "*":
			n, ok := toNumber(r)
			if !ok || n.i < 0 || n.i > maxStringLen || n.i*int64(len(lv)) > maxStringLen {
				return nil, notDefined(op, l, r)
			}
			return strings.Repeat(lv, int(n.i)), nil
		}
		a, ok := toNumber(lv)
		b, ok2 := toNumber(r)
		if !ok || !ok2 {
			return nil, notDefined(op, l, r)
		}
		return numArith(op, a, b)
	case []value.Value:
		if op == "+" {
			ra, isArr := r.([]value.Value)
			if len(lv)+len(ra)+1 > maxElements {
				return nil, errTooLarge
			}
			out := make([]value.Value, 0, len(lv)+len(ra)+1)
			out = append(out, lv...)
			if isArr {
				return append(out, ra...), nil
			}
			return append(out, r), nil
		}
		return nil, notDefined(op, l, r)
	case *value.Hashtable:
		rh, ok := r.(*value.Hashtable)
		if op != "+" || !ok {
			return nil, notDefined(op, l, r)
		}
		out := value.NewHashtable()
		for _, k := range lv.Keys() {
			x, _ := lv.Get(k)
			out.Set(k, x)
		}
		for _, k := range rh.Keys() {
			if _, dup := out.Get(k); dup {
				return nil, &opError{"DuplicateKeyInHashLiteral", fmt.Sprintf("Item has already been added. Key in dictionary: '%s'  Key being added: '%s'", k, k)}
			}
			x, _ := rh.Get(k)
			out.Set(k, x)
		}
		return out, nil
	case time.Time:
		return nil, notDefined(op, l, r)
	}
	a, ok := toNumber(l)
	if !ok {
		return nil, notDefined(op, l, r)
	}
	b, ok := toNumber(r)
	if !ok {
		return nil, &opError{"InvalidCastFromStringToInteger", fmt.Sprintf("Cannot convert value %q to type \"System.Int32\". Error: \"Input string was not in a correct format.\"", toString(r))}
	}
	return numArith(op, a, b)
}

func notDefined(op string, l, r value.Value) error {
	return &opError{"OperatorFailed", fmt.Sprintf("Method invocation failed because [%s] does not contain a method named 'op_%s'.", typeNameOf(l), opName(op))}
}

func opName(op string) string {
	switch op {
	case "+":
		return "Addition"
	case "-":
		return "Subtraction"
	case "*":
		return "Multiply"
	case "/":
		return "Division"
	}
	return "Modulus"
}

var errDivideByZero = &opError{"RuntimeException", "Attempted to divide by zero."}

func numArith(op string, a, b number) (value.Value, error) {
	if !a.isFloat && !b.isFloat {
		x, y := a.i, b.i
		switch op {
		case "+":
			if s := x + y; (s > x) == (y > 0) {
				return number{i: s}.value(), nil
			}
		case "-":
			if s := x - y; (s < x) == (y > 0) {
				return number{i: s}.value(), nil
			}
		case "*":
			if x == 0 || y == 0 {
				return int32(0), nil
			}
			if p := x * y; p/y == x && !(x == -1 && y == math.MinInt64) && !(y == -1 && x == math.MinInt64) {
				return number{i: p}.value(), nil
			}
		case "/":
			if y == 0 {
				return nil, errDivideByZero
			}
			if x%y == 0 {
				return number{i: x / y}.value(), nil
			}
		case "%":
			if y == 0 {
				return nil, errDivideByZero
			}
			return number{i: x % y}.value(), nil
		}
	}
	x, y := a.float(), b.float()
	switch op {
	case "+":
		return x + y, nil
	case "-":
		return x - y, nil
	case "*":
		return x * y, nil
	case "/":
		if y == 0 {
			return nil, errDivideByZero
		}
		return x / y, nil
	}
	if y == 0 {
		return nil, errDivideByZero
	}
	return math.Mod(x, y), nil
}

// isType is -is: a small map from type names to the value shapes.
func isType(v value.Value, typeName string) bool {
	t := strings.ToLower(strings.TrimPrefix(strings.ToLower(typeName), "system."))
	switch t {
	case "object":
		return v != nil
	case "string":
		_, ok := v.(string)
		return ok
	case "int", "int32":
		_, ok := v.(int32)
		return ok
	case "int64", "long":
		_, ok := v.(int64)
		return ok
	case "double":
		_, ok := v.(float64)
		return ok
	case "bool", "boolean":
		_, ok := v.(bool)
		return ok
	case "array", "object[]":
		_, ok := v.([]value.Value)
		return ok
	case "byte[]":
		_, ok := v.([]byte)
		return ok
	case "hashtable", "collections.hashtable":
		_, ok := v.(*value.Hashtable)
		return ok
	case "datetime":
		_, ok := v.(time.Time)
		return ok
	case "securestring", "security.securestring":
		_, ok := v.(value.SecureString)
		return ok
	case "pscredential", "management.automation.pscredential":
		_, ok := v.(*value.Credential)
		return ok
	case "scriptblock", "management.automation.scriptblock":
		_, ok := v.(*value.ScriptBlock)
		return ok
	}
	if o, ok := v.(*value.Object); ok {
		n := strings.ToLower(o.TypeName)
		return n == t || n == "system."+t || strings.HasSuffix(n, "."+t)
	}
	return false
}
