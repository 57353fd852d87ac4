package bind

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// convert converts an argument to p's type as PowerShell's binder does
// (LanguagePrimitives.ConvertTo in the current culture), and applies the
// null and empty-string checks a mandatory parameter gets. A value only a
// run can know passes unconverted.
func (b *binder) convert(p *Parameter, v value.Value, ext syntax.Extent, sets setMask) (value.Value, *Error) {
	if _, ok := v.(value.Unknown); ok {
		return v, nil
	}
	if v == nil {
		// HandleNullParameterForSpecialTypes: a null makes a switch
		// present and is refused by a Boolean, mandatory or not.
		switch {
		case p.Type.Kind == KindSwitch:
			return value.Switch(true), nil
		case p.Type.Kind == KindBool || b.mandatoryIn(p, sets):
			return nil, newError(b.c, ParameterArgumentValidationErrorNullNotAllowed, ext, msgNullNotAllowed, p.Name)
		}
		return nil, nil
	}
	out, err := b.convertValue(p, v, ext)
	if err != nil {
		return nil, err
	}
	if s, ok := out.(string); ok && s == "" && b.mandatoryIn(p, sets) {
		return nil, newError(b.c, ParameterArgumentValidationErrorEmptyStringNotAllowed, ext, msgEmptyStringNotAllowed, p.Name)
	}
	if p.Secret {
		if s, ok := out.(string); ok {
			out = value.NewSecureString(s)
		}
	}
	return out, nil
}

func (b *binder) mandatoryIn(p *Parameter, sets setMask) bool {
	if len(b.c.Sets) == 0 {
		m, _ := b.c.membership(p, -1)
		return m.Mandatory
	}
	for i := range b.c.Sets {
		if sets&(1<<i) == 0 {
			continue
		}
		if m, ok := b.c.membership(p, i); ok && m.Mandatory {
			return true
		}
	}
	return false
}

func (b *binder) convertValue(p *Parameter, v value.Value, ext syntax.Extent) (value.Value, *Error) {
	t := p.Type
	switch v.(type) {
	case []value.Value, []byte:
		// CoerceTypeAsNeeded binds a collection to a scalar parameter only
		// if it is an enum (or object): otherwise NotSupportedException.
		switch t.Kind {
		case KindSwitch, KindBool:
			return nil, b.cannotConvert(p, v, ext, "")
		case KindString, KindIdentity, KindObject, KindDateTime, KindSecureString:
			return nil, b.cannotConvert(p, v, ext, msgMethodNotSupported)
		}
	}
	switch t.Kind {
	case KindSwitch, KindBool:
		r, ok := toBool(v)
		if !ok {
			// The binder's own Boolean check throws with an empty
			// second argument, hence the message's trailing space.
			return nil, b.cannotConvert(p, v, ext, "")
		}
		if t.Kind == KindSwitch {
			return value.Switch(r), nil
		}
		return r, nil
	case KindString:
		if p.Secret {
			if _, ok := v.(value.SecureString); ok {
				b.warns = append(b.warns, checkError(b.c, SecureStringAsText, ext,
					"The %s parameter of %s takes a plain String: a SecureString binds as the text 'System.Security.SecureString', not as the password it holds.", p.Name, b.c.Name))
			}
		}
		if t == tInt32 {
			return b.toInt32(p, v, ext)
		}
		return b.toString(v), nil
	case KindStringArray:
		return b.eachElement(v, func(e value.Value) (value.Value, *Error) {
			if e == nil {
				return nil, nil
			}
			return b.toString(e), nil
		})
	case KindIdentity:
		switch x := v.(type) {
		case string:
			return x, nil
		case int32, int64, float64, bool:
			return b.toString(x), nil
		case *value.Object:
			return x, nil
		}
		return nil, b.cannotConvert(p, v, ext, msgMethodNotSupported)
	case KindObject:
		if o, ok := v.(*value.Object); ok && accepts(t, o) {
			return o, nil
		}
		return nil, b.noConversion(p, v, ext)
	case KindDateTime:
		switch x := v.(type) {
		case time.Time:
			return x, nil
		case string:
			tm, ok := b.culture.parse(x, time.Now())
			if !ok {
				return nil, b.cannotConvertInner(p, x, t.Name, msgBadDateTime, ext)
			}
			return tm, nil
		case int32, int64:
			return ticksToTime(toInt64(x)), nil
		}
		return nil, b.cannotConvert(p, v, ext, msgMethodNotSupported)
	case KindSecureString:
		if s, ok := v.(value.SecureString); ok {
			return s, nil
		}
		return nil, b.noConversion(p, v, ext)
	case KindBytes:
		if x, ok := v.([]byte); ok {
			return x, nil
		}
		var out []byte
		var unknown bool
		list, isList := v.([]value.Value)
		if !isList {
			list = []value.Value{v}
		}
		for _, e := range list {
			if _, ok := e.(value.Unknown); ok {
				unknown = true
				continue
			}
			n, msg := toByte(e)
			if msg != "" {
				return nil, b.cannotConvertInner(p, b.displayText(p, e), "System.Byte", msg, ext)
			}
			out = append(out, n)
		}
		if unknown {
			return v, nil
		}
		return out, nil
	case KindEnum:
		if list, ok := v.([]value.Value); ok {
			// LanguagePrimitives.ConvertEnumerableToEnum: the elements
			// joined by commas, parsed as one string.
			parts := make([]string, len(list))
			for i, e := range list {
				switch x := e.(type) {
				case value.Unknown:
					return v, nil
				case string:
					parts[i] = x
				default:
					n, err := b.toEnum(p, e, ext)
					if err != nil {
						return nil, err
					}
					parts[i] = t.Enum.format(n, b.c.profile)
				}
			}
			v = strings.Join(parts, ",")
		}
		n, err := b.toEnum(p, v, ext)
		if err != nil {
			return nil, err
		}
		return t.Enum.format(n, b.c.profile), nil
	case KindEnumArray:
		return b.eachElement(v, func(e value.Value) (value.Value, *Error) {
			if e == nil {
				return nil, b.cannotConvertInner(p, "", t.Enum.Name, "Null object cannot be converted to a value type.", ext)
			}
			n, err := b.toEnum(p, e, ext)
			if err != nil {
				return nil, err
			}
			return t.Enum.format(n, b.c.profile), nil
		})
	}
	return v, nil
}

// eachElement converts a scalar or each element of an array, for an
// array-typed parameter. The result is []string, or []value.Value when an
// element is only known at run time.
func (b *binder) eachElement(v value.Value, conv func(value.Value) (value.Value, *Error)) (value.Value, *Error) {
	list, ok := v.([]value.Value)
	if !ok {
		if bs, isBytes := v.([]byte); isBytes {
			for _, x := range bs {
				list = append(list, int32(x))
			}
		} else {
			list = []value.Value{v}
		}
	}
	out := make([]string, 0, len(list))
	var mixed []value.Value
	for i, e := range list {
		if u, ok := e.(value.Unknown); ok {
			if mixed == nil {
				mixed = make([]value.Value, 0, len(list))
				for _, s := range out {
					mixed = append(mixed, s)
				}
			}
			mixed = append(mixed, u)
			continue
		}
		c, err := conv(e)
		if err != nil {
			return nil, err
		}
		s, _ := c.(string)
		if mixed != nil {
			mixed = append(mixed, s)
		} else {
			out = append(out, s)
		}
		_ = i
	}
	if mixed != nil {
		return mixed, nil
	}
	return out, nil
}

// toEnum converts one element to an enum's numeric value
// (LanguagePrimitives.ConvertStringToEnum and EnumMinimumDisambiguation).
func (b *binder) toEnum(p *Parameter, v value.Value, ext syntax.Extent) (int64, *Error) {
	e := p.Type.Enum
	switch x := v.(type) {
	case string:
		return b.parseEnum(p, e, x, ext)
	case int32, int64:
		n := toInt64(x)
		if !e.defined(n, b.c.profile) {
			return 0, b.enumNoValue(p, e, strconv.FormatInt(n, 10), ext)
		}
		return n, nil
	case float64:
		if x == math.Trunc(x) {
			return b.toEnum(p, int64(x), ext)
		}
	case value.Switch, bool:
		// PowerShell has no conversion from Boolean to an enum.
	}
	return 0, b.cannotConvertElement(p, v, ext)
}

func (b *binder) parseEnum(p *Parameter, e *Enum, s string, ext syntax.Extent) (int64, *Error) {
	prof := b.c.profile
	// Enum.Parse: names (a comma list of them) or a number.
	if n, ok := e.parseExact(s, prof); ok {
		if !e.Flags && !e.defined(n, prof) {
			return 0, b.enumNoValue(p, e, s, ext)
		}
		return n, nil
	}
	// EnumMinimumDisambiguation, on the whole text (a comma list that
	// Enum.Parse refused is not split again).
	var hits []EnumValue
	for _, ev := range e.Values {
		if !ev.Versions.Has(prof) {
			continue
		}
		if len(s) <= len(ev.Name) && strings.EqualFold(ev.Name[:len(s)], s) {
			hits = append(hits, ev)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0].Value, nil
	case 0:
		inner := sprintf(msgNoEnumNameMatch, s, strings.Join(e.names(prof), ", "))
		return 0, b.cannotConvertInner(p, s, e.Name, inner, ext)
	}
	names := make([]string, len(hits))
	for i, h := range hits {
		names[i] = h.Name
	}
	inner := sprintf(msgMultipleEnumMatch, s, strings.Join(names, ", "))
	return 0, b.cannotConvertInner(p, s, e.Name, inner, ext)
}

// parseExact is Enum.Parse, case-insensitive: one name, a comma list of
// names (OR-ed), or an integer.
func (e *Enum) parseExact(s string, prof Profile) (int64, bool) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, false
	}
	if c := t[0]; c >= '0' && c <= '9' || c == '-' || c == '+' {
		if n, err := strconv.ParseInt(t, 10, 64); err == nil {
			return n, true
		}
	}
	if !strings.Contains(t, ",") {
		for _, ev := range e.Values {
			if ev.Versions.Has(prof) && strings.EqualFold(ev.Name, t) {
				return ev.Value, true
			}
		}
		return 0, false
	}
	var acc int64
	for _, part := range strings.Split(t, ",") {
		name := strings.TrimSpace(part)
		found := false
		for _, ev := range e.Values {
			if ev.Versions.Has(prof) && strings.EqualFold(ev.Name, name) {
				acc |= ev.Value
				found = true
				break
			}
		}
		if !found {
			return 0, false
		}
	}
	if !e.Flags && strings.Contains(t, ",") {
		// A non-[Flags] enum OR-s a name list into a number that is
		// (with CertType's unknown values taken as indexes) no defined
		// value; -1 marks it undefined whatever the values.
		return -1, true
	}
	return acc, true
}

func (e *Enum) defined(n int64, prof Profile) bool {
	if e.Flags {
		var all int64
		for _, ev := range e.Values {
			if ev.Versions.Has(prof) {
				all |= ev.Value
			}
		}
		return n >= 0 && n&^all == 0
	}
	for _, ev := range e.Values {
		if ev.Versions.Has(prof) && ev.Value == n {
			return true
		}
	}
	return false
}

func (e *Enum) names(prof Profile) []string {
	var out []string
	for _, ev := range e.Values {
		if ev.Versions.Has(prof) {
			out = append(out, ev.Name)
		}
	}
	return out
}

// format is the value's canonical text, as .NET's Enum.ToString gives it:
// the name, or for [Flags] the set names in ascending value order joined
// by ", ".
func (e *Enum) format(n int64, prof Profile) string {
	if !e.Flags {
		for _, ev := range e.Values {
			if ev.Value == n {
				return ev.Name
			}
		}
		return strconv.FormatInt(n, 10)
	}
	var names []string
	for _, ev := range e.Values {
		if ev.Value == n && n == 0 {
			return ev.Name
		}
		if ev.Value != 0 && n&ev.Value == ev.Value && ev.Versions.Has(prof) {
			names = append(names, ev.Name)
		}
	}
	return strings.Join(names, ", ")
}

func (b *binder) enumNoValue(p *Parameter, e *Enum, s string, ext syntax.Extent) *Error {
	msg := sprintf(msgEnumNoValue, s, e.Name, strings.Join(e.names(b.c.profile), ","))
	return newError(b.c, CannotConvertArgumentNoMessage, ext, msgCannotConvertArgumentNoMsg, p.Name, msg)
}

func accepts(t *Type, o *value.Object) bool {
	for _, a := range t.Accepts {
		if strings.EqualFold(o.TypeName, a) {
			return true
		}
		if i := strings.LastIndexByte(a, '.'); i >= 0 && strings.EqualFold(o.TypeName, a[i+1:]) {
			return true
		}
	}
	return false
}

// exactType reports whether v is already of t's type, needing no
// conversion (the first pass of positional and pipeline binding).
func exactType(t *Type, v value.Value) bool {
	switch x := v.(type) {
	case string:
		return t.Kind == KindString || t.Kind == KindStringArray
	case []byte:
		return t.Kind == KindBytes
	case time.Time:
		return t.Kind == KindDateTime
	case value.SecureString:
		return t.Kind == KindSecureString
	case value.Switch:
		return t.Kind == KindSwitch
	case bool:
		return t.Kind == KindBool
	case *value.Object:
		return t.Kind == KindObject && accepts(t, x)
	}
	return false
}

func toBool(v value.Value) (bool, bool) {
	switch x := v.(type) {
	case bool:
		return x, true
	case value.Switch:
		return bool(x), true
	case int32:
		return x != 0, true
	case int64:
		return x != 0, true
	case float64:
		return x != 0, true
	}
	return false, false
}

func toInt64(v value.Value) int64 {
	switch x := v.(type) {
	case int32:
		return int64(x)
	case int64:
		return x
	}
	return 0
}

// toByte converts one element to a byte, with .NET's message on failure.
func toByte(v value.Value) (byte, string) {
	var n int64
	switch x := v.(type) {
	case int32:
		n = int64(x)
	case int64:
		n = x
	case float64:
		n = int64(math.RoundToEven(x))
	case bool:
		if x {
			return 1, ""
		}
		return 0, ""
	case string:
		i, err := strconv.ParseInt(strings.TrimSpace(x), 10, 64)
		if err != nil {
			return 0, msgBadNumber
		}
		n = i
	default:
		return 0, "Invalid cast from '" + value.TypeName(v) + "' to 'Byte'."
	}
	if n < 0 || n > 255 {
		return 0, "Value was either too large or too small for an unsigned byte."
	}
	return byte(n), ""
}

func (b *binder) toInt32(p *Parameter, v value.Value, ext syntax.Extent) (value.Value, *Error) {
	switch x := v.(type) {
	case int32:
		return x, nil
	case int64:
		if x >= math.MinInt32 && x <= math.MaxInt32 {
			return int32(x), nil
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(x), 10, 32); err == nil {
			return int32(n), nil
		}
		return nil, b.cannotConvertInner(p, x, "System.Int32", msgBadNumber, ext)
	}
	return nil, b.cannotConvert(p, v, ext, msgMethodNotSupported)
}

// ticksToTime reads an integer as .NET DateTime ticks (100 ns since
// 0001-01-01), local time.
func ticksToTime(ticks int64) time.Time {
	base := time.Date(1, 1, 1, 0, 0, 0, 0, time.Local)
	return base.Add(time.Duration(ticks/10_000_000) * time.Second).Add(time.Duration(ticks%10_000_000) * 100)
}

// toString is PowerShell's conversion of a value to a String parameter:
// numbers in their invariant form, arrays joined by a space ($OFS), other
// objects as their type name (what .NET's ToString gives for most).
func (b *binder) toString(v value.Value) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatDouble(x)
	case bool:
		return boolText(x)
	case value.Switch:
		return boolText(bool(x))
	case time.Time:
		return b.culture.format(x)
	case []value.Value:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = b.toString(e)
		}
		return strings.Join(parts, " ")
	case []byte:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = strconv.Itoa(int(e))
		}
		return strings.Join(parts, " ")
	case value.Unknown:
		return x.Source
	case *value.ScriptBlock:
		return x.Text
	case *value.Object:
		if x.TypeName == "" || strings.HasSuffix(x.TypeName, "PSCustomObject") {
			return b.customObjectText(x)
		}
	}
	return value.TypeName(v)
}

// customObjectText is a PSCustomObject's ToString(): @{Name=value; ...}.
func (b *binder) customObjectText(o *value.Object) string {
	var sb strings.Builder
	sb.WriteString("@{")
	if o.Props != nil {
		for i, k := range o.Props.Keys() {
			if i > 0 {
				sb.WriteString("; ")
			}
			v, _ := o.Props.Get(k)
			sb.WriteString(k)
			sb.WriteByte('=')
			sb.WriteString(b.toString(v))
		}
	}
	sb.WriteByte('}')
	return sb.String()
}

func boolText(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// formatDouble is .NET Framework's Double.ToString(): 15 significant
// digits, exponent form from 1E+15 and below 1E-05.
func formatDouble(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case math.IsNaN(f):
		return "NaN"
	}
	s := strconv.FormatFloat(f, 'G', 15, 64)
	if i := strings.IndexByte(s, 'E'); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		sign := exp[0]
		digits := strings.TrimLeft(exp[1:], "0")
		for len(digits) < 2 {
			digits = "0" + digits
		}
		return mant + "E" + string(sign) + digits
	}
	return s
}

// argText is how PositionalParameterNotFound names an argument.
func argText(v value.Value, source string) string {
	switch x := v.(type) {
	case nil:
		return "$null"
	case string:
		return x
	case int32, int64, float64, bool, value.Switch:
		return (&binder{culture: cultures["en-US"]}).toString(x)
	case value.Unknown:
		return x.Source
	case time.Time:
		return cultures["en-US"].format(x)
	}
	return value.TypeName(v)
}

// displayText is a value as a conversion error quotes it; a secret
// parameter's value is never shown.
func (b *binder) displayText(p *Parameter, v value.Value) string {
	if p.Secret {
		return value.Redacted
	}
	return b.toString(v)
}

// cannotConvert is CannotConvertArgument: no conversion exists at all
// (a string to a switch, an array to a scalar).
func (b *binder) cannotConvert(p *Parameter, v value.Value, ext syntax.Extent, inner string) *Error {
	return newError(b.c, CannotConvertArgument, ext, msgCannotConvertArgument, value.TypeName(v), p.Type.Name, p.Name, inner)
}

// cannotConvertElement is CannotConvertArgument for one element of an
// array parameter (whose element type is named).
func (b *binder) cannotConvertElement(p *Parameter, v value.Value, ext syntax.Extent) *Error {
	elem := strings.TrimSuffix(p.Type.Name, "[]")
	if p.Type.Enum != nil {
		elem = p.Type.Enum.Name
	}
	inner := sprintf(msgInvalidCast, b.displayText(p, v), value.TypeName(v), elem)
	return newError(b.c, CannotConvertArgumentNoMessage, ext, msgCannotConvertArgumentNoMsg, p.Name, inner)
}

// noConversion is CannotConvertArgumentNoMessage for a value of a type
// the target cannot be built from: `Cannot convert the "x" value of type
// "System.String" to type "...".`
func (b *binder) noConversion(p *Parameter, v value.Value, ext syntax.Extent) *Error {
	inner := sprintf(msgInvalidCast, b.displayText(p, v), value.TypeName(v), p.Type.Name)
	return newError(b.c, CannotConvertArgumentNoMessage, ext, msgCannotConvertArgumentNoMsg, p.Name, inner)
}

// cannotConvertInner is CannotConvertArgumentNoMessage wrapping a
// conversion's own message: `Cannot convert value "x" to type "T". Error: "..."`.
func (b *binder) cannotConvertInner(p *Parameter, text, typ, inner string, ext syntax.Extent) *Error {
	if p.Secret {
		text = value.Redacted
	}
	msg := sprintf(msgInvalidCastWithInner, text, typ, inner)
	return newError(b.c, CannotConvertArgumentNoMessage, ext, msgCannotConvertArgumentNoMsg, p.Name, msg)
}
