package main

import (
	"context"
	"errors"
)

// AssignmentsCmd lists the assignments in force now, as of an instant, or
// after a log sequence.
type AssignmentsCmd struct {
	AsOf     string `name:"as-of" placeholder:"RFC3339" help:"The state in force at this instant (rolls count from their EffectiveDate)."`
	AtSeq    uint64 `name:"at-seq" placeholder:"N" help:"The state after event N, evaluated now."`
	Identity string `name:"identity" placeholder:"ID" help:"Only this identity (Global, a computer FQDN, site:X, service:Role:pool)."`
}

func (c *AssignmentsCmd) Run(g *Globals, env *Env) error {
	if c.AsOf != "" && c.AtSeq != 0 {
		return errors.New("--as-of and --at-seq cannot be used together")
	}
	ctx := context.Background()
	st, _, m, err := openModel(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	view := m.AsOf(env.Now())
	switch {
	case c.AsOf != "":
		t, err := parseTime("as-of", c.AsOf)
		if err != nil {
			return err
		}
		view = m.AsOf(t)
	case c.AtSeq != 0:
		view = m.AtSeq(c.AtSeq, env.Now())
	}
	return render(env.Stdout, g.Output, view.Assignments(c.Identity))
}
