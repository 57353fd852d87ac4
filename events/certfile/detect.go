package certfile

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/smallstep/pkcs7"
)

// unarmour turns the file's bytes into the binary structures they carry:
// the bytes themselves for a DER file, each relevant PEM block, or the
// decoded base64 text. Exchange strips "-----BEGIN CERTIFICATE-----" and
// "-----BEGIN PKCS7-----" armour from FileData whatever the content is, so a
// block's label never decides how its bytes are read.
func (d *decoder) unarmour(data []byte) ([][]byte, string, error) {
	text, isText := asText(data)
	if !isText {
		return [][]byte{data}, EncodingDER, nil
	}
	if len(bytes.TrimSpace(text)) == 0 { // a byte order mark and nothing else
		return nil, "", d.fail("", ErrEmpty, "")
	}
	if len(pemSegments(text)) > 0 {
		return d.pemBlocks(text)
	}
	if der, ok := bareBase64(text); ok {
		return [][]byte{der}, EncodingBase64, nil
	}
	return nil, "", d.fail("", ErrUnrecognized, "text that is neither PEM nor base64")
}

// asText reports whether data is text, converting UTF-16 with a byte order
// mark (what Windows PowerShell 5.1's Out-File writes) and dropping a UTF-8
// one.
func asText(data []byte) ([]byte, bool) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case len(data) >= 2 && len(data)%2 == 0 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		le := data[0] == 0xFF
		u := make([]uint16, 0, len(data)/2-1)
		for i := 2; i+1 < len(data); i += 2 {
			if le {
				u = append(u, uint16(data[i])|uint16(data[i+1])<<8)
			} else {
				u = append(u, uint16(data[i])<<8|uint16(data[i+1]))
			}
		}
		data = []byte(string(utf16.Decode(u)))
	}
	// DER always starts with a constructed SEQUENCE (0x30, '0') followed by
	// a length; text has no control bytes besides white space.
	if !utf8.Valid(data) {
		return nil, false
	}
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' {
			return nil, false
		}
	}
	return data, true
}

// bareBase64 decodes base64 text with arbitrary line breaks, padded or not.
func bareBase64(text []byte) ([]byte, bool) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n', '\f', '\v':
			return -1
		}
		return r
	}, string(text))
	if len(s) < 4 {
		return nil, false
	}
	enc := base64.StdEncoding
	if !strings.HasSuffix(s, "=") && len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	der, err := enc.DecodeString(s)
	if err != nil || len(der) == 0 {
		return nil, false
	}
	return der, true
}

// labels whose blocks never hold a certificate. Keys are skipped unread: a
// certificate store import takes keys from PKCS#12 only.
func skippedLabel(label string) bool {
	for _, s := range []string{"KEY", "REQUEST", "CRL", "PARAMETERS"} {
		if strings.Contains(label, s) {
			return true
		}
	}
	return false
}

func (d *decoder) pemBlocks(text []byte) ([][]byte, string, error) {
	var blobs [][]byte
	var skipped []string
	// Each block is decoded on its own: pem.Decode skips a damaged block
	// and returns the next good one, which would silently drop the leaf
	// from a chain.
	for _, seg := range pemSegments(text) {
		block, _ := pem.Decode(seg)
		if block == nil {
			if block = stripArmour(seg); block == nil {
				return nil, "", d.damagedBlock(seg)
			}
		}
		if skippedLabel(block.Type) {
			skipped = append(skipped, block.Type)
			continue
		}
		blobs = append(blobs, block.Bytes)
	}
	if len(blobs) == 0 {
		if len(skipped) > 0 {
			return nil, "", d.fail(d.hint, ErrNoCertificate, "only "+strings.Join(skipped, ", ")+" blocks")
		}
		return nil, "", d.fail("", ErrUnrecognized, "no PEM block")
	}
	return blobs, EncodingPEM, nil
}

const pemBegin = "-----BEGIN "

// pemSegments splits text at each line that starts a PEM block; text before
// the first (openssl's "Bag Attributes", prose) is dropped.
func pemSegments(text []byte) [][]byte {
	var starts []int
	for i := 0; ; {
		j := bytes.Index(text[i:], []byte(pemBegin))
		if j < 0 {
			break
		}
		if at := i + j; at == 0 || text[at-1] == '\n' || text[at-1] == '\r' {
			starts = append(starts, at)
		}
		i += j + len(pemBegin)
	}
	segs := make([][]byte, len(starts))
	for k, at := range starts {
		end := len(text)
		if k+1 < len(starts) {
			end = starts[k+1]
		}
		segs[k] = text[at:end]
	}
	return segs
}

// stripArmour reads a block the way Exchange treats -FileData text: drop the
// BEGIN and END markers and decode the base64 between them. It accepts what
// pem.Decode does not, e.g. a block pasted onto a single line.
func stripArmour(seg []byte) *pem.Block {
	label, body, ok := bytes.Cut(seg[len(pemBegin):], []byte("-----"))
	if !ok {
		return nil
	}
	body, _, ok = bytes.Cut(body, []byte("-----END "))
	if !ok {
		return nil
	}
	der, ok := bareBase64(body)
	if !ok {
		return nil
	}
	return &pem.Block{Type: string(label), Bytes: der}
}

// damagedBlock describes a PEM block pem.Decode refused.
func (d *decoder) damagedBlock(seg []byte) error {
	label, _, _ := bytes.Cut(seg[len(pemBegin):], []byte("-----"))
	format := d.hint
	switch string(label) {
	case "PKCS7", "CMS":
		format = FormatPKCS7
	case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
		format = FormatCert
	case "PKCS12":
		format = FormatPFX
	}
	if !bytes.Contains(seg, []byte("-----END ")) {
		return d.fail(format, ErrTruncated, "a PEM block has no -----END line")
	}
	return d.fail(format, ErrCorrupt, "a PEM block's base64 text is damaged")
}

type result struct {
	format string
	certs  []*x509.Certificate
	keyed  *x509.Certificate // the certificate the private key belongs to, if there was a key
}

// binary decodes one DER (or BER) structure.
func (d *decoder) binary(der []byte) (result, error) {
	s := sniff(der)
	switch {
	case s.truncated:
		format := s.format
		if format == "" {
			format = d.hint
		}
		return result{}, d.fail(format, ErrTruncated, "the data ends before its structure does")
	case s.format == "":
		return result{}, d.fail("", ErrUnrecognized, "")
	case s.trailing > 0 && !(s.format == FormatCert && der[s.end] == 0x30):
		if !blank(der[s.end:]) {
			return result{}, d.fail(s.format, ErrCorrupt, "unexpected bytes after the end of its structure")
		}
		der = der[:s.end]
	}
	switch s.format {
	case FormatPFX:
		if s.indefinite {
			return result{}, d.fail(FormatPFX, ErrUnsupported, "BER-encoded PKCS#12 with indefinite lengths")
		}
		return d.pfx(der)
	case FormatPKCS7:
		return d.pkcs7(der)
	default:
		certs, err := x509.ParseCertificates(der)
		if err != nil {
			// Certificates are public: crypto/x509's reason is safe to show.
			return result{}, d.fail(FormatCert, ErrCorrupt, strings.TrimPrefix(err.Error(), "x509: "))
		}
		return result{format: FormatCert, certs: certs}, nil
	}
}

func (d *decoder) pkcs7(der []byte) (result, error) {
	p7, err := pkcs7.Parse(der)
	if err == pkcs7.ErrUnsupportedContentType {
		return result{}, d.fail(FormatPKCS7, ErrUnsupported, "a PKCS#7 content type other than signed, enveloped or encrypted data")
	}
	if err != nil {
		return result{}, d.fail(FormatPKCS7, ErrCorrupt, "")
	}
	if len(p7.Certificates) == 0 {
		return result{}, d.fail(FormatPKCS7, ErrNoCertificate, "not a certificates-only bundle, or an empty one")
	}
	return result{format: FormatPKCS7, certs: p7.Certificates}, nil
}

func blank(b []byte) bool {
	for _, c := range b {
		switch c {
		case 0, ' ', '\t', '\r', '\n':
		default:
			return false
		}
	}
	return true
}

// sniffed is what the first bytes of a DER structure say about it.
type sniffed struct {
	format     string // "" when not one of ours
	truncated  bool
	indefinite bool // BER indefinite length: completeness is the parser's to judge
	end        int  // offset just past the outer structure (definite lengths)
	trailing   int  // bytes after end
}

// sniff reads only the outer SEQUENCE's header and the tag of its first
// element, which tell the three containers apart: a PFX starts with its
// version (INTEGER), a PKCS#7 ContentInfo with its content type (OBJECT
// IDENTIFIER), a certificate with its TBSCertificate (SEQUENCE). The
// structures themselves are left to crypto/x509, pkcs7 and go-pkcs12; this
// is only how a truncated or mislabelled file gets an accurate error.
func sniff(der []byte) sniffed {
	if len(der) < 2 || der[0] != 0x30 {
		return sniffed{}
	}
	var s sniffed
	hdr, length := 2, 0
	switch n := int(der[1]); {
	case n < 0x80:
		length = n
	case n == 0x80:
		s.indefinite = true
	case n <= 0x84:
		hdr += n - 0x80
		if len(der) < hdr {
			return sniffed{truncated: true}
		}
		for _, b := range der[2:hdr] {
			length = length<<8 | int(b)
		}
	default:
		return sniffed{}
	}
	if hdr >= len(der) {
		return sniffed{truncated: true}
	}
	switch der[hdr] {
	case 0x02:
		s.format = FormatPFX
	case 0x06:
		s.format = FormatPKCS7
	case 0x30:
		s.format = FormatCert
	default:
		return sniffed{}
	}
	if s.indefinite {
		return s
	}
	if length < 0 || length > len(der)-hdr {
		s.truncated = true
		return s
	}
	s.end = hdr + length
	s.trailing = len(der) - s.end
	return s
}
