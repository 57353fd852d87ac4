package certfile_test

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	mrand "math/rand/v2"
	"net"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/events/certfile/certtest"
	"github.com/smallstep/pkcs7"
	"software.sslmate.com/src/go-pkcs12"
)

// TestMain turns off Decode's recover guard so that every test, not only
// the fuzz target, fails loudly on a panic.
func TestMain(m *testing.M) {
	certfile.RepanicForTest()
	os.Exit(m.Run())
}

// canary is the password of every protected test file. The tests assert it
// never reaches an error message or a decoded value.
const canary = "Canary-P4ssw0rd-7d1e9c"

// thumbprint is computed here independently of certfile.
func thumbprint(c *x509.Certificate) string {
	sum := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(sum[:]))
}

// serialAsWindows derives the expected serial from big.Int arithmetic rather
// than from a DER encoding, so the test does not mirror the implementation.
func serialAsWindows(n *big.Int) string {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return fmt.Sprintf("%X", b)
}

func mustBytes(t *testing.T, b []byte, err error) []byte {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func armour(label string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: label, Bytes: der})
}

// oneLine joins a PEM file's lines, as a paste into a one-line field does.
func oneLine(b []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r"), nil), []byte("\n"), nil)
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func TestDecodeFormats(t *testing.T) {
	simple := certtest.New(t, certtest.Options{})
	inter := certtest.New(t, certtest.Options{Intermediate: true})
	rsaSet := certtest.New(t, certtest.Options{Deterministic: true, Intermediate: true})

	leafFirstNot := func(s *certtest.Set) []byte {
		// Root first, leaf last: the leaf must still be found by its key.
		b, err := pkcs12.Modern.Encode(s.LeafKey, s.Root, []*x509.Certificate{s.Intermediate, s.Leaf}, canary)
		return mustBytes(t, b, err)
	}
	reversedP7B := func(s *certtest.Set) []byte {
		var all []byte
		for _, c := range []*x509.Certificate{s.Root, s.Intermediate, s.Leaf} {
			all = append(all, c.Raw...)
		}
		b, err := pkcs7.DegenerateCertificate(all)
		return mustBytes(t, b, err)
	}
	trustStore := func(s *certtest.Set) []byte {
		b, err := pkcs12.Modern.EncodeTrustStore(append([]*x509.Certificate{s.Leaf}, s.Chain()...), canary)
		return mustBytes(t, b, err)
	}
	keyPEM := func(s *certtest.Set) []byte {
		der, err := x509.MarshalPKCS8PrivateKey(s.LeafKey)
		if err != nil {
			t.Fatal(err)
		}
		return append(armour("PRIVATE KEY", der), s.LeafPEM()...)
	}

	tests := []struct {
		name     string
		file     string
		set      *certtest.Set
		data     []byte
		password string
		format   string
		encoding string
		key      bool
		chain    int
	}{
		{"pfx modern", "import.pfx", simple, simple.MustPFX(t, pkcs12.Modern, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx modern2026 pbmac1", "import.pfx", simple, simple.MustPFX(t, pkcs12.Modern2026, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx legacy 3DES", "import.pfx", simple, simple.MustPFX(t, pkcs12.LegacyDES, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx legacy RC2", "import.p12", simple, simple.MustPFX(t, pkcs12.LegacyRC2, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx modern empty password", "import.pfx", simple, simple.MustPFX(t, pkcs12.Modern, ""), "", certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx legacy empty password", "import.pfx", simple, simple.MustPFX(t, pkcs12.Legacy, ""), "", certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx passwordless", "import.pfx", simple, simple.MustPFX(t, pkcs12.Passwordless, ""), "", certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx passwordless given a password", "import.pfx", simple, simple.MustPFX(t, pkcs12.Passwordless, ""), canary, certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx with intermediate", "import.pfx", inter, inter.MustPFX(t, pkcs12.Modern, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 2},
		{"pfx rsa deterministic legacy", "import.pfx", rsaSet, rsaSet.MustPFX(t, pkcs12.LegacyRC2, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 2},
		{"pfx leaf stored last", "import.pfx", inter, leafFirstNot(inter), canary, certfile.FormatPFX, certfile.EncodingDER, true, 2},
		{"pfx trust store without key", "trust.p12", inter, trustStore(inter), canary, certfile.FormatPFX, certfile.EncodingDER, false, 2},
		{"pfx named .cer", "server.cer", simple, simple.MustPFX(t, pkcs12.Modern, canary), canary, certfile.FormatPFX, certfile.EncodingDER, true, 1},
		{"pfx base64 FileData", "FileData", simple, []byte(base64.StdEncoding.EncodeToString(simple.MustPFX(t, pkcs12.Modern, canary))), canary, certfile.FormatPFX, certfile.EncodingBase64, true, 1},
		{"pfx in CERTIFICATE armour", "FileData", simple, armour("CERTIFICATE", simple.MustPFX(t, pkcs12.Legacy, canary)), canary, certfile.FormatPFX, certfile.EncodingPEM, true, 1},
		{"p7b DER", "import.p7b", inter, inter.MustP7B(t), "", certfile.FormatPKCS7, certfile.EncodingDER, false, 2},
		{"p7b PEM", "import.p7b", inter, inter.MustP7BPEM(t), "", certfile.FormatPKCS7, certfile.EncodingPEM, false, 2},
		{"p7b BER indefinite length", "import.p7b", inter, indefinite(inter.MustP7B(t)), "", certfile.FormatPKCS7, certfile.EncodingDER, false, 2},
		{"p7b root first", "import.p7b", inter, reversedP7B(inter), "", certfile.FormatPKCS7, certfile.EncodingDER, false, 2},
		{"p7b password ignored", "import.p7b", simple, simple.MustP7B(t), canary, certfile.FormatPKCS7, certfile.EncodingDER, false, 1},
		{"p7b base64 without armour", "FileData", simple, []byte(base64.StdEncoding.EncodeToString(simple.MustP7B(t))), "", certfile.FormatPKCS7, certfile.EncodingBase64, false, 1},
		{"cer DER", "server.cer", simple, simple.DER(), "", certfile.FormatCert, certfile.EncodingDER, false, 0},
		{"crt PEM", "server.crt", simple, simple.LeafPEM(), "", certfile.FormatCert, certfile.EncodingPEM, false, 0},
		{"pem chain", "server.pem", inter, inter.PEM(), "", certfile.FormatCert, certfile.EncodingPEM, false, 2},
		{"pem CRLF UTF-8 BOM", "server.pem", simple, append([]byte{0xEF, 0xBB, 0xBF}, bytes.ReplaceAll(simple.PEM(), []byte("\n"), []byte("\r\n"))...), "", certfile.FormatCert, certfile.EncodingPEM, false, 1},
		{"pem UTF-16LE", "server.pem", simple, utf16LE(string(simple.LeafPEM())), "", certfile.FormatCert, certfile.EncodingPEM, false, 0},
		{"pem with key block", "server.pem", simple, keyPEM(simple), "", certfile.FormatCert, certfile.EncodingPEM, false, 0},
		{"pem on one line", "FileData", simple, oneLine(simple.LeafPEM()), "", certfile.FormatCert, certfile.EncodingPEM, false, 0},
		{"p7b pem on one line after prose", "FileData", inter, append([]byte("Issued by Contoso CA\r\n"), oneLine(inter.MustP7BPEM(t))...), "", certfile.FormatPKCS7, certfile.EncodingPEM, false, 2},
		{"cer base64 unpadded", "FileData", simple, []byte(strings.TrimRight(base64.StdEncoding.EncodeToString(simple.DER()), "=")), "", certfile.FormatCert, certfile.EncodingBase64, false, 0},
		{"der with trailing newline", "server.cer", simple, append(simple.DER(), '\r', '\n'), "", certfile.FormatCert, certfile.EncodingDER, false, 0},
		{"der duplicate certificates", "server.cer", simple, append(simple.DER(), simple.DER()...), "", certfile.FormatCert, certfile.EncodingDER, false, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := certfile.Decode(tt.file, tt.data, tt.password)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if f.Format != tt.format || f.Encoding != tt.encoding || f.HasPrivateKey != tt.key {
				t.Errorf("Format, Encoding, HasPrivateKey = %q, %q, %v; want %q, %q, %v", f.Format, f.Encoding, f.HasPrivateKey, tt.format, tt.encoding, tt.key)
			}
			sum := sha256.Sum256(tt.data)
			if f.SHA256 != hex.EncodeToString(sum[:]) || f.Name != tt.file {
				t.Errorf("SHA256, Name = %s, %q", f.SHA256, f.Name)
			}
			checkCert(t, f.Leaf, tt.set.Leaf)
			want := tt.set.Chain()
			if len(f.Chain) != tt.chain {
				t.Fatalf("chain has %d certificates, want %d", len(f.Chain), tt.chain)
			}
			for i := range f.Chain {
				checkCert(t, f.Chain[i], want[i])
			}
			if s := fmt.Sprintf("%#v", f); tt.password != "" && strings.Contains(s, tt.password) {
				t.Errorf("decoded file contains the password: %s", s)
			}
		})
	}
}

// checkCert compares a Cert with crypto/x509's own parse of the certificate.
func checkCert(t *testing.T, got certfile.Cert, want *x509.Certificate) {
	t.Helper()
	if got.Thumbprint != thumbprint(want) {
		t.Errorf("Thumbprint = %s, want %s (%s)", got.Thumbprint, thumbprint(want), want.Subject)
	}
	if w := serialAsWindows(want.SerialNumber); got.SerialNumber != w {
		t.Errorf("SerialNumber = %s, want %s", got.SerialNumber, w)
	}
	if !got.NotBefore.Equal(want.NotBefore) || !got.NotAfter.Equal(want.NotAfter) || got.NotAfter.Location() != time.UTC {
		t.Errorf("validity = %v..%v, want %v..%v", got.NotBefore, got.NotAfter, want.NotBefore, want.NotAfter)
	}
	var wantNames []string
	wantNames = append(wantNames, want.DNSNames...)
	for _, ip := range want.IPAddresses {
		wantNames = append(wantNames, ip.String())
	}
	wantNames = append(wantNames, want.EmailAddresses...)
	if !slices.Equal(got.AlternativeNames, wantNames) {
		t.Errorf("AlternativeNames = %q, want %q", got.AlternativeNames, wantNames)
	}
	// certtest names are C, O, CN in DER; Windows prints them CN first.
	wantSubject := fmt.Sprintf("CN=%s, O=%s, C=%s", want.Subject.CommonName, want.Subject.Organization[0], want.Subject.Country[0])
	if got.Subject != wantSubject {
		t.Errorf("Subject = %q, want %q", got.Subject, wantSubject)
	}
	wantIssuer := fmt.Sprintf("CN=%s, O=%s, C=%s", want.Issuer.CommonName, want.Issuer.Organization[0], want.Issuer.Country[0])
	if got.Issuer != wantIssuer {
		t.Errorf("Issuer = %q, want %q", got.Issuer, wantIssuer)
	}
}

func TestDecodeNamesAndSerials(t *testing.T) {
	tests := []struct {
		name   string
		opts   certtest.Options
		serial string
		alt    []string
	}{
		{"high bit serial gets 00", certtest.Options{Serial: big.NewInt(0x8A3F00C0FFEE)}, "008A3F00C0FFEE", []string{"mail.contoso.com", "autodiscover.contoso.com"}},
		{"small serial", certtest.Options{Serial: big.NewInt(1)}, "01", nil},
		{"zero-padded byte", certtest.Options{Serial: big.NewInt(0x0100)}, "0100", nil},
		{"ip and email SANs", certtest.Options{
			DNSNames:       []string{"sip.contoso.com", "*.contoso.com"},
			IPAddresses:    []net.IP{net.ParseIP("192.0.2.10"), net.ParseIP("2001:db8::1")},
			EmailAddresses: []string{"admin@contoso.com"},
		}, "", []string{"sip.contoso.com", "*.contoso.com", "192.0.2.10", "2001:db8::1", "admin@contoso.com"}},
		{"no SANs", certtest.Options{DNSNames: []string{}}, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := certtest.New(t, tt.opts)
			f, err := certfile.Decode("server.cer", s.DER(), "")
			if err != nil {
				t.Fatal(err)
			}
			checkCert(t, f.Leaf, s.Leaf)
			if tt.serial != "" && f.Leaf.SerialNumber != tt.serial {
				t.Errorf("SerialNumber = %s, want %s", f.Leaf.SerialNumber, tt.serial)
			}
			if tt.alt != nil && !slices.Equal(f.Leaf.AlternativeNames, tt.alt) {
				t.Errorf("AlternativeNames = %q, want %q", f.Leaf.AlternativeNames, tt.alt)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	s := certtest.New(t, certtest.Options{})
	other := certtest.New(t, certtest.Options{})
	pfx := s.MustPFX(t, pkcs12.Modern, canary)
	random := make([]byte, 2048)
	r := mrand.New(mrand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(r.Uint32())
	}
	random[0] = 0x9C // not a SEQUENCE: see TestDecodeTruncated for those
	mismatch, err := pkcs12.Modern.Encode(other.LeafKey, s.Leaf, s.Chain(), canary)
	if err != nil {
		t.Fatal(err)
	}
	emptyPFX, err := certtest.EmptyPFX(pkcs12.Modern, canary)
	if err != nil {
		t.Fatal(err)
	}
	emptyP7B, err := pkcs7.DegenerateCertificate(nil)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(s.LeafKey)
	if err != nil {
		t.Fatal(err)
	}
	chained := certtest.New(t, certtest.Options{Intermediate: true})
	corruptMAC := bytes.Clone(pfx)
	corruptMAC[len(corruptMAC)-40] ^= 0xFF

	tests := []struct {
		name     string
		file     string
		data     []byte
		password string
		kind     error
		message  string // the whole message users see
	}{
		{"empty", `c:\certificates\import.pfx`, nil, canary, certfile.ErrEmpty, `c:\certificates\import.pfx: the file is empty`},
		{"white space", "import.pfx", []byte(" \r\n\t"), canary, certfile.ErrEmpty, ""},
		{"byte order mark only", "server.pem", []byte{0xFF, 0xFE, ' ', 0}, "", certfile.ErrEmpty, ""},
		{"wrong password modern", "import.pfx", pfx, "not-the-password", certfile.ErrWrongPassword, "import.pfx: PKCS#12 file: the password is not correct"},
		{"wrong password legacy", "import.pfx", s.MustPFX(t, pkcs12.LegacyRC2, canary), "not-the-password", certfile.ErrWrongPassword, ""},
		{"missing password", "import.pfx", pfx, "", certfile.ErrWrongPassword, "import.pfx: PKCS#12 file: the password is not correct (the file needs a password and none was given)"},
		{"password given, file has empty one", "import.pfx", s.MustPFX(t, pkcs12.Modern, ""), canary, certfile.ErrWrongPassword, ""},
		{"password outside BMP", "import.pfx", pfx, "pass\U0001F600word", certfile.ErrWrongPassword, ""},
		{"corrupt MAC", "import.pfx", corruptMAC, canary, certfile.ErrWrongPassword, ""},
		{"random bytes", "import.pfx", random, canary, certfile.ErrUnrecognized, ""},
		{"random text", "import.cer", []byte("Import-ExchangeCertificate -Path c:\\x.pfx\n"), canary, certfile.ErrUnrecognized, ""},
		{"pfx without certificate", "empty.pfx", emptyPFX, canary, certfile.ErrNoCertificate, "empty.pfx: PKCS#12 file: the file holds no certificate"},
		{"p7b without certificate", "empty.p7b", emptyP7B, "", certfile.ErrNoCertificate, ""},
		{"key does not match", "import.pfx", mismatch, canary, certfile.ErrKeyMismatch, ""},
		{"pem key only", "server.pem", armour("PRIVATE KEY", keyDER), canary, certfile.ErrNoCertificate, ""},
		{"der key file", "server.key", keyDER, canary, certfile.ErrUnrecognized, ""},
		{"pem cut before END", "server.pem", s.LeafPEM()[:200], "", certfile.ErrTruncated, "server.pem: X.509 certificate: the file is truncated (a PEM block has no -----END line)"},
		{"pem damaged base64", "server.pem", bytes.Replace(s.LeafPEM(), []byte("M"), []byte("!"), 3), "", certfile.ErrCorrupt, ""},
		{"pem chain with damaged leaf block", "server.pem", damageFirstBlock(chained.PEM()), "", certfile.ErrCorrupt, "server.pem: X.509 certificate: the file is corrupt (a PEM block's base64 text is damaged)"},
		{"der trailing garbage", "server.cer", append(s.DER(), "garbage"...), "", certfile.ErrCorrupt, ""},
		{"der corrupt inside", "server.cer", tbsLengthBroken(s.DER()), "", certfile.ErrCorrupt, ""},
		{"pfx BER indefinite length", "import.pfx", indefinite(bytes.Clone(pfx)), canary, certfile.ErrUnsupported, "import.pfx: PKCS#12 file: the file uses a feature certledger cannot read (BER-encoded PKCS#12 with indefinite lengths)"},
		{"too many certificates", "bundle.pem", bytes.Repeat(s.LeafPEM(), certfile.MaxCertificates+1), "", certfile.ErrUnsupported, ""},
		{"too large", "huge.pfx", make([]byte, certfile.DefaultMaxSize+1), canary, certfile.ErrTooLarge, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := certfile.Decode(tt.file, tt.data, tt.password)
			if err == nil {
				t.Fatalf("Decode succeeded (%s); want %v", f.Leaf.Subject, tt.kind)
			}
			if !errors.Is(err, tt.kind) {
				t.Errorf("error %q is not %q", err, tt.kind)
			}
			var ce *certfile.Error
			if !errors.As(err, &ce) || ce.File != tt.file {
				t.Errorf("error %#v is not a *certfile.Error for %q", err, tt.file)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tt.file+": ") {
				t.Errorf("message %q does not start with the file name", msg)
			}
			if tt.message != "" && msg != tt.message {
				t.Errorf("message\n got %q\nwant %q", msg, tt.message)
			}
			assertNoSecret(t, err, tt.password)
		})
	}
}

func assertNoSecret(t *testing.T, err error, password string) {
	t.Helper()
	if password == "" {
		return
	}
	for _, s := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
		if strings.Contains(s, password) {
			t.Errorf("error text contains the password: %s", s)
		}
	}
}

// TestDecodeTruncated cuts real files at every length and checks each cut
// is a typed error naming the file, never a panic or a success.
func TestDecodeTruncated(t *testing.T) {
	s := certtest.New(t, certtest.Options{Intermediate: true})
	files := []struct {
		name string
		data []byte
	}{
		{"import.pfx", s.MustPFX(t, pkcs12.Modern, canary)},
		{"import-legacy.pfx", s.MustPFX(t, pkcs12.LegacyRC2, canary)},
		{"import.p7b", s.MustP7B(t)},
		{"server.cer", s.DER()},
	}
	for _, file := range files {
		t.Run(file.name, func(t *testing.T) {
			for n := 0; n < len(file.data); n++ {
				_, err := certfile.Decode(file.name, file.data[:n], canary)
				switch {
				case err == nil:
					t.Fatalf("cut at %d of %d bytes: decoded", n, len(file.data))
				case n == 0 && !errors.Is(err, certfile.ErrEmpty),
					n == 1 && !errors.Is(err, certfile.ErrUnrecognized), // a lone "0" is text
					n >= 2 && !errors.Is(err, certfile.ErrTruncated):
					t.Fatalf("cut at %d of %d bytes: %v", n, len(file.data), err)
				}
				if !strings.HasPrefix(err.Error(), file.name+": ") {
					t.Fatalf("cut at %d: message %q does not name the file", n, err)
				}
				assertNoSecret(t, err, canary)
			}
		})
	}
	// PEM cut anywhere: a typed error or, once the first END line is
	// complete, a success with fewer certificates.
	pemData := s.PEM()
	for n := 0; n < len(pemData); n++ {
		f, err := certfile.Decode("server.pem", pemData[:n], "")
		if err != nil {
			var ce *certfile.Error
			if !errors.As(err, &ce) {
				t.Fatalf("cut at %d: untyped error %v", n, err)
			}
			continue
		}
		if f.Leaf.Thumbprint != s.Thumbprint() {
			t.Fatalf("cut at %d: leaf %s", n, f.Leaf.Subject)
		}
	}
}

// TestDecodeRandom decodes seeded random inputs of many sizes, half of them
// starting like DER (a SEQUENCE) and some like PEM, each with and without a
// password: every one is a typed error naming the file.
func TestDecodeRandom(t *testing.T) {
	r := mrand.New(mrand.NewPCG(3, 4))
	prefixes := [][]byte{nil, {0x30}, {0x30, 0x82}, {0x30, 0x80}, []byte("-----BEGIN CERTIFICATE-----\n"), []byte("MII")}
	for i := 0; i < 600; i++ {
		data := append([]byte(nil), prefixes[i%len(prefixes)]...)
		for n := r.IntN(3000); n > 0; n-- {
			data = append(data, byte(r.Uint32()))
		}
		password := ""
		if i%2 == 0 {
			password = canary
		}
		f, err := certfile.Decode("random.bin", data, password)
		if err == nil {
			t.Fatalf("input %d decoded: %+v", i, f.Leaf)
		}
		var ce *certfile.Error
		if !errors.As(err, &ce) || !strings.HasPrefix(err.Error(), "random.bin: ") {
			t.Fatalf("input %d: %v", i, err)
		}
		assertNoSecret(t, err, canary)
	}
}

// TestDecodeBitFlips flips each byte of a legacy PFX's first kilobyte: every
// result is a success or a typed error, and none mentions the password.
func TestDecodeBitFlips(t *testing.T) {
	if testing.Short() {
		t.Skip("decrypts hundreds of files")
	}
	s := certtest.New(t, certtest.Options{})
	pfx := s.MustPFX(t, pkcs12.LegacyDES, canary)
	for i := 0; i < len(pfx) && i < 1024; i += 3 {
		b := bytes.Clone(pfx)
		b[i] ^= 0x5A
		_, err := certfile.Decode("import.pfx", b, canary)
		if err != nil {
			var ce *certfile.Error
			if !errors.As(err, &ce) {
				t.Fatalf("flip at %d: untyped error %v", i, err)
			}
			assertNoSecret(t, err, canary)
		}
	}
}

func TestDecodeOptions(t *testing.T) {
	s := certtest.New(t, certtest.Options{})
	f, err := certfile.Decode("server.cer", s.DER(), "", certfile.FriendlyName("Microsoft Exchange"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Leaf.FriendlyName != "Microsoft Exchange" {
		t.Errorf("FriendlyName = %q", f.Leaf.FriendlyName)
	}
	if _, err := certfile.Decode("server.cer", s.DER(), "", certfile.MaxSize(100)); !errors.Is(err, certfile.ErrTooLarge) {
		t.Errorf("MaxSize(100): %v", err)
	}
}

func TestImported(t *testing.T) {
	s := certtest.New(t, certtest.Options{Intermediate: true})
	data := s.MustPFX(t, pkcs12.Modern, canary)
	f, err := certfile.Decode(`c:\certificates\import.pfx`, data, canary, certfile.FriendlyName("Contoso mail"))
	if err != nil {
		t.Fatal(err)
	}
	e := f.Imported("ex01.contoso.com")
	if e.Server != "ex01.contoso.com" || e.Thumbprint != s.Thumbprint() || !e.HasPrivateKey ||
		e.SourceFile != `c:\certificates\import.pfx` || e.SourceSHA256 != f.SHA256 ||
		e.FriendlyName != "Contoso mail" || e.Subject != f.Leaf.Subject || e.Issuer != f.Leaf.Issuer ||
		e.SerialNumber != f.Leaf.SerialNumber || !e.NotAfter.Equal(s.Leaf.NotAfter) || e.PrivateKeyExportable {
		t.Errorf("event = %+v", e)
	}
	if want := []string{thumbprint(s.Intermediate), thumbprint(s.Root)}; !slices.Equal(e.Chain, want) {
		t.Errorf("Chain = %q, want %q", e.Chain, want)
	}
	if got := e.Aggregate().ID; got != `ex01.contoso.com\`+s.Thumbprint() {
		t.Errorf("aggregate = %q", got)
	}
	// The event must not share the decoded file's slices.
	e.AlternativeNames[0] = "changed"
	if f.Leaf.AlternativeNames[0] == "changed" {
		t.Error("event aliases the file's AlternativeNames")
	}
}

// tbsLengthBroken changes the TBSCertificate's length so it no longer fits.
func tbsLengthBroken(der []byte) []byte {
	der[7] ^= 0x01
	return der
}

// damageFirstBlock puts a character base64 does not have into the first
// PEM block; pem.Decode would otherwise skip to the next good block.
func damageFirstBlock(p []byte) []byte {
	p = bytes.Clone(p)
	i := bytes.Index(p, []byte("-----\n")) + 20
	p[i] = '*'
	return p
}

// indefinite re-encodes a DER structure's outer length in BER's indefinite
// form (0x80 ... end-of-contents), as some Windows and Java tools write
// PKCS#7. The DER must use a two-byte long-form length (0x82).
func indefinite(der []byte) []byte {
	if der[1] != 0x82 {
		panic("indefinite: want a 0x82 length")
	}
	out := append([]byte{der[0], 0x80}, der[4:]...)
	return append(out, 0, 0)
}
