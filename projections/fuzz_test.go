package projections

import (
	"bytes"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
)

// fuzzLog decodes bytes into a log, four bytes an event, so that the fuzzer
// steers event kinds, identities, uses, thumbprints, stored-time steps
// (forward, none, backward) and effective dates directly.
func fuzzLog(data []byte) []events.Record {
	ids := []string{"Global", "global", "fe1.x.com", "FE1.X.COM.", "site:A", "", "service:R:p.x.com", "*.x.com"}
	uses := []string{"Default", "default", "OAuthTokenIssuer", "Internal", "XMPPServer", "Custom"}
	thumbs := []string{thA, thB, thC, "ab cd", ""}
	b := newLog()
	for i := 0; i+4 <= len(data) && i < 4*200; i += 4 {
		k, x, y, z := data[i], data[i+1], data[i+2], data[i+3]
		switch step := int(z>>4) - 4; {
		case step > 0:
			b.at(b.now.Add(time.Duration(step) * time.Hour))
		case step < 0:
			b.at(b.now.Add(time.Duration(step) * time.Minute))
		}
		id, use, th := ids[int(x)%len(ids)], uses[int(y)%len(uses)], thumbs[int(x>>4)%len(thumbs)]
		us := []string{use}
		if y&0x80 != 0 {
			us = append(us, uses[int(y>>3)%len(uses)])
		}
		switch k % 6 {
		case 0:
			b.importCert([]string{"fe1.x.com", "", "EX.x.com"}[int(y)%3], th+"00000000", "CN="+th, t0.AddDate(1, 0, int(k)))
		case 1:
			b.assign(id, th, us...)
		case 2:
			var eff *time.Time
			switch z & 3 {
			case 1:
				eff = ptr(b.now.Add(time.Duration(int(z&0x0c)-6) * time.Hour))
			case 2:
				eff = ptr(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))
			case 3:
				eff = ptr(time.Time{})
			}
			b.roll(id, th, eff, us...)
		case 3:
			b.remove(id, z&1 == 1, us...)
		case 4:
			b.enable([]string{"fe1.x.com", "", "EX.x.com"}[int(y)%3], th, "IIS, smtp", "Bogus", "")
		case 5:
			b.add("Unknown-Thing", nil)
		}
	}
	return b.recs
}

// FuzzFold: for any log, no panic; as-of views agree with the reference
// fold; views after every sequence agree with the fold of the prefix; the
// renderers accept every model.
func FuzzFold(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0x50, 2, 1, 0, 0x55, 3, 1, 0, 0x51, 0, 0, 0, 0x40})
	f.Add([]byte{1, 2, 0x81, 0x40, 2, 3, 0x82, 0x02, 2, 3, 0x82, 0x03, 3, 2, 0x81, 0x31})
	f.Add([]byte{4, 5, 1, 0x60, 5, 0, 0, 0, 0, 7, 2, 0x20, 1, 7, 2, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		recs := fuzzLog(data)
		m := Fold(recs)
		for _, at := range instants(recs) {
			if !at.Before(maxInstant) || !at.After(minInstant) {
				continue // instants beyond 1677–2262 are clamped together (docs/projections.md)
			}
			if got, want := asRef(m.AsOf(at).Assignments("")), reference(recs, countsAsOf(at)); !sameRef(got, want) {
				t.Fatalf("as of %v:\ngot  %v\nwant %v", at, got, want)
			}
		}
		now := t0.AddDate(1, 0, 0)
		for n := range uint64(len(recs) + 1) {
			if got, want := mustJSON(t, m.AtSeq(n, now).Assignments("")), mustJSON(t, Fold(recs[:n]).AsOf(now).Assignments("")); got != want {
				t.Fatalf("at seq %d:\ngot  %s\nwant %s", n, got, want)
			}
		}
		var buf bytes.Buffer
		if err := WriteTable(&buf, m.Certificates("")); err != nil {
			t.Fatal(err)
		}
		if err := WriteCSV(&buf, History(recs, HistoryFilter{Identity: "global"})); err != nil {
			t.Fatal(err)
		}
		m.AsOf(now).CsCertificates("", nil)
		m.ExchangeCertificates("", "")
	})
}

// FuzzLoadDocument: a segment or shard read from a bucket is data another
// process wrote, and may be damaged; parsing and loading it must not panic.
func FuzzLoadDocument(f *testing.F) {
	m := Fold(genLog(1, 60))
	for _, set := range m.shards(2, nil) {
		b, err := m.encodeShard(set)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"Format":3,"Thumbs":["A"],"Slots":[{"Identity":"Global","Use":"Default","Ops":[[1,5,1,1],[-3,-9,9,0,9223372036854775807]]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := parseShard(b)
		if err != nil {
			return
		}
		m := New()
		m.addShard(d, true)
		m.addShard(d, false)
		m.finishLoad()
		v := m.AsOf(t0)
		_ = v.Assignments("")
		_ = m.AtSeq(3, t0).Assignments("")
		_ = m.Certificates("")
	})
}
