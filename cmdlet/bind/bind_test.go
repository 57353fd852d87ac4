package bind

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// render shows a Bound as check --json would: declared names, converted
// values.
func render(t testing.TB, b *Bound) string {
	t.Helper()
	m := map[string]any{}
	for _, p := range b.Params {
		m[p.Name] = p.Value
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return b.ParameterSet + " " + strings.TrimSuffix(buf.String(), "\n")
}

type bindCase struct {
	src     string
	profile Profile
	want    string // "Set {json}" on success
	errID   string // on failure
	errMsg  string // exact message, when given
	errAt   string // the text the error extent covers
}

func runBindCases(t *testing.T, cases []bindCase) {
	t.Helper()
	for _, tc := range cases {
		name := tc.src
		if tc.profile != "" {
			name = string(tc.profile) + ": " + name
		}
		t.Run(name, func(t *testing.T) {
			b, e, cl := bindLine(t, tc.src, Options{Profile: tc.profile})
			if tc.errID != "" {
				if e == nil {
					t.Fatalf("bound as %s; want error %s", render(t, b), tc.errID)
				}
				if e.ID != tc.errID {
					t.Fatalf("error %s: %s; want %s", e.ID, e.Message, tc.errID)
				}
				if tc.errMsg != "" && e.Message != tc.errMsg {
					t.Errorf("message\n got %q\nwant %q", e.Message, tc.errMsg)
				}
				if tc.errAt != "" {
					src := []byte(cl.src)
					got := string(src[e.Extent.From.Offset():e.Extent.To.Offset()])
					if got != tc.errAt {
						t.Errorf("extent covers %q, want %q", got, tc.errAt)
					}
				}
				if e.Category != "InvalidArgument" || e.Command == "" {
					t.Errorf("category %q command %q", e.Category, e.Command)
				}
				return
			}
			if e != nil {
				t.Fatalf("error %s: %s", e.ID, e.Message)
			}
			if got := render(t, b); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

const tp43 = "B142918E463981A76503828BB1278391B716280987B"

func TestNameMatching(t *testing.T) {
	runBindCases(t, []bindCase{
		{src: `Set-CsCertificate -Type Default -Thumbprint ` + tp43, want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["Default"]}`},
		{src: `set-cscertificate -type default -THUMB ` + tp43, want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["Default"]}`},
		{src: `Set-CsCertificate -Ty Default -Th ` + tp43, want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["Default"]}`},
		{src: `Set-CsCertificate –Type Default —Thumbprint ` + tp43, want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["Default"]}`},
		{src: `Set-CsCertificate -T Default`, errID: AmbiguousParameter, errAt: "-T",
			errMsg: "Parameter cannot be processed because the parameter name 'T' is ambiguous. Possible matches include: -Thumbprint -Type."},
		{src: `Set-CsCertificate -R x`, errID: AmbiguousParameter,
			errMsg: "Parameter cannot be processed because the parameter name 'R' is ambiguous. Possible matches include: -Reference -Report -Roll."},
		{src: `Set-CsCertificate -P x`, errID: AmbiguousParameter,
			errMsg: "Parameter cannot be processed because the parameter name 'P' is ambiguous. Possible matches include: -Path -Password -PipelineVariable."},
		{src: `Set-CsCertificate -W -Type Default -Thumbprint A`, errID: AmbiguousParameter,
			errMsg: "Parameter cannot be processed because the parameter name 'W' is ambiguous. Possible matches include: -WarningAction -WarningVariable -WhatIf."},
		{src: `Set-CsCertificate -O x`, errID: AmbiguousParameter,
			errMsg: "Parameter cannot be processed because the parameter name 'O' is ambiguous. Possible matches include: -OutVariable -OutBuffer."},
		// Declared parameters win over common ones.
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -E "7/31/2012 8:00 AM"`, want: `Thumbprint {"EffectiveDate":"` + local(2012, 7, 31, 8, 0) + `","Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -I global -Type Default -Thumbprint AB`, want: `Thumbprint {"Identity":"global","Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -C`, want: `Thumbprint {"Confirm":true,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -F`, want: `Thumbprint {"Force":true,"Thumbprint":"AB","Type":["Default"]}`},
		// Aliases.
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveTime "7/31/2012 8:00 AM"`, want: `Thumbprint {"EffectiveDate":"` + local(2012, 7, 31, 8, 0) + `","Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -cf -wi`, want: `Thumbprint {"Confirm":true,"Thumbprint":"AB","Type":["Default"],"WhatIf":true}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EA Stop -vb:$false`, want: `Thumbprint {"ErrorAction":"Stop","Thumbprint":"AB","Type":["Default"],"Verbose":false}`},
		// Unknown names.
		{src: `Set-CsCertificate -Foo bar`, errID: NamedParameterNotFound, errAt: "-Foo",
			errMsg: "A parameter cannot be found that matches parameter name 'Foo'."},
		{src: `Set-CsCertificate -Thumbprint=ABC`, errID: NamedParameterNotFound, errMsg: "A parameter cannot be found that matches parameter name 'Thumbprint=ABC'."},
		{src: `Set-CsCertificate -N x -Type Default`, profile: SfB2015, errID: NamedParameterNotFound},
		{src: `Set-CsCertificate -N x -Type Default`, profile: Lync2010, errID: AmbiguousParameterSet},
		{src: `Set-CsCertificate -Identity global -Type Default -Thumbprint AB`, profile: Lync2010, errID: NamedParameterNotFound, errAt: "-Identity"},
		// PowerShell 2.0 has no Information* common parameters to match.
		{src: `Set-CsCertificate -I global -Type Default -Thumbprint AB`, profile: Lync2010, errID: NamedParameterNotFound},
		{src: `Get-CsCertificate -I global`, profile: Lync2013, want: `__AllParameterSets {"Identity":"global"}`},
		{src: `Import-ExchangeCertificate -Path c:\certificates\import.p7b`, profile: Exchange2010, errID: NamedParameterNotFound, errAt: "-Path"},
		{src: `Import-ExchangeCertificate -P x`, profile: Exchange2007, errID: AmbiguousParameter,
			errMsg: "Parameter cannot be processed because the parameter name 'P' is ambiguous. Possible matches include: -Path -Password."},
		{src: `Import-ExchangeCertificate -F x`, profile: Exchange2013, errID: AmbiguousParameter,
			errMsg: "Parameter cannot be processed because the parameter name 'F' is ambiguous. Possible matches include: -FileData -FileName -FriendlyName."},
	})
}

func TestIsSecret(t *testing.T) {
	for _, tc := range []struct {
		cmdlet, param string
		want          bool
	}{
		{"Set-CsCertificate", "Password", true},
		{"set-cscertificate", "-passw", true},
		{"Set-CsCertificate", "P", true}, // ambiguous, could be Password
		{"Set-CsCertificate", "Path", false},
		{"Import-ExchangeCertificate", "Password:", true},
		{"Import-CsCertificate", "Password", true},
		{"Import-ExchangeCertificate", "FileData", false},
		{"Enable-ExchangeCertificate", "Password", false},
		{"No-Such", "Password", false},
	} {
		if got := IsSecret(tc.cmdlet, tc.param); got != tc.want {
			t.Errorf("IsSecret(%q, %q) = %v, want %v", tc.cmdlet, tc.param, got, tc.want)
		}
	}
}

func TestLookup(t *testing.T) {
	if _, ok := Lookup("set-cscertificate", ""); !ok {
		t.Error("Set-CsCertificate not found case-insensitively")
	}
	if _, ok := Lookup("Set-CsCertificate", Exchange2010); ok {
		t.Error("Set-CsCertificate found in an Exchange profile")
	}
	if _, ok := Lookup("Import-ExchangeCertificate", "exchange2000"); ok {
		t.Error("unknown profile accepted")
	}
	for _, p := range Profiles() {
		if !p.Valid() || len(Names(p)) == 0 {
			t.Errorf("profile %q: valid %v, %d cmdlets", p, p.Valid(), len(Names(p)))
		}
	}
	c, _ := Lookup("Set-CsCertificate", Lync2010)
	for _, p := range c.Params {
		if p.Name == "PipelineVariable" || p.Name == "Roll" || p.Name == "Path" {
			t.Errorf("Lync 2010 has %s", p.Name)
		}
	}
	if !strings.Contains(strings.Join(Names(""), ","), "Enable-ExchangeCertificate") {
		t.Error("union lacks Enable-ExchangeCertificate")
	}
}

// local is the JSON form of a local wall-clock time.
func local(y, mo, d, h, mi int) string {
	return time.Date(y, time.Month(mo), d, h, mi, 0, 0, time.Local).Format(time.RFC3339Nano)
}

// Options.Profile re-derives the view; an unknown profile, or a release
// without the cmdlet, fails.
func TestBindProfileOption(t *testing.T) {
	c, _ := Lookup("Import-ExchangeCertificate", "")
	args := []Arg{{Name: "Path", Text: "-Path"}, {Value: `c:\a.pfx`}}
	if b, err := Bind(c, args, Options{}); err != nil || b.ParameterSet != "Path" {
		t.Fatalf("union: %v %v", b, err)
	}
	if _, err := Bind(c, args, Options{Profile: Exchange2016}); err == nil || err.(*Error).ID != NamedParameterNotFound {
		t.Errorf("exchange2016: %v", err)
	}
	if _, err := Bind(c, args, Options{Profile: "exchange2000"}); err == nil || err.(*Error).ID != UnknownProfile {
		t.Errorf("unknown profile: %v", err)
	}
	if _, err := Bind(c, args, Options{Profile: Lync2013}); err == nil || err.(*Error).ID != "CommandNotFoundException" {
		t.Errorf("other family: %v", err)
	}
	if _, err := Bind(nil, args, Options{}); err == nil {
		t.Error("nil cmdlet bound")
	}
}

// Lookup and Bind are safe for concurrent use (the per-profile views are
// cached); run with -race.
func TestConcurrentBind(t *testing.T) {
	done := make(chan error)
	for i := 0; i < 8; i++ {
		go func(i int) {
			p := append([]Profile{""}, Profiles()...)[i%5]
			c, ok := Lookup("Set-CsCertificate", p)
			if !ok {
				done <- nil
				return
			}
			_, err := Bind(c, []Arg{{Name: "Type", Text: "-Type"}, {Value: "Default"}, {Name: "Thumbprint", Text: "-Thumbprint"}, {Value: "AB"}}, Options{})
			done <- err
		}(i)
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
