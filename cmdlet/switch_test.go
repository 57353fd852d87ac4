package cmdlet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSwitch runs switch statements and compares what they write with what
// Windows PowerShell 5.1 writes for the same script.
func TestSwitch(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"every matching clause runs", `switch ('b') { 'a' { 1 } 'b' { 2 } 'B' { 3 } { $_ -like 'b*' } { 4 } }`, "2\n3\n4"},
		{"break ends the switch", `switch (1, 2, 3) { 1 { 'one'; break } default { 'd' } }; 'after'`, "one\nafter"},
		{"continue goes to the next element", `switch (1, 2) { { $true } { "a$_"; continue } { $true } { "b$_" } }`, "a1\na2"},
		{"default only when nothing matched", `switch (1, 5, 2) { 1 { 'one' } 2 { 'two' } default { "other $_" } }`, "one\nother 5\ntwo"},
		{"default written first still runs last", `switch ('x') { default { 'd' } 'y' { 'y' } }`, "d"},
		{"array elements one by one", `$a = 'Edge', 'FrontEnd', 'Mediation'; switch ($a) { 'Edge' { "e:$_" } 'FrontEnd' { "f:$_" } }`, "e:Edge\nf:FrontEnd"},
		{"a scalar once", `$n = 0; switch ('a') { default { $n++ } }; $n`, "1"},
		{"null once", `switch ($null) { $null { 'null' } default { 'd' } }`, "null"},
		{"empty array never", `switch (@()) { default { 'd' } }; 'done'`, "done"},
		{"case-insensitive by default", `switch ('EDGE') { 'edge' { 'hit' } }`, "hit"},
		{"casesensitive", `switch -CaseSensitive ('EDGE') { 'edge' { 'lower' } 'EDGE' { 'upper' } }`, "upper"},
		{"wildcard", `switch -Wildcard ('FE01.contoso.com', 'edge01') { 'fe*' { "fe $_" } '*01*' { "01 $_" } 'EDGE??' { "edge $_" } }`, "fe FE01.contoso.com\n01 FE01.contoso.com\n01 edge01\nedge edge01"},
		{"wildcard casesensitive", `switch –wildcard –casesensitive ('FE01') { 'fe*' { 'lower' } 'FE*' { 'upper' } }`, "upper"},
		{"regex with matches", `switch -regex ('pool-FE03') { '^pool-(?<role>[a-z]+)(\d+)$' { $Matches.role; $Matches[2] } 'nomatch' { 'x' } }`, "FE\n03"},
		{"regex casesensitive", `switch -regex -casesensitive ('ABC') { 'abc' { 'lower' } 'A.C' { 'upper' } }`, "upper"},
		{"exact is literal", `switch -exact ('a*') { 'a*' { 'literal' } 'ab' { 'no' } }; switch -exact ('ab') { 'a*' { 'wild' } default { 'none' } }`, "literal\nnone"},
		{"numbers compare as -eq", `switch ('4') { 4 { 'four' } }; switch (4) { '4' { 'four again' } }`, "four\nfour again"},
		{"assignment captures output", `$t = switch ('Edge') { 'Edge' { 'Default'; 'WebServicesExternal' } }; $t.Count; $t[1]`, "2\nWebServicesExternal"},
		{"assignment of one value", `$t = switch (2) { 1 { 'a' } 2 { 'b' } }; $t`, "b"},
		{"assignment of nothing", `$t = switch (3) { 1 { 'a' } }; $null -eq $t`, "True"},
		{"parenthesised and variable conditions", `$edge = 'Edge'; switch ('edge', 'x') { $edge { 'var' } ('X'.ToLower()) { 'paren' } }`, "var\nparen"},
		{"script block in a variable", `$isFe = { $_ -like 'fe*' }; switch ('fe1') { $isFe { 'fe' } }`, "fe"},
		{"dollar underscore restored", `$_ = 'outer'; switch ('inner') { default { $_ } }; $_`, "inner\nouter"},
		{"break in a loop leaves the switch only", `foreach ($i in 1, 2) { switch ($i) { 1 { 'one'; break } }; "loop $i" }`, "one\nloop 1\nloop 2"},
		{"labelled break leaves the loop", `:outer foreach ($i in 1, 2) { switch ($i) { 1 { 'one'; break outer } }; "loop $i" }; 'end'`, "one\nend"},
		{"continue with the loop label", `:outer foreach ($i in 1, 2) { switch ($i) { default { continue outer } }; 'never' }; 'end'`, "end"},
		{"switch label", `:sw switch (1, 2) { default { $_; break sw } }`, "1"},
		{"pipeline input", `switch (Get-CsCertificate | Select-Object -ExpandProperty Use) { 'Default' { 'def' } { $_ -like 'WebServices*' } { 'web' } }`, "def\nweb\nweb"},
		{"in a function", `function Get-Types($role) { switch ($role) { 'Edge' { 'AccessEdgeExternal' } default { 'Default' } } }; Get-Types Edge; Get-Types Registrar`, "AccessEdgeExternal\nDefault"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalScript(t, tt.src)
			if err != nil {
				t.Fatalf("%s: %v", tt.src, FormatError(err))
			}
			if got != tt.want {
				t.Errorf("%s\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestSwitchStepLimit(t *testing.T) {
	// Each element is a step: without that, the outer loop would run a
	// million switches over a million elements before any limit held.
	_, err := evalScript(t, `while ($true) { switch (1..1000000) { 'x' { } } }`)
	if rec, ok := err.(*ErrorRecord); !ok || rec.ID != "certledger.ScriptTooLong" {
		t.Fatalf("got %v; want certledger.ScriptTooLong", err)
	}
}

func TestSwitchFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "roles.txt"), []byte("\ufeffatl-fe01,FrontEnd\ratl-edge01,Edge\r\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	h := New(newRecorder(dir), WithOutput(&out))
	src := "switch -regex -file .\\roles.txt { ',Edge$' { \"edge: $_\" } '^$' { 'blank' } default { \"other: $_\" } }\n"
	if err := h.RunSource(t.Context(), filepath.Join(dir, "s.ps1"), []byte(src)); err != nil {
		t.Fatal(FormatError(err))
	}
	want := "other: atl-fe01,FrontEnd\nedge: atl-edge01,Edge\nblank\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
	err := h.RunSource(t.Context(), filepath.Join(dir, "s.ps1"), []byte("switch -file .\\nothere.txt { default { 1 } }\n"))
	rec, ok := err.(*ErrorRecord)
	if !ok || rec.ID != "PathNotFound" || rec.Line() != 1 || rec.Char() != 14 {
		t.Errorf("missing file: %v; want PathNotFound at 1:14", FormatError(err))
	}
}

func TestCheckSwitch(t *testing.T) {
	src := `$role = 'Edge'
switch ($role) {
  'Edge' { Set-CsCertificate -Type AccessEdgeExternal -Thumbprint AAAA }
  { $_ -like 'F*' } { Set-CsCertificate -Type Default -Thumbprint $t -Bogus 1 }
  default { $t = 'CCCC' }
}
Set-CsCertificate -Type Default -Thumbprint $t
`
	got := checkScript("s.ps1", []byte(src))
	for _, frag := range []string{
		`"Line":2,"Statement":"Switch"`,
		`"Line":3,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":"AAAA","Type":["AccessEdgeExternal"]}`,
		`"Line":4,"Char":70,"ErrorId":"NamedParameterNotFound"`,
		`"Line":7,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":{"Expression":"$t"}`,
	} {
		if !strings.Contains(got, frag) {
			t.Errorf("check output lacks %s:\n%s", frag, got)
		}
	}
}

func TestNamedBlocks(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"function over the pipeline", `function Count-It { begin { $n = 0; 'begin' } process { $n++; "item $_" } end { "total $n" } }; 'a', 'b' | Count-It`, "begin\nitem a\nitem b\ntotal 2"},
		{"function without input runs process once", `function F { param($x) begin { 'b' } process { "p $x" } end { 'e' } }; F -x 7`, "b\np 7\ne"},
		{"return ends one process run", `function F { process { if ($_ -eq 2) { return }; $_ } }; 1, 2, 3 | F`, "1\n3"},
		{"script block with process", `1, 2 | & { process { $_ * 10 } }`, "10\n20"},
		{"end sees input", `'x', 'y' | & { end { $input.Count } }`, "2"},
		{"certificate types per use", `function Set-Use { process { Set-CsCertificate -Type $_ -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 } }; 'Default', 'OAuthTokenIssuer' | Set-Use; 'ok'`, "ok"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := evalScript(t, tt.src)
			if err != nil {
				t.Fatalf("%s: %v", tt.src, FormatError(err))
			}
			if got != tt.want {
				t.Errorf("%s\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
		})
	}
}

func TestTrapNotSupported(t *testing.T) {
	// The trap comes after a command: nothing may run before the refusal.
	src := "Set-CsCertificate -Type Default -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567\nfunction f {\n  trap { continue }\n}\n"
	rec := newRecorder("")
	h := New(rec)
	err := h.RunSource(t.Context(), "t.ps1", []byte(src))
	r, ok := err.(*ErrorRecord)
	if !ok || r.ID != "certledger.TrapNotSupported" || r.Line() != 3 || r.Char() != 3 {
		t.Fatalf("got %v; want certledger.TrapNotSupported at 3:3", FormatError(err))
	}
	if rec.log.Len() != 0 {
		t.Errorf("invocations before the refusal:\n%s", rec.log.String())
	}
	got := checkScript("t.ps1", []byte(src))
	if !strings.Contains(got, `"Line":3,"Char":3,"ErrorId":"certledger.TrapNotSupported"`) {
		t.Errorf("check does not report the trap:\n%s", got)
	}
}

func TestCheckNamedBlocks(t *testing.T) {
	src := "function F {\n  process { Set-CsCertificate -Type Default -Thumbprint $_ -Bogus }\n}\n"
	got := checkScript("n.ps1", []byte(src))
	if !strings.Contains(got, `"Line":2,"Char":60,"ErrorId":"NamedParameterNotFound"`) {
		t.Errorf("check does not look inside process:\n%s", got)
	}
}
