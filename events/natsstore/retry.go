package natsstore

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/certledger/certledger/events"
)

// errTransient marks an error worth retrying: a leader election, no
// responders, a timeout, a busy server.
var errTransient = errors.New("transient")

type transientError struct{ err error }

func (e transientError) Error() string   { return e.err.Error() }
func (e transientError) Unwrap() []error { return []error{e.err, errTransient} }
func transient(err error) error          { return transientError{err} }

func isTransient(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, errTransient) || errors.Is(err, nats.ErrNoResponders) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, jetstream.ErrNoStreamResponse) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, nats.ErrConnectionReconnecting) || errors.Is(err, jetstream.ErrNoHeartbeat) {
		return true
	}
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.Code {
		case 503, 429, 408:
			return true
		}
		switch apiErr.ErrorCode {
		case 10008, // cluster not available / no leader
			10158, // duplicate message id in process
			10163, // expected last sequence per subject temporarily unavailable
			10210: // too many batches in flight
			return true
		}
	}
	return false
}

// retry runs op until it succeeds, fails for good, or RetryFor (or ctx)
// runs out, backing off between attempts with jitter. Each attempt gets its
// own Timeout so that a lost reply never hangs the caller.
func (s *Store) retry(ctx context.Context, what string, op func(context.Context) error) error {
	return s.retryFor(ctx, what, s.cfg.Timeout, op)
}

func (s *Store) retryFor(ctx context.Context, what string, perAttempt time.Duration, op func(context.Context) error) error {
	deadline := time.Now().Add(s.cfg.RetryFor)
	wait := 50 * time.Millisecond
	for attempt := 1; ; attempt++ {
		began := time.Now()
		actx, cancel := context.WithTimeout(ctx, perAttempt)
		err := op(actx)
		cancel()
		if d := s.denied.Load(); err != nil && d != nil && !d.at.Before(began) {
			return fmt.Errorf("%s: %w: %w", what, events.ErrPermission, d.err)
		}
		if err == nil || !isTransient(err) || ctx.Err() != nil {
			if err != nil && ctx.Err() != nil && isTransient(err) {
				return fmt.Errorf("%s: %w (last error: %v)", what, ctx.Err(), err)
			}
			return err
		}
		if time.Now().Add(wait).After(deadline) {
			return fmt.Errorf("%s: gave up after %d attempts in %s: %w", what, attempt, s.cfg.RetryFor, err)
		}
		s.cfg.Logf("certledger: %s: %v; retrying", what, err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: %w (last error: %v)", what, ctx.Err(), err)
		case <-time.After(wait/2 + rand.N(wait/2+1)):
		}
		wait = min(wait*2, 2*time.Second)
	}
}
