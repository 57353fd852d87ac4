package main

import (
	"context"
)

// DiffCmd shows what changed in the assignments between two instants.
type DiffCmd struct {
	From string `name:"from" required:"" placeholder:"RFC3339" help:"The earlier instant."`
	To   string `name:"to" placeholder:"RFC3339" help:"The later instant (default: now)."`
}

func (c *DiffCmd) Run(g *Globals, env *Env) error {
	from, err := parseTime("from", c.From)
	if err != nil {
		return err
	}
	to := env.Now()
	if c.To != "" {
		if to, err = parseTime("to", c.To); err != nil {
			return err
		}
	}
	ctx := context.Background()
	st, m, err := openModel(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	return render(env.Stdout, g.Output, m.Diff(from, to))
}
