package projections

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// rollLog is the story the golden read models tell: a Lync pool's
// certificates, an OAuth roll staged for next year, an Exchange server.
func rollLog() *logBuilder {
	nextYear := t0.AddDate(1, 0, 0)
	return newLog().
		importCert("atl-cs-001.litwareinc.com", thA, "CN=atl-cs-001.litwareinc.com", t0.AddDate(1, 1, 0)).
		importCert("atl-cs-001.litwareinc.com", thB, "CN=atl-cs-001.litwareinc.com", t0.AddDate(2, 1, 0)).
		importCert("EX01.litwareinc.com", thC, "CN=mail.litwareinc.com", t0.AddDate(0, 6, 0)).
		enable("EX01.litwareinc.com", thC, "IIS, SMTP").
		assign("Global", thA, "Default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer").
		at(t0.Add(time.Hour)).roll("global", thB, &nextYear, "OAuthTokenIssuer").
		assign("site:Redmond", "FEEDFACE00FEEDFACE00FEEDFACE00FEEDFACE00", "Internal").
		at(t0.Add(2*time.Hour)).add(`Remove-CsCertificate -Identity Global -Type WebServicesExternal`, eventsRemoved("Global", "WebServicesExternal"))
}

func TestGoldenReadModels(t *testing.T) {
	m := Fold(rollLog().recs, WithComputer("atl-cs-001.litwareinc.com"))
	views := []struct {
		name string
		rows []Assignment
	}{
		{"assignments-today", m.AsOf(t0.Add(3 * time.Hour)).Assignments("")},
		{"assignments-next-year", m.AsOf(t0.AddDate(1, 0, 0)).Assignments("")},
	}
	for _, v := range views {
		render(t, v.name, v.rows)
	}
	render(t, "certificates", m.Certificates(""))
	render(t, "history", History(rollLog().recs, HistoryFilter{}))
	render(t, "diff", m.Diff(t0, t0.AddDate(1, 0, 0)))
}

func render[R Row](t *testing.T, name string, rows []R) {
	t.Helper()
	for _, f := range []struct {
		ext   string
		write func(*bytes.Buffer) error
	}{
		{"json", func(b *bytes.Buffer) error { return WriteJSON(b, rows) }},
		{"txt", func(b *bytes.Buffer) error { return WriteTable(b, rows) }},
		{"csv", func(b *bytes.Buffer) error { return WriteCSV(b, rows) }},
	} {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			t.Fatal(err)
		}
		golden(t, name+"."+f.ext, buf.Bytes())
	}
}

// TestJSONShapes pins the contract's property names and order, whatever the
// golden files say.
func TestJSONShapes(t *testing.T) {
	m := Fold(rollLog().recs, WithComputer("atl-cs-001.litwareinc.com"))
	keys := func(v any) []string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			out = append(out, k.(string))
			var skip json.RawMessage
			dec.Decode(&skip)
		}
		return out
	}
	a := m.AsOf(t0.AddDate(1, 0, 0)).Assignments("")
	if got, want := keys(a[0]), []string{"Identity", "Use", "Thumbprint", "PreviousThumbprint", "EffectiveDate", "Subject", "NotAfter", "Known"}; !slices.Equal(got, want) {
		t.Errorf("assignments row keys %v, want %v", got, want)
	}
	c := m.Certificates("")
	want := []string{"Server", "Thumbprint", "Subject", "Issuer", "NotBefore", "NotAfter", "SerialNumber", "FriendlyName", "HasPrivateKey", "AlternativeNames", "Source"}
	if got := keys(c[0]); !slices.Equal(got[:len(want)], want) {
		t.Errorf("certificates row keys %v, want %v first", got, want)
	}
	var buf bytes.Buffer
	WriteJSON(&buf, a)
	if !strings.Contains(buf.String(), `"EffectiveDate": "2027-11-21T09:00:00Z"`) {
		t.Errorf("times are not RFC 3339 UTC:\n%s", buf.String())
	}
	buf.Reset()
	WriteJSON(&buf, []Assignment(nil))
	if buf.String() != "[]\n" {
		t.Errorf("no rows = %q, want []", buf.String())
	}
}

func TestTableLayout(t *testing.T) {
	rows := []Certificate{
		{Server: "ex01", Thumbprint: "AB", Subject: "CN=é", AlternativeNames: []string{"a", "b"}, HasPrivateKey: true, Services: []string{}},
		{Server: "a-much-longer-server-name", Thumbprint: "CDEF", AlternativeNames: []string{}, Services: []string{"IIS"}},
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, rows); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	if lines[0] != "" || lines[len(lines)-1] != "" || lines[len(lines)-2] != "" {
		t.Errorf("table not framed by blank lines: %q", buf.String())
	}
	head, dash, r1 := lines[1], lines[2], lines[3]
	if !strings.HasPrefix(head, "Server                    Thumbprint Subject Issuer NotBefore NotAfter") {
		t.Errorf("header %q", head)
	}
	if !strings.HasPrefix(dash, "------                    ---------- ------- ------") {
		t.Errorf("dashes %q", dash)
	}
	if !strings.Contains(r1, "CN=é    ") || !strings.Contains(r1, "True          {a, b}") {
		t.Errorf("row %q", r1)
	}
	for _, l := range lines {
		if strings.HasSuffix(l, " ") {
			t.Errorf("trailing space in %q", l)
		}
	}
	buf.Reset()
	WriteTable(&buf, []Certificate{})
	if buf.Len() != 0 {
		t.Errorf("empty table wrote %q", buf.String())
	}
}

func TestCSV(t *testing.T) {
	m := Fold(rollLog().recs, WithComputer("atl-cs-001.litwareinc.com"))
	var buf bytes.Buffer
	if err := WriteCSV(&buf, m.Certificates("")); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 4 || recs[0][0] != "Server" || recs[0][10] != "Source" {
		t.Fatalf("csv = %q", recs)
	}
	if recs[1][9] != "sip.litwareinc.com;atl-cs-001.litwareinc.com" || recs[1][8] != "True" {
		t.Errorf("csv row = %q", recs[1])
	}
}
