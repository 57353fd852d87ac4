package main

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/certledger/certledger/projections"
)

// AssignmentsCmd lists the assignments in force now, as of an instant, or
// after a log sequence.
type AssignmentsCmd struct {
	AsOf     string `name:"as-of" placeholder:"RFC3339" help:"The state in force at this instant (rolls count from their EffectiveDate)."`
	AtSeq    uint64 `name:"at-seq" placeholder:"N" help:"The state after event N, evaluated now."`
	Identity string `name:"identity" placeholder:"ID" help:"Only this identity (Global, a computer FQDN, site:X, service:Role:pool)."`
	Resolve  string `name:"resolve" placeholder:"COMPUTER" help:"What each use of this computer resolves to: its own assignment, else the Global one."`
}

func (c *AssignmentsCmd) Run(g *Globals, env *Env) error {
	if c.AsOf != "" && c.AtSeq != 0 {
		return errors.New("--as-of and --at-seq cannot be used together")
	}
	if c.Identity != "" && c.Resolve != "" {
		return errors.New("--identity and --resolve cannot be used together")
	}
	var asOf time.Time
	if c.AsOf != "" {
		t, err := parseTime("as-of", c.AsOf)
		if err != nil {
			return err
		}
		asOf = t
	}
	ctx := context.Background()
	st, m, err := openModel(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	view := m.AsOf(env.Now())
	switch {
	case !asOf.IsZero():
		view = m.AsOf(asOf)
	case c.AtSeq != 0:
		view = m.AtSeq(c.AtSeq, env.Now())
	}
	if c.Resolve != "" {
		return render(env.Stdout, g.Output, resolved(view, c.Resolve))
	}
	return render(env.Stdout, g.Output, view.Assignments(c.Identity))
}

// resolved lists, for every use the computer or Global has, the assignment
// the computer uses.
func resolved(view projections.View, computer string) []projections.Assignment {
	rows := []projections.Assignment{}
	seen := map[string]bool{}
	for _, id := range []string{computer, "Global"} {
		for _, a := range view.Assignments(id) {
			if u := strings.ToLower(a.Use); !seen[u] {
				seen[u] = true
				if r, ok := view.Resolve(computer, a.Use); ok {
					rows = append(rows, r)
				}
			}
		}
	}
	slices.SortFunc(rows, func(a, b projections.Assignment) int {
		return strings.Compare(strings.ToLower(a.Use), strings.ToLower(b.Use))
	})
	return rows
}
