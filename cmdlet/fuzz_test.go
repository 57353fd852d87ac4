package cmdlet

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fuzzSeeds are the golden scripts plus lines aimed at the evaluator's
// corners: deep nesting, loops, odd operands, broken syntax.
func fuzzSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/scripts/*.ps1")
	for _, p := range files {
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"",
		"$x = @{a=@{b=@(1,2,@{c=3})}}; $x.a.b[2].c",
		"while ($true) { }",
		"for (;;) { $i++ }",
		"function f { f }; f",
		"$a = 1..10; $a[-1..-3] | % { $_ / 0 }",
		"'x' * 1000000000",
		"[Byte[]]'abc'",
		"[datetime]'not a date'",
		"@p = 1",
		"Set-CsCertificate @nothing -Type",
		"$h = @{}; Set-CsCertificate @h",
		"(((((((((((1)))))))))))",
		"$null.Foo.Bar[3]",
		"1 -match '('",
		"'a' -like '[a'",
		"throw",
		"try { throw $null } catch { $_.Exception.Message } finally { }",
		"Get-CsCertificate | ? {$_.Thumbprint -eq $args[0]} | Set-CsCertificate -Type Default",
		"[System.IO.File]::ReadAllBytes($null)",
		"ConvertTo-SecureString",
		"& $undefined",
		". .\\x.ps1",
		"$env:X = 'y'; $env:X",
		"-split $null; -join @(); ,,1",
		"$x = 5; $x += 'a'",
		"Where-Object Length -eq 2 -Value 3",
		"Select-Object -First -1",
		"ForEach-Object {1} {2} {3} {4}",
		"Get-Date -Year 99999",
		"'{0}{99}' -f 1",
		"if (",
		"foreach ($x in ) { Set-CsCertificate -Password \"abc",
		"function f { param($a",
		"try { } catch",
		"$h = @{ a = ",
		"Set-CsCertificate -Type Default -Thumbprint (Get-CsCertificate | ? { $_.Use -eq",
		"while ($true) { Set-CsCertificate",
		"for ($i = 0; $i -lt",
		"Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path c:\\x.pfx -Encoding Byte -ReadCount 0)",
		"switch (1..5) { { $_ % 2 } { $_; continue } 4 { break } default { 'd' } }",
		"switch -regex -casesensitive ('a(', 'b') { '(' { 1 } 'B' { 2 } }",
		"switch -wildcard ($null) { '[' { 1 } }",
		"switch -file .\\nothere.txt { default { $_ } }",
		":l switch (1) { 1 { continue l } }; while ($true) { switch (1) { 1 { break } } }",
		"$t = switch (Get-CsCertificate) { { $_.Use -like 'Web*' } { $_.Thumbprint } }",
		"switch (",
		"switch ($x) { 1",
	} {
		f.Add([]byte(s))
	}
}

// FuzzRun runs any input through the whole host: no input may panic or
// hang it.
func FuzzRun(f *testing.F) {
	recoverPartial = false
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		var out bytes.Buffer
		// The script "lives" in a temporary directory, so that relative
		// paths it reads or writes (a -Report file) stay there.
		dir := t.TempDir()
		rec := newRecorder("")
		rec.readOnly = true
		h := New(rec, WithEnv(testEnv(nil)), WithOutput(&out), WithWarnings(&out), WithWorkDir(dir))
		h.discardWrites = true
		err := h.RunSource(ctx, filepath.Join(dir, "fuzz.ps1"), src)
		if err != nil {
			_ = FormatError(err)
		}
		// The canary is the environment's credential password: no output
		// may show it, unless the script itself spells it out somewhere
		// other than a secret (as a command name, say).
		if bytes.Contains(src, []byte(canary)) {
			return
		}
		if strings.Contains(out.String(), canary) || err != nil && strings.Contains(FormatError(err), canary) {
			t.Errorf("canary leaked")
		}
	})
}

// FuzzCheck checks any input: no panics, and every item marshals.
func FuzzCheck(f *testing.F) {
	recoverPartial = false
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src []byte) {
		items := CheckSource("fuzz.ps1", src, CheckOptions{})
		var b bytes.Buffer
		if err := WriteCheckJSON(&b, items); err != nil {
			t.Fatal(err)
		}
		if err := WriteCheckText(&b, items); err != nil {
			t.Fatal(err)
		}
		if len(bytes.TrimSpace(src)) > 0 && len(items) == 0 && hasCode(src) {
			// A file with code is never silent; comments-only files may be.
			t.Logf("no items for %q", src)
		}
	})
}

func hasCode(src []byte) bool {
	for _, l := range strings.Split(string(src), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			return true
		}
	}
	return false
}
