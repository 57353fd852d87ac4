package certfile_test

import (
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/events/certfile/certtest"
	"software.sslmate.com/src/go-pkcs12"
)

var updateSeeds = flag.Bool("update-seeds", false, "rewrite testdata/fuzz/FuzzDecode from fresh certtest material")

// fuzzPassword protects the PFX seeds; FuzzDecode passes it or nothing.
const fuzzPassword = "fuzz-canary-5f3b0e"

var hex40 = regexp.MustCompile(`^[0-9A-F]{40}$`)

// FuzzDecode feeds Decode arbitrary bytes, with and without the seeds'
// password. It must never panic (the recover guard re-panics under test),
// and every failure must be a *certfile.Error naming the file without the
// password.
func FuzzDecode(f *testing.F) {
	if *updateSeeds {
		writeSeeds(f)
	}
	certfile.RepanicForTest()
	f.Fuzz(func(t *testing.T, data []byte, withPassword bool) {
		password := ""
		if withPassword {
			password = fuzzPassword
		}
		file, err := certfile.Decode("fuzz.pfx", data, password)
		if err != nil {
			var ce *certfile.Error
			if !errors.As(err, &ce) || ce.Kind == nil {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "fuzz.pfx: ") || strings.Contains(msg, fuzzPassword) {
				t.Fatalf("bad message %q", msg)
			}
			return
		}
		if !hex40.MatchString(file.Leaf.Thumbprint) {
			t.Fatalf("thumbprint %q", file.Leaf.Thumbprint)
		}
		if file.HasPrivateKey && file.Format != certfile.FormatPFX {
			t.Fatalf("a key in a %s file", file.Format)
		}
		for _, c := range file.Chain {
			if c.Thumbprint == file.Leaf.Thumbprint {
				t.Fatalf("leaf repeated in chain")
			}
		}
		if s := fmt.Sprintf("%#v", file); strings.Contains(s, fuzzPassword) {
			t.Fatalf("decoded file holds the password")
		}
	})
}

// writeSeeds regenerates the committed seed corpus: small real files made
// with fresh, throw-away ECDSA keys (test-only; safe to commit).
func writeSeeds(f *testing.F) {
	s, err := certtest.Generate(certtest.Options{})
	if err != nil {
		f.Fatal(err)
	}
	chain, err := certtest.Generate(certtest.Options{Intermediate: true})
	if err != nil {
		f.Fatal(err)
	}
	pfx := func(enc *pkcs12.Encoder, pw string) []byte {
		b, err := s.PFX(enc, pw)
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	p7b, err := chain.P7B()
	if err != nil {
		f.Fatal(err)
	}
	p7bPEM, err := s.P7BPEM()
	if err != nil {
		f.Fatal(err)
	}
	empty, err := certtest.EmptyPFX(pkcs12.Modern, fuzzPassword)
	if err != nil {
		f.Fatal(err)
	}
	modern := pfx(pkcs12.Modern, fuzzPassword)
	seeds := []struct {
		name         string
		data         []byte
		withPassword bool
	}{
		{"test-only-key-pfx-modern", modern, true},
		{"test-only-key-pfx-modern2026", pfx(pkcs12.Modern2026, fuzzPassword), true},
		{"test-only-key-pfx-legacy-des", pfx(pkcs12.LegacyDES, fuzzPassword), true},
		{"test-only-key-pfx-legacy-rc2", pfx(pkcs12.LegacyRC2, fuzzPassword), true},
		{"test-only-key-pfx-empty-password", pfx(pkcs12.Modern, ""), false},
		{"test-only-key-pfx-passwordless", pfx(pkcs12.Passwordless, ""), false},
		{"test-only-key-pfx-base64", []byte(base64.StdEncoding.EncodeToString(modern)), true},
		{"test-only-key-pfx-truncated", modern[:len(modern)/2], true},
		{"pfx-no-certificate", empty, true},
		{"p7b-der-chain", p7b, false},
		{"p7b-pem", p7bPEM, false},
		{"cer-der", s.DER(), false},
		{"pem-chain", chain.PEM(), false},
		{"empty", nil, false},
		{"text", []byte("not a certificate\n"), false},
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzDecode")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		f.Fatal(err)
	}
	for _, seed := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\nbool(%v)\n", seed.data, seed.withPassword)
		if err := os.WriteFile(filepath.Join(dir, seed.name), []byte(body), 0o644); err != nil {
			f.Fatal(err)
		}
	}
}
