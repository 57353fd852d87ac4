package cmdlet

import (
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/value"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// canary is the password every test script uses; no output may contain it.
const canary = "Canary-Pa55w0rd!"

// recorder is a fake Handler for this package's unit tests: it records each
// invocation as text and plays the part of the certificate cmdlets just
// enough for scripts to flow (objects out of Get-CsCertificate and
// Import-ExchangeCertificate, ShouldProcess calls, file reads).
type recorder struct {
	log   strings.Builder
	certs []*value.Object
	root  string // local root, stripped from recorded paths
	calls int
	// readOnly keeps -Report from writing: the fuzz targets' scripts may
	// name any path at all.
	readOnly bool
}

func newRecorder(root string) *recorder {
	r := &recorder{root: root}
	for i, use := range []string{"Default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer"} {
		o := value.NewObject("Microsoft.Rtc.Management.Deployment.CertificateReference")
		thumb := fmt.Sprintf("%040X", 0xA0+i)
		if i == 0 {
			thumb = "B142918E463981A76503828BB1278391B716280987B"
		}
		o.Props.Set("Issuer", "CN=FabrikamCA")
		o.Props.Set("NotAfter", time.Date(2027, 12, 28, 15, 35, 41, 0, time.UTC))
		o.Props.Set("NotBefore", time.Date(2025, 12, 28, 15, 35, 41, 0, time.UTC))
		o.Props.Set("SerialNumber", fmt.Sprintf("611BB0120000000000%02X", i))
		o.Props.Set("Subject", "CN=atl-cs-001.litwareinc.com")
		o.Props.Set("AlternativeNames", []value.Value{"atl-cs-001.litwareinc.com", "sip.litwareinc.com"})
		o.Props.Set("Thumbprint", thumb)
		o.Props.Set("Use", use)
		r.certs = append(r.certs, o)
	}
	return r
}

func (r *recorder) Handles(name string) bool {
	switch name {
	case "Set-CsCertificate", "Get-CsCertificate", "Import-ExchangeCertificate", "Enable-ExchangeCertificate",
		"Get-ExchangeCertificate", "Remove-CsCertificate", "Import-CsCertificate":
		return true
	}
	return false
}

func (r *recorder) Invoke(ctx context.Context, inv *Invocation) ([]value.Value, error) {
	b := inv.Bound
	fmt.Fprintf(&r.log, "#%d %s:%d:%d %s [%s]\n", inv.Index, filepath.Base(inv.File), inv.Line, inv.Char, b.Command, b.ParameterSet)
	for _, p := range b.Params {
		v := p.Value
		if bind.IsSecret(b.Command, p.Name) {
			v = value.Redacted
		}
		fmt.Fprintf(&r.log, "    %s = %s\n", p.Name, showValue(v))
	}
	if inv.HasInput {
		fmt.Fprintf(&r.log, "    input: %s\n", showValue(inv.Input))
	}
	fmt.Fprintf(&r.log, "    text: %s\n", inv.Text)
	for _, w := range b.Warnings {
		fmt.Fprintf(&r.log, "    bind warning: %s\n", w.ID)
	}
	switch b.Command {
	case "Get-CsCertificate":
		var out []value.Value
		types, _ := b.Get("Type")
		for _, c := range r.certs {
			use, _ := c.Get("Use")
			if types == nil || containsFold(types, toString(use)) {
				out = append(out, c)
			}
		}
		return out, nil
	case "Import-ExchangeCertificate":
		var data []byte
		if v, ok := b.Get("FileData"); ok {
			data, _ = v.([]byte)
		}
		for _, name := range []string{"FileName", "Path"} {
			if v, ok := b.Get(name); ok {
				d, local, err := inv.Files.ReadFile(toString(v))
				if err != nil {
					return nil, err
				}
				rel, _ := filepath.Rel(r.root, local)
				fmt.Fprintf(&r.log, "    read: %s (%d bytes)\n", filepath.ToSlash(rel), len(d))
				data = d
			}
		}
		if pw, ok := b.Get("Password"); ok {
			if s, ok := pw.(value.SecureString); ok && s.Reveal() != canary {
				return nil, &ErrorRecord{ID: "WrongPassword", Message: "The PKCS #12 password is not correct.", Category: "InvalidData", Reason: "CryptographicException"}
			}
		}
		ok, err := inv.ShouldProcess(fmt.Sprintf("%d bytes", len(data)), "Import-ExchangeCertificate")
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&r.log, "    done: %v\n", ok)
		sum := sha1.Sum(data)
		o := value.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate")
		o.Props.Set("Thumbprint", strings.ToUpper(hex.EncodeToString(sum[:])))
		o.Props.Set("Services", "None")
		o.Props.Set("Subject", "CN=mail.contoso.com")
		return []value.Value{o}, nil
	case "Set-CsCertificate", "Enable-ExchangeCertificate", "Remove-CsCertificate", "Import-CsCertificate":
		target := ""
		for _, n := range []string{"Thumbprint", "Reference", "Type", "Services"} {
			if v, ok := b.Get(n); ok {
				if o, isObj := v.(*value.Object); isObj {
					v, _ = o.Get("Thumbprint")
				}
				target += n + "=" + showValue(v) + " "
			}
		}
		ok, err := inv.ShouldProcess(strings.TrimSpace(target), b.Command)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&r.log, "    done: %v\n", ok)
		if v, ok := b.Get("Report"); ok && !r.readOnly {
			local, err := inv.Files.WriteFile(toString(v), []byte("<html>report</html>"))
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(&r.log, "    report: %s\n", filepath.Base(local))
		}
		if b.Command == "Set-CsCertificate" {
			inv.Warn("recorded by a fake handler")
		}
	}
	return nil, nil
}

func containsFold(v value.Value, s string) bool {
	for _, e := range enumerate(v) {
		if strings.EqualFold(toString(e), s) {
			return true
		}
	}
	if ss, ok := v.([]string); ok {
		for _, e := range ss {
			if strings.EqualFold(e, s) {
				return true
			}
		}
	}
	return false
}

// showValue prints a bound value for the golden files.
func showValue(v value.Value) string {
	var b bytes.Buffer
	writeJSONValue(&b, v, 0)
	return b.String()
}

// fakePrompter answers prompts from a script of answers and records the
// prompts.
type fakePrompter struct {
	answers []string
	prompts []string
}

func (p *fakePrompter) next(prompt string) (string, error) {
	p.prompts = append(p.prompts, prompt)
	if len(p.answers) == 0 {
		return "", fmt.Errorf("no more answers")
	}
	a := p.answers[0]
	p.answers = p.answers[1:]
	return a, nil
}

func (p *fakePrompter) ReadLine(prompt string) (string, error)   { return p.next(prompt) }
func (p *fakePrompter) ReadSecret(prompt string) (string, error) { return p.next(prompt) }

func testEnv(extra map[string]string) func(string) (string, bool) {
	env := map[string]string{
		"CERTLEDGER_CREDENTIAL_USER":     "CONTOSO\\certadmin",
		"CERTLEDGER_CREDENTIAL_PASSWORD": canary,
		"COMPUTERNAME":                   "EX01",
	}
	for k, v := range extra {
		env[k] = v
	}
	return func(k string) (string, bool) {
		v, ok := env[k]
		return v, ok
	}
}

// runScript parses and runs src as the file name and returns everything a
// user or the lead's code would see, as one text.
func runScript(t testing.TB, name string, src []byte, opts ...Option) (string, error) {
	t.Helper()
	root, _ := filepath.Abs("testdata")
	rec := newRecorder(root)
	var stdout, warnings, notes bytes.Buffer
	certs := filepath.Join(root, "certs")
	pm := PathMap{
		{Windows: `C:\Certs`, Local: certs},
		{Windows: `c:\certificates`, Local: certs},
		{Windows: `\\FileServer01\Data`, Local: filepath.Join(certs, "share")},
		{Windows: `C:\Logs`, Local: t.TempDir()},
	}
	all := append([]Option{
		WithEnv(testEnv(nil)), WithOutput(&stdout), WithWarnings(&warnings), WithNotes(&notes), WithPathMap(pm),
		WithClock(func() time.Time { return time.Date(2026, 11, 21, 23, 30, 0, 0, time.UTC) }),
		WithComputerName("EX01"),
	}, opts...)
	h := New(rec, all...)
	err := h.RunSource(context.Background(), name, src)
	var b strings.Builder
	b.WriteString("== invocations\n")
	b.WriteString(rec.log.String())
	section := func(title, body string) {
		if body != "" {
			fmt.Fprintf(&b, "== %s\n%s", title, body)
			if !strings.HasSuffix(body, "\n") {
				b.WriteByte('\n')
			}
		}
	}
	section("stdout", stdout.String())
	section("warnings", warnings.String())
	section("notes", notes.String())
	if err != nil {
		section("error", FormatError(err))
	}
	return b.String(), err
}

func checkScript(name string, src []byte) string {
	var b bytes.Buffer
	items := CheckSource(name, src, CheckOptions{})
	_ = WriteCheckJSON(&b, items)
	return b.String()
}

// TestScripts runs every script under testdata/scripts and compares what it
// did (invocations, output, warnings, the error) and what `check` says
// about it with the golden file next to it.
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/scripts/*.ps1")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".ps1")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var opts []Option
			if strings.HasPrefix(name, "whatif") {
				opts = append(opts, WithWhatIf(true))
			}
			if strings.HasPrefix(name, "confirm") {
				opts = append(opts, WithPrompter(&fakePrompter{answers: []string{"y", "n", "?", "a"}}))
			}
			run, runErr := runScript(t, path, src, opts...)
			wantFail := strings.Contains(name, "fail")
			if wantFail != (runErr != nil) {
				t.Errorf("Run error = %v; want failure: %v", runErr, wantFail)
			}
			got := run + "== check\n" + checkScript(path, src)
			if leaks(got) {
				t.Errorf("the canary password leaked:\n%s", got)
			}
			golden := strings.TrimSuffix(path, ".ps1") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("output differs from %s (run with -update to accept):\n%s", golden, diffLines(string(want), got))
			}
		})
	}
}

// diffLines shows the first differing lines of two texts.
func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant: %q\n got: %q", i+1, a, b)
		}
	}
	return ""
}

// evalScript runs src and returns what it wrote to the output, one object
// per line as the console prints it.
func evalScript(t testing.TB, src string) (string, error) {
	t.Helper()
	var stdout bytes.Buffer
	h := New(newRecorder(""), WithEnv(testEnv(map[string]string{"GREETING": "hello"})), WithOutput(&stdout),
		WithClock(func() time.Time { return time.Date(2026, 11, 21, 23, 30, 0, 0, time.Local) }))
	err := h.RunSource(context.Background(), "", []byte(src))
	return strings.TrimSuffix(stdout.String(), "\n"), err
}

func TestEvaluator(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		// literals, variables, expansion
		{`$x = 'a'; "$x-b"`, "a-b"},
		{`$x = 3; "v=$($x + 1)"`, "v=4"},
		{`$env:GREETING`, "hello"},
		{`"$env:COMPUTERNAME\x"`, `EX01\x`},
		{`$true; $false; $null -eq $null`, "True\nFalse\nTrue"},
		{`$X = 1; $x`, "1"},
		// comparison operators: case-insensitive, the right side converts
		{`'ABC' -eq 'abc'`, "True"},
		{`'ABC' -ceq 'abc'`, "False"},
		{`1 -eq '1'`, "True"},
		{`'1' -eq 1`, "True"},
		{`'10' -lt 9`, "True"},
		{`10 -lt '9'`, "False"},
		{`'b' -gt 'A'`, "True"},
		{`'web01' -like 'WEB*'`, "True"},
		{`'web01' -notlike 'db*'`, "True"},
		{`'abc' -match '^A(?<rest>.*)'; $Matches.rest`, "True\nbc"},
		{`'abc' -notmatch 'x'`, "True"},
		{`1,2,3 -contains '2'`, "True"},
		{`'IIS' -in 'smtp','iis'`, "True"},
		{`(1,2,3,2 -eq 2).Count`, "2"},
		{`(1,2,3 -gt 1) -join ','`, "2,3"},
		{`-not $true`, "False"},
		{`!0`, "True"},
		{`$true -and $false`, "False"},
		{`$false -or 'x'`, "True"},
		{`$null -eq $undefined`, "True"},
		{`(Get-Date) -gt '1/1/2020'`, "True"},
		// arithmetic
		{`1 + 2 * 3`, "7"},
		{`'a' + 1`, "a1"},
		{`7 / 2`, "3.5"},
		{`(1,2) + 3 -join '|'`, "1|2|3"},
		{`'x' * 3`, "xxx"},
		{`2147483647 + 1`, "2147483648"},
		// arrays, hashtables, members
		{`$a = @(); $a += 'x'; $a += 'y'; $a.Count; $a[-1]`, "2\ny"},
		{`$h = @{ Thumbprint = 'AB'; Type = 'Default' }; $h.thumbprint; $h['TYPE']; $h.Count`, "AB\nDefault\n2"},
		{`$h = @{}; $h.Add('Force', $true); $h.Force; $h.ContainsKey('force')`, "True\nTrue"},
		{`$h = @{a=1}; $h.b = 2; $h.Keys -join ','`, "a,b"},
		{`'abc'.Length; 'AbC'.ToUpper()`, "3\nABC"},
		{`$s = 'SMTP, IMAP'; ($s -split ', ').Count`, "2"},
		{`'a-b' -replace '-', '+'`, "a+b"},
		{`'{0}:{1}' -f 'a', 2`, "a:2"},
		{`(Get-Date).AddDays(1).Day`, "22"},
		{`([datetime]'7/31/2012 8:00 AM').Hour`, "8"},
		{`[int]'42' + 1`, "43"},
		{`[string]42 + 1`, "421"},
		{`[bool]'false'`, "True"},
		{`([Byte[]](1,2,3)).Length`, "3"},
		{`([array]'x').Count`, "1"},
		{`$o = [pscustomobject]@{Thumbprint='T1'; Use='Default'}; $o.THUMBPRINT`, "T1"},
		{`(1..3) -join ''`, "123"},
		// control flow
		{`if ($false) { 'a' } elseif (1 -eq 1) { 'b' } else { 'c' }`, "b"},
		{`foreach ($s in 'a','b') { "s=$s" }`, "s=a\ns=b"},
		{`$n = 0; while ($n -lt 3) { $n++ }; $n`, "3"},
		{`for ($i = 0; $i -lt 3; $i++) { if ($i -eq 1) { continue }; $i }`, "0\n2"},
		{`foreach ($i in 1..5) { if ($i -eq 3) { break }; $i }`, "1\n2"},
		{`try { throw 'boom' } catch { "caught: $($_.Exception.Message)" } finally { 'done' }`, "caught: boom\ndone"},
		{`function Get-Two { param($a, [int]$b = 2) $a * $b }; Get-Two 3; Get-Two -a 3 -b 3`, "6\n9"},
		{`function Test-Sw { param([switch]$On) if ($On) { 'on' } else { 'off' } }; Test-Sw; Test-Sw -On`, "off\non"},
		{`function f { return 'r'; 'not' }; f`, "r"},
		{`& { param($a) "got $a" } 'x'; $v = 1; & { $v = 2 }; $v; . { $v = 3 }; $v`, "got x\n1\n3"},
		{`$sb = { 'in block' }; & $sb`, "in block"},
		// pipelines and helpers
		{`1,2,3 | ForEach-Object { $_ * 2 }`, "2\n4\n6"},
		{`1,2,3 | % { $PSItem + 1 } | ? { $_ -gt 2 }`, "3\n4"},
		{`'a','bb','ccc' | Where-Object Length -gt 1`, "bb\nccc"},
		{`'a','bb' | where { $_.Length -eq 2 }`, "bb"},
		{`1,2,3 | Select-Object -First 2`, "1\n2"},
		{`$o = [pscustomobject]@{A=1; B=2}; ($o | Select-Object -ExpandProperty B)`, "2"},
		{`$x = 'a','b' | ForEach-Object { $_.ToUpper() }; $x -join ''`, "AB"},
		{`Write-Output 'w' | Out-Null; 'after'`, "after"},
		{`$null = 'discarded'; 'kept'`, "kept"},
		{`$h = @{}; [void]$h.Add('a', 1); [void]'x'; $h.a`, "1"},
		{`Write-Output 'x' -OutVariable got | Out-Null; $got.Count; $?`, "1\nTrue"},
		{`Join-Path 'C:\Certs' 'mail.pfx'; Join-Path '/srv/scripts/' 'a.pfx'`, "C:\\Certs\\mail.pfx\n/srv/scripts/a.pfx"},
		{`Split-Path 'C:\Certs\mail.pfx' -Leaf; Split-Path 'C:\Certs\mail.pfx'; Split-Path 'C:\x.pfx'`, "mail.pfx\nC:\\Certs\nC:\\"},
		{`[System.IO.Path]::GetFileName('\\srv\share\x.pfx'); [IO.Path]::GetExtension('a.b.pfx'); [IO.Path]::Combine('C:\a', 'b')`, "x.pfx\n.pfx\nC:\\a\\b"},
		{`Write-Host 'hi' -NoNewline; Write-Host ' there'`, "hi there"},
		{`3,1,2 | Sort-Object; 'b','A','c' | sort -Descending`, "1\n2\n3\nc\nb\nA"},
		{`[pscustomobject]@{T='x'; U='y'} | Format-List T`, "\nT : x"},
		{`$o = 'b','a' | % { [pscustomobject]@{N=$_} } | Sort-Object N; $o[0].N`, "a"},
		{`$c = ConvertTo-SecureString -String 'x1y2z3' -AsPlainText -Force; $c.GetType().Name`, "SecureString"},
		{`$cred = Get-Credential; $cred.UserName; $cred.Password.GetType().FullName`, "CONTOSO\\certadmin\nSystem.Security.SecureString"},
		{`"$(Get-Credential)"`, "System.Management.Automation.PSCredential"},
		{`$p = ConvertTo-SecureString 'x1y2z3' -AsPlainText -Force; $c = New-Object System.Management.Automation.PSCredential ('CONTOSO\pfx', $p); $c.UserName; $c.GetNetworkCredential().UserName`, "CONTOSO\\pfx\npfx"},
		{`$p = ConvertTo-SecureString 'x1y2z3' -AsPlainText -Force; $c = New-Object -TypeName PSCredential -ArgumentList 'u', $p; $c.Password.GetType().Name`, "SecureString"},
		{`$p = ConvertTo-SecureString 'x1y2z3' -AsPlainText -Force; ([PSCredential]::new('u', $p)).UserName`, "u"},
		{`(New-Object PSObject -Property @{A=1}).A`, "1"},
		{`Set-StrictMode -Version Latest; $a = 1; $a; Set-StrictMode -Off; $undefined -eq $null`, "1\nTrue"},
		{`(1,5,3 | Measure-Object).Count; ('ab','c' | % { [pscustomobject]@{L=$_.Length} } | Measure-Object -Property L -Sum -Maximum).Sum`, "3\n3"},
		{`cls; Clear-Host; Pause; 'go'`, "go"},
		{`. 'C:\Program Files\Microsoft\Exchange Server\V15\bin\RemoteExchange.ps1'; Connect-ExchangeServer -auto -ClientApplication:ManagementShell; 'ready'`, "ready"},
		{`$p = ConvertTo-SecureString 'abc123' -AsPlainText -Force; "$p"`, "System.Security.SecureString"},
	}
	for _, tt := range tests {
		got, err := evalScript(t, tt.src)
		if err != nil {
			t.Errorf("%s: %v", tt.src, FormatError(err))
			continue
		}
		if got != tt.want {
			t.Errorf("%s\n got: %q\nwant: %q", tt.src, got, tt.want)
		}
	}
}

func TestEvaluatorErrors(t *testing.T) {
	tests := []struct {
		src, id, text string
	}{
		{"Frobnicate-Thing -X 1", "CommandNotFoundException", "Frobnicate-Thing : The term 'Frobnicate-Thing' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.\nAt line:1 char:1\n+ Frobnicate-Thing -X 1\n+ ~~~~~~~~~~~~~~~~\n    + CategoryInfo          : ObjectNotFound: (Frobnicate-Thing:String) [], CommandNotFoundException\n    + FullyQualifiedErrorId : CommandNotFoundException"},
		{"Get-ChildItem Cert:\\LocalMachine\\My", "certledger.CertificateStoreNotAvailable", ""},
		{"Invoke-Command -ComputerName ex01 -ScriptBlock { 1 }", "certledger.CommandNotSupported", ""},
		{"Export-ExchangeCertificate -Thumbprint AB", "certledger.CommandNotSupported", ""},
		{"ConvertTo-SecureString -String 'abc' -AsPlainText", "ImportSecureString_InvalidArgument", ""},
		{"Get-Content -Path C:\\nowhere\\x.pfx -Encoding Byte", "certledger.PathNotMapped", ""},
		{"Get-Content -Path .\\missing.pfx -Encoding Byte", "PathNotFound", ""},
		{"[System.IO.File]::ReadAllBytes('.\\missing.pfx')", "FileNotFoundException", ""},
		{"Write-Host -Frob 1", "NamedParameterNotFound", ""},
		{"Get-Content -Path", "MissingArgument", ""},
		{"Where-Object -F {1} -F {2}", "ParameterAlreadyBound", ""},
		{"Read-Host 'x' -AsSecureString", "certledger.ReadHostNeedsTerminal", ""},
		{"Import-Module ActiveDirectory", "certledger.ModuleNotSupported", ""},
		{"throw 'stop here'", "stop here", ""},
		{"Set-StrictMode -Version 2.0; $Thumbprnt", "VariableIsUndefined", ""},
		{"1 / 0", "RuntimeException", ""},
		{"Set-CsCertificate -Type Default -Thumbprint AB -Confirm", "certledger.ConfirmNeedsTerminal", ""},
		{"Set-CsCertificate -Type Default -Thumbprint AB -Foo bar", "NamedParameterNotFound", ""},
		{"Request-CsCertificate -New -Type Default", "certledger.CommandNotSupported", ""},
		{"Set-CsCertficate -Type Default", "CommandNotFoundException", ""},
		{"Import-ExchangeCertifcate -FileName x", "CommandNotFoundException", ""},
		{"Exchange-Certificate -Services IIS", "CommandNotFoundException", ""},
		{"function f { f }; f", "CallDepthOverflow", ""},
		{"'x' > out.txt", "certledger.OutputRedirectionNotSupported", ""},
		{"Import-ExchangeCertificate -FileName .\\nothere.pfx", "PathNotFound", ""},
		{"$a = @(1); while ($true) { $a += $a }", "certledger.ValueTooLarge", ""},
		{"$s = 'x'; while ($true) { $s += $s }", "certledger.ValueTooLarge", ""},
		{"$a = 'x' * 60000000; $b = $a + 'y'; $c = $a + 'z'; $d = \"$a$a\"; $e = $a + $a; $f = $a + 1", "certledger.ValueTooLarge", ""},
	}
	for _, tt := range tests {
		_, err := evalScript(t, tt.src)
		if err == nil {
			t.Errorf("%s: no error; want %s", tt.src, tt.id)
			continue
		}
		rec, ok := err.(*ErrorRecord)
		if !ok {
			t.Errorf("%s: %T %v; want an *ErrorRecord", tt.src, err, err)
			continue
		}
		if rec.ID != tt.id {
			t.Errorf("%s: id %s (%s); want %s", tt.src, rec.ID, rec.Message, tt.id)
		}
		if tt.text != "" && rec.Format() != tt.text {
			t.Errorf("%s: record\n%s\nwant\n%s", tt.src, rec.Format(), tt.text)
		}
		if !rec.Extent.From.IsValid() {
			t.Errorf("%s: error without a position", tt.src)
		}
	}
}

func TestPathMap(t *testing.T) {
	pm := PathMap{}
	for _, s := range []string{`C:\Certs=/srv/certs`, `c:\certs\exchange=/srv/exch`, `\\FileServer01\Data=/mnt/data`} {
		if err := pm.Set(s); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct{ win, want string }{
		{`C:\Certs\a.pfx`, "/srv/certs/a.pfx"},
		{`c:\CERTS\Exchange\mail.pfx`, "/srv/exch/mail.pfx"},
		{`C:/Certs/sub/../b.pfx`, "/srv/certs/b.pfx"},
		{`\\fileserver01\data\Exported Fabrikam Cert.pfx`, "/mnt/data/Exported Fabrikam Cert.pfx"},
		{`C:\CertsX\a.pfx`, ""},
		{`D:\Certs\a.pfx`, ""},
	}
	for _, tt := range tests {
		got, ok := pm.Resolve(tt.win)
		if !ok {
			got = ""
		}
		if got != tt.want {
			t.Errorf("Resolve(%q) = %q; want %q", tt.win, got, tt.want)
		}
	}
	for _, bad := range []string{"nodelim", `relative\x=/a`, `C:\x=`} {
		if _, err := ParsePathMapping(bad); err == nil {
			t.Errorf("ParsePathMapping(%q): no error", bad)
		}
	}
}

func TestFilesCaseInsensitive(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "Certs", "Exchange"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Certs", "Exchange", "Mail.PFX"), []byte("pfx"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := &fileSystem{pathMap: PathMap{{Windows: `C:\`, Local: dir}}, dir: dir}
	for _, p := range []string{`C:\certs\exchange\mail.pfx`, `certs\EXCHANGE\mail.pfx`, `.\Certs\Exchange\Mail.PFX`} {
		data, local, err := fsys.ReadFile(p)
		if err != nil || string(data) != "pfx" || !strings.HasSuffix(local, "Mail.PFX") {
			t.Errorf("ReadFile(%q) = %q, %q, %v", p, data, local, err)
		}
	}
	if _, _, err := (&fileSystem{dir: "/"}).ReadFile("/dev/zero"); err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("/dev/zero: %v", err)
	}
	_, _, err := fsys.ReadFile(`C:\certs\nope.pfx`)
	if fe, ok := err.(*fileError); !ok || fe.id != "PathNotFound" || fe.Error() != `Cannot find path 'C:\certs\nope.pfx' because it does not exist.` {
		t.Errorf("missing file: %v", err)
	}
	if _, err := fsys.WriteFile(`C:\CERTS\report.html`, []byte("r")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "Certs", "report.html")); err != nil {
		t.Errorf("report not written into the existing directory: %v", err)
	}
}

func TestConfirm(t *testing.T) {
	src := []byte("Set-CsCertificate -Type Default -Thumbprint B142918E463981A76503828BB1278391B716280987B -Confirm\n")
	for _, tt := range []struct {
		answers []string
		done    string
	}{
		{[]string{""}, "done: true"},
		{[]string{"n"}, "done: false"},
		{[]string{"?", "x", "A"}, "done: true"},
		{[]string{"L"}, "done: false"},
	} {
		p := &fakePrompter{answers: tt.answers}
		out, err := runScript(t, "c.ps1", src, WithPrompter(p))
		if err != nil {
			t.Fatalf("%v: %v", tt.answers, FormatError(err))
		}
		if !strings.Contains(out, tt.done) {
			t.Errorf("%v: want %q in\n%s", tt.answers, tt.done, out)
		}
		first := p.prompts[0]
		want := "Confirm\nAre you sure you want to perform this action?\nPerforming the operation \"Set-CsCertificate\" on target \"Thumbprint=\\\"B142918E463981A76503828BB1278391B716280987B\\\" Type=[\\\"Default\\\"]\".\n[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is \"Y\"): "
		if first != want {
			t.Errorf("prompt\n%q\nwant\n%q", first, want)
		}
	}
	// Outside a terminal: refused, unless --yes or -Confirm:$false.
	if _, err := runScript(t, "c.ps1", src); err == nil || err.(*ErrorRecord).ID != "certledger.ConfirmNeedsTerminal" {
		t.Errorf("no terminal: %v", err)
	}
	if out, err := runScript(t, "c.ps1", src, WithYes(true)); err != nil || !strings.Contains(out, "done: true") {
		t.Errorf("--yes: %v\n%s", err, out)
	}
	off := []byte("Set-CsCertificate -Type Default -Thumbprint B142918E463981A76503828BB1278391B716280987B -Confirm:$false\n")
	if out, err := runScript(t, "c.ps1", off); err != nil || !strings.Contains(out, "done: true") {
		t.Errorf("-Confirm:$false: %v\n%s", err, out)
	}
}

func TestGetCredentialPrompt(t *testing.T) {
	p := &fakePrompter{answers: []string{"admin", canary}}
	out, err := runScript(t, "g.ps1", []byte("$c = Get-Credential\nImport-ExchangeCertificate -FileName C:\\Certs\\mail.pfx -Password $c.Password\n"), WithPrompter(p))
	if err != nil {
		t.Fatal(FormatError(err))
	}
	if len(p.prompts) != 2 || !strings.HasSuffix(p.prompts[0], "User: ") || p.prompts[1] != "Password for user admin: " {
		t.Errorf("prompts %q", p.prompts)
	}
	if strings.Contains(out, canary) {
		t.Errorf("canary leaked: %s", out)
	}
	// No terminal and no environment: a clear error.
	h := New(newRecorder(""), WithEnv(func(string) (string, bool) { return "", false }))
	err = h.RunSource(context.Background(), "", []byte("Get-Credential"))
	if rec, ok := err.(*ErrorRecord); !ok || rec.ID != "certledger.CredentialNotAvailable" {
		t.Errorf("no terminal, no env: %v", err)
	}
}

// TestSecretsNeverShow runs scripts that hand the canary around in every
// way a legacy script does, then fail, and looks for it in every output.
func TestSecretsNeverShow(t *testing.T) {
	scripts := []string{
		"$pw = '" + canary + "'\n$s = ConvertTo-SecureString -String $pw -AsPlainText -Force\nImport-ExchangeCertificate -FileName C:\\Certs\\mail.pfx -Password $s -Frob 1\n",
		"Import-ExchangeCertificate -FileName C:\\Certs\\mail.pfx -Password (ConvertTo-SecureString -String '" + canary + "' -AsPlainText -Force) x\n",
		"Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\\Certs\\mail.pfx -Password '" + canary + "' -Bogus\n",
		"$c = Get-Credential\nWrite-Host $c.GetNetworkCredential().Password\nthrow $c.GetNetworkCredential().Password\n",
		"ConvertTo-SecureString -String '" + canary + "' -AsPlainText extra\n",
		"Set-CsCertificate -Password '" + canary + "' x\n",
		"Set-CsCertificate -Path x -Password \"" + canary + "\n",
		"Set-CsCertificate -Path x -Password:\u2018" + canary + "\n",
		"$p = ConvertTo-SecureString \"" + canary + "\n",
		"$p = ConvertTo-SecureString -String \"" + canary + "\" -AsPlainText -Force)\n",
		"Import-ExchangeCertificate -FileName x.pfx -Password (ConvertTo-SecureString -String '" + canary + "' -AsPlainText -Force\n",
		"Set-CsCertificate -Identity global -Type Default -Path C:\\Certs\\mail.pfx -Password '" + canary + "' x\n",
		"$c = Get-Credential; throw ('a very long message to shorten: ' + $c.GetNetworkCredential().Password + ' and more text after it')\n",
		"Set-CsCertificate -Password:'" + canary + "' -Path\n",
		"ConvertTo-SecureString '" + canary + "' -Force\n",
		"Import-CsCertificate -Path C:\\Certs\\mail.pfx -Password " + canary + " -Type Bogus\n",
		"$p = @{ FileName = 'C:\\Certs\\mail.pfx'; Password = (ConvertTo-SecureString '" + canary + "' -AsPlainText -Force) }\nImport-ExchangeCertificate @p -Nope\n",
	}
	for _, s := range scripts {
		out, err := runScript(t, "s.ps1", []byte(s))
		if err == nil {
			t.Errorf("%q: want an error", s)
		}
		all := out + checkScript("s.ps1", []byte(s))
		var tb bytes.Buffer
		_ = WriteCheckText(&tb, CheckSource("s.ps1", []byte(s), CheckOptions{}))
		all += tb.String()
		if err != nil {
			all += err.Error()
		}
		if leaks(all) {
			t.Errorf("canary leaked for %q:\n%s", s, all)
		}
	}
}

// leaks reports whether text holds the canary or any 8-character piece of
// it (an error's source window may cut a secret short).
func leaks(text string) bool {
	for i := 0; i+8 <= len(canary); i++ {
		if strings.Contains(text, canary[i:i+8]) {
			return true
		}
	}
	return false
}

func TestCheckShapes(t *testing.T) {
	src := `$t = "B142918E463981A76503828BB1278391B716280987B"
Set-CsCertificate -type default, webservicesinternal -thumb $t
$x = Get-CsCertificate | Where-Object {$_.Thumbprint -eq $t}
Set-CsCertificate -Reference $x -Type Default -Foo
Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\a.pfx')) -Password (Get-Credential).password
if ($true) { Write-Host "x" }
`
	got := checkScript("a.ps1", []byte(src))
	want := `{"File":"a.ps1","Line":1,"Statement":"Assignment"}
{"File":"a.ps1","Line":2,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":"B142918E463981A76503828BB1278391B716280987B","Type":["Default","WebServicesInternal"]},"Warnings":[{"Line":2,"Char":61,"WarningId":"certledger.ThumbprintLength","Message":"The thumbprint B142918E463981A76503828BB1278391B716280987B has 43 hexadecimal digits; a SHA-1 thumbprint has 40."}]}
`
	if !strings.HasPrefix(got, want) {
		t.Errorf("check output:\n%s\nwant it to start with\n%s", got, want)
	}
	for _, frag := range []string{
		`{"File":"a.ps1","Line":3,"Statement":"Assignment"}`,
		`{"File":"a.ps1","Line":3,"Command":"Get-CsCertificate"`,
		`{"File":"a.ps1","Line":3,"Command":"Where-Object","Parameters":{"FilterScript":"{$_.Thumbprint -eq $t}"}}`,
		`{"File":"a.ps1","Line":4,"Char":47,"ErrorId":"NamedParameterNotFound","Message":"A parameter cannot be found that matches parameter name 'Foo'."}`,
		`"FileData":{"Expression":"([System.IO.File]::ReadAllBytes('C:\\a.pfx'))"}`,
		`"Password":"[redacted]"`,
		`{"File":"a.ps1","Line":5,"Command":"Get-Credential","Parameters":{}}`,
		`{"File":"a.ps1","Line":6,"Statement":"If"}`,
		`{"File":"a.ps1","Line":6,"Command":"Write-Host","Parameters":{"Object":"x"}}`,
	} {
		if !strings.Contains(got, frag) {
			t.Errorf("check output lacks %s:\n%s", frag, got)
		}
	}
}

func TestCheckConvertToSecureStringNeedsForce(t *testing.T) {
	got := checkScript("f.ps1", []byte("$p = ConvertTo-SecureString -String 'abc' -AsPlainText\n"))
	want := `{"File":"f.ps1","Line":1,"Char":6,"ErrorId":"ImportSecureString_InvalidArgument","Message":"The system cannot protect plain text input.`
	if !strings.Contains(got, want) {
		t.Errorf("check output:\n%s\nlacks %s", got, want)
	}
}

func TestCheckBranchesAndLoops(t *testing.T) {
	src := `$t = 'AAAA'
if ($env:X) { $t = 'BBBB'; Set-CsCertificate -Type Default -Thumbprint $t }
Set-CsCertificate -Type Default -Thumbprint $t
$n = 'CCCC'
foreach ($s in 'a','b') { Set-CsCertificate -Type Default -Thumbprint $n; $n = 'DDDD' }
$k = 'EEEE'
Set-CsCertificate -Type Default -Thumbprint $k
`
	got := checkScript("b.ps1", []byte(src))
	for _, frag := range []string{
		`"Line":2,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":"BBBB"`,
		`"Line":3,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":{"Expression":"$t"}`,
		`"Line":5,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":{"Expression":"$n"}`,
		`"Line":7,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":"EEEE"`,
	} {
		if !strings.Contains(got, frag) {
			t.Errorf("check output lacks %s:\n%s", frag, got)
		}
	}
}

func TestProfileLacksCmdlet(t *testing.T) {
	src := []byte("Set-CsCertificate -Type Default -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567\n")
	for _, tt := range []struct {
		profile bind.Profile
		id      string
	}{
		{"exchange2010", "CommandNotFoundException"},
		{"nosuchrelease", bind.UnknownProfile},
	} {
		h := New(newRecorder(""), WithProfile(tt.profile))
		err := h.RunSource(context.Background(), "p.ps1", src)
		if rec, ok := err.(*ErrorRecord); !ok || rec.ID != tt.id {
			t.Errorf("%s: %v; want %s", tt.profile, err, tt.id)
		}
		items := CheckSource("p.ps1", src, CheckOptions{Profile: tt.profile})
		if len(items) != 1 || items[0].ErrorID != tt.id {
			t.Errorf("check %s: %+v", tt.profile, items)
		}
	}
}

func TestInvocationOrderAndFailure(t *testing.T) {
	src := []byte("Set-CsCertificate -Type Default -Thumbprint B142918E463981A76503828BB1278391B716280987B\nSet-CsCertificate -Type Internal -Thumbprint B142918E463981A76503828BB1278391B716280987B -Oops\n")
	rec := newRecorder("")
	h := New(rec)
	err := h.RunSource(context.Background(), "f.ps1", src)
	if err == nil {
		t.Fatal("want an error")
	}
	if n := strings.Count(rec.log.String(), "Set-CsCertificate ["); n != 1 {
		t.Errorf("%d invocations before the failing line; want 1", n)
	}
	r := err.(*ErrorRecord)
	if r.Line() != 2 || r.Char() != 90 || r.ID != "NamedParameterNotFound" {
		t.Errorf("error at %d:%d %s", r.Line(), r.Char(), r.ID)
	}
}

func TestWriteCheckText(t *testing.T) {
	src := "$pw = ConvertTo-SecureString -String 'Abc-123-secret' -AsPlainText -Force\n" +
		"Import-ExchangeCertificate -FileName C:\\Certs\\mail.pfx -Password $pw -Server cas2\n" +
		"Set-CsCertificate -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -Type default,internal -Roll:$false -EffectiveDate '2015-07-22T06:00:00Z' -Report $env:LOG\n" +
		"Set-CsCertificate -Identity global -Type Default -Path C:\\Certs\\mail.pfx -Password 'Abc-123-secret' x\n"
	var b bytes.Buffer
	if err := WriteCheckText(&b, CheckSource("t.ps1", []byte(src), CheckOptions{})); err != nil {
		t.Fatal(err)
	}
	want := `t.ps1:1: Assignment
t.ps1:1: ConvertTo-SecureString -String '[redacted]' -AsPlainText -Force
t.ps1:2: Import-ExchangeCertificate [FileName] -FileName 'C:\Certs\mail.pfx' -Server 'cas2' -Password '[redacted]'
t.ps1:3: Set-CsCertificate [Thumbprint] -Thumbprint '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567' -Type 'Default','Internal' -EffectiveDate '2015-07-22T06:00:00Z' -Report $env:LOG -Roll:$false
Set-CsCertificate : A positional parameter cannot be found that accepts argument 'x'.
At t.ps1:4 char:101
+ ... **********' x
+                 ~
    + CategoryInfo          : InvalidArgument: (:) [Set-CsCertificate], ParameterBindingException
    + FullyQualifiedErrorId : PositionalParameterNotFound,Set-CsCertificate

`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// failing is a Handler whose every invocation fails with err.
type failing struct{ err error }

func (failing) Handles(string) bool { return true }
func (f failing) Invoke(context.Context, *Invocation) ([]value.Value, error) {
	return nil, f.err
}

type idErr struct{}

func (idErr) Error() string   { return "the store refused it" }
func (idErr) ErrorID() string { return "certledger.StoreRefused" }

func TestHandlerErrors(t *testing.T) {
	src := []byte("Set-CsCertificate -Type Default -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567\n")
	for _, tt := range []struct {
		err    error
		id     string
		record string
	}{
		{fmt.Errorf("disk full"), "certledger.CommandFailed", "Set-CsCertificate : disk full\nAt h.ps1:1 char:1\n+ Set-CsCertificate -Type Default -Thumbprint 0A1B2C3D4E5F60718293A4B5C ...\n+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n    + CategoryInfo          : InvalidOperation: (:) [Set-CsCertificate], CertledgerException\n    + FullyQualifiedErrorId : certledger.CommandFailed,Set-CsCertificate"},
		{fmt.Errorf("wrapped: %w", idErr{}), "certledger.StoreRefused", ""},
		{&ErrorRecord{ID: "UnknownThumbprint", Message: "You can only assign certificates that have already been configured.", Category: "InvalidOperation", Reason: "InvalidOperationException"}, "UnknownThumbprint", ""},
		{context.Canceled, "PipelineStopped", ""},
	} {
		h := New(failing{tt.err})
		err := h.RunSource(context.Background(), "h.ps1", src)
		rec, ok := err.(*ErrorRecord)
		if !ok || rec.ID != tt.id || rec.Line() != 1 || rec.Char() != 1 {
			t.Errorf("%v: %v; want %s at 1:1", tt.err, err, tt.id)
			continue
		}
		if tt.record != "" && rec.Format() != tt.record {
			t.Errorf("%v: record\n%s\nwant\n%s", tt.err, rec.Format(), tt.record)
		}
	}
}

func TestWritesWaitForSuccess(t *testing.T) {
	dir := t.TempDir()
	pm := PathMap{{Windows: `C:\Logs`, Local: dir}, {Windows: `C:\Certs`, Local: "testdata/certs"}}
	ok := []byte(`"start" | Out-File C:\Logs\run.log
Add-Content -Path C:\Logs\run.log -Value "imported $((Get-Item C:\Certs\mail.pfx).Length) bytes"
Set-Content C:\Logs\other.txt 'one','two'
Start-Transcript -Path C:\Logs\t.txt
`)
	h := New(newRecorder(""), WithPathMap(pm))
	if err := h.RunSource(context.Background(), "w.ps1", ok); err != nil {
		t.Fatal(FormatError(err))
	}
	got, _ := os.ReadFile(filepath.Join(dir, "run.log"))
	if string(got) != "start\r\nimported 24 bytes\r\n" {
		t.Errorf("run.log = %q", got)
	}
	got, _ = os.ReadFile(filepath.Join(dir, "other.txt"))
	if string(got) != "one\r\ntwo\r\n" {
		t.Errorf("other.txt = %q", got)
	}
	// A script failing after its writes writes nothing.
	fail := []byte("Add-Content C:\\Logs\\fail.log 'x'\nSet-CsCertificate -Bogus\n")
	if err := New(newRecorder(""), WithPathMap(pm)).RunSource(context.Background(), "f.ps1", fail); err == nil {
		t.Fatal("want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "fail.log")); err == nil {
		t.Error("a failed script wrote its log")
	}
	// A handler's -Report waits too, and the run reads what it wrote.
	rep := []byte("Set-CsCertificate -Type Default -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -Report C:\\Logs\\r.html\n" +
		"Write-Host (Get-Content C:\\Logs\\r.html -Raw)\nthrow 'stop'\n")
	var out bytes.Buffer
	if err := New(newRecorder(""), WithPathMap(pm), WithOutput(&out)).RunSource(context.Background(), "r.ps1", rep); err == nil {
		t.Fatal("want an error")
	}
	if _, err := os.Stat(filepath.Join(dir, "r.html")); err == nil {
		t.Error("a failed script left its report")
	}
	if !strings.Contains(out.String(), "<html>report</html>") {
		t.Errorf("the run did not read its own report: %q", out.String())
	}
	// --whatif writes nothing either.
	if err := New(newRecorder(""), WithPathMap(pm), WithWhatIf(true)).RunSource(context.Background(), "w.ps1", []byte("'x' | Out-File C:\\Logs\\wi.log\n")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "wi.log")); err == nil {
		t.Error("--whatif wrote a file")
	}
}
