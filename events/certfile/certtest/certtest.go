// Package certtest makes real certificate files for tests and examples: a CA
// (optionally with an intermediate) and a leaf signed by it, encoded the ways
// administrators hand them to Import-ExchangeCertificate and Set-CsCertificate
// (.pfx in the modern and legacy PKCS#12 encryptions, .p7b in DER and PEM,
// DER .cer, PEM).
//
// Everything is built at run time with Go's crypto and go-pkcs12, so tests
// exercise the same code paths as real files. Every constructor has an
// error-returning form (Generate) for commands such as mkcerts and a
// testing.TB form (New) for tests.
//
// # Determinism
//
// Go's crypto ignores caller-supplied randomness for key generation and
// ECDSA signatures, so seeded keys are impossible. Options.Deterministic
// instead uses RSA-2048 keys embedded in this package (public, test-only:
// see testkeys/README.md), fixed serial numbers and a fixed validity window.
// RSA PKCS #1 v1.5 signatures are deterministic, so the certificates — and
// their thumbprints — are byte-for-byte the same on every run; PFX salts and
// IVs come from a fixed ChaCha8 stream, so the PFX bytes are stable too.
// "Every run" assumes one Go release: crypto/x509 may encode differently in
// another, so a test pins the thumbprint to make such a change visible.
// Without Deterministic, keys are fresh (ECDSA P-256 by default: fast) and
// every run differs.
package certtest

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"embed"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
	"software.sslmate.com/src/go-pkcs12"
)

// KeyType selects the key algorithm of freshly generated keys.
type KeyType int

const (
	// ECDSAP256 is the default for fresh keys: generation takes microseconds.
	ECDSAP256 KeyType = iota
	// RSA2048 is what most Exchange and Lync certificates use; generation
	// takes tens to hundreds of milliseconds per key.
	RSA2048
)

// Options describe the certificates to make. The zero value is usable.
type Options struct {
	CommonName     string   // leaf CN; default "mail.contoso.com"
	DNSNames       []string // leaf SAN DNS names; default CommonName and "autodiscover.contoso.com"
	IPAddresses    []net.IP
	EmailAddresses []string
	Organization   string // leaf and CA O; default "Contoso"
	Country        string // leaf and CA C; default "US"
	CACommonName   string // root CN; default "Contoso Test Root CA"
	Intermediate   bool   // put an intermediate CA between root and leaf
	// IntermediateCommonName is the intermediate's CN; default
	// "Contoso Test Issuing CA".
	IntermediateCommonName string

	// NotBefore and NotAfter bound the leaf's validity; zero means one hour
	// ago and 90 days from now (Deterministic: 2025-01-01 to 2045-01-01 UTC).
	NotBefore, NotAfter time.Time
	// Serial is the leaf's serial number; nil means a random 16-byte one
	// (Deterministic: a fixed one).
	Serial *big.Int

	KeyType       KeyType // fresh keys only; Deterministic always uses RSA-2048
	Deterministic bool
}

// DefaultCommonName and the other defaults are what an empty Options makes.
const (
	DefaultCommonName   = "mail.contoso.com"
	DefaultCACommonName = "Contoso Test Root CA"
	DefaultIntermediate = "Contoso Test Issuing CA"
	DefaultOrganization = "Contoso"
	DefaultCountry      = "US"
)

// The fixed validity window of deterministic sets.
var (
	DeterministicNotBefore = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	DeterministicNotAfter  = time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)
)

// Set is a generated CA chain and leaf, with the keys that made them.
type Set struct {
	Leaf         *x509.Certificate
	LeafKey      crypto.Signer
	Intermediate *x509.Certificate // nil unless Options.Intermediate
	Root         *x509.Certificate
	RootKey      crypto.Signer

	deterministic bool
}

//go:embed testkeys/*.pem
var testKeys embed.FS

// New is Generate for tests: it stops the test on error.
func New(t testing.TB, opts Options) *Set {
	t.Helper()
	s, err := Generate(opts)
	if err != nil {
		t.Fatalf("certtest: %v", err)
	}
	return s
}

// Generate makes a root CA, an optional intermediate, and a leaf.
func Generate(opts Options) (*Set, error) {
	if opts.CommonName == "" {
		opts.CommonName = DefaultCommonName
	}
	if opts.DNSNames == nil {
		opts.DNSNames = []string{opts.CommonName, "autodiscover.contoso.com"}
	}
	if opts.Organization == "" {
		opts.Organization = DefaultOrganization
	}
	if opts.Country == "" {
		opts.Country = DefaultCountry
	}
	if opts.CACommonName == "" {
		opts.CACommonName = DefaultCACommonName
	}
	if opts.IntermediateCommonName == "" {
		opts.IntermediateCommonName = DefaultIntermediate
	}
	now := time.Now().UTC().Truncate(time.Second)
	caNotBefore, caNotAfter := now.Add(-24*time.Hour), now.AddDate(10, 0, 0)
	if opts.Deterministic {
		caNotBefore, caNotAfter = DeterministicNotBefore, DeterministicNotAfter
	}
	if opts.NotBefore.IsZero() {
		opts.NotBefore = now.Add(-time.Hour)
		if opts.Deterministic {
			opts.NotBefore = DeterministicNotBefore
		}
	}
	if opts.NotAfter.IsZero() {
		opts.NotAfter = now.AddDate(0, 0, 90)
		if opts.Deterministic {
			opts.NotAfter = DeterministicNotAfter
		}
	}
	// A CA must cover its leaf's window or strict verifiers reject the leaf.
	if opts.NotBefore.Before(caNotBefore) {
		caNotBefore = opts.NotBefore
	}
	if opts.NotAfter.After(caNotAfter) {
		caNotAfter = opts.NotAfter
	}

	key := func(name string) (crypto.Signer, error) {
		if opts.Deterministic {
			return embeddedKey(name)
		}
		return freshKey(opts.KeyType)
	}
	serial := func(fixed int64) (*big.Int, error) {
		if opts.Deterministic {
			return big.NewInt(fixed), nil
		}
		return randomSerial()
	}

	s := &Set{deterministic: opts.Deterministic}
	var err error
	if s.RootKey, err = key("root"); err != nil {
		return nil, err
	}
	rootSerial, err := serial(0x1001)
	if err != nil {
		return nil, err
	}
	rootTmpl := &x509.Certificate{
		SerialNumber:          rootSerial,
		Subject:               pkix.Name{CommonName: opts.CACommonName, Organization: []string{opts.Organization}, Country: []string{opts.Country}},
		NotBefore:             caNotBefore,
		NotAfter:              caNotAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
		SubjectKeyId:          keyID(s.RootKey.Public()),
	}
	if s.Root, err = sign(rootTmpl, rootTmpl, s.RootKey.Public(), s.RootKey); err != nil {
		return nil, fmt.Errorf("root CA: %w", err)
	}

	issuer, issuerKey := s.Root, s.RootKey
	if opts.Intermediate {
		ik, err := key("intermediate")
		if err != nil {
			return nil, err
		}
		is, err := serial(0x2002)
		if err != nil {
			return nil, err
		}
		tmpl := &x509.Certificate{
			SerialNumber:          is,
			Subject:               pkix.Name{CommonName: opts.IntermediateCommonName, Organization: []string{opts.Organization}, Country: []string{opts.Country}},
			NotBefore:             caNotBefore,
			NotAfter:              caNotAfter,
			KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
			BasicConstraintsValid: true,
			IsCA:                  true,
			MaxPathLenZero:        true,
			SubjectKeyId:          keyID(ik.Public()),
		}
		if s.Intermediate, err = sign(tmpl, s.Root, ik.Public(), s.RootKey); err != nil {
			return nil, fmt.Errorf("intermediate CA: %w", err)
		}
		issuer, issuerKey = s.Intermediate, ik
	}

	if s.LeafKey, err = key("leaf"); err != nil {
		return nil, err
	}
	ls := opts.Serial
	if ls == nil {
		// The high bit is set on purpose: Windows then prints a leading 00.
		if ls, err = serial(0x8A3F00C0FFEE); err != nil {
			return nil, err
		}
	}
	leafTmpl := &x509.Certificate{
		SerialNumber:          ls,
		Subject:               pkix.Name{CommonName: opts.CommonName, Organization: []string{opts.Organization}, Country: []string{opts.Country}},
		NotBefore:             opts.NotBefore,
		NotAfter:              opts.NotAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		DNSNames:              opts.DNSNames,
		IPAddresses:           opts.IPAddresses,
		EmailAddresses:        opts.EmailAddresses,
		SubjectKeyId:          keyID(s.LeafKey.Public()),
	}
	if s.Leaf, err = sign(leafTmpl, issuer, s.LeafKey.Public(), issuerKey); err != nil {
		return nil, fmt.Errorf("leaf: %w", err)
	}
	return s, nil
}

// Chain is the leaf's issuers, nearest first, ending with the root.
func (s *Set) Chain() []*x509.Certificate {
	if s.Intermediate != nil {
		return []*x509.Certificate{s.Intermediate, s.Root}
	}
	return []*x509.Certificate{s.Root}
}

// Thumbprint is the leaf's thumbprint as Windows prints it.
func (s *Set) Thumbprint() string { return fmt.Sprintf("%X", sha1.Sum(s.Leaf.Raw)) }

// PFX encodes the leaf, its key and its chain as PKCS#12 with enc, e.g.
// pkcs12.Modern (AES-256/PBKDF2), pkcs12.LegacyDES, pkcs12.LegacyRC2, or
// pkcs12.Passwordless (password must then be empty).
func (s *Set) PFX(enc *pkcs12.Encoder, password string) ([]byte, error) {
	if enc == nil {
		return nil, errors.New("certtest: nil PKCS#12 encoder")
	}
	if s.deterministic {
		enc = enc.WithRand(fixedRand())
	}
	return enc.Encode(s.LeafKey, s.Leaf, s.Chain(), password)
}

// MustPFX is PFX for tests.
func (s *Set) MustPFX(t testing.TB, enc *pkcs12.Encoder, password string) []byte {
	t.Helper()
	b, err := s.PFX(enc, password)
	if err != nil {
		t.Fatalf("certtest: PFX: %v", err)
	}
	return b
}

// P7B encodes the leaf and its chain as a DER certs-only PKCS#7, the form
// a CA returns for a request.
func (s *Set) P7B() ([]byte, error) {
	var all []byte
	for _, c := range append([]*x509.Certificate{s.Leaf}, s.Chain()...) {
		all = append(all, c.Raw...)
	}
	return pkcs7.DegenerateCertificate(all)
}

// P7BPEM is P7B armoured as "-----BEGIN PKCS7-----", with CRLF line ends
// as Windows' certificate export writes them.
func (s *Set) P7BPEM() ([]byte, error) {
	der, err := s.P7B()
	if err != nil {
		return nil, err
	}
	return crlf(pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: der})), nil
}

// DER is the leaf alone, as a binary .cer.
func (s *Set) DER() []byte { return bytes.Clone(s.Leaf.Raw) }

// PEM is the leaf followed by its chain, each as "-----BEGIN CERTIFICATE-----".
func (s *Set) PEM() []byte {
	var b bytes.Buffer
	for _, c := range append([]*x509.Certificate{s.Leaf}, s.Chain()...) {
		pem.Encode(&b, &pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
	}
	return b.Bytes()
}

// LeafPEM is the leaf alone as PEM, a typical .crt.
func (s *Set) LeafPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.Leaf.Raw})
}

// EmptyPFX is a well-formed PKCS#12 file that holds no certificate and no
// key, protected by password.
func EmptyPFX(enc *pkcs12.Encoder, password string) ([]byte, error) {
	if enc == nil {
		return nil, errors.New("certtest: nil PKCS#12 encoder")
	}
	return enc.EncodeTrustStoreEntries(nil, password)
}

func sign(tmpl, parent *x509.Certificate, pub crypto.PublicKey, priv crypto.Signer) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

// keyID is a SHA-1 of the public key, set explicitly so that leaves carry a
// subject key identifier too (Go fills one in only for CAs), as CA-issued
// certificates do.
func keyID(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	sum := sha1.Sum(der)
	return sum[:]
}

func freshKey(kt KeyType) (crypto.Signer, error) {
	switch kt {
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	default:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
}

func embeddedKey(name string) (crypto.Signer, error) {
	b, err := testKeys.ReadFile("testkeys/" + name + ".pem")
	if err != nil {
		return nil, fmt.Errorf("certtest: embedded key %s: %w", name, err)
	}
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, fmt.Errorf("certtest: embedded key %s: no PEM block", name)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("certtest: embedded key %s: %w", name, err)
	}
	signer, ok := k.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("certtest: embedded key %s is a %T", name, k)
	}
	return signer, nil
}

func randomSerial() (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		return nil, err
	}
	b[0] &= 0x7f // positive
	b[0] |= 0x01 // and never shorter than 16 bytes
	return new(big.Int).SetBytes(b), nil
}

// fixedRand is the salt and IV source of deterministic PFX files. It only
// feeds go-pkcs12's salts and IVs, never a key.
func fixedRand() io.Reader {
	return mrand.NewChaCha8([32]byte([]byte("certledger certtest fixed stream")))
}

func crlf(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\n"), []byte("\r\n")) }

// MustP7B is P7B for tests.
func (s *Set) MustP7B(t testing.TB) []byte {
	t.Helper()
	b, err := s.P7B()
	if err != nil {
		t.Fatalf("certtest: P7B: %v", err)
	}
	return b
}

// MustP7BPEM is P7BPEM for tests.
func (s *Set) MustP7BPEM(t testing.TB) []byte {
	t.Helper()
	b, err := s.P7BPEM()
	if err != nil {
		t.Fatalf("certtest: P7BPEM: %v", err)
	}
	return b
}
