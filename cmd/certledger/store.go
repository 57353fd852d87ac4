package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/certledger/certledger/events/natsstore"
	"github.com/certledger/certledger/projections"
)

// openStore opens the log the global flags name: the embedded server on
// --data, or the NATS server or cluster at --server.
func openStore(ctx context.Context, g *Globals, env *Env) (*natsstore.Store, error) {
	cfg := natsstore.Config{
		Replicas: g.Replicas,
		Logf: func(format string, args ...any) {
			fmt.Fprintf(env.Stderr, format+"\n", args...)
		},
	}
	if g.Server != "" {
		cfg.ServerURL, cfg.Creds = g.Server, g.Creds
		cfg.TLSCA, cfg.TLSCert, cfg.TLSKey = g.TLSCA, g.TLSCert, g.TLSKey
	} else {
		cfg.DataDir = g.Data
	}
	return natsstore.Open(ctx, cfg)
}

// openModel opens the store and brings the materialised read model up to
// the log's last event.
func openModel(ctx context.Context, g *Globals, env *Env) (*natsstore.Store, *projections.Model, error) {
	st, err := openStore(ctx, g, env)
	if err != nil {
		return nil, nil, err
	}
	m, err := projections.Open(st, st, projections.WithComputer(g.Computer)).Catchup(ctx)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, m, nil
}

// render writes rows in the --output format.
func render[R projections.Row](w io.Writer, format string, rows []R) error {
	switch format {
	case "json":
		return projections.WriteJSON(w, rows)
	case "csv":
		return projections.WriteCSV(w, rows)
	}
	return projections.WriteTable(w, rows)
}

// parseTime reads an RFC 3339 instant from a flag.
func parseTime(flag, s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s: %q is not an RFC 3339 time (e.g. 2026-11-21T09:00:00Z)", flag, s)
	}
	return t, nil
}
