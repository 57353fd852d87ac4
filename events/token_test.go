package events

import (
	"regexp"
	"strings"
	"testing"
)

// A token must be one NATS subject token (no '.', no whitespace, not a
// wildcard) and a valid JetStream KV key (nats.go's key pattern).
var (
	kvKey      = regexp.MustCompile(`^[-/_=\.a-zA-Z0-9]+$`)
	tokenShape = regexp.MustCompile(`^[-_A-Za-z0-9]+$`)
)

func checkToken(t *testing.T, s, tok string) {
	t.Helper()
	if !tokenShape.MatchString(tok) || !kvKey.MatchString(tok) || strings.ContainsAny(tok, ".*> \t\r\n") {
		t.Fatalf("EncodeToken(%q) = %q: not subject- and KV-safe", s, tok)
	}
	back, err := DecodeToken(tok)
	if err != nil || back != s {
		t.Fatalf("DecodeToken(EncodeToken(%q)) = %q, %v", s, back, err)
	}
}

func TestTokenRoundTrip(t *testing.T) {
	for _, tc := range []struct{ in, tok string }{
		{"global", "global"},
		{"pool.contoso.com", "pool_2Econtoso_2Ecom"},
		{"*.contoso.com", "_2A_2Econtoso_2Ecom"},
		{"site:Redmond", "site_3ARedmond"},
		{`srv01\B1429`, "srv01_5CB1429"},
		{"a_b", "a_5Fb"},
		{">", "_3E"},
		{"ä", "_C3_A4"},
		{"with space", "with_20space"},
	} {
		got, err := EncodeToken(tc.in)
		if err != nil || got != tc.tok {
			t.Errorf("EncodeToken(%q) = %q, %v; want %q", tc.in, got, err, tc.tok)
		}
		checkToken(t, tc.in, got)
	}
	if _, err := EncodeToken(""); err == nil {
		t.Error("EncodeToken(\"\") succeeded")
	}
	for _, bad := range []string{"", "a.b", "a*", "_2e", "_2", "_ZZ", "_61", "a b"} {
		if got, err := DecodeToken(bad); err == nil {
			t.Errorf("DecodeToken(%q) = %q, want an error", bad, got)
		}
	}
}

func FuzzToken(f *testing.F) {
	for _, s := range []string{"global", "*.contoso.com", `srv\THUMB`, "_", "ä.ö", "\x00\xff", ">"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if s == "" {
			return
		}
		tok, err := EncodeToken(s)
		if err != nil {
			t.Fatal(err)
		}
		checkToken(t, s, tok)
	})
}

func FuzzDecodeToken(f *testing.F) {
	for _, s := range []string{"global", "_2A_2Econtoso", "_zz", "_", "a_2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		s, err := DecodeToken(tok)
		if err != nil {
			return
		}
		// Whatever decodes must be the one token of its string.
		if again, err := EncodeToken(s); err != nil || again != tok {
			t.Fatalf("DecodeToken(%q) = %q, which encodes to %q", tok, s, again)
		}
	})
}

func TestSubjects(t *testing.T) {
	agg := Aggregate{Kind: "assignment", ID: "*.contoso.com"}
	subj, err := Subject(agg, "certificate.assigned")
	if err != nil || subj != "certledger.assignment._2A_2Econtoso_2Ecom.certificate_assigned" {
		t.Fatalf("Subject = %q, %v", subj, err)
	}
	f, _ := AggregateFilter(agg)
	if f != "certledger.assignment._2A_2Econtoso_2Ecom.>" {
		t.Fatalf("AggregateFilter = %q", f)
	}
	back, ev, err := ParseSubject(subj)
	if err != nil || back != agg || ev != "certificate_assigned" {
		t.Fatalf("ParseSubject = %v %q %v", back, ev, err)
	}
	for _, bad := range []Aggregate{{Kind: "", ID: "x"}, {Kind: "Assign", ID: "x"}, {Kind: "a.b", ID: "x"}, {Kind: "assignment", ID: ""}} {
		if s, err := Subject(bad, "certificate.assigned"); err == nil {
			t.Errorf("Subject(%+v) = %q, want an error", bad, s)
		}
	}
	if _, err := Subject(agg, "Bad Type"); err == nil {
		t.Error("bad event type accepted")
	}
}
