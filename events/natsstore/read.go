package natsstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/certledger/certledger/events"
)

// storedMsg is a message as the stream's leader returns it.
type storedMsg struct {
	Subject string    `json:"subject"`
	Seq     uint64    `json:"seq"`
	Data    []byte    `json:"data"`
	Time    time.Time `json:"time"`
}

// lastMsg returns the newest message matching filter (wildcards allowed), or
// nil if there is none. It asks the stream leader, not a direct-get replica,
// so that a writer reads its own writes.
func (s *Store) lastMsg(ctx context.Context, filter string) (*storedMsg, error) {
	req, _ := json.Marshal(map[string]string{"last_by_subj": filter})
	var out *storedMsg
	err := s.retry(ctx, "read last message", func(ctx context.Context) error {
		resp, err := s.nc.RequestWithContext(ctx, "$JS.API.STREAM.MSG.GET."+StreamName, req)
		if err != nil {
			return transient(err)
		}
		var r struct {
			Error   *jetstream.APIError `json:"error"`
			Message *storedMsg          `json:"message"`
		}
		if err := json.Unmarshal(resp.Data, &r); err != nil {
			return fmt.Errorf("natsstore: bad reply to a message get: %w", err)
		}
		if r.Error != nil {
			if r.Error.ErrorCode == codeNoMessageFound {
				out = nil
				return nil
			}
			return r.Error
		}
		out = r.Message
		return nil
	})
	return out, err
}

// LastSeq returns the newest sequence of the log, or of agg's events.
func (s *Store) LastSeq(ctx context.Context, agg *events.Aggregate) (uint64, error) {
	if agg == nil || *agg == (events.Aggregate{}) {
		var last uint64
		err := s.retry(ctx, "stream info", func(ctx context.Context) error {
			info, err := s.stream.Info(ctx)
			if err != nil {
				return err
			}
			last = info.State.LastSeq
			return nil
		})
		if err != nil {
			return 0, fmt.Errorf("natsstore: last sequence: %w", err)
		}
		return last, nil
	}
	filter, err := events.AggregateFilter(*agg)
	if err != nil {
		return 0, err
	}
	m, err := s.lastMsg(ctx, filter)
	if err != nil {
		return 0, fmt.Errorf("natsstore: last sequence of %s %q: %w", agg.Kind, agg.ID, err)
	}
	if m == nil {
		return 0, nil
	}
	return m.Seq, nil
}

// Read calls fn for each record with Seq >= from, oldest first, up to the
// log's last sequence when Read was called. Events of a run that is not
// (yet) complete are not delivered.
func (s *Store) Read(ctx context.Context, from uint64, fn func(events.Record) error) error {
	last, err := s.LastSeq(ctx, nil)
	if err != nil {
		return err
	}
	if from == 0 {
		from = 1
	}
	if last < from {
		return nil
	}
	return s.consume(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   from,
	}, last, fn)
}

// Watch calls fn for each record with Seq >= from, then for each new one as
// it is stored, until ctx ends (when it returns nil) or fn fails.
func (s *Store) Watch(ctx context.Context, from uint64, fn func(events.Record) error) error {
	if from == 0 {
		from = 1
	}
	return s.consume(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartSequencePolicy,
		OptStartSeq:   from,
	}, 0, fn)
}

// WatchSince is Watch from the first record the log stored at or after t.
func (s *Store) WatchSince(ctx context.Context, t time.Time, fn func(events.Record) error) error {
	return s.consume(ctx, jetstream.OrderedConsumerConfig{
		DeliverPolicy: jetstream.DeliverByStartTimePolicy,
		OptStartTime:  &t,
	}, 0, fn)
}

// consume runs an ordered consumer (which the client re-creates after any
// gap, so no record is skipped or repeated) and stops after until (0: never).
func (s *Store) consume(ctx context.Context, cfg jetstream.OrderedConsumerConfig, until uint64, fn func(events.Record) error) error {
	var cons jetstream.Consumer
	err := s.retry(ctx, "create consumer", func(ctx context.Context) error {
		c, err := s.js.OrderedConsumer(ctx, StreamName, cfg)
		cons = c
		return err
	})
	if err != nil {
		return fmt.Errorf("natsstore: read: %w", err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(512))
	if err != nil {
		return fmt.Errorf("natsstore: read: %w", err)
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	var asm assembler
	for {
		msg, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				if until == 0 {
					return nil
				}
				return ctx.Err()
			}
			if errors.Is(err, jetstream.ErrMsgIteratorClosed) {
				return nil
			}
			return fmt.Errorf("natsstore: read: %w", err)
		}
		md, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("natsstore: read: %w", err)
		}
		seq := md.Sequence.Stream
		ev, err := events.Decode(msg.Data())
		if err != nil {
			return fmt.Errorf("natsstore: read: record %d (%s): %w", seq, msg.Subject(), err)
		}
		rec := events.Record{Seq: seq, Stored: md.Timestamp.UTC(), Event: ev}
		if err := asm.add(rec, msg.Headers().Get(HdrRunPart), fn); err != nil {
			return err
		}
		if until > 0 && seq >= until {
			return nil
		}
	}
}

// assembler holds back the records of a run larger than one atomic batch
// until all of them have been read contiguously (docs/events.md). Anything
// else in between means that attempt was aborted: its records are dropped.
type assembler struct {
	attempt string
	n       int
	held    []events.Record
}

func (a *assembler) add(rec events.Record, part string, fn func(events.Record) error) error {
	if part == "" {
		a.reset()
		return fn(rec)
	}
	attempt, i, n, ok := parsePart(part)
	if !ok {
		a.reset()
		return fmt.Errorf("natsstore: read: record %d has a malformed %s header %q", rec.Seq, HdrRunPart, part)
	}
	if attempt != a.attempt || i != len(a.held)+1 || n != a.n {
		a.reset()
		if i != 1 {
			return nil // the tail of an attempt whose start we did not see, or an aborted one
		}
		a.attempt, a.n = attempt, n
	}
	a.held = append(a.held, rec)
	if len(a.held) < a.n {
		return nil
	}
	held := a.held
	a.reset()
	for _, r := range held {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (a *assembler) reset() { a.attempt, a.n, a.held = "", 0, nil }

func parsePart(v string) (attempt string, i, n int, ok bool) {
	attempt, frac, ok := strings.Cut(v, " ")
	if !ok {
		return "", 0, 0, false
	}
	is, ns, ok := strings.Cut(frac, "/")
	if !ok {
		return "", 0, 0, false
	}
	i, err1 := strconv.Atoi(is)
	n, err2 := strconv.Atoi(ns)
	if err1 != nil || err2 != nil || i < 1 || i > n {
		return "", 0, 0, false
	}
	return attempt, i, n, true
}
