package projections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
)

const (
	thA = "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678"
	thB = "B142918E463981A76503828BB1278391B7162809"
	thC = "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00"
)

// brief is what the roll scenarios look at in a row.
func brief(rows []Assignment) []string {
	out := []string{}
	for _, a := range rows {
		eff := "-"
		if a.EffectiveDate != nil {
			eff = a.EffectiveDate.Format(time.RFC3339)
		}
		prev := a.PreviousThumbprint
		if prev == "" {
			prev = "-"
		}
		out = append(out, fmt.Sprintf("%s/%s=%.4s prev=%.4s eff=%s known=%t", a.Identity, a.Use, a.Thumbprint, prev, eff, a.Known))
	}
	return out
}

func TestRollStagedForNextYear(t *testing.T) {
	nextYear := t0.AddDate(1, 0, 0)
	b := newLog().
		importCert("atl-cs-001.litwareinc.com", thA, "CN=atl-cs-001", t0.AddDate(1, 1, 0)).
		importCert("atl-cs-001.litwareinc.com", thB, "CN=atl-cs-001", t0.AddDate(2, 1, 0)).
		assign("global", thA, "OAuthTokenIssuer", "Default").
		at(t0.Add(time.Hour)).roll("Global", thB, &nextYear, "OAuthTokenIssuer").
		at(nextYear.AddDate(0, 0, 1)).remove("GLOBAL", true, "oauthtokenissuer").
		at(nextYear.AddDate(0, 0, 2)).remove("global", false, "OAuthTokenIssuer")
	m := Fold(b.recs)

	tests := []struct {
		name string
		view View
		want []string
	}{
		{"before anything", m.AsOf(t0.Add(-time.Second)), []string{}},
		{"assigned", m.AsOf(t0), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=A1B2 prev=- eff=- known=true"}},
		{"roll staged, old still in force", m.AsOf(t0.Add(2 * time.Hour)), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=A1B2 prev=- eff=- known=true"}},
		{"one instant before the effective date", m.AsOf(nextYear.Add(-time.Nanosecond)), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=A1B2 prev=- eff=- known=true"}},
		{"at the effective date", m.AsOf(nextYear), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=B142 prev=A1B2 eff=2027-11-21T09:00:00Z known=true"}},
		{"previous removed", m.AsOf(nextYear.AddDate(0, 0, 1)), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=B142 prev=- eff=2027-11-21T09:00:00Z known=true"}},
		{"removed", m.AsOf(nextYear.AddDate(0, 0, 3)), []string{
			"Global/Default=A1B2 prev=- eff=- known=true"}},
		{"after the roll's record, evaluated today", m.AtSeq(4, t0.Add(2*time.Hour)), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=A1B2 prev=- eff=- known=true"}},
		{"after the roll's record, evaluated next year", m.AtSeq(4, nextYear), []string{
			"Global/Default=A1B2 prev=- eff=- known=true",
			"Global/OAuthTokenIssuer=B142 prev=A1B2 eff=2027-11-21T09:00:00Z known=true"}},
		{"before the imports' sequence", m.AtSeq(0, nextYear), []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := brief(tt.view.Assignments("")); !slices.Equal(got, tt.want) {
				t.Errorf("got\n\t%q\nwant\n\t%q", got, tt.want)
			}
		})
	}
}

func TestAssignmentSemantics(t *testing.T) {
	past := t0.Add(-24 * time.Hour)
	tests := []struct {
		name string
		log  *logBuilder
		at   time.Time
		want []string
	}{
		{"never imported is unknown",
			newLog().assign("Global", thC, "Default"), t0,
			[]string{"Global/Default=C0FF prev=- eff=- known=false"}},
		{"imported after the as-of instant is unknown then",
			newLog().assign("Global", thA, "Default").at(t0.Add(time.Hour)).importCert("x", thA, "CN=x", t0), t0,
			[]string{"Global/Default=A1B2 prev=- eff=- known=false"}},
		{"a roll with a past effective date counts at once",
			newLog().assign("Global", thA, "Default").roll("Global", thB, &past, "Default"), t0,
			[]string{"Global/Default=B142 prev=A1B2 eff=2026-11-20T09:00:00Z known=false"}},
		{"an effective date of DateTime.MaxValue is never reached",
			newLog().assign("Global", thA, "Default").roll("Global", thB, ptr(time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)), "Default"), t0.AddDate(200, 0, 0),
			[]string{"Global/Default=A1B2 prev=- eff=- known=false"}},
		{"an effective date of DateTime's zero counts at once",
			newLog().assign("Global", thA, "Default").roll("Global", thB, ptr(time.Time{}), "Default"), t0,
			[]string{"Global/Default=B142 prev=A1B2 eff=1677-09-21T00:12:43Z known=false"}},
		{"a roll without an effective date counts at once",
			newLog().assign("Global", thA, "Default").roll("Global", thB, nil, "Default"), t0,
			[]string{"Global/Default=B142 prev=A1B2 eff=- known=false"}},
		{"a plain assignment replaces a pending roll",
			newLog().assign("Global", thA, "Default").roll("Global", thB, ptr(t0.Add(48*time.Hour)), "Default").
				at(t0.Add(time.Hour)).assign("Global", thC, "Default"), t0.Add(72 * time.Hour),
			[]string{"Global/Default=C0FF prev=- eff=- known=false"}},
		{"removing what was never assigned changes nothing",
			newLog().remove("Global", false, "Default").assign("Global", thA, "Default"), t0,
			[]string{"Global/Default=A1B2 prev=- eff=- known=false"}},
		{"identities and uses are case-insensitive, Global canonical, FQDNs lower-case",
			newLog().assign("GLOBAL", thA, "default").assign("ATL-CS-001.LitwareInc.COM.", thB, "WEBSERVICESINTERNAL").
				assign("site:Redmond", thC, "Internal").assign("SITE:REDMOND", thA, "internal"), t0,
			[]string{"Global/Default=A1B2 prev=- eff=- known=false",
				"atl-cs-001.litwareinc.com/WebServicesInternal=B142 prev=- eff=- known=false",
				"site:Redmond/Internal=A1B2 prev=- eff=- known=false"}},
		{"no identity is the run's computer",
			newLog().assign("", thA, "Default"), t0,
			[]string{"atl-cs-001.litwareinc.com/Default=A1B2 prev=- eff=- known=false"}},
		{"thumbprints are upper-case hex",
			newLog().assign("Global", "a1 b2 c3 d4 e5 f6 07 18 29 3a 4b 5c 6d 7e 8f 90 12 34 56 78", "Default"), t0,
			[]string{"Global/Default=A1B2 prev=- eff=- known=false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := brief(Fold(tt.log.recs).AsOf(tt.at).Assignments(""))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n\t%q\nwant\n\t%q", got, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	b := newLog().
		assign("Global", thA, "Default", "OAuthTokenIssuer").
		assign("atl-cs-001.litwareinc.com", thB, "Default").
		at(t0.Add(time.Hour)).remove("atl-cs-001.litwareinc.com", false, "Default")
	m := Fold(b.recs, WithComputer("ATL-CS-001.litwareinc.com"))
	tests := []struct {
		at             time.Time
		computer, use  string
		want, identity string
	}{
		{t0, "", "default", thB, "atl-cs-001.litwareinc.com"},
		{t0, "atl-cs-001.LITWAREINC.com", "OAuthTokenIssuer", thA, "Global"},
		{t0, "lyncfe2.litwareinc.com", "Default", thA, "Global"},
		{t0.Add(time.Hour), "", "Default", thA, "Global"},
		{t0, "", "WebServicesExternal", "", ""},
	}
	for _, tt := range tests {
		a, ok := m.AsOf(tt.at).Resolve(tt.computer, tt.use)
		if a.Thumbprint != tt.want || a.Identity != tt.identity || ok != (tt.want != "") {
			t.Errorf("Resolve(%q, %q) at %v = %q from %q, %v; want %q from %q", tt.computer, tt.use, tt.at, a.Thumbprint, a.Identity, ok, tt.want, tt.identity)
		}
	}
	cs := m.AsOf(t0).CsCertificates("", nil)
	if len(cs) != 2 || cs[0].Use != "Default" || cs[0].Thumbprint != thB || cs[1].Use != "OAuthTokenIssuer" || cs[1].Identity != "Global" {
		t.Errorf("Get-CsCertificate on the local computer = %+v", cs)
	}
}

// refState is the specification of a slot, computed the slow and obvious
// way: filter the records a view counts, fold them in order.
type refState struct {
	thumb, prev string
	eff         *time.Time
}

func reference(recs []events.Record, counts func(events.Record) bool) map[string]refState {
	ref := map[string]refState{}
	for _, r := range recs {
		if !counts(r) {
			continue
		}
		switch d := r.Event.Data.(type) {
		case events.CertificateAssigned:
			if normThumbprint(d.Thumbprint) == "" {
				continue // assigns nothing
			}
			ik, _ := identityKey(d.Identity, r.Event.Meta.Computer)
			done := map[string]bool{} // -Type Default,default names one use
			for _, u := range d.Uses {
				uk, _ := useKey(u)
				k := ik + "|" + uk
				if done[k] {
					continue
				}
				done[k] = true
				s := refState{thumb: normThumbprint(d.Thumbprint)}
				if d.Roll {
					s.prev, s.eff = ref[k].thumb, d.EffectiveDate
				}
				ref[k] = s
			}
		case events.CertificateRemoved:
			ik, _ := identityKey(d.Identity, r.Event.Meta.Computer)
			for _, u := range d.Uses {
				uk, _ := useKey(u)
				k := ik + "|" + uk
				if s, ok := ref[k]; ok && d.Previous {
					s.prev = ""
					ref[k] = s
				} else if ok {
					delete(ref, k)
				}
			}
		}
	}
	return ref
}

// countsAsOf is the audit rule: stored by t, and a roll only once its
// EffectiveDate ≤ t.
func countsAsOf(t time.Time) func(events.Record) bool {
	return func(r events.Record) bool {
		if r.Stored.After(t) {
			return false
		}
		d, ok := r.Event.Data.(events.CertificateAssigned)
		return !ok || !d.Roll || d.EffectiveDate == nil || !d.EffectiveDate.After(t)
	}
}

func asRef(rows []Assignment) map[string]refState {
	got := map[string]refState{}
	for _, a := range rows {
		ik, _ := identityKey(a.Identity, "")
		uk, _ := useKey(a.Use)
		got[ik+"|"+uk] = refState{a.Thumbprint, a.PreviousThumbprint, a.EffectiveDate}
	}
	return got
}

func sameRef(a, b map[string]refState) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || x.thumb != y.thumb || x.prev != y.prev || (x.eff == nil) != (y.eff == nil) || (x.eff != nil && nanos(*x.eff) != nanos(*y.eff)) {
			return false
		}
	}
	return true
}

// instants are the moments where a view of recs can change, and either side.
func instants(recs []events.Record) []time.Time {
	var ts []time.Time
	for _, r := range recs {
		ts = append(ts, r.Stored, r.Stored.Add(-time.Nanosecond))
		if d, ok := r.Event.Data.(events.CertificateAssigned); ok && d.EffectiveDate != nil {
			ts = append(ts, *d.EffectiveDate, d.EffectiveDate.Add(-time.Nanosecond))
		}
	}
	return append(ts, t0.AddDate(10, 0, 0))
}

func keyed(rows []Assignment) []Assignment {
	for i := range rows {
		rows[i].Identity, _ = identityKey(rows[i].Identity, "")
	}
	return rows
}

func mustJSON(t testing.TB, rows []Assignment) string {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestAsOfMatchesReference checks the timeline against the definition of an
// as-of view at every instant where something can change, for random logs.
func TestAsOfMatchesReference(t *testing.T) {
	for seed := range uint64(40) {
		recs := genLog(seed, 120)
		m := Fold(recs)
		for _, at := range instants(recs) {
			want := reference(recs, countsAsOf(at))
			if got := asRef(m.AsOf(at).Assignments("")); !sameRef(got, want) {
				t.Fatalf("seed %d, as of %v:\ngot  %v\nwant %v", seed, at, got, want)
			}
			// And byte for byte against the fold of exactly the records
			// that count, viewed when all of them do.
			var prefix []events.Record
			for _, r := range recs {
				if countsAsOf(at)(r) {
					prefix = append(prefix, r)
				}
			}
			// The display spelling of an identity is the first the whole log
			// used, which a filtered log may not contain: compare keys.
			whole := mustJSON(t, keyed(Fold(prefix).AsOf(t0.AddDate(100, 0, 0)).Assignments("")))
			if got := mustJSON(t, keyed(m.AsOf(at).Assignments(""))); got != whole {
				t.Fatalf("seed %d, as of %v: as-of view\n%s\nfold of what counts\n%s", seed, at, got, whole)
			}
		}
	}
}

// TestAtSeqMatchesPrefix: the view after sequence n equals the fold of the
// first n records, evaluated at the same instant.
func TestAtSeqMatchesPrefix(t *testing.T) {
	for seed := range uint64(40) {
		recs := genLog(seed, 120)
		m := Fold(recs)
		for _, now := range []time.Time{recs[len(recs)/2].Stored, recs[len(recs)-1].Stored, t0.AddDate(5, 0, 0)} {
			for n := range uint64(len(recs) + 1) {
				prefix := Fold(recs[:n])
				want := mustJSON(t, prefix.AsOf(now).Assignments(""))
				if got := mustJSON(t, m.AtSeq(n, now).Assignments("")); got != want {
					t.Fatalf("seed %d, at seq %d, now %v:\ngot  %s\nwant %s", seed, n, now, got, want)
				}
			}
		}
	}
}

// TestApplyIsIdempotent: records already applied are skipped, so a catch-up
// that is run twice (or resumes after a crash) converges.
func TestApplyIsIdempotent(t *testing.T) {
	recs := genLog(7, 300)
	once := Fold(recs)
	twice := Fold(append(slices.Clone(recs[:200]), recs...))
	a, _ := json.Marshal(once.AsOf(t0.AddDate(3, 0, 0)).Assignments(""))
	b, _ := json.Marshal(twice.AsOf(t0.AddDate(3, 0, 0)).Assignments(""))
	if !bytes.Equal(a, b) {
		t.Errorf("applying records twice changed the model:\n%s\n%s", a, b)
	}
}

func TestInventory(t *testing.T) {
	b := newLog().
		importCert("EX01.LitwareInc.com", thA, "CN=mail.litwareinc.com", t0.AddDate(1, 0, 0)).
		importCert("", thB, "CN=atl-cs-001", t0.AddDate(1, 0, 0)).
		enable("ex01.litwareinc.com", strLower(thA), "SMTP, iis").
		enable("EX01.litwareinc.com", thA, "IMAP", "pop", "Smtp").
		enable("EX02.litwareinc.com", thC, "IIS")
	m := Fold(b.recs, WithComputer("atl-cs-001.litwareinc.com"))
	rows := m.Certificates("")
	got := []string{}
	for _, c := range rows {
		got = append(got, fmt.Sprintf("%s %.4s %s %v imported=%t", c.Server, c.Thumbprint, c.Subject, c.Services, c.NotAfter != nil))
	}
	want := []string{
		"atl-cs-001.litwareinc.com B142 CN=atl-cs-001 [] imported=true",
		"ex01.litwareinc.com A1B2 CN=mail.litwareinc.com [IMAP POP IIS SMTP] imported=true",
		"ex02.litwareinc.com C0FF  [IIS] imported=false",
	}
	if !slices.Equal(got, want) {
		t.Errorf("inventory\n\t%q\nwant\n\t%q", got, want)
	}
	if n := len(m.Certificates("EX01.litwareinc.com")); n != 1 {
		t.Errorf("-Server EX01: %d rows, want 1", n)
	}
	ex := m.ExchangeCertificates("ex01.litwareinc.com", "")
	if len(ex) != 1 || ex[0].Identity != `ex01.litwareinc.com\`+thA || !slices.Equal(ex[0].Services, []string{"IMAP", "POP", "IIS", "SMTP"}) ||
		!slices.Equal(ex[0].CertificateDomains, []string{"sip.litwareinc.com", "atl-cs-001.litwareinc.com"}) {
		t.Errorf("Get-ExchangeCertificate -Server ex01 = %+v", ex)
	}
	if c, ok := m.Certificate("", strLower(thA)); !ok || c.Server != "ex01.litwareinc.com" || c.Subject != "CN=mail.litwareinc.com" {
		t.Errorf("Certificate(any server, A) = %+v, %v", c, ok)
	}
	if _, ok := m.Certificate("EX02.litwareinc.com", thC); ok {
		t.Errorf("a certificate only given services is reported as imported")
	}
	if _, ok := m.Certificate("atl-cs-001.litwareinc.com", thA); ok {
		t.Errorf("a certificate is reported on a server that did not import it")
	}
	if ex := m.ExchangeCertificates("EX02.litwareinc.com", thC); len(ex) != 0 {
		t.Errorf("a certificate never imported is listed by Get-ExchangeCertificate: %+v", ex)
	}
}

func strLower(s string) string { return string(bytes.ToLower([]byte(s))) }

func TestHistory(t *testing.T) {
	nextYear := t0.AddDate(1, 0, 0)
	b := newLog().
		importCert("atl-cs-001.litwareinc.com", thA, "CN=a", nextYear).
		assign("Global", thA, "OAuthTokenIssuer").
		roll("global", thB, &nextYear, "OAuthTokenIssuer").
		assign("atl-cs-001.litwareinc.com", thC, "Default").
		remove("Global", true, "OAuthTokenIssuer").
		remove("Global", false, "OAuthTokenIssuer")
	seqs := func(es []HistoryEntry) []uint64 {
		out := []uint64{}
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	tests := []struct {
		f    HistoryFilter
		want []uint64
	}{
		{HistoryFilter{}, []uint64{1, 2, 3, 4, 5, 6}},
		{HistoryFilter{Thumbprint: strLower(thA)}, []uint64{1, 2, 3, 5}}, // the roll replaced it, -Previous removed it
		{HistoryFilter{Thumbprint: thB}, []uint64{3, 6}},
		{HistoryFilter{Thumbprint: thC}, []uint64{4}},
		{HistoryFilter{Identity: "GLOBAL"}, []uint64{2, 3, 5, 6}},
		{HistoryFilter{Identity: "ATL-CS-001.litwareinc.com"}, []uint64{1, 4}},
		{HistoryFilter{Identity: "global", Thumbprint: thC}, []uint64{}},
	}
	for _, tt := range tests {
		if got := seqs(History(b.recs, tt.f)); !slices.Equal(got, tt.want) {
			t.Errorf("History(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
	h := History(b.recs, HistoryFilter{})
	if e := h[4]; e.Script != "rotate.ps1" || e.Line != 5 || e.Actor != `LITWARE\kenmyer` || !slices.Equal(e.Removed, []string{thA}) || e.Event != "certificate.removed" {
		t.Errorf("entry 5 = %+v", e)
	}
}

func TestDiff(t *testing.T) {
	b := newLog().
		assign("Global", thA, "Default", "OAuthTokenIssuer").
		at(t0.Add(time.Hour)).assign("Global", thB, "Default").
		assign("site:Redmond", thC, "Internal").
		remove("Global", false, "OAuthTokenIssuer")
	m := Fold(b.recs)
	got := []string{}
	for _, c := range m.Diff(t0, t0.Add(time.Hour)) {
		got = append(got, fmt.Sprintf("%s %s/%s %.4s→%.4s", c.Change, c.Identity, c.Use, c.From, c.To))
	}
	want := []string{"Changed Global/Default A1B2→B142", "Added site:Redmond/Internal →C0FF", "Removed Global/OAuthTokenIssuer A1B2→"}
	if !slices.Equal(got, want) {
		t.Errorf("Diff = %q, want %q", got, want)
	}
	if d := m.Diff(t0.Add(time.Hour), t0.Add(time.Hour)); len(d) != 0 {
		t.Errorf("Diff of an instant with itself = %v", d)
	}
}
