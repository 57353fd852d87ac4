package certfile

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"math/big"
	"strconv"
	"strings"

	"software.sslmate.com/src/go-pkcs12"
)

// pfx decodes a PKCS#12 file. Only go-pkcs12's exported error values and
// types are trusted to be free of secrets; every other failure is reported
// in certledger's own words, without the library's text.
func (d *decoder) pfx(der []byte) (result, error) {
	if !ucs2(d.password) {
		// PKCS#12 passwords are BMPStrings; Windows would derive a
		// different key, so the file cannot open with this password.
		return result{}, d.fail(FormatPFX, ErrWrongPassword, "the password has characters outside the Basic Multilingual Plane")
	}
	if n := pfxIterations(der); n < 0 || n > maxIterations {
		asked := "more than fit a 64-bit number"
		if n > 0 {
			asked = strconv.FormatInt(n, 10)
		}
		return result{}, d.fail(FormatPFX, ErrUnsupported, "it asks for "+asked+" key-derivation iterations in all; certledger allows at most "+strconv.FormatInt(maxIterations, 10))
	}
	key, first, cas, err := pkcs12.DecodeChain(der, d.password)
	if err != nil && d.password != "" && isNoMAC(err) {
		// A password-less PKCS#12 has no integrity check for a password to
		// fail: any password opens it, so the one given is not an error.
		key, first, cas, err = pkcs12.DecodeChain(der, "")
	}
	if err != nil && strings.Contains(err.Error(), "pkcs12: private key missing") {
		// Certificate-only PKCS#12 files can be read when they are trust
		// stores (every bag marked trusted); go-pkcs12 reads no others.
		certs, terr := pkcs12.DecodeTrustStore(der, d.password)
		if terr == nil && len(certs) > 0 {
			return result{format: FormatPFX, certs: certs}, nil
		}
		return result{}, d.fail(FormatPFX, ErrUnsupported, "it holds no private key; certledger reads certificate-only PKCS#12 files only when they are trust stores")
	}
	if err != nil {
		return result{}, d.pfxError(err)
	}
	defer zeroKey(key)

	certs := append([]*x509.Certificate{first}, cas...)
	keyed := matchKey(key, certs)
	if keyed == nil {
		return result{}, d.fail(FormatPFX, ErrKeyMismatch, "")
	}
	return result{format: FormatPFX, certs: certs, keyed: keyed}, nil
}

func (d *decoder) pfxError(err error) error {
	var notImpl pkcs12.NotImplementedError
	switch {
	case errors.Is(err, pkcs12.ErrIncorrectPassword):
		if d.password == "" {
			return d.fail(FormatPFX, ErrWrongPassword, "the file needs a password and none was given")
		}
		return d.fail(FormatPFX, ErrWrongPassword, "")
	case errors.Is(err, pkcs12.ErrDecryption):
		// The integrity check passed (or the file has none) but the
		// contents did not decrypt: a different password protects them.
		return d.fail(FormatPFX, ErrWrongPassword, "the contents did not decrypt")
	case isNoMAC(err):
		return d.fail(FormatPFX, ErrUnsupported, "it has no integrity check (MAC) but is not password-less")
	case errors.As(err, &notImpl):
		msg := strings.TrimPrefix(notImpl.Error(), "pkcs12: ")
		if strings.Contains(msg, "v3 PFX") {
			// A DER SEQUENCE starting with another version number: most
			// likely a private key or some other non-certificate file.
			return d.fail("", ErrUnrecognized, "a DER structure that is not PKCS#12 (a key file?)")
		}
		return d.fail(FormatPFX, ErrUnsupported, msg)
	case strings.Contains(err.Error(), "pkcs12: certificate missing"):
		return d.fail(FormatPFX, ErrNoCertificate, "")
	case strings.Contains(err.Error(), "expected exactly one key bag"):
		return d.fail(FormatPFX, ErrUnsupported, "it holds more than one private key")
	case strings.Contains(err.Error(), "unknown") && strings.Contains(err.Error(), "algorithm"):
		return d.fail(FormatPFX, ErrUnsupported, "an encryption or integrity algorithm go-pkcs12 does not implement")
	}
	return d.fail(FormatPFX, ErrCorrupt, "")
}

func isNoMAC(err error) bool { return strings.Contains(err.Error(), "pkcs12: no MAC in data") }

func ucs2(s string) bool {
	for _, r := range s {
		if r > 0xFFFF {
			return false
		}
	}
	return true
}

// matchKey returns the certificate whose public key is key's.
func matchKey(key any, certs []*x509.Certificate) *x509.Certificate {
	signer, ok := key.(interface{ Public() crypto.PublicKey })
	if !ok {
		return nil
	}
	pub, ok := signer.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok {
		return nil
	}
	for _, c := range certs {
		if pub.Equal(c.PublicKey) {
			return c
		}
	}
	return nil
}

// zeroKey overwrites what it can reach of a private key. Go keeps internal
// copies (precomputed values, FIPS key objects) beyond reach; those die with
// the garbage collector. This narrows, not closes, the window.
func zeroKey(key any) {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		zeroInt(k.D)
		for _, p := range k.Primes {
			zeroInt(p)
		}
		zeroInt(k.Precomputed.Dp)
		zeroInt(k.Precomputed.Dq)
		zeroInt(k.Precomputed.Qinv)
	case *ecdsa.PrivateKey:
		zeroInt(k.D)
	case ed25519.PrivateKey:
		clear(k)
	}
}

func zeroInt(n *big.Int) {
	if n == nil {
		return
	}
	clear(n.Bits())
	n.SetInt64(0)
}
