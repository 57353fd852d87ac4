package certfile_test

import (
	"crypto/x509"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/events/certfile/certtest"
)

// TestOpenSSLFiles reads files written by a second, independent PKCS#12 and
// PKCS#7 implementation (the openssl command), in the layouts other tools
// produce: bag attributes, the chain before or after the leaf, the
// password-less form. Skipped where openssl is not installed.
func TestOpenSSLFiles(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("openssl not installed")
	}
	s := certtest.New(t, certtest.Options{Intermediate: true})
	dir := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(s.LeafKey)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	leaf := write("leaf.pem", s.LeafPEM())
	key := write("leaf.key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	var chainPEM []byte
	for _, c := range s.Chain() {
		chainPEM = append(chainPEM, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	chain := write("chain.pem", chainPEM)
	chainThenLeaf := write("all.pem", append(chainPEM, s.LeafPEM()...))

	tests := []struct {
		name     string
		args     []string
		password string
		format   string
		key      bool
	}{
		{"pfx default (AES)", []string{"pkcs12", "-export", "-in", leaf, "-inkey", key, "-certfile", chain, "-name", "Contoso mail", "-passout", "pass:" + canary}, canary, certfile.FormatPFX, true},
		{"pfx 3DES SHA-1 MAC", []string{"pkcs12", "-export", "-in", leaf, "-inkey", key, "-certfile", chain, "-certpbe", "PBE-SHA1-3DES", "-keypbe", "PBE-SHA1-3DES", "-macalg", "sha1", "-passout", "pass:" + canary}, canary, certfile.FormatPFX, true},
		{"pfx from chain-then-leaf input", []string{"pkcs12", "-export", "-in", chainThenLeaf, "-inkey", key, "-passout", "pass:" + canary}, canary, certfile.FormatPFX, true},
		{"pfx empty password", []string{"pkcs12", "-export", "-in", leaf, "-inkey", key, "-certfile", chain, "-passout", "pass:"}, "", certfile.FormatPFX, true},
		{"pfx no encryption no MAC", []string{"pkcs12", "-export", "-in", leaf, "-inkey", key, "-certfile", chain, "-keypbe", "NONE", "-certpbe", "NONE", "-nomac", "-passout", "pass:"}, "", certfile.FormatPFX, true},
		{"p7b DER", []string{"crl2pkcs7", "-nocrl", "-certfile", leaf, "-certfile", chain, "-outform", "DER"}, "", certfile.FormatPKCS7, false},
		{"p7b PEM", []string{"crl2pkcs7", "-nocrl", "-certfile", chain, "-certfile", leaf}, "", certfile.FormatPKCS7, false},
		{"cer DER", []string{"x509", "-in", leaf, "-outform", "DER"}, "", certfile.FormatCert, false},
	}
	t.Run("certificate-only pfx", func(t *testing.T) {
		out := filepath.Join(dir, "certonly.pfx")
		if b, err := exec.Command(openssl, "pkcs12", "-export", "-nokeys", "-in", leaf, "-passout", "pass:"+canary, "-out", out).CombinedOutput(); err != nil {
			t.Skipf("this openssl cannot: %v\n%s", err, b)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		// go-pkcs12 reads certificate-only files only as trust stores: a
		// known limit, reported as such rather than as corruption.
		if _, err := certfile.Decode("certonly.pfx", data, canary); !errors.Is(err, certfile.ErrUnsupported) {
			t.Errorf("Decode: %v, want ErrUnsupported", err)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, "out")
			cmd := exec.Command(openssl, append(tt.args, "-out", out)...)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Skipf("this openssl cannot: %v\n%s", err, b)
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			f, err := certfile.Decode("openssl.out", data, tt.password)
			if err != nil {
				t.Fatal(err)
			}
			if f.Format != tt.format || f.HasPrivateKey != tt.key {
				t.Errorf("Format, HasPrivateKey = %s, %v", f.Format, f.HasPrivateKey)
			}
			checkCert(t, f.Leaf, s.Leaf)
			if len(f.Chain) != 2 {
				if tt.format != certfile.FormatCert {
					t.Fatalf("chain has %d certificates", len(f.Chain))
				}
				return
			}
			for i, c := range s.Chain() {
				checkCert(t, f.Chain[i], c)
			}
			if tt.password != "" {
				if _, err := certfile.Decode("openssl.out", data, "wrong"); err == nil {
					t.Error("opens with a wrong password")
				}
			}
		})
	}
}
