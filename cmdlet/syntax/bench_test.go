package syntax

import (
	"fmt"
	"math/rand"
	"os"
	"strings"
	"testing"
)

// benchScript generates a realistic script of about size bytes in the
// styles of the field: Set-CsCertificate lines, Exchange imports with
// sub-expressions, splatting, loops, backtick continuations, comments.
func benchScript(size int, seed int64) []byte {
	rnd := rand.New(rand.NewSource(seed))
	types := []string{"Default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer", "Internal", "External", "AudioVideoAuthentication"}
	servers := []string{"EX01", "EX02", "mail01.contoso.com", "CAS03"}
	thumb := func() string {
		const hex = "0123456789ABCDEF"
		b := make([]byte, 40)
		for i := range b {
			b[i] = hex[rnd.Intn(16)]
		}
		return string(b)
	}
	pick := func(s []string) string { return s[rnd.Intn(len(s))] }
	var b strings.Builder
	for b.Len() < size {
		switch rnd.Intn(10) {
		case 0:
			fmt.Fprintf(&b, "Set-CsCertificate -Type %s, %s -Thumbprint \"%s\" -Confirm:$false\n", pick(types), pick(types), thumb())
		case 1:
			fmt.Fprintf(&b, "Set-CsCertificate \u2013Type %s -Thumbprint %s -Roll -EffectiveDate \"7/22/2015 6:00:00 AM\"  # staged\n", pick(types), thumb())
		case 2:
			fmt.Fprintf(&b, "Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path \"C:\\Certs\\%s.pfx\" -Encoding Byte -ReadCount 0)) -Password:(ConvertTo-SecureString 'P@ssw0rd' -AsPlainText -Force) -Server %s | Enable-ExchangeCertificate -Services IIS,SMTP -Force\n", pick(servers), pick(servers))
		case 3:
			fmt.Fprintf(&b, "Import-ExchangeCertificate `\n    -FileName \\\\FileServer01\\Data\\%s.pfx `\n    -Password (Get-Credential).password `\n    -PrivateKeyExportable $true\n", pick(servers))
		case 4:
			fmt.Fprintf(&b, "$params = @{\n    Thumbprint = '%s'\n    Services = 'IIS', 'SMTP'\n    Force = $true\n}\nEnable-ExchangeCertificate @params\n", thumb())
		case 5:
			fmt.Fprintf(&b, "foreach ($Server in $TargetServer) {\n    Import-ExchangeCertificate -FileData $cert.FileData -Password $password -Server $Server\n    Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services \"SMTP, IMAP\" -Server $Server -Confirm:$false -Force\n}\n")
		case 6:
			fmt.Fprintf(&b, "$x = (Get-CsCertificate -Type %s).Thumbprint\nGet-CsCertificate | Where-Object {$_.Use -eq \"%s\" -and $_.NotAfter -gt (Get-Date).AddDays(30)} | Select-Object Thumbprint\n", pick(types), pick(types))
		case 7:
			fmt.Fprintf(&b, "# Assign the new certificate (%s) to all services\n<# block\n   comment #>\n", pick(servers))
		case 8:
			fmt.Fprintf(&b, "if ($cert.Thumbprint -ne '%s') { Write-Warning \"Mismatch on $env:COMPUTERNAME: $($cert.Subject)\" } else { Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x }\n", thumb())
		case 9:
			fmt.Fprintf(&b, "try { Set-CsCertificate -type $CertType -thumbprint $Thumbprint -Report C:\\Logs\\Certificates.html } catch { Write-Error $_ }\n")
		}
	}
	return []byte(b.String())
}

func benchParse(b *testing.B, src []byte) {
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseFile("bench.ps1", src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParse parses a generated ~4 MB script; ns/op and MB/s are the
// figures recorded in docs/benchmarks.md.
func BenchmarkParse(b *testing.B) {
	benchParse(b, benchScript(4<<20, 7))
}

// BenchmarkParseFile parses the file named by PS_BENCH_FILE, e.g. the output
// of ../shared/tools/tsparse/gen.py, to compare with tree-sitter on the same
// bytes (see docs/benchmarks.md).
func BenchmarkParseFile(b *testing.B) {
	path := os.Getenv("PS_BENCH_FILE")
	if path == "" {
		b.Skip("PS_BENCH_FILE not set")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	benchParse(b, src)
}
