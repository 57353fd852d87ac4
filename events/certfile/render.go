package certfile

import (
	"bytes"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"strings"
)

// Attribute names as Windows writes them in X.500 strings (CertNameToStr's
// CERT_X500_NAME_STR keys): note "S" for the state and "E" for e-mail.
var attrNames = map[string]string{
	"2.5.4.3":                    "CN",
	"2.5.4.4":                    "SN",
	"2.5.4.5":                    "SERIALNUMBER",
	"2.5.4.6":                    "C",
	"2.5.4.7":                    "L",
	"2.5.4.8":                    "S",
	"2.5.4.9":                    "STREET",
	"2.5.4.10":                   "O",
	"2.5.4.11":                   "OU",
	"2.5.4.12":                   "T",
	"2.5.4.13":                   "Description",
	"2.5.4.17":                   "PostalCode",
	"2.5.4.18":                   "POBox",
	"2.5.4.20":                   "Phone",
	"2.5.4.42":                   "G",
	"2.5.4.43":                   "I",
	"2.5.4.46":                   "dnQualifier",
	"0.9.2342.19200300.100.1.1":  "UID",
	"0.9.2342.19200300.100.1.25": "DC",
	"1.2.840.113549.1.9.1":       "E",
	"1.2.840.113549.1.9.2":       "UnstructuredName",
	"1.2.840.113549.1.9.8":       "UnstructuredAddress",
}

// windowsName renders a DER Name in the X.500 string style of Windows'
// CertNameToStr (CERT_X500_NAME_STR): RDNs separated by ", ", the values of
// a multi-valued RDN joined by " + ", a value quoted when it is empty, has
// leading or trailing space, or holds one of , + = " < > # ; or a newline,
// with embedded quotes doubled, and unknown attribute types as "OID.1.2.3".
// The RDNs are printed in the reverse of their DER order (CertNameToStr's
// reverse flag), which is what PowerShell shows: the usual C, O, CN
// encoding prints CN first.
func windowsName(raw []byte) string {
	var rdns pkix.RDNSequence
	if rest, err := asn1.Unmarshal(raw, &rdns); err != nil || len(rest) > 0 {
		// crypto/x509 accepted the certificate, so this is unreachable
		// short of an encoding/asn1 disagreement; show the bytes.
		return "#" + strings.ToUpper(hex.EncodeToString(raw))
	}
	var b strings.Builder
	for i := len(rdns) - 1; i >= 0; i-- {
		if b.Len() > 0 {
			b.WriteString(", ")
		}
		for j, atv := range rdns[i] {
			if j > 0 {
				b.WriteString(" + ")
			}
			name, ok := attrNames[atv.Type.String()]
			if !ok {
				name = "OID." + atv.Type.String()
			}
			b.WriteString(name)
			b.WriteByte('=')
			b.WriteString(attrValue(atv.Value))
		}
	}
	return b.String()
}

func attrValue(v any) string {
	s, ok := v.(string)
	if !ok {
		der, err := asn1.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return "#" + strings.ToUpper(hex.EncodeToString(der))
	}
	if s == "" {
		return `""`
	}
	if strings.ContainsAny(s, ",+=\"<>#;\n\r") || s[0] == ' ' || s[len(s)-1] == ' ' {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// windowsSerial is the serial number as X509Certificate2.SerialNumber shows
// it: the DER INTEGER's content bytes in upper-case hex, so a serial with
// its high bit set keeps the leading 00 the encoding needs.
func windowsSerial(c *x509.Certificate) string {
	if c.SerialNumber == nil {
		return ""
	}
	der, err := asn1.Marshal(c.SerialNumber)
	if err != nil {
		return strings.ToUpper(c.SerialNumber.Text(16))
	}
	var v asn1.RawValue
	if _, err := asn1.Unmarshal(der, &v); err != nil {
		return strings.ToUpper(c.SerialNumber.Text(16))
	}
	return strings.ToUpper(hex.EncodeToString(v.Bytes))
}

func alternativeNames(c *x509.Certificate) []string {
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	names = append(names, c.EmailAddresses...)
	for _, u := range c.URIs {
		names = append(names, u.String())
	}
	return names
}

// arrange picks the leaf and orders the rest. With a private key the leaf is
// its certificate. Otherwise it is a certificate that issued none of the
// others (the end of the chain), preferring one that is not a CA, then the
// first in the file. The chain follows the leaf's issuers nearest first;
// unrelated certificates come after, in file order. Duplicates are dropped.
func arrange(certs []*x509.Certificate, keyed *x509.Certificate) (*x509.Certificate, []*x509.Certificate) {
	var uniq []*x509.Certificate
	for _, c := range certs {
		dup := false
		for _, u := range uniq {
			if bytes.Equal(u.Raw, c.Raw) {
				dup = true
				break
			}
		}
		if !dup {
			uniq = append(uniq, c)
		}
	}

	leaf := keyed
	if leaf == nil {
		var candidates []*x509.Certificate
		for _, c := range uniq {
			issuesOther := false
			for _, o := range uniq {
				if o != c && issued(c, o) {
					issuesOther = true
					break
				}
			}
			if !issuesOther {
				candidates = append(candidates, c)
			}
		}
		if len(candidates) == 0 {
			candidates = uniq // a cycle of cross-signed CAs: no end to find
		}
		leaf = candidates[0]
		for _, c := range candidates {
			if !c.IsCA {
				leaf = c
				break
			}
		}
	}

	used := map[*x509.Certificate]bool{}
	for _, u := range uniq {
		if bytes.Equal(u.Raw, leaf.Raw) {
			used[u] = true
		}
	}
	var chain []*x509.Certificate
	for cur := leaf; ; {
		var next *x509.Certificate
		for _, c := range uniq {
			if !used[c] && issued(c, cur) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		used[next] = true
		chain = append(chain, next)
		cur = next
	}
	for _, c := range uniq {
		if !used[c] {
			chain = append(chain, c)
		}
	}
	return leaf, chain
}

// issued reports whether issuer's name and key identifier are those child
// names as its issuer. Signatures are not checked: this orders a file, it
// does not validate trust.
func issued(issuer, child *x509.Certificate) bool {
	if !bytes.Equal(issuer.RawSubject, child.RawIssuer) {
		return false
	}
	if bytes.Equal(issuer.Raw, child.Raw) {
		return false
	}
	if len(child.AuthorityKeyId) > 0 && len(issuer.SubjectKeyId) > 0 {
		return bytes.Equal(child.AuthorityKeyId, issuer.SubjectKeyId)
	}
	return true
}
