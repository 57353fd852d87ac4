package natsstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
)

func openTemp(t testing.TB, cfg Config) *Store {
	t.Helper()
	if cfg.DataDir == "" && cfg.ServerURL == "" {
		cfg.DataDir = t.TempDir()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

var t0 = time.Date(2026, 11, 21, 23, 0, 0, 0, time.UTC)

func meta(stmt int) events.Meta {
	return events.Meta{
		Actor:        "CONTOSO\\admin",
		Host:         "adminbox",
		Time:         t0,
		Script:       "rotate.ps1",
		ScriptSHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		Line:         stmt + 1,
		Char:         1,
		Statement:    stmt,
		Producer:     "certledger/test",
		Command:      "Set-CsCertificate -Type Default -Thumbprint B1429",
	}
}

func assigned(identity, thumb string, stmt int) events.Event {
	return events.Event{Meta: meta(stmt), Data: events.CertificateAssigned{
		Identity: identity, Uses: []string{"Default"}, Thumbprint: thumb, Known: true,
	}}
}

// run builds a batch of n assignment events on distinct identities.
func run(id string, n int) events.Batch {
	b := events.Batch{RunID: id}
	for i := range n {
		b.Events = append(b.Events, assigned(fmt.Sprintf("pool%d.contoso.com", i), "B1429", i))
	}
	return b
}

func readAll(t testing.TB, s *Store) []events.Record {
	t.Helper()
	var recs []events.Record
	if err := s.Read(context.Background(), 0, func(r events.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("Read: %v", err)
	}
	return recs
}

func msgCount(t testing.TB, s *Store) uint64 {
	t.Helper()
	info, err := s.stream.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Msgs
}
