package main

import (
	"context"
	"fmt"
	"time"

	"github.com/certledger/certledger/cmd/internal/memlimit"
	"github.com/certledger/certledger/projections"
)

// ReplayCmd rebuilds the projections from the first event of the log into
// a fresh bucket and swaps it in; readers never see a half-built model.
type ReplayCmd struct {
	Until    string `name:"until" placeholder:"RFC3339" help:"Leave out events stored after this instant."`
	UntilSeq uint64 `name:"until-seq" placeholder:"N" help:"Leave out events after sequence N."`
}

func (c *ReplayCmd) Run(g *Globals, env *Env) error {
	var until projections.Until
	if c.Until != "" {
		t, err := parseTime("until", c.Until)
		if err != nil {
			return err
		}
		until.Time = t
	}
	until.Seq = c.UntilSeq
	if _, set := env.LookupEnv("GOMEMLIMIT"); !set {
		defer memlimit.Hold(projections.RebuildMemoryLimit, 250*time.Millisecond)()
	}
	ctx := context.Background()
	st, err := openStore(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := projections.Open(st, st, projections.WithComputer(g.Computer)).Rebuild(ctx, until)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "Rebuilt the projections from events 1 to %d.\n", r.LastSeq)
	rows, err := r.Assignments(ctx, env.Now(), "")
	if err != nil {
		// The clock reads earlier than the last event (another machine's
		// clock wrote it): read the whole model back to answer for now.
		m, err := r.Model(ctx)
		if err != nil {
			return err
		}
		rows = m.AsOf(env.Now()).Assignments("")
	}
	return render(env.Stdout, g.Output, rows)
}
