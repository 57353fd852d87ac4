package certfile_test

import (
	"testing"

	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/events/certfile/certtest"
	"software.sslmate.com/src/go-pkcs12"
)

// BenchmarkDecode measures Decode on the deterministic RSA-2048 example set
// (leaf, intermediate, root), the shape of a real Exchange certificate.
// PFX cost is dominated by the key derivations (2048 iterations each for
// the MAC, the certificate bag and the key bag).
func BenchmarkDecode(b *testing.B) {
	s := certtest.New(b, certtest.Options{Deterministic: true, Intermediate: true})
	files := []struct {
		name     string
		data     []byte
		password string
	}{
		{"pfx-modern", s.MustPFX(b, pkcs12.Modern, canary), canary},
		{"pfx-legacy-des", s.MustPFX(b, pkcs12.LegacyDES, canary), canary},
		{"pfx-legacy-rc2", s.MustPFX(b, pkcs12.LegacyRC2, canary), canary},
		{"p7b", s.MustP7B(b), ""},
		{"pem-chain", s.PEM(), ""},
		{"cer", s.DER(), ""},
	}
	for _, f := range files {
		b.Run(f.name, func(b *testing.B) {
			b.SetBytes(int64(len(f.data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := certfile.Decode(f.name, f.data, f.password); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
