package natsstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/certledger/certledger/events"
)

// Headers of the atomic batch protocol (nats-server 2.12+, ADR-50); nats.go
// has no publisher for it, so the store speaks it with raw headers.
const (
	hdrBatchID     = "Nats-Batch-Id"
	hdrBatchSeq    = "Nats-Batch-Sequence"
	hdrBatchCommit = "Nats-Batch-Commit"
)

// Headers of certledger's own. HdrRun names the run on every message;
// HdrRunPart is set only on the messages of a run too large for one atomic
// batch: "<attempt> <i>/<n>" (see docs/events.md, "Runs larger than a batch").
const (
	HdrRun     = "Certledger-Run"
	HdrType    = "Certledger-Type"
	HdrRunPart = "Certledger-Run-Part"
)

// JetStream error codes the store acts on.
const (
	codeWrongLastSeq     = 10071
	codeWrongLastSeqBusy = 10164
	codeBatchTooLarge    = 10199
	codeBatchDuplicateID = 10201
	codeAtomicDisabled   = 10174
	codeNoMessageFound   = 10037
)

// pubAck is the reply to a batch commit (or an error).
type pubAck struct {
	Error     *jetstream.APIError `json:"error,omitempty"`
	Stream    string              `json:"stream"`
	Seq       uint64              `json:"seq"`
	Duplicate bool                `json:"duplicate,omitempty"`
	Batch     string              `json:"batch,omitempty"`
	Count     int                 `json:"count,omitempty"`
}

// runEntry is the run index's value for a committed run.
type runEntry struct {
	FirstSeq uint64    `json:"first_seq"`
	LastSeq  uint64    `json:"last_seq"`
	Events   int       `json:"events"`
	Time     time.Time `json:"time"`
}

// EventID is the id of the i-th event of a run. A retry of the same run
// derives the same ids; the last event's id is the Nats-Msg-Id of the
// batch's commit message, so the server refuses a retried batch as a
// duplicate instead of storing it twice.
func EventID(runID string, statement, i int) string {
	return runID + "." + strconv.Itoa(statement) + "." + strconv.Itoa(i)
}

// Append commits b atomically: all its events are stored, contiguously, or
// none is. Each event's Meta.RunID and Meta.EventID are set by Append (the
// id is derived from the run id, statement and index; see EventID).
//
// It returns events.ErrConflict (wrapped) when an aggregate in b.Expect
// moved, and Duplicate when the run had been committed before.
func (s *Store) Append(ctx context.Context, b events.Batch) (events.AppendResult, error) {
	if b.RunID == "" {
		return events.AppendResult{}, errors.New("natsstore: append: a run needs a run id")
	}
	if strings.ContainsFunc(b.RunID, func(r rune) bool { return r <= ' ' || r == 0x7f }) || len(b.RunID) > 128 {
		// It goes into message ids and headers.
		return events.AppendResult{}, fmt.Errorf("natsstore: append: run id %q: at most 128 characters, no spaces or control characters", b.RunID)
	}
	if len(b.Events) == 0 {
		return events.AppendResult{}, nil
	}
	if r, ok, err := s.lookupRun(ctx, b.RunID); err != nil {
		return events.AppendResult{}, err
	} else if ok {
		return events.AppendResult{FirstSeq: r.FirstSeq, LastSeq: r.LastSeq, Duplicate: true}, nil
	}
	msgs, ids, err := buildMessages(b)
	if err != nil {
		return events.AppendResult{}, err
	}
	for range 2 { // at most one re-plan, when the server names a smaller batch limit
		var res events.AppendResult
		if max := int(s.maxBatch.Load()); len(msgs) <= max {
			res, err = s.commitOne(ctx, msgs, ids)
		} else {
			res, err = s.commitChunked(ctx, b.RunID, msgs, ids, max)
		}
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == codeBatchTooLarge {
			if limit := trailingInt(apiErr.Description); limit > 0 && limit < len(msgs) {
				s.maxBatch.Store(int64(limit))
				s.cfg.Logf("certledger: the server's atomic batch limit is %d; larger runs use the chunked commit", limit)
				continue
			}
		}
		if err != nil {
			return events.AppendResult{}, err
		}
		if !res.Duplicate {
			s.recordRun(ctx, b.RunID, res, len(msgs))
		}
		return res, nil
	}
	return events.AppendResult{}, fmt.Errorf("natsstore: append: %w", err)
}

func trailingInt(s string) int {
	i := strings.LastIndexAny(s, ": ")
	n, _ := strconv.Atoi(strings.TrimSpace(s[i+1:]))
	return n
}

// buildMessages encodes the events and places the optimistic-concurrency
// checks. A check rides on the first event of its aggregate (the server
// cannot check a filter the batch already wrote to); the check of an
// aggregate the run read but does not write rides on any other message,
// since no message of the batch touches it.
func buildMessages(b events.Batch) ([]*nats.Msg, []string, error) {
	msgs := make([]*nats.Msg, len(b.Events))
	ids := make([]string, len(b.Events))
	first := map[events.Aggregate]int{}
	for i, e := range b.Events {
		if e.Data == nil {
			return nil, nil, fmt.Errorf("natsstore: append: event %d has no data", i)
		}
		if e.Meta.RunID != "" && e.Meta.RunID != b.RunID {
			return nil, nil, fmt.Errorf("natsstore: append: event %d belongs to run %q, not %q", i, e.Meta.RunID, b.RunID)
		}
		e.Meta.RunID = b.RunID
		e.Meta.EventID = EventID(b.RunID, e.Meta.Statement, i)
		body, err := events.Encode(e)
		if err != nil {
			return nil, nil, fmt.Errorf("natsstore: append: event %d: %w", i, err)
		}
		agg := e.Data.Aggregate()
		subj, err := events.Subject(agg, e.Data.EventType())
		if err != nil {
			return nil, nil, err
		}
		m := nats.NewMsg(subj)
		m.Data = body
		m.Header.Set(HdrRun, b.RunID)
		m.Header.Set(HdrType, e.Data.EventType())
		msgs[i], ids[i] = m, e.Meta.EventID
		if _, ok := first[agg]; !ok {
			first[agg] = i
		}
	}
	aggs := make([]events.Aggregate, 0, len(b.Expect))
	for a := range b.Expect {
		aggs = append(aggs, a)
	}
	sort.Slice(aggs, func(i, j int) bool {
		return aggs[i].Kind < aggs[j].Kind || aggs[i].Kind == aggs[j].Kind && aggs[i].ID < aggs[j].ID
	})
	carries := make([]bool, len(msgs))
	var readOnly []events.Aggregate
	for _, a := range aggs {
		if i, ok := first[a]; ok {
			if err := expect(msgs[i], a, b.Expect[a]); err != nil {
				return nil, nil, err
			}
			carries[i] = true
		} else {
			readOnly = append(readOnly, a)
		}
	}
	j := 0
	for _, a := range readOnly {
		for j < len(msgs) && carries[j] {
			j++
		}
		if j == len(msgs) {
			return nil, nil, fmt.Errorf("natsstore: append: the run checks %d aggregates with only %d events; each check needs an event to carry it", len(b.Expect), len(msgs))
		}
		if err := expect(msgs[j], a, b.Expect[a]); err != nil {
			return nil, nil, err
		}
		carries[j] = true
	}
	// One message id per batch, on its commit message: the server checks a
	// batch's ids atomically with the commit, so one id refuses a retry as
	// surely as one per event, and the server keeps (and rebuilds at every
	// start) one duplicate-window entry per run instead of one per event.
	msgs[len(msgs)-1].Header.Set(jetstream.MsgIDHeader, ids[len(ids)-1])
	return msgs, ids, nil
}

func expect(m *nats.Msg, a events.Aggregate, seq uint64) error {
	filter, err := events.AggregateFilter(a)
	if err != nil {
		return err
	}
	m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(seq, 10))
	m.Header.Set(jetstream.ExpectedLastSubjSeqSubjHeader, filter)
	return nil
}

// commitOne commits msgs as one atomic batch, retrying transient failures
// with a new batch id. A retry after a commit whose reply was lost finds the
// message ids already stored (10201): the first attempt committed.
func (s *Store) commitOne(ctx context.Context, msgs []*nats.Msg, ids []string) (events.AppendResult, error) {
	var ack *pubAck
	var ambiguous, dup bool
	err := s.retryFor(ctx, "append", s.batchTimeout(len(msgs)), func(ctx context.Context) error {
		a, sentCommit, err := s.publishBatch(ctx, msgs, 0)
		if err != nil {
			if isCode(err, codeBatchDuplicateID) {
				dup = true
				return nil
			}
			if sentCommit && isTransient(err) {
				ambiguous = true
			}
			return err
		}
		ack = a
		return nil
	})
	if err != nil {
		return events.AppendResult{}, s.appendError(err)
	}
	if dup {
		first, last := s.locate(ctx, msgs[len(msgs)-1].Subject, ids[len(ids)-1], len(msgs))
		return events.AppendResult{FirstSeq: first, LastSeq: last, Duplicate: !ambiguous}, nil
	}
	return events.AppendResult{FirstSeq: ack.Seq - uint64(len(msgs)) + 1, LastSeq: ack.Seq}, nil
}

// commitChunked commits a run larger than one atomic batch as consecutive
// atomic batches that must be contiguous in the stream: every chunk after
// the first expects the stream's last sequence to be the previous chunk's.
// Every message carries HdrRunPart; readers deliver the run only once all n
// messages of one attempt have been read contiguously (docs/events.md). A
// failure leaves earlier chunks in the log as an aborted attempt that no
// reader delivers. Each chunk's last message carries a message id; only the
// final chunk's is the run's derived id, so an aborted attempt never makes a
// later one look like a duplicate.
func (s *Store) commitChunked(ctx context.Context, runID string, msgs []*nats.Msg, ids []string, max int) (events.AppendResult, error) {
	attempt := nuid.Next()
	n := len(msgs)
	lastChunk := (n - 1) / max * max
	for i, m := range msgs {
		m.Header.Set(HdrRunPart, fmt.Sprintf("%s %d/%d", attempt, i+1, n))
		if i < lastChunk && (i+1)%max == 0 {
			m.Header.Set(jetstream.MsgIDHeader, ids[i]+"."+attempt)
		}
	}
	var first, prev uint64
	for lo := 0; lo < n; lo += max {
		hi := min(lo+max, n)
		chunk := msgs[lo:hi]
		var ack *pubAck
		var dup bool
		err := s.retryFor(ctx, "append chunk", s.batchTimeout(len(chunk)), func(ctx context.Context) error {
			a, _, err := s.publishBatch(ctx, chunk, prev)
			if isCode(err, codeBatchDuplicateID) {
				dup = true
				return nil
			}
			ack = a
			return err
		})
		if err != nil {
			return events.AppendResult{}, s.appendError(err)
		}
		if dup {
			// The chunk is stored already: a lost reply to our own commit, or
			// (final chunk) the run was committed by another process meanwhile.
			f, l := s.locate(ctx, chunk[len(chunk)-1].Subject, ids[hi-1], len(chunk))
			if l == 0 {
				return events.AppendResult{}, fmt.Errorf("natsstore: append: chunk %d-%d of run %s is stored but could not be located", lo+1, hi, runID)
			}
			if hi == n && lo > 0 && f != prev+1 {
				return events.AppendResult{FirstSeq: l - uint64(n) + 1, LastSeq: l, Duplicate: true}, nil
			}
			ack = &pubAck{Seq: l}
		}
		if lo == 0 {
			first = ack.Seq - uint64(len(chunk)) + 1
		}
		prev = ack.Seq
	}
	return events.AppendResult{FirstSeq: first, LastSeq: prev}, nil
}

// batchTimeout bounds one attempt at a batch: the two request round trips
// plus the time to stream the messages in between.
func (s *Store) batchTimeout(n int) time.Duration {
	return s.cfg.Timeout + time.Duration(n)*200*time.Microsecond
}

// publishBatch sends msgs as one atomic batch. The first message is a
// request, so that a stream without atomic publish or a bad header fails at
// once; the middle ones are plain publishes on the same connection (which
// keeps them in order); the last commits and carries the PubAck.
// sentCommit reports whether the commit went out (after which a lost reply
// leaves the outcome unknown).
func (s *Store) publishBatch(ctx context.Context, msgs []*nats.Msg, expectLastSeq uint64) (ack *pubAck, sentCommit bool, err error) {
	id := nuid.Next()
	for i, m := range msgs {
		m.Header.Set(hdrBatchID, id)
		m.Header.Set(hdrBatchSeq, strconv.Itoa(i+1))
		m.Header.Del(hdrBatchCommit)
		m.Header.Del(jetstream.ExpectedLastSeqHeader)
		if i == 0 && expectLastSeq > 0 {
			m.Header.Set(jetstream.ExpectedLastSeqHeader, strconv.FormatUint(expectLastSeq, 10))
		}
		last := i == len(msgs)-1
		if last {
			m.Header.Set(hdrBatchCommit, "1")
		}
		if !last && i > 0 {
			if err := s.nc.PublishMsg(m); err != nil {
				return nil, false, transient(err)
			}
			continue
		}
		resp, err := s.nc.RequestMsgWithContext(ctx, m)
		if err != nil {
			if errors.Is(err, nats.ErrNoResponders) {
				return nil, false, transient(fmt.Errorf("no responders for stream %s: %w", StreamName, err))
			}
			return nil, last, transient(err)
		}
		if len(resp.Data) == 0 && !last {
			continue // staged
		}
		var a pubAck
		if err := json.Unmarshal(resp.Data, &a); err != nil {
			return nil, last, fmt.Errorf("natsstore: unexpected reply to a batch: %q", resp.Data)
		}
		if a.Error != nil {
			return nil, last, a.Error
		}
		if last {
			return &a, true, nil
		}
	}
	return nil, false, errors.New("natsstore: empty batch")
}

func isCode(err error, code jetstream.ErrorCode) bool {
	var apiErr *jetstream.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode == code
}

// appendError maps the server's answers to what the caller can act on.
func (s *Store) appendError(err error) error {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		switch apiErr.ErrorCode {
		case codeWrongLastSeq, codeWrongLastSeqBusy:
			return fmt.Errorf("%w (%s)", events.ErrConflict, apiErr.Description)
		case codeAtomicDisabled:
			return fmt.Errorf("natsstore: stream %s on %s does not allow atomic publish (nats-server 2.12 or later is needed)", StreamName, s.where())
		}
		return fmt.Errorf("natsstore: append refused by %s: %w", s.where(), apiErr)
	}
	return fmt.Errorf("natsstore: append to %s: %w", s.where(), err)
}

// locate finds where an already-stored run (or chunk) of n messages ends,
// by the last message on its last subject, if that is still the run's.
// Batches are stored contiguously, so the first sequence follows.
func (s *Store) locate(ctx context.Context, subject, lastID string, n int) (first, last uint64) {
	m, err := s.lastMsg(ctx, subject)
	if err != nil || m == nil {
		return 0, 0
	}
	var head struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(m.Data, &head) != nil || head.ID != lastID {
		return 0, 0
	}
	return m.Seq - uint64(n) + 1, m.Seq
}

func (s *Store) lookupRun(ctx context.Context, runID string) (runEntry, bool, error) {
	key, err := events.EncodeToken(runID)
	if err != nil {
		return runEntry{}, false, err
	}
	var e runEntry
	var found bool
	err = s.retry(ctx, "look up run", func(ctx context.Context) error {
		kve, err := s.runs.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		found = true
		return json.Unmarshal(kve.Value(), &e)
	})
	if err != nil {
		return runEntry{}, false, fmt.Errorf("natsstore: run index: %w", err)
	}
	return e, found, nil
}

// recordRun writes the run index entry. The events are committed already;
// a failure here only shortens how long a retry is recognised (to the
// stream's duplicate window), so it is logged, not returned.
func (s *Store) recordRun(ctx context.Context, runID string, r events.AppendResult, n int) {
	key, err := events.EncodeToken(runID)
	if err != nil {
		return
	}
	val, _ := json.Marshal(runEntry{FirstSeq: r.FirstSeq, LastSeq: r.LastSeq, Events: n, Time: time.Now().UTC()})
	err = s.retry(ctx, "record run", func(ctx context.Context) error {
		_, err := s.runs.Put(ctx, key, val)
		return err
	})
	if err != nil {
		s.cfg.Logf("certledger: run %s committed (seq %d-%d) but the run index was not updated: %v", runID, r.FirstSeq, r.LastSeq, err)
	}
}
