package natsstore

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/certledger/certledger/events"
)

func TestAppendReadRoundTrip(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	b := events.Batch{RunID: "run-1", Events: []events.Event{
		{Meta: meta(0), Data: events.CertificateImported{Server: "srv01.contoso.com", Thumbprint: "B1429", Subject: "CN=*.contoso.com", HasPrivateKey: true, AlternativeNames: []string{"*.contoso.com"}}},
		assigned("*.contoso.com", "B1429", 1),
		assigned("global", "B1429", 2),
	}}
	res, err := s.Append(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if res.FirstSeq != 1 || res.LastSeq != 3 || res.Duplicate {
		t.Fatalf("result %+v, want 1-3 not duplicate", res)
	}
	recs := readAll(t, s)
	if len(recs) != 3 {
		t.Fatalf("read %d records, want 3", len(recs))
	}
	for i, r := range recs {
		if r.Seq != uint64(i+1) || r.Stored.IsZero() {
			t.Errorf("record %d: seq %d stored %v", i, r.Seq, r.Stored)
		}
		want := b.Events[i]
		want.Meta.RunID = "run-1"
		want.Meta.EventID = EventID("run-1", want.Meta.Statement, i)
		want.Meta.SchemaVersion = 1
		if !reflect.DeepEqual(r.Event, want) {
			t.Errorf("record %d:\n got %+v\nwant %+v", i, r.Event, want)
		}
	}
	last, err := s.LastSeq(ctx, nil)
	if err != nil || last != 3 {
		t.Fatalf("LastSeq = %d, %v", last, err)
	}
	// The wildcard-certificate identity must not match another aggregate.
	for agg, want := range map[events.Aggregate]uint64{
		{Kind: "assignment", ID: "*.contoso.com"}:            2,
		{Kind: "assignment", ID: "global"}:                   3,
		{Kind: "assignment", ID: "x.contoso.com"}:            0,
		{Kind: "certificate", ID: `srv01.contoso.com\B1429`}: 1,
	} {
		got, err := s.LastSeq(ctx, &agg)
		if err != nil || got != want {
			t.Errorf("LastSeq(%v) = %d, %v; want %d", agg, got, err, want)
		}
	}
}

func TestAtomicBatchLastEventFails(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	if _, err := s.Append(ctx, run("seed", 3)); err != nil {
		t.Fatal(err)
	}
	before := msgCount(t, s)
	b := run("bad", 5)
	// Only the last event carries a (wrong) expectation.
	b.Expect = map[events.Aggregate]uint64{{Kind: "assignment", ID: "pool4.contoso.com"}: 7}
	_, err := s.Append(ctx, b)
	if !errors.Is(err, events.ErrConflict) {
		t.Fatalf("Append = %v, want ErrConflict", err)
	}
	if after := msgCount(t, s); after != before {
		t.Fatalf("stream went from %d to %d messages after a refused batch", before, after)
	}
	if n := len(readAll(t, s)); n != 3 {
		t.Fatalf("read %d records, want 3", n)
	}
}

func TestReplayedRunIsNoOp(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	b := run("again", 4)
	b.Expect = map[events.Aggregate]uint64{{Kind: "assignment", ID: "pool0.contoso.com"}: 0}
	first, err := s.Append(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.Append(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Duplicate || second.FirstSeq != first.FirstSeq || second.LastSeq != first.LastSeq {
		t.Fatalf("replay = %+v, want duplicate of %+v", second, first)
	}
	if n := msgCount(t, s); n != 4 {
		t.Fatalf("stream holds %d messages, want 4", n)
	}
}

func TestConcurrentWritersOneAggregate(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	agg := events.Aggregate{Kind: "assignment", ID: "global"}
	if _, err := s.Append(ctx, events.Batch{RunID: "base", Events: []events.Event{assigned("global", "AAAA", 0)}}); err != nil {
		t.Fatal(err)
	}
	seen, _ := s.LastSeq(ctx, &agg)
	const writers = 8
	var wg sync.WaitGroup
	errs := make([]error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := events.Batch{RunID: "w" + string(rune('a'+w)), Events: []events.Event{
				assigned("global", "B1429", 0), assigned("other.contoso.com", "B1429", 1),
			}, Expect: map[events.Aggregate]uint64{agg: seen}}
			_, errs[w] = s.Append(ctx, b)
		}()
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, events.ErrConflict):
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d writers won, want exactly 1 (errors: %v)", wins, errs)
	}
	if n := msgCount(t, s); n != 3 {
		t.Fatalf("stream holds %d messages, want 3 (base + the winner's 2)", n)
	}
}

// Inside the duplicate window the server itself refuses a replay, even when
// the run index lost its entry (a crash between commit and index write).
func TestReplayInsideDuplicateWindow(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	b := run("window", 3)
	first, err := s.Append(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := events.EncodeToken("window")
	if err := s.runs.Purge(ctx, key); err != nil {
		t.Fatal(err)
	}
	second, err := s.Append(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if !second.Duplicate || second.LastSeq != first.LastSeq || second.FirstSeq != first.FirstSeq {
		t.Fatalf("replay = %+v, want duplicate of %+v", second, first)
	}
	if n := msgCount(t, s); n != 3 {
		t.Fatalf("stream holds %d messages, want 3", n)
	}
}

// The server keeps every message id of the last DuplicateWindow in memory
// and rebuilds that map at every start: a run costs it one entry, on the
// batch's commit message, however many events the run holds.
func TestOneMessageIDPerBatch(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	if _, err := s.Append(ctx, run("ids", 4)); err != nil {
		t.Fatal(err)
	}
	var got []string
	for seq := uint64(1); seq <= 4; seq++ {
		m, err := s.stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.Header.Get(jetstream.MsgIDHeader))
	}
	if want := []string{"", "", "", EventID("ids", 3, 3)}; !slices.Equal(got, want) {
		t.Fatalf("Nats-Msg-Id of the run's messages = %q, want %q", got, want)
	}
}
