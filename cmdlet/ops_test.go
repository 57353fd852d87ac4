package cmdlet

import (
	"testing"
	"time"

	"github.com/certledger/certledger/cmdlet/value"
)

func TestBinaryOperators(t *testing.T) {
	arr := func(vs ...value.Value) []value.Value { return vs }
	d := time.Date(2026, 11, 21, 0, 0, 0, 0, time.Local)
	tests := []struct {
		op   string
		l, r value.Value
		want string // showValue of the result
	}{
		{"-eq", "Default", "default", "true"},
		{"-ieq", "Default", "default", "true"},
		{"-ceq", "Default", "default", "false"},
		{"-ne", "a", "b", "true"},
		{"-eq", int32(1), "1", "true"},
		{"-eq", int32(1), "1.0", "true"},
		{"-eq", "1.0", int32(1), "false"},
		{"-eq", int32(1), "x", "false"},
		{"-eq", true, "false", "true"},
		{"-eq", nil, nil, "true"},
		{"-eq", "", nil, "false"},
		{"-eq", arr(int32(1), nil, int32(2)), nil, "[null]"},
		{"-ne", arr(int32(1), nil, int32(2)), nil, "[1,2]"},
		{"-eq", d, "11/21/2026", "true"},
		{"-lt", d, "12/1/2026", "true"},
		{"-gt", "b", "A", "true"},
		{"-cgt", "b", "A", "true"},
		{"-le", int32(2), float64(2), "true"},
		{"-ge", "10", int32(9), "false"},
		{"-lt", nil, int32(0), "true"},
		{"-like", "WebServicesInternal", "webservices*", "true"},
		{"-like", "a.b", "a?b", "true"},
		{"-like", "ab", "[ab]b", "true"},
		{"-clike", "AB", "ab", "false"},
		{"-notlike", "x", "y*", "true"},
		{"-like", arr("web1", "db1", "web2"), "web*", `["web1","web2"]`},
		{"-match", "CN=mail.contoso.com", "contoso", "true"},
		{"-cmatch", "CN=mail", "cn=", "false"},
		{"-notmatch", "abc", "^b", "true"},
		{"-contains", arr("IIS", "SMTP"), "smtp", "true"},
		{"-ccontains", arr("IIS", "SMTP"), "smtp", "false"},
		{"-notcontains", arr("IIS"), "POP", "true"},
		{"-contains", "IIS", "iis", "true"},
		{"-in", "pop", arr("IMAP", "POP"), "true"},
		{"-notin", "UM", arr("IMAP", "POP"), "true"},
		{"-replace", "SMTP, IMAP", arr(", ", ","), `"SMTP,IMAP"`},
		{"-replace", "CN=mail,O=x", arr("CN=([^,]+).*", "$1"), `"mail"`},
		{"-replace", "aXa", "x", `"aa"`},
		{"-creplace", "aXa", "x", `"aXa"`},
		{"-split", "SMTP, IMAP, POP", ", ", `["SMTP","IMAP","POP"]`},
		{"-split", "a1b1c", arr("1", int32(2)), `["a","b1c"]`},
		{"-join", arr("a", "b"), ",", `"a,b"`},
		{"-f", "{0}-{1,3}|{2,-2}|", arr("a", "b", "c"), `"a-  b|c |"`},
		{"-xor", true, false, "true"},
		{"-band", int32(6), int32(3), "2"},
		{"-bor", int32(4), int32(1), "5"},
		{"+", "a", int32(1), `"a1"`},
		{"+", int32(1), "2", "3"},
		{"+", arr("a"), arr("b", "c"), `["a","b","c"]`},
		{"+", nil, int32(3), "3"},
		{"-", int32(5), "2", "3"},
		{"*", "ab", int32(2), `"abab"`},
		{"/", int32(6), int32(4), "1.5"},
		{"/", int32(6), int32(3), "2"},
		{"%", int32(7), int32(3), "1"},
		{"+", int32(2147483647), int32(1), "2147483648"},
		{"..", int32(3), int32(1), "[3,2,1]"},
	}
	for _, tt := range tests {
		got, err := binaryOp(tt.op, tt.l, tt.r, nil)
		if err != nil {
			t.Errorf("%v %s %v: %v", tt.l, tt.op, tt.r, err)
			continue
		}
		if s := showValue(got); s != tt.want {
			t.Errorf("%v %s %v = %s; want %s", tt.l, tt.op, tt.r, s, tt.want)
		}
	}
}

func TestOperatorErrors(t *testing.T) {
	for _, tt := range []struct {
		op   string
		l, r value.Value
		id   string
	}{
		{"/", int32(1), int32(0), "RuntimeException"},
		{"-lt", int32(1), "abc", "ComparisonFailure"},
		{"-match", "a", "(", "InvalidRegularExpression"},
		{"-like", "a", "[a", "WildcardPatternException"},
		{"-", "a", "b", "OperatorFailed"},
		{"+", value.NewHashtable(), int32(1), "OperatorFailed"},
		{"-lt", value.NewHashtable(), int32(1), "NotIcomparable"},
	} {
		_, err := binaryOp(tt.op, tt.l, tt.r, nil)
		oe, ok := err.(*opError)
		if !ok || oe.id != tt.id {
			t.Errorf("%v %s %v: %v; want %s", tt.l, tt.op, tt.r, err, tt.id)
		}
	}
}

func TestConversions(t *testing.T) {
	for _, tt := range []struct {
		typ  string
		v    value.Value
		want string
	}{
		{"Byte[]", []value.Value{int32(1), "2", float64(3)}, `{"Bytes":3}`},
		{"System.Byte[]", []byte{1}, `{"Bytes":1}`},
		{"string", int32(5), `"5"`},
		{"string", nil, `""`},
		{"string", []value.Value{"a", "b"}, `"a b"`},
		{"int", "42", "42"},
		{"int", float64(2.5), "2"},
		{"int", float64(3.5), "4"},
		{"long", "5000000000", "5000000000"},
		{"bool", "false", "true"},
		{"bool", int32(0), "false"},
		{"bool", []value.Value{}, "false"},
		{"datetime", "2015-07-22T06:00:00Z", `"2015-07-22T06:00:00Z"`},
		{"array", "x", `["x"]`},
		{"array", nil, `[]`},
		{"string[]", []value.Value{int32(1), "b"}, `["1","b"]`},
		{"switch", int32(1), "true"},
	} {
		got, err := castTo(tt.typ, tt.v)
		if err != nil {
			t.Errorf("[%s]%v: %v", tt.typ, tt.v, err)
			continue
		}
		if s := showValue(got); s != tt.want {
			t.Errorf("[%s]%v = %s; want %s", tt.typ, tt.v, s, tt.want)
		}
	}
	for _, tt := range []struct {
		typ string
		v   value.Value
	}{
		{"int", "abc"}, {"Byte[]", []value.Value{int32(300)}}, {"datetime", "not a date"}, {"Frob", int32(1)},
	} {
		if _, err := castTo(tt.typ, tt.v); err == nil {
			t.Errorf("[%s]%v: no error", tt.typ, tt.v)
		}
	}
	for _, tt := range []struct {
		v    value.Value
		want bool
	}{
		{nil, false}, {"", false}, {"0", true}, {int32(0), false}, {float64(0.1), true},
		{[]value.Value{int32(0)}, false}, {[]value.Value{int32(0), int32(0)}, true},
		{value.NewHashtable(), true}, {value.Switch(false), false},
	} {
		if got := toBool(tt.v); got != tt.want {
			t.Errorf("toBool(%v) = %v", tt.v, got)
		}
	}
}
