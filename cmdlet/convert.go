package cmdlet

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/value"
)

// void is what a statement yields when PowerShell writes nothing to the
// pipeline (a method returning void, an assignment): distinct from $null,
// which is an object that flows.
type void struct{}

// enumerate returns the objects a value sends down a pipeline: arrays are
// unrolled one level, everything else is one object. A byte[] stays one
// object: PowerShell unrolls it into bytes, but every place certledger's
// scripts use one collects it straight back into a byte[], and unrolling a
// 5 MB certificate into boxed bytes would be waste with no visible effect.
func enumerate(v value.Value) []value.Value {
	switch v := v.(type) {
	case void:
		return nil
	case []value.Value:
		return v
	}
	return []value.Value{v}
}

// collapse is how PowerShell turns collected pipeline output into a value:
// nothing is $null, one object is itself, more is an object[].
func collapse(out []value.Value) value.Value {
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// toString converts as PowerShell's string conversion does for the types
// certledger knows; arrays join with a space ($OFS).
func toString(v value.Value) string {
	switch v := v.(type) {
	case nil, void:
		return ""
	case string:
		return v
	case bool:
		if v {
			return "True"
		}
		return "False"
	case value.Switch:
		if v {
			return "True"
		}
		return "False"
	case int32:
		return strconv.FormatInt(int64(v), 10)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	case uint8:
		return strconv.Itoa(int(v))
	case float64:
		return formatFloat(v)
	case []value.Value:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = toString(e)
		}
		return strings.Join(parts, " ")
	case []byte:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = strconv.Itoa(int(e))
		}
		return strings.Join(parts, " ")
	case *value.Hashtable:
		return "System.Collections.Hashtable"
	case value.SecureString:
		return "System.Security.SecureString"
	case *value.Credential:
		return "System.Management.Automation.PSCredential"
	case *value.Object:
		switch v.TypeName {
		case "System.IO.FileInfo", "System.IO.DirectoryInfo":
			// What a script passes on as -FileName $_ is the path.
			if s, ok := v.Get("FullName"); ok {
				return toString(s)
			}
		}
		return v.TypeName
	case time.Time:
		return v.Format("1/2/2006 3:04:05 PM")
	case value.Unknown:
		return v.Source
	case *value.ScriptBlock:
		return v.Text
	case *errorValue:
		return v.rec.Message
	case typeValue:
		return string(v)
	}
	return fmt.Sprint(v)
}

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	if math.IsNaN(f) {
		return "NaN"
	}
	// .NET's default double format: 15 significant digits, exponent form
	// (1E+20) for large and small magnitudes, as Go's 'G' writes it.
	return strconv.FormatFloat(f, 'G', 15, 64)
}

// toBool is PowerShell's truthiness (LanguagePrimitives.IsTrue).
func toBool(v value.Value) bool {
	switch v := v.(type) {
	case nil, void:
		return false
	case bool:
		return v
	case value.Switch:
		return bool(v)
	case string:
		return v != ""
	case int32:
		return v != 0
	case int64:
		return v != 0
	case int:
		return v != 0
	case uint8:
		return v != 0
	case float64:
		return v != 0
	case []value.Value:
		switch len(v) {
		case 0:
			return false
		case 1:
			return toBool(v[0])
		}
		return true
	case []byte:
		switch len(v) {
		case 0:
			return false
		case 1:
			return v[0] != 0
		}
		return true
	case value.SecureString:
		return !v.IsZero()
	}
	return true
}

// number is a numeric value in the widest form needed.
type number struct {
	isFloat bool
	i       int64
	f       float64
}

func (n number) value() value.Value {
	if n.isFloat {
		return n.f
	}
	if n.i >= math.MinInt32 && n.i <= math.MaxInt32 {
		return int32(n.i)
	}
	return n.i
}

func (n number) float() float64 {
	if n.isFloat {
		return n.f
	}
	return float64(n.i)
}

// toNumber converts v to a number as PowerShell's arithmetic does; ok is
// false when the value has no numeric form.
func toNumber(v value.Value) (number, bool) {
	switch v := v.(type) {
	case nil:
		return number{}, true
	case bool:
		if v {
			return number{i: 1}, true
		}
		return number{}, true
	case value.Switch:
		if v {
			return number{i: 1}, true
		}
		return number{}, true
	case int32:
		return number{i: int64(v)}, true
	case int64:
		return number{i: v}, true
	case int:
		return number{i: int64(v)}, true
	case uint8:
		return number{i: int64(v)}, true
	case float64:
		return number{isFloat: true, f: v}, true
	case string:
		return parseNumber(v)
	}
	return number{}, false
}

// parseNumber parses a string the way PowerShell converts a string to a
// number: surrounding white space allowed, hex with 0x, an empty string is 0.
func parseNumber(s string) (number, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return number{}, true
	}
	neg := false
	t := s
	if strings.HasPrefix(t, "-") {
		neg, t = true, t[1:]
	} else if strings.HasPrefix(t, "+") {
		t = t[1:]
	}
	if len(t) > 2 && (t[:2] == "0x" || t[:2] == "0X") {
		u, err := strconv.ParseUint(t[2:], 16, 64)
		if err != nil {
			return number{}, false
		}
		i := int64(u)
		if neg {
			i = -i
		}
		return number{i: i}, true
	}
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		return number{i: i}, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return number{isFloat: true, f: f}, true
	}
	return number{}, false
}

func isNumeric(v value.Value) bool {
	switch v.(type) {
	case int32, int64, int, uint8, float64:
		return true
	}
	return false
}

// dateLayouts are the forms [datetime] accepts in the invariant culture,
// plus ISO 8601, which .NET's parser takes in any culture.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"1/2/2006 3:04:05 PM",
	"1/2/2006 3:04 PM",
	"1/2/2006 15:04:05",
	"1/2/2006 15:04",
	"1/2/2006",
	"Monday, January 2, 2006 3:04:05 PM",
	"January 2, 2006",
}

// parseDate parses s as [datetime] does with the invariant culture: a date
// without a zone is local time.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if l == time.RFC3339Nano {
			if t, err := time.Parse(l, s); err == nil {
				return t, true
			}
			continue
		}
		if t, err := time.ParseInLocation(l, s, time.Local); err == nil {
			return t, true
		}
		// .NET accepts "am"/"pm" in any case.
		if t, err := time.ParseInLocation(l, strings.ToUpper(s), time.Local); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// convertError is a failed conversion: PowerShell's
// "Cannot convert value ..." texts.
type convertError struct {
	id  string
	msg string
}

func (e *convertError) Error() string { return e.msg }

func invalidCast(v value.Value, typeName string) *convertError {
	return &convertError{
		id:  "InvalidCastParseTargetInvocation",
		msg: fmt.Sprintf("Cannot convert value %q to type %q. Error: \"Input string was not in a correct format.\"", toString(v), typeName),
	}
}

func invalidCastType(v value.Value, typeName string) *convertError {
	return &convertError{
		id:  "ConvertToFinalInvalidCastException",
		msg: fmt.Sprintf("Cannot convert the %q value of type %q to type %q.", toString(v), typeNameOf(v), typeName),
	}
}

// typeNameOf is the .NET type name PowerShell shows for a value.
func typeNameOf(v value.Value) string {
	if _, ok := v.(*errorValue); ok {
		return "System.Management.Automation.ErrorRecord"
	}
	return value.TypeName(v)
}

// castTo implements the casts legacy scripts use: [Byte[]], [string],
// [int], [bool], [datetime], [array], [hashtable], [pscustomobject] and a
// few spellings of each. The type name compares case-insensitively and
// with or without "System.".
func castTo(typeName string, v value.Value) (value.Value, error) {
	if u, ok := v.(value.Unknown); ok {
		return u, nil
	}
	t := strings.ToLower(strings.TrimSpace(typeName))
	t = strings.TrimPrefix(t, "system.")
	switch t {
	case "void":
		return void{}, nil // [void]$h.Add(...): the value goes nowhere
	case "byte[]":
		return toBytes(v, typeName)
	case "string":
		if v == nil {
			return "", nil
		}
		return toString(v), nil
	case "string[]":
		items := enumerate(v)
		out := make([]value.Value, len(items))
		for i, e := range items {
			out[i] = toString(e)
		}
		return out, nil
	case "int", "int32", "int64", "long", "byte", "double", "decimal", "single", "float":
		n, ok := toNumber(v)
		if !ok {
			return nil, invalidCast(v, castDisplayName(t))
		}
		switch t {
		case "double", "single", "float", "decimal":
			return n.float(), nil
		case "int64", "long":
			if n.isFloat {
				return int64(math.RoundToEven(n.f)), nil
			}
			return n.i, nil
		case "byte":
			i := n.i
			if n.isFloat {
				i = int64(math.RoundToEven(n.f))
			}
			if i < 0 || i > 255 {
				return nil, invalidCast(v, "System.Byte")
			}
			return int32(i), nil
		}
		if n.isFloat {
			return int32(math.RoundToEven(n.f)), nil
		}
		if n.i < math.MinInt32 || n.i > math.MaxInt32 {
			return nil, invalidCast(v, "System.Int32")
		}
		return int32(n.i), nil
	case "bool", "boolean":
		return toBool(v), nil
	case "switch", "management.automation.switchparameter":
		return value.Switch(toBool(v)), nil
	case "datetime":
		switch v := v.(type) {
		case time.Time:
			return v, nil
		case string:
			if d, ok := parseDate(v); ok {
				return d, nil
			}
			return nil, &convertError{id: "InvalidCastParseTargetInvocation",
				msg: fmt.Sprintf("Cannot convert value %q to type \"System.DateTime\". Error: \"String was not recognized as a valid DateTime.\"", v)}
		}
		return nil, invalidCastType(v, "System.DateTime")
	case "array", "object[]":
		switch v := v.(type) {
		case []value.Value:
			return v, nil
		case nil:
			return []value.Value{}, nil
		}
		return []value.Value{v}, nil
	case "hashtable", "collections.hashtable", "ordered":
		if h, ok := v.(*value.Hashtable); ok {
			return h, nil
		}
		return nil, invalidCastType(v, "System.Collections.Hashtable")
	case "pscustomobject", "psobject", "management.automation.pscustomobject":
		if h, ok := v.(*value.Hashtable); ok {
			o := value.NewObject("System.Management.Automation.PSCustomObject")
			for _, k := range h.Keys() {
				x, _ := h.Get(k)
				o.Props.Set(k, x)
			}
			return o, nil
		}
		return v, nil
	case "object":
		return v, nil
	case "securestring", "security.securestring":
		if s, ok := v.(value.SecureString); ok {
			return s, nil
		}
		return nil, invalidCastType(v, "System.Security.SecureString")
	}
	return nil, &convertError{id: "TypeNotFound",
		msg: fmt.Sprintf("Unable to find type [%s].", typeName)}
}

func castDisplayName(t string) string {
	switch t {
	case "int", "int32":
		return "System.Int32"
	case "int64", "long":
		return "System.Int64"
	case "byte":
		return "System.Byte"
	}
	return "System.Double"
}

// toBytes converts to byte[]: a byte[] as is, an array of numbers element by
// element.
func toBytes(v value.Value, typeName string) (value.Value, error) {
	switch v := v.(type) {
	case []byte:
		return v, nil
	case nil:
		return nil, nil
	case []value.Value:
		b := make([]byte, len(v))
		for i, e := range v {
			n, ok := toNumber(e)
			if !ok || n.isFloat && (n.f < 0 || n.f > 255) || !n.isFloat && (n.i < 0 || n.i > 255) {
				return nil, invalidCastType(v, "System.Byte[]")
			}
			if n.isFloat {
				b[i] = byte(math.RoundToEven(n.f))
			} else {
				b[i] = byte(n.i)
			}
		}
		return b, nil
	}
	n, ok := toNumber(v)
	if ok && !n.isFloat && n.i >= 0 && n.i <= 255 {
		if _, isStr := v.(string); !isStr || strings.TrimSpace(v.(string)) != "" {
			return []byte{byte(n.i)}, nil
		}
	}
	return nil, invalidCastType(v, "System.Byte[]")
}
