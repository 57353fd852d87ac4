package bind

import (
	"testing"
)

// benchLines is a mix of what scripts hold: literal and variable values,
// enum lists, dates, switches, splat-like colon forms, and a few errors.
var benchLines = []string{
	`Set-CsCertificate -Type Default, WebServicesInternal, WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`,
	`Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveDate "7/22/2015 6:00:00 AM"`,
	`Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x -Confirm:$false`,
	`Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path c:\certificates\ExportedCert.pfx -Encoding byte -ReadCount 0)) -Password:(Get-Credential).password`,
	`Enable-ExchangeCertificate -Thumbprint $thumbprint -Services POP,IMAP,IIS,SMTP -Force -EA Stop`,
	`Get-CsCertificate -Type WebServicesInternal`,
	`Remove-CsCertificate -Type OAuthTokenIssuer -Previous`,
	`Set-CsCertificate -T Default -Thumbprint AB`,
	`Set-CsCertificate -Foo bar`,
	`Set-CsCertificate -Type Web -Thumbprint AB`,
}

// BenchmarkBind reports statements bound per second over benchLines (the
// Args are built once: this measures the binder, not the test reader).
func BenchmarkBind(b *testing.B) {
	type stmt struct {
		c    *Cmdlet
		args []Arg
		opts Options
	}
	var stmts []stmt
	for _, src := range benchLines {
		cl := line(b, src)
		c, ok := Lookup(cl.name, "")
		if !ok {
			b.Fatal(cl.name)
		}
		stmts = append(stmts, stmt{c, cl.args, Options{Command: cl.ext}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for _, s := range stmts {
			_, _ = Bind(s.c, s.args, s.opts)
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "stmts/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/stmt")
}
