package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/certledger/certledger/cmd/internal/ledger"
	"github.com/certledger/certledger/cmdlet"
	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/projections"
)

// RunFlags are the flags run and exec share.
type RunFlags struct {
	WhatIf  bool     `name:"whatif" help:"Validate and say what would be done; commit nothing."`
	Strict  bool     `name:"strict" help:"Refuse to assign certificates that were never imported, as Lync does."`
	PathMap []string `name:"path-map" sep:"none" placeholder:"WINPREFIX=LOCALDIR" help:"Map a Windows path prefix (C:\\Certs, \\\\server\\share) to a local directory; repeatable."`
	Yes     bool     `name:"yes" help:"Answer Yes to every -Confirm prompt."`
	As      string   `name:"as" placeholder:"USER" help:"Record this user as the actor (default: the OS user)."`
	Version string   `name:"version" placeholder:"PROFILE" help:"Bind as this product release would: lync2010, lync2013, sfb2015, sfb2019, exchange2007, exchange2010, exchange2013, exchange2016, exchange2019."`
	Culture string   `name:"culture" default:"en-US" help:"Culture DateTime arguments are parsed in."`
}

// execute runs one script through the ledger and reports the outcome.
func (f *RunFlags) execute(g *Globals, env *Env, s ledger.Script) error {
	var pm cmdlet.PathMap
	for _, m := range f.PathMap {
		if err := pm.Set(m); err != nil {
			return fmt.Errorf("--path-map %q: %w", m, err)
		}
	}
	ctx := context.Background()
	st, err := openStore(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	actor := env.User
	if f.As != "" {
		actor = f.As
	}
	run := &ledger.Run{
		Store:       st,
		Projections: projections.Open(st, st, projections.WithComputer(g.Computer)),
		Computer:    g.Computer,
		Actor:       actor,
		HostName:    env.Hostname,
		Strict:      f.Strict,
		WhatIf:      f.WhatIf,
		Now:         env.Now,
		Host: func(h cmdlet.Handler) *cmdlet.Host {
			opts := []cmdlet.Option{
				cmdlet.WithEnv(env.LookupEnv), // a set but empty password is an empty PFX password
				cmdlet.WithOutput(env.Stdout),
				cmdlet.WithWarnings(env.Stderr),
				cmdlet.WithNotes(env.Stderr),
				cmdlet.WithPathMap(pm),
				cmdlet.WithYes(f.Yes),
				cmdlet.WithWhatIf(f.WhatIf),
				cmdlet.WithProfile(bind.Profile(f.Version)),
				cmdlet.WithCulture(f.Culture),
				cmdlet.WithClock(env.Now),
				cmdlet.WithComputerName(g.Computer),
			}
			if env.Terminal {
				opts = append(opts, cmdlet.WithPrompter(env.Prompter))
			}
			return cmdlet.New(h, opts...)
		},
	}
	res, err := run.Execute(ctx, s)
	if err != nil {
		var rec *cmdlet.ErrorRecord
		if errors.As(err, &rec) {
			fmt.Fprintf(env.Stderr, "%s\n", rec.Format())
			fmt.Fprintf(env.Stderr, "certledger: %s: nothing was committed.\n", s.Audit)
			return errReported
		}
		return fmt.Errorf("%s: nothing was committed: %w", s.Audit, err)
	}
	switch {
	case res.WhatIf:
		fmt.Fprintf(env.Stderr, "certledger: -WhatIf: %d event(s) validated, nothing was committed.\n", res.Events)
	case res.Duplicate:
		fmt.Fprintf(env.Stderr, "certledger: run %s was already committed (events %d-%d); nothing new was stored.\n", res.RunID, res.FirstSeq, res.LastSeq)
	case res.Events == 0:
		fmt.Fprintf(env.Stderr, "certledger: %s produced no events; nothing was committed.\n", s.Audit)
	default:
		fmt.Fprintf(env.Stderr, "certledger: committed %d event(s) from %s as run %s (events %d-%d).\n", res.Events, s.Audit, res.RunID, res.FirstSeq, res.LastSeq)
	}
	return nil
}
