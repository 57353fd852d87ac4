package syntax

import (
	"errors"
	"reflect"
	"testing"
)

// firstCommand returns the first command of the first pipeline.
func firstCommand(t *testing.T, src string) *Command {
	t.Helper()
	f, err := ParseFile("", []byte(src))
	if err != nil {
		t.Fatalf("%q: %v", src, err)
	}
	var cmd *Command
	Inspect(f, func(n Node) bool {
		if c, ok := n.(*Command); ok && cmd == nil {
			cmd = c
		}
		return cmd == nil
	})
	if cmd == nil {
		t.Fatalf("%q: no command", src)
	}
	return cmd
}

func TestBarewordNumbers(t *testing.T) {
	tests := []struct {
		arg  string
		want any
	}{
		{"1E10", float64(1e10)},
		{"77", int32(77)},
		{"0x1F", int32(31)},
		{"0xFFFFFFFF", int32(-1)},
		{"1kb", int32(1024)},
		{"-5", int32(-5)},
		{"\u20135", int32(-5)},
		{"12345678901", int64(12345678901)},
		{"1.5", 1.5},
		{"10d", Decimal("10")},
		{"5l", int64(5)},
		{"1234567890123456789012345", Decimal("1234567890123456789012345")},
		{"1234567890123456789012345678901234567890", 1234567890123456789012345678901234567890.0},
		{"77z", "77z"},
		{"7/31/2012", "7/31/2012"},
		{"0x", "0x"},
		{"1e", "1e"},
		{"B142918E463981A76503828BB1278391B716280987B", "B142918E463981A76503828BB1278391B716280987B"},
	}
	for _, tt := range tests {
		cmd := firstCommand(t, "Set-X "+tt.arg)
		var got any
		switch x := cmd.Elements[0].(type) {
		case *Number:
			got = x.Value
		case *StringLit:
			got = x.Value
		default:
			t.Fatalf("%s: %T", tt.arg, x)
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %T(%v), want %T(%v)", tt.arg, got, got, tt.want, tt.want)
		}
	}
}

// Columns count UTF-16 units as PowerShell does: an en dash is one, an
// emoji two, a tab one.
func TestPositionsUTF16(t *testing.T) {
	src := "Set-X \u2013A '\U0001F600' \u2013B\tc\n  Get-Y"
	f, err := ParseFile("", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	Inspect(f, func(n Node) bool {
		switch n := n.(type) {
		case *Parameter, *StringLit:
			e := n.Span()
			from, to := f.Position(e.From), f.Position(e.To)
			got = append(got, reflect.TypeOf(n).Elem().Name()+" "+itoa(from.Line)+":"+itoa(from.Col)+"-"+itoa(to.Col)+" @"+itoa(from.Offset))
		}
		return true
	})
	want := []string{
		"StringLit 1:1-6 @0",    // Set-X
		"Parameter 1:7-9 @6",    // –A (3-byte dash)
		"StringLit 1:10-14 @11", // '😀' (4-byte, 2 units)
		"Parameter 1:15-17 @18",
		"StringLit 1:18-19 @23", // after the tab
		"StringLit 2:3-8 @27",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

func TestParameterAndArgumentShapes(t *testing.T) {
	cmd := firstCommand(t, "Set-CsCertificate \u2013Type: Default,\n WebServicesInternal -Confirm:$false -Force -FileName\"a b\"")
	if len(cmd.Elements) != 4 {
		t.Fatalf("elements: %d", len(cmd.Elements))
	}
	typ := cmd.Elements[0].(*Parameter)
	if typ.Name != "Type" || typ.Text != "\u2013Type" || !typ.Colon {
		t.Errorf("type parameter: %+v", typ)
	}
	arr, ok := typ.Arg.(*ArrayLit)
	if !ok || len(arr.Elems) != 2 || arr.Elems[1].(*StringLit).Value != "WebServicesInternal" {
		t.Errorf("colon argument across a comma newline: %#v", typ.Arg)
	}
	if v, ok := cmd.Elements[1].(*Parameter).Arg.(*Variable); !ok || v.Name != "false" {
		t.Errorf("-Confirm:$false: %#v", cmd.Elements[1])
	}
	if p := cmd.Elements[2].(*Parameter); p.Colon || p.Arg != nil {
		t.Errorf("-Force: %+v", p)
	}
	if s, ok := cmd.Elements[3].(*StringLit); !ok || s.Value != "-FileNamea b" {
		t.Errorf("quote inside a parameter token: %#v", cmd.Elements[3])
	}
}

func TestComments(t *testing.T) {
	src := "#requires -Version 3.0\n# plain\n<# block #>\nGet-X\n# SIG # Begin signature block\n# MIIa\n# SIG # End signature block\n"
	f, err := ParseFile("", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range f.Comments {
		kind := "line"
		switch {
		case c.Requires:
			kind = "requires"
		case c.Signature:
			kind = "signature"
		case c.Block:
			kind = "block"
		}
		got = append(got, kind+" "+itoa(f.Position(c.From).Line)+"-"+itoa(f.Position(c.To).Line))
	}
	want := []string{"requires 1-1", "line 2-2", "block 3-3", "signature 5-7"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestErrorValues(t *testing.T) {
	src := "Set-X -Type ,a\nGet-Y 'x"
	_, err := ParseFile(`C:\x.ps1`, []byte(src))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want an ErrorList of 2, got %v", err)
	}
	var first *Error
	if !errors.As(err, &first) || first.ID != "MissingArgument" {
		t.Fatalf("errors.As *Error: %v", first)
	}
	if got, want := list[0].Error(), `C:\x.ps1:1:13: Missing argument in parameter list. (MissingArgument)`; got != want {
		t.Errorf("Error():\n got %s\nwant %s", got, want)
	}
	if got, want := err.Error(), `C:\x.ps1:1:13: Missing argument in parameter list. (MissingArgument) (and 1 more errors)`; got != want {
		t.Errorf("ErrorList.Error():\n got %s\nwant %s", got, want)
	}
	want := `At C:\x.ps1:1 char:13
+ Set-X -Type ,a
+             ~
Missing argument in parameter list.

At C:\x.ps1:2 char:7
+ Get-Y 'x
+       ~~
The string is missing the terminator: '.
    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException
    + FullyQualifiedErrorId : MissingArgument`
	if got := FormatErrors(list, []byte(src)); got != want {
		t.Errorf("FormatErrors:\n%s\nwant\n%s", got, want)
	}
}

func TestRedaction(t *testing.T) {
	src := "Import-ExchangeCertificate -FileName C:\\a.pfx -Password (ConvertTo-SecureString -String 'P@ss' -AsPlainText -Force) -Force\n" +
		"Set-CsCertificate -Type Default -Password:\"secret\" -Thumbprint ab\n" +
		"Import-X -Password -Force"
	f, err := ParseFile("", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &PrintConfig{Redact: func(_ *Command, p *Parameter) bool { return p.Name == "Password" }}
	want := "Import-ExchangeCertificate -FileName C:\\a.pfx -Password '[redacted]' -Force\n" +
		"Set-CsCertificate -Type Default -Password:'[redacted]' -Thumbprint ab\n" +
		"Import-X -Password -Force\n"
	if got := Sprint(f, cfg); got != want {
		t.Errorf("got\n%swant\n%s", got, want)
	}
}

func TestDecodeSource(t *testing.T) {
	text := "Set-CsCertificate \u2013Type Default # \U0001F600\n"
	le := []byte{0xFF, 0xFE}
	be := []byte{0xFE, 0xFF}
	for _, r := range utf16Encode(text) {
		le = append(le, byte(r), byte(r>>8))
		be = append(be, byte(r>>8), byte(r))
	}
	for name, in := range map[string][]byte{"utf-16le": le, "utf-16be": be, "utf-8": []byte(text)} {
		if got := string(DecodeSource(in)); got != text {
			t.Errorf("%s: got %q", name, got)
		}
	}
	if got := DecodeSource([]byte{0xFF, 0xFE, 'a', 0, 'b'}); string(got) != "a\uFFFD" {
		t.Errorf("odd length: %q", got)
	}
}

func utf16Encode(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}
