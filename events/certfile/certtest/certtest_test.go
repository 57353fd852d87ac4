package certtest_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"math/big"
	"testing"
	"time"

	"github.com/certledger/certledger/events/certfile/certtest"
	"github.com/smallstep/pkcs7"
	"software.sslmate.com/src/go-pkcs12"
)

func TestGenerateChainVerifies(t *testing.T) {
	for _, kt := range []certtest.KeyType{certtest.ECDSAP256, certtest.RSA2048} {
		s := certtest.New(t, certtest.Options{Intermediate: true, KeyType: kt})
		roots, inters := x509.NewCertPool(), x509.NewCertPool()
		roots.AddCert(s.Root)
		inters.AddCert(s.Intermediate)
		if _, err := s.Leaf.Verify(x509.VerifyOptions{
			DNSName: "autodiscover.contoso.com", Roots: roots, Intermediates: inters,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}); err != nil {
			t.Errorf("key type %d: leaf does not verify: %v", kt, err)
		}
	}
}

func TestDeterministicIsStable(t *testing.T) {
	a := certtest.New(t, certtest.Options{Deterministic: true, Intermediate: true})
	b := certtest.New(t, certtest.Options{Deterministic: true, Intermediate: true})
	// Pinned: the example scripts and docs quote this thumbprint.
	if got, want := a.Thumbprint(), "89CDB51D72C9D21FA87FBF216025DC2479BB4869"; got != want {
		t.Errorf("deterministic thumbprint = %s, want %s", got, want)
	}
	if !bytes.Equal(a.MustPFX(t, pkcs12.Modern, "pw"), b.MustPFX(t, pkcs12.Modern, "pw")) {
		t.Error("deterministic PFX bytes differ between runs")
	}
	if !a.Leaf.NotAfter.Equal(certtest.DeterministicNotAfter) {
		t.Errorf("NotAfter = %v", a.Leaf.NotAfter)
	}
	fresh := certtest.New(t, certtest.Options{})
	if fresh.Thumbprint() == certtest.New(t, certtest.Options{}).Thumbprint() {
		t.Error("fresh sets share a thumbprint")
	}
}

func TestOptions(t *testing.T) {
	nb := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	na := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	s := certtest.New(t, certtest.Options{
		CommonName: "sip.fabrikam.com", DNSNames: []string{"sip.fabrikam.com"}, Organization: "Fabrikam",
		Country: "DE", CACommonName: "Fabrikam CA", NotBefore: nb, NotAfter: na, Serial: big.NewInt(42),
	})
	l := s.Leaf
	if l.Subject.CommonName != "sip.fabrikam.com" || l.Subject.Organization[0] != "Fabrikam" || l.Subject.Country[0] != "DE" ||
		l.Issuer.CommonName != "Fabrikam CA" || !l.NotBefore.Equal(nb) || !l.NotAfter.Equal(na) || l.SerialNumber.Int64() != 42 ||
		len(l.DNSNames) != 1 {
		t.Errorf("leaf = %+v", l)
	}
	// An expired leaf still sits inside its CA's window.
	if s.Root.NotBefore.After(nb) {
		t.Errorf("root NotBefore %v after leaf's %v", s.Root.NotBefore, nb)
	}
}

func TestEncodings(t *testing.T) {
	s := certtest.New(t, certtest.Options{Intermediate: true})
	for name, enc := range map[string]*pkcs12.Encoder{"modern": pkcs12.Modern, "legacy-des": pkcs12.LegacyDES, "legacy-rc2": pkcs12.LegacyRC2} {
		key, leaf, cas, err := pkcs12.DecodeChain(s.MustPFX(t, enc, "pw"), "pw")
		if err != nil || !leaf.Equal(s.Leaf) || len(cas) != 2 || key == nil {
			t.Errorf("%s: DecodeChain: %v", name, err)
		}
	}
	p7, err := pkcs7.Parse(s.MustP7B(t))
	if err != nil || len(p7.Certificates) != 3 || !p7.Certificates[0].Equal(s.Leaf) {
		t.Errorf("P7B: %v", err)
	}
	block, _ := pem.Decode(s.MustP7BPEM(t))
	if block == nil || block.Type != "PKCS7" || !bytes.Contains(s.MustP7BPEM(t), []byte("\r\n")) {
		t.Errorf("P7BPEM: %v", block)
	}
	if c, err := x509.ParseCertificate(s.DER()); err != nil || !c.Equal(s.Leaf) {
		t.Errorf("DER: %v", err)
	}
	if n := bytes.Count(s.PEM(), []byte("BEGIN CERTIFICATE")); n != 3 {
		t.Errorf("PEM has %d certificates", n)
	}
	if _, err := s.PFX(nil, ""); err == nil {
		t.Error("PFX(nil) succeeded")
	}
	empty, err := certtest.EmptyPFX(pkcs12.Modern, "pw")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := pkcs12.DecodeChain(empty, "pw"); err == nil {
		t.Error("EmptyPFX holds a certificate")
	}
}
