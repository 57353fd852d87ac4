// Package certfile reads the certificate files administrators hand to
// Import-ExchangeCertificate, Import-CsCertificate and Set-CsCertificate
// -Path, and describes their certificates the way Windows prints them
// (Get-ExchangeCertificate, Get-CsCertificate): upper-case hex thumbprints
// and serial numbers, X.500 names most-specific first.
//
// Supported, detected from the content (a file name's extension is only a
// hint for error messages):
//
//   - PKCS#12 (.pfx, .p12): modern PBES2/AES-256 and legacy 3DES/RC2
//     encryption, an empty password and the password-less form;
//   - PKCS#7 certificates-only bundles (.p7b, .p7c), DER or BER;
//   - X.509 certificates (.cer, .crt, .der), one or several, in DER;
//   - any of the above in PEM armour ("-----BEGIN CERTIFICATE-----",
//     "-----BEGIN PKCS7-----", ...) or as bare base64 text, which is what
//     Import-ExchangeCertificate -FileData accepts after stripping armour.
//
// A private key is decoded only to check that it belongs to one of the
// file's certificates; it is zeroed as far as Go allows and never returned.
// See docs/certificates.md for the rendering rules and the errors.
package certfile

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/certledger/certledger/events"
)

// Formats, named after .NET's X509ContentType, which is what PowerShell
// users meet ([System.Security.Cryptography.X509Certificates.X509Certificate2]::GetCertContentType).
const (
	FormatPFX   = "Pfx"   // PKCS#12
	FormatPKCS7 = "Pkcs7" // PKCS#7 certificates-only
	FormatCert  = "Cert"  // X.509 certificate(s)
)

// Encodings of the file's bytes.
const (
	EncodingDER    = "DER"    // binary (BER for some PKCS#7 files)
	EncodingPEM    = "PEM"    // "-----BEGIN ...-----" armour
	EncodingBase64 = "Base64" // base64 text without armour
)

// DefaultMaxSize is the largest file Decode reads unless MaxSize says
// otherwise. Real PFX files are a few kilobytes and CA bundles rarely exceed
// a megabyte; the bound keeps a mistaken -Path (a disk image, a log) from
// being read into memory several times over.
const DefaultMaxSize = 16 << 20

// MaxCertificates is the most certificates one file may hold. An import
// takes one certificate and its chain; CA bundles hold a few hundred.
const MaxCertificates = 1000

// File is what a certificate file holds.
type File struct {
	Name          string // as given to Decode
	Leaf          Cert   // the end-entity certificate (see Decode)
	Chain         []Cert // the other certificates: the leaf's issuers nearest first, then any others in file order
	HasPrivateKey bool   // a private key matching Leaf was present
	SHA256        string // lower-case hex SHA-256 of the file's bytes as given
	Format        string // FormatPFX, FormatPKCS7 or FormatCert
	Encoding      string // EncodingDER, EncodingPEM or EncodingBase64
}

// Cert is one certificate as Windows describes it.
type Cert struct {
	Thumbprint       string    // upper-case hex SHA-1 of the DER
	Subject          string    // X.500 name, most specific RDN first: "CN=mail.contoso.com, O=Contoso, C=US"
	Issuer           string    // likewise
	NotBefore        time.Time // UTC
	NotAfter         time.Time // UTC
	SerialNumber     string    // upper-case hex of the DER INTEGER's bytes, e.g. "008A3F00C0FFEE"
	AlternativeNames []string  // subject alternative names: DNS names, then IP addresses, e-mail addresses, URIs
	FriendlyName     string    // empty unless set with FriendlyName
}

// Option adjusts Decode.
type Option func(*config)

type config struct {
	maxSize      int
	friendlyName string
}

// MaxSize sets the largest file Decode accepts, in bytes.
func MaxSize(n int) Option { return func(c *config) { c.maxSize = n } }

// FriendlyName sets the leaf's FriendlyName, as Import-ExchangeCertificate
// -FriendlyName does. certfile does not read the PKCS#12 friendlyName
// attribute (go-pkcs12 does not expose bag attributes).
func FriendlyName(name string) Option { return func(c *config) { c.friendlyName = name } }

// Decode reads a certificate file. name is used in error messages and kept
// in File.Name; its extension only hints at the expected format. password
// is tried for PKCS#12 content only (an empty password also tries PKCS#12's
// two "no password" forms); it is never stored or put in an error.
//
// The leaf is the certificate whose public key matches the file's private
// key; without a key, it is the certificate that issued none of the others
// (preferring a non-CA, then the first in the file).
//
// Every failure is an *Error whose Kind is one of the Err* values.
func Decode(name string, data []byte, password string, opts ...Option) (f *File, err error) {
	cfg := config{maxSize: DefaultMaxSize}
	for _, o := range opts {
		o(&cfg)
	}
	d := &decoder{name: name, password: password, hint: hintFormat(name)}
	defer func() {
		// The last line of defence only: inputs are checked before they
		// reach the libraries. The panic value is dropped because it could
		// quote decrypted bytes.
		if v := recover(); v != nil {
			if onPanic != nil {
				onPanic(v)
			}
			f, err = nil, d.fail(d.hint, ErrCorrupt, "a decoder failed on malformed content")
		}
	}()

	if len(data) > cfg.maxSize {
		return nil, d.fail("", ErrTooLarge, fmt.Sprintf("%d bytes; the limit is %d", len(data), cfg.maxSize))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, d.fail("", ErrEmpty, "")
	}

	blobs, encoding, err := d.unarmour(data)
	if err != nil {
		return nil, err
	}
	var (
		certs  []*x509.Certificate
		keyed  *x509.Certificate
		format string
	)
	for _, b := range blobs {
		r, err := d.binary(b)
		if err != nil {
			return nil, err
		}
		if format == "" {
			format = r.format
		}
		certs = append(certs, r.certs...)
		if keyed == nil {
			keyed = r.keyed
		}
	}
	if len(certs) == 0 {
		return nil, d.fail(format, ErrNoCertificate, "")
	}
	if len(certs) > MaxCertificates {
		// Ordering the chain compares every pair; a file this large is a
		// trust bundle, not something an import takes.
		return nil, d.fail(format, ErrUnsupported, fmt.Sprintf("%d certificates; the limit is %d", len(certs), MaxCertificates))
	}

	leaf, chain := arrange(certs, keyed)
	sum := sha256.Sum256(data)
	f = &File{
		Name:          name,
		Leaf:          newCert(leaf),
		HasPrivateKey: keyed != nil,
		SHA256:        hex.EncodeToString(sum[:]),
		Format:        format,
		Encoding:      encoding,
	}
	f.Leaf.FriendlyName = cfg.friendlyName
	for _, c := range chain {
		f.Chain = append(f.Chain, newCert(c))
	}
	return f, nil
}

// Imported fills a CertificateImported event for the file's leaf on server.
// PrivateKeyExportable is the caller's to set: it is a parameter of the
// import, not a property of the file.
func (f *File) Imported(server string) events.CertificateImported {
	e := f.Leaf.Imported(server)
	e.HasPrivateKey = f.HasPrivateKey
	e.SourceFile = f.Name
	e.SourceSHA256 = f.SHA256
	for _, c := range f.Chain {
		e.Chain = append(e.Chain, c.Thumbprint)
	}
	return e
}

// Imported fills the certificate's own fields of a CertificateImported event.
func (c Cert) Imported(server string) events.CertificateImported {
	return events.CertificateImported{
		Server:           server,
		Thumbprint:       c.Thumbprint,
		Subject:          c.Subject,
		Issuer:           c.Issuer,
		NotBefore:        c.NotBefore,
		NotAfter:         c.NotAfter,
		SerialNumber:     c.SerialNumber,
		FriendlyName:     c.FriendlyName,
		AlternativeNames: append([]string(nil), c.AlternativeNames...),
	}
}

// NewCert describes an already parsed certificate the way Decode does.
func NewCert(c *x509.Certificate) Cert { return newCert(c) }

func newCert(c *x509.Certificate) Cert {
	sum := sha1.Sum(c.Raw)
	return Cert{
		Thumbprint:       strings.ToUpper(hex.EncodeToString(sum[:])),
		Subject:          windowsName(c.RawSubject),
		Issuer:           windowsName(c.RawIssuer),
		NotBefore:        c.NotBefore.UTC(),
		NotAfter:         c.NotAfter.UTC(),
		SerialNumber:     windowsSerial(c),
		AlternativeNames: alternativeNames(c),
	}
}

func hintFormat(name string) string {
	// Windows paths reach us too; path.Ext would stop at a backslash.
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".pfx", ".p12":
		return FormatPFX
	case ".p7b", ".p7c", ".p7":
		return FormatPKCS7
	case ".cer", ".crt", ".der", ".pem":
		return FormatCert
	}
	return ""
}

// onPanic lets tests (the fuzz target) see a panic the guard would hide.
var onPanic func(any)

type decoder struct {
	name     string
	password string
	hint     string
}

func (d *decoder) fail(format string, kind error, detail string) *Error {
	return &Error{File: d.name, Format: format, Kind: kind, Detail: detail}
}
