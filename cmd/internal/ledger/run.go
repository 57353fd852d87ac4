package ledger

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/certledger/certledger/cmdlet"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// version is set at link time by make build (git describe).
var version string

// Producer names this build in every event it writes: the linked version,
// else the module version go install recorded, else "dev".
func Producer() string {
	v := version
	if bi, ok := debug.ReadBuildInfo(); v == "" && ok && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	if v == "" {
		v = "dev"
	}
	return "certledger/" + v
}

// Script is one run's input: a script file, stdin, or one exec'd line.
type Script struct {
	// Src is the script as read; UTF-16 (as Windows PowerShell's Out-File
	// and ISE write it) is decoded before parsing, the hash is of Src.
	Name  string // for error positions: the path as given; "" for stdin and exec ("At line:1 char:5")
	Audit string // what events record as the script: the path, "-" for stdin, "exec"
	Src   []byte
}

// Run executes scripts all-or-nothing: the whole script is evaluated and
// validated against the read model first, and only a script with no error
// hands its events to the store, in one atomic append.
type Run struct {
	Store       events.Store
	Projections *projections.Projections
	// Host makes the script host for one attempt around the attempt's
	// handler.
	Host     func(cmdlet.Handler) *cmdlet.Host
	Computer string
	Actor    string
	HostName string
	Strict   bool
	WhatIf   bool
	Now      func() time.Time
	// Attempts bounds how often a run is validated again when another
	// writer changed what it read before it committed (3 when zero).
	Attempts int
}

// Result says what a run committed.
type Result struct {
	RunID     string
	Events    int
	FirstSeq  uint64
	LastSeq   uint64
	Duplicate bool
	WhatIf    bool // validated only; nothing was committed
}

// ErrConflictPersists is returned when other writers kept changing what
// the run read, attempt after attempt.
var ErrConflictPersists = errors.New("other writers kept changing the certificates this script reads; nothing was committed, run it again")

// Execute runs the script and commits its events. Any error (parse,
// binding, run time, store) means nothing was committed.
func (r *Run) Execute(ctx context.Context, s Script) (Result, error) {
	res := Result{RunID: newRunID()}
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	sum := sha256.Sum256(s.Src) // the file as it is on disk, for the audit trail
	src := syntax.DecodeSource(s.Src)
	for range attempts {
		model, err := r.Projections.Catchup(ctx)
		if err != nil {
			return res, err
		}
		now := r.Now()
		l := New(Config{Computer: r.Computer, Strict: r.Strict, Now: now}, model)
		if err := r.Host(l).RunSource(ctx, s.Name, src); err != nil {
			return res, err
		}
		evs := l.Events()
		res.Events = len(evs)
		if r.WhatIf || len(evs) == 0 {
			res.WhatIf = r.WhatIf
			return res, nil
		}
		batch := events.Batch{RunID: res.RunID, Events: make([]events.Event, len(evs)), Expect: map[events.Aggregate]uint64{}}
		for i, e := range evs {
			e.Meta.EventID = res.RunID + "-" + strconv.Itoa(i+1)
			e.Meta.RunID = res.RunID
			e.Meta.Actor = r.Actor
			e.Meta.Host = r.HostName
			e.Meta.Time = now.UTC()
			e.Meta.Script = s.Audit
			e.Meta.ScriptSHA256 = hex.EncodeToString(sum[:])
			e.Meta.Producer = Producer()
			batch.Events[i] = e
		}
		conflict, err := r.expect(ctx, batch, l.Base())
		if err != nil {
			return res, err
		}
		if conflict {
			continue // validate again against what the other writer did
		}
		ar, err := r.Store.Append(ctx, batch)
		if errors.Is(err, events.ErrConflict) {
			continue
		}
		if err != nil {
			return res, err
		}
		res.FirstSeq, res.LastSeq, res.Duplicate = ar.FirstSeq, ar.LastSeq, ar.Duplicate
		return res, nil
	}
	return res, ErrConflictPersists
}

// expect fills the batch's optimistic-concurrency checks: every aggregate
// the run writes must still be where the model saw it. It reports a
// conflict at once if one already moved past the model.
func (r *Run) expect(ctx context.Context, b events.Batch, base uint64) (bool, error) {
	for _, e := range b.Events {
		agg := e.Data.Aggregate()
		if _, done := b.Expect[agg]; done {
			continue
		}
		last, err := r.Store.LastSeq(ctx, &agg)
		if err != nil {
			return false, fmt.Errorf("reading %s %s: %w", agg.Kind, agg.ID, err)
		}
		if last > base {
			return true, nil
		}
		b.Expect[agg] = last
	}
	return false, nil
}

func newRunID() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
