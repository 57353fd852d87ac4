package certfile

import (
	"crypto/x509/pkix"
	"encoding/asn1"
	"testing"
)

func TestWindowsName(t *testing.T) {
	oid := func(s ...int) asn1.ObjectIdentifier { return asn1.ObjectIdentifier(s) }
	atv := func(o asn1.ObjectIdentifier, v any) pkix.AttributeTypeAndValue {
		return pkix.AttributeTypeAndValue{Type: o, Value: v}
	}
	var (
		c   = oid(2, 5, 4, 6)
		st  = oid(2, 5, 4, 8)
		l   = oid(2, 5, 4, 7)
		o   = oid(2, 5, 4, 10)
		ou  = oid(2, 5, 4, 11)
		cn  = oid(2, 5, 4, 3)
		e   = oid(1, 2, 840, 113549, 1, 9, 1)
		dc  = oid(0, 9, 2342, 19200300, 100, 1, 25)
		odd = oid(1, 3, 6, 1, 4, 1, 311, 60, 2, 1, 3) // jurisdictionC, unknown to the table
	)
	tests := []struct {
		name string
		rdns pkix.RDNSequence
		want string
	}{
		{"usual order printed CN first",
			pkix.RDNSequence{{atv(c, "US")}, {atv(o, "Contoso")}, {atv(cn, "mail.contoso.com")}},
			"CN=mail.contoso.com, O=Contoso, C=US"},
		{"state is S, e-mail is E",
			pkix.RDNSequence{{atv(c, "US")}, {atv(st, "Washington")}, {atv(l, "Redmond")}, {atv(o, "Contoso")}, {atv(ou, "IT")}, {atv(cn, "sip.contoso.com")}, {atv(e, "pki@contoso.com")}},
			"E=pki@contoso.com, CN=sip.contoso.com, OU=IT, O=Contoso, L=Redmond, S=Washington, C=US"},
		{"CN-first encoding prints C first",
			pkix.RDNSequence{{atv(cn, "legacy")}, {atv(c, "US")}},
			"C=US, CN=legacy"},
		{"comma is quoted",
			pkix.RDNSequence{{atv(c, "US")}, {atv(o, "Contoso, Ltd.")}, {atv(cn, "Contoso CA")}},
			`CN=Contoso CA, O="Contoso, Ltd.", C=US`},
		{"quotes doubled inside quotes",
			pkix.RDNSequence{{atv(cn, `say "hi"`)}},
			`CN="say ""hi"""`},
		{"leading and trailing space quoted",
			pkix.RDNSequence{{atv(cn, " padded ")}},
			`CN=" padded "`},
		{"apostrophe and slash are not special",
			pkix.RDNSequence{{atv(o, "Let's Encrypt")}, {atv(cn, "a/b")}},
			"CN=a/b, O=Let's Encrypt"},
		{"multi-valued RDN joined with plus",
			pkix.RDNSequence{{atv(dc, "com")}, {atv(dc, "contoso")}, {atv(cn, "Jane"), atv(ou, "Sales")}},
			"CN=Jane + OU=Sales, DC=contoso, DC=com"},
		{"unknown OID",
			pkix.RDNSequence{{atv(odd, "US")}, {atv(cn, "x")}},
			"CN=x, OID.1.3.6.1.4.1.311.60.2.1.3=US"},
		{"empty value",
			pkix.RDNSequence{{atv(cn, "")}},
			`CN=""`},
		{"empty name", pkix.RDNSequence{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw, err := asn1.Marshal(tt.rdns)
			if err != nil {
				t.Fatal(err)
			}
			if got := windowsName(raw); got != tt.want {
				t.Errorf("windowsName = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestWindowsNameNonString(t *testing.T) {
	raw, err := asn1.Marshal(pkix.RDNSequence{{{Type: asn1.ObjectIdentifier{1, 2, 3}, Value: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := windowsName(raw), "OID.1.2.3=#020105"; got != want {
		t.Errorf("windowsName = %q, want %q", got, want)
	}
}

func TestHintFormat(t *testing.T) {
	for name, want := range map[string]string{
		`c:\certificates\import.pfx`: FormatPFX,
		"IMPORT.P12":                 FormatPFX,
		"/srv/certs/import.p7b":      FormatPKCS7,
		`\\fs01\share\server.CER`:    FormatCert,
		"server.pem":                 FormatCert,
		"FileData":                   "",
		`c:\dir.pfx\file`:            "",
	} {
		if got := hintFormat(name); got != want {
			t.Errorf("hintFormat(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		der  []byte
		want sniffed
	}{
		{"pfx", []byte{0x30, 0x03, 0x02, 0x01, 0x03}, sniffed{format: FormatPFX, end: 5}},
		{"pkcs7 long form", []byte{0x30, 0x81, 0x02, 0x06, 0x00}, sniffed{format: FormatPKCS7, end: 5}},
		{"cert with trailing", []byte{0x30, 0x02, 0x30, 0x00, 0x0A}, sniffed{format: FormatCert, end: 4, trailing: 1}},
		{"truncated", []byte{0x30, 0x82, 0x10, 0x00, 0x02, 0x01}, sniffed{format: FormatPFX, truncated: true}},
		{"header cut", []byte{0x30, 0x82, 0x10}, sniffed{truncated: true}},
		{"indefinite", []byte{0x30, 0x80, 0x06, 0x09}, sniffed{format: FormatPKCS7, indefinite: true}},
		{"not a sequence", []byte{0x04, 0x02, 0x00, 0x00}, sniffed{}},
		{"unknown first element", []byte{0x30, 0x02, 0x04, 0x00}, sniffed{}},
		{"length of length too big", []byte{0x30, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sniffed{}},
	}
	for _, tt := range tests {
		if got := sniff(tt.der); got != tt.want {
			t.Errorf("%s: sniff = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}
