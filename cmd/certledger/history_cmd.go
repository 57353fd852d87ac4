package main

import (
	"context"

	"github.com/certledger/certledger/projections"
)

// HistoryCmd prints the audit trail: who changed what, when, from which
// script line, with the command as recorded (secrets redacted).
type HistoryCmd struct {
	Thumbprint string `name:"thumbprint" placeholder:"T" help:"Only changes naming this certificate."`
	Identity   string `name:"identity" placeholder:"ID" help:"Only changes of this identity or server."`
}

func (c *HistoryCmd) Run(g *Globals, env *Env) error {
	ctx := context.Background()
	st, err := openStore(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	var rows []projections.HistoryEntry
	err = projections.ReadHistory(ctx, st, projections.HistoryFilter{Thumbprint: c.Thumbprint, Identity: c.Identity},
		func(e projections.HistoryEntry) error {
			rows = append(rows, e)
			return nil
		})
	if err != nil {
		return err
	}
	return render(env.Stdout, g.Output, rows)
}
