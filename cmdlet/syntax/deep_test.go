package syntax

import (
	"errors"
	"strings"
	"testing"
)

// Pathological input must fail fast with a clear error, never crash.
func TestHostileInput(t *testing.T) {
	tests := []struct {
		name, src string
		wantID    string // an error the list must contain ("" for none)
	}{
		{"10000 nested parentheses", strings.Repeat("(", 10000) + "1" + strings.Repeat(")", 10000), "NestingTooDeep"},
		{"10000 unclosed parentheses", "Get-X " + strings.Repeat("(", 10000), "NestingTooDeep"},
		{"deep string subexpressions", strings.Repeat(`"$(`, 600) + strings.Repeat(`)"`, 600), "NestingTooDeep"},
		{"nested strings within the limit", strings.Repeat(`"$(`, 60) + "1" + strings.Repeat(`)"`, 60), ""},
		// The limit hit inside a command argument, with "(" already
		// peeked: the parser once looped on it forever (found by FuzzParse).
		{"limit hit in an argument", strings.Repeat("(", 249) + "A((", "NestingTooDeep"},
		{"100 000 chained members", "$a" + strings.Repeat(".b", 100000), "NestingTooDeep"},
		{"100 000 chained operators", "$a = 1" + strings.Repeat(" + 1", 100000), "NestingTooDeep"},
		{"100 000 pipeline elements", strings.Repeat("a | ", 100000) + "a", ""},
		{"100 000 array elements", "a " + strings.Repeat("b,", 100000) + "c", ""},
		{"deep script blocks", strings.Repeat("{", 5000), "NestingTooDeep"},
		{"deep unary", strings.Repeat("-not ", 5000) + "$a", "NestingTooDeep"},
		{"deep casts", strings.Repeat("[int]", 5000) + "1", "NestingTooDeep"},
		{"1 MB line", "Set-X -Name " + strings.Repeat("a", 1<<20) + " -Path " + strings.Repeat("b,", 100000) + "c", ""},
		{"invalid UTF-8", "Set-X -Name \xff\xfe\x80 -Type \xc3", ""},
		{"NUL bytes", "Set-X\x00-Name\x00a\x00", ""},
		{"unterminated everything", "@{ a = @( $( \"x ${ '", "TerminatorExpectedAtEndOfString"},
		{"lone surrogate text", "Set-X -Name '\xed\xa0\x80'", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFile("x.ps1", []byte(tt.src))
			if f == nil {
				t.Fatal("nil File")
			}
			_ = Sprint(f, nil)
			if err != nil {
				_ = FormatErrors(err.(ErrorList), []byte(tt.src))
			}
			keys := strings.Join(errorKeys(err), " ")
			if tt.wantID == "" && err != nil {
				t.Errorf("unexpected errors: %s", keys)
			}
			if tt.wantID != "" && !strings.Contains(keys, tt.wantID) {
				t.Errorf("errors %q lack %s", keys, tt.wantID)
			}
		})
	}
}

// A source too large for 32-bit positions is refused whole, with no tree
// past its name; one byte less parses. The limit is lowered so that the
// test does not need 2 GiB.
func TestScriptTooLarge(t *testing.T) {
	defer func(old int) { maxSource = old }(maxSource)
	maxSource = 16
	if _, err := ParseFile("x.ps1", []byte("Get-Date # 16 b.")); err != nil {
		t.Fatalf("a source of maxSource bytes: %v", err)
	}
	_, err := ParseFile("x.ps1", []byte("Get-Date # 17 by."))
	var list ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].ID != "ScriptTooLarge" ||
		list[0].Message != "The script is too large to parse: more than 16 bytes." {
		t.Fatalf("a source of maxSource+1 bytes: %v", err)
	}
}
