package certfile

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/certledger/certledger/events/certfile/certtest"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"software.sslmate.com/src/go-pkcs12"
)

// The walk adds up the count of every derivation the encoders write: the
// MAC (classic or PBMAC1) and the PBE or PBES2 encryption of key and
// certificates.
func TestPFXIterations(t *testing.T) {
	s := certtest.New(t, certtest.Options{Intermediate: true})
	for _, tc := range []struct {
		name string
		enc  *pkcs12.Encoder
		pw   string
		want int64
	}{
		{"modern", pkcs12.Modern, "pw", 3 * 2048},
		{"modern 5000", pkcs12.Modern.WithIterations(5000), "pw", 3 * 5000},
		{"modern2026 pbmac1", pkcs12.Modern2026.WithIterations(7001), "pw", 3 * 7001},
		{"legacy 3DES", pkcs12.LegacyDES, "pw", 2 * 2048}, // its MAC runs once, the DEFAULT left unwritten
		{"legacy RC2 30000", pkcs12.LegacyRC2.WithIterations(30000), "pw", 3 * 30000},
		{"passwordless", pkcs12.Passwordless, "", 0},
	} {
		if got := pfxIterations(s.MustPFX(t, tc.enc, tc.pw)); got != tc.want {
			t.Errorf("%s: pfxIterations = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// A sum past the bound, or past int64, is refused before any derivation
// runs, with the sum and the bound, and without the password.
func TestDecodeRefusesCostlyPFX(t *testing.T) {
	defer func(n int64) { maxIterations = n }(maxIterations)
	maxIterations = 3 * 4096
	s := certtest.New(t, certtest.Options{})
	const pw = "Canary-P4ssw0rd-7d1e9c"

	if _, err := Decode("ok.pfx", s.MustPFX(t, pkcs12.Modern.WithIterations(4096), pw), pw); err != nil {
		t.Fatalf("a file at the bound: %v", err)
	}
	_, err := Decode("costly.pfx", s.MustPFX(t, pkcs12.Modern.WithIterations(4097), pw), pw)
	want := "costly.pfx: PKCS#12 file: the file uses a feature certledger cannot read (it asks for 12291 key-derivation iterations in all; certledger allows at most 12288)"
	if !errors.Is(err, ErrUnsupported) || err.Error() != want || strings.Contains(err.Error(), pw) {
		t.Fatalf("Decode = %v\nwant %s", err, want)
	}

	// PFX { version 3, authSafe, MacData { DigestInfo, salt, 2^70 } }
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(3)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {})
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {})
			b.AddASN1OctetString([]byte("salt"))
			b.AddASN1BigInt(new(big.Int).Lsh(big.NewInt(1), 70))
		})
	})
	huge := b.BytesOrPanic()
	if got := pfxIterations(huge); got != -1 {
		t.Fatalf("pfxIterations(2^70) = %d, want -1", got)
	}
	_, err = Decode("huge.pfx", huge, pw)
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "more than fit a 64-bit number") {
		t.Fatalf("Decode(2^70 iterations) = %v", err)
	}
}
