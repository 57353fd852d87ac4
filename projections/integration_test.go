package projections

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/events/natsstore"
)

// These tests run the projections against the real log: an embedded
// nats-server with JetStream on a temporary directory.

func openStore(t testing.TB, dir string) *natsstore.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := natsstore.Open(ctx, natsstore.Config{DataDir: dir})
	if err != nil {
		t.Fatalf("natsstore.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// appendRun commits recs' events as one script run. The store assigns the
// sequence and the stored time; the writer always resolves the local
// computer, so an empty identity or server is written as the run's computer.
func appendRun(t testing.TB, ctx context.Context, s events.Store, runID string, recs []events.Record) {
	t.Helper()
	b := events.Batch{RunID: runID}
	for i, r := range recs {
		e := r.Event
		e.Meta.Statement = i
		e.Meta.RunID, e.Meta.EventID = runID, ""
		switch d := e.Data.(type) {
		case events.CertificateAssigned:
			if d.Identity == "" {
				d.Identity = e.Meta.Computer
			}
			e.Data = d
		case events.CertificateRemoved:
			if d.Identity == "" {
				d.Identity = e.Meta.Computer
			}
			e.Data = d
		case events.CertificateImported:
			if d.Server == "" {
				d.Server = e.Meta.Computer
			}
			e.Data = d
		case events.ServicesEnabled:
			if d.Server == "" {
				d.Server = e.Meta.Computer
			}
			e.Data = d
		}
		b.Events = append(b.Events, e)
	}
	if _, err := s.Append(ctx, b); err != nil {
		t.Fatalf("append run %s: %v", runID, err)
	}
}

func readAll(t testing.TB, ctx context.Context, s events.Store) []events.Record {
	t.Helper()
	var recs []events.Record
	if err := s.Read(ctx, 1, func(r events.Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs
}

// TestIntegrationMaterialisedEqualsFold is the materialisation property on
// the real store: runs of random events committed one by one with catch-ups
// in between, then read back, rebuilt and swapped; every model equals the
// pure fold of the records the log returns, byte for byte.
func TestIntegrationMaterialisedEqualsFold(t *testing.T) {
	ctx := context.Background()
	// The rebuild spills its history into segments every few ops.
	spillOps, segmentOps = 7, 5
	t.Cleanup(restoreSizes)
	for seed := range uint64(3) {
		s := openStore(t, t.TempDir())
		gen := genLog(seed, 150)
		rng := rand.New(rand.NewPCG(seed, 2))
		runs := 0
		for i := 0; i < len(gen); {
			n := min(1+rng.IntN(12), len(gen)-i)
			appendRun(t, ctx, s, "run-"+strconv.Itoa(runs), gen[i:i+n])
			runs++
			i += n
			if rng.IntN(3) > 0 {
				if _, err := Open(s, s).Catchup(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		recs := readAll(t, ctx, s)
		if len(recs) != len(gen) {
			t.Fatalf("the log returned %d records, %d were committed", len(recs), len(gen))
		}
		want := dump(t, Fold(recs), recs)
		for _, step := range []struct {
			name string
			do   func() (*Model, error)
		}{
			{"incremental catch-up", func() (*Model, error) { return Open(s, s).Catchup(ctx) }},
			{"rebuild", func() (*Model, error) { return rebuildRead(ctx, Open(s, s), Until{}) }},
			{"read back after the swap", func() (*Model, error) { return Open(s, s).Catchup(ctx) }},
		} {
			m, err := step.do()
			if err != nil {
				t.Fatalf("%s: %v", step.name, err)
			}
			if got := dump(t, m, recs); string(got) != string(want) {
				t.Fatalf("seed %d: %s differs from the pure fold of the log", seed, step.name)
			}
		}
	}
}

// TestIntegrationRollAsOf: a roll staged for an hour from now shows the old
// certificate now and the new one, with its predecessor, from then on;
// history names who staged it and where.
func TestIntegrationRollAsOf(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	eff := time.Now().UTC().Add(time.Hour).Truncate(time.Second)
	b := newLog().
		importCert("atl-cs-001.litwareinc.com", thA, "CN=atl-cs-001.litwareinc.com", t0.AddDate(1, 0, 0)).
		assign("Global", thA, "OAuthTokenIssuer", "Default").
		roll("global", thB, &eff, "OAuthTokenIssuer")
	appendRun(t, ctx, s, "stage", b.recs)

	m, err := Open(s, s, WithComputer("atl-cs-001.litwareinc.com")).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := brief(m.AsOf(time.Now()).Assignments("global"))
	then := brief(m.AsOf(eff).Assignments("global"))
	if want := []string{"Global/Default=A1B2 prev=- eff=- known=true", "Global/OAuthTokenIssuer=A1B2 prev=- eff=- known=true"}; !slices.Equal(now, want) {
		t.Errorf("as of now: %q, want %q", now, want)
	}
	wantThen := "Global/OAuthTokenIssuer=B142 prev=A1B2 eff=" + eff.Format(time.RFC3339) + " known=false"
	if then[1] != wantThen {
		t.Errorf("as of the effective date: %q, want %q", then[1], wantThen)
	}
	if got := brief(m.AtSeq(2, time.Now()).Assignments("")); len(got) != 2 || got[1] != "Global/OAuthTokenIssuer=A1B2 prev=- eff=- known=true" {
		t.Errorf("at seq 2: %q", got)
	}
	if a, ok := m.AsOf(eff).Resolve("", "oauthtokenissuer"); !ok || a.Thumbprint != thB || a.PreviousThumbprint != thA {
		t.Errorf("Resolve as of the effective date = %+v, %v", a, ok)
	}

	// A new process on the same data directory reads the same answers.
	s.Close()
	s2 := openStore(t, dir)
	m2, err := Open(s2, s2).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := brief(m2.AsOf(eff).Assignments("global")); !slices.Equal(got, then) {
		t.Errorf("after reopening: %q, want %q", got, then)
	}
	var hist []HistoryEntry
	if err := ReadHistory(ctx, s2, HistoryFilter{Thumbprint: thA}, func(e HistoryEntry) error { hist = append(hist, e); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(hist) != 3 || hist[2].Event != "certificate.assigned" || !hist[2].Roll || hist[2].PreviousThumbprint != thA ||
		hist[2].Actor != `LITWARE\kenmyer` || hist[2].Script != "rotate.ps1" || hist[2].Line != 3 {
		t.Errorf("history of %s: %+v", thA, hist)
	}
}
