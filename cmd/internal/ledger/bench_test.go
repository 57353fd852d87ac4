package ledger

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkRun measures a whole run from script text to committed events:
// parse, evaluate, bind, validate against the caught-up model, and one
// atomic append to the embedded store (fsync before the ack). Each
// iteration commits a script of n Set-CsCertificate lines over 50
// identities; the log grows as it would in use.
func BenchmarkRun(b *testing.B) {
	for _, n := range []int{1, 100, 1000} {
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			var src strings.Builder
			for i := range n {
				fmt.Fprintf(&src, "Set-CsCertificate -Identity fe%02d.contoso.com -Type Default, WebServicesInternal -Thumbprint %040X\n", i%50, i)
			}
			st := openStoreTB(b)
			r := newRun(st, b.TempDir(), nil)
			ctx := context.Background()
			b.SetBytes(int64(src.Len()))
			b.ResetTimer()
			for range b.N {
				if _, err := r.Execute(ctx, Script{Name: "bench.ps1", Audit: "bench.ps1", Src: []byte(src.String())}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "statements/s")
		})
	}
}
