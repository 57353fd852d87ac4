package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/certledger/certledger/events"
)

// WatchCmd follows the log: the events from a sequence or an instant, then
// each new one as it is committed, until interrupted.
type WatchCmd struct {
	FromSeq uint64        `name:"from-seq" placeholder:"N" help:"Start at event N (default: only new events)."`
	Since   string        `name:"since" placeholder:"RFC3339" help:"Start at the first event stored at or after this instant."`
	For     time.Duration `name:"for" hidden:"" help:"Stop after this long (for scripts and tests)."`
}

// watchLine is one event in `watch -o json`: the log's sequence and stored
// time, and the event exactly as it is on the wire (CloudEvents JSON).
type watchLine struct {
	Seq    uint64          `json:"seq"`
	Stored time.Time       `json:"stored"`
	Event  json.RawMessage `json:"event"`
}

func (c *WatchCmd) Run(g *Globals, env *Env) error {
	if c.FromSeq != 0 && c.Since != "" {
		return errors.New("--from-seq and --since cannot be used together")
	}
	var since time.Time
	if c.Since != "" {
		t, err := parseTime("since", c.Since)
		if err != nil {
			return err
		}
		since = t
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if c.For > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.For)
		defer cancel()
	}
	st, err := openStore(ctx, g, env)
	if err != nil {
		return err
	}
	defer st.Close()
	print := func(r events.Record) error {
		if g.Output == "json" {
			raw, err := events.Encode(r.Event)
			if err != nil {
				return err
			}
			line, _ := json.Marshal(watchLine{Seq: r.Seq, Stored: r.Stored.UTC(), Event: raw})
			_, err = fmt.Fprintf(env.Stdout, "%s\n", line)
			return err
		}
		m := r.Event.Meta
		_, err := fmt.Fprintf(env.Stdout, "%d %s %s %s:%d %s %s\n", r.Seq, r.Stored.UTC().Format(time.RFC3339),
			r.Event.Data.EventType(), m.Script, m.Line, m.Actor, m.Command)
		return err
	}
	switch {
	case !since.IsZero():
		err = st.WatchSince(ctx, since, print)
	default:
		from := c.FromSeq
		if from == 0 {
			last, lerr := st.LastSeq(ctx, nil)
			if lerr != nil {
				return lerr
			}
			from = last + 1
		}
		err = st.Watch(ctx, from, print)
	}
	if ctx.Err() != nil {
		return nil // interrupted, or --for elapsed: a normal end
	}
	return err
}
