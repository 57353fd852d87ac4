package natsstore

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/certledger/certledger/events"
)

// The embedded server is started with a batch limit above the server's
// default of 1000, so a larger run is still one atomic batch.
func TestRunAboveServerDefaultBatchIsAtomic(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	bad := run("big-bad", 1500)
	bad.Expect = map[events.Aggregate]uint64{{Kind: "assignment", ID: "pool1499.contoso.com"}: 99}
	if _, err := s.Append(ctx, bad); !errors.Is(err, events.ErrConflict) {
		t.Fatalf("Append = %v, want ErrConflict", err)
	}
	if n := msgCount(t, s); n != 0 {
		t.Fatalf("a refused 1500-event run left %d messages", n)
	}
	res, err := s.Append(ctx, run("big", 1500))
	if err != nil {
		t.Fatal(err)
	}
	if res.FirstSeq != 1 || res.LastSeq != 1500 {
		t.Fatalf("result %+v", res)
	}
	if n := len(readAll(t, s)); n != 1500 {
		t.Fatalf("read %d", n)
	}
}

// A run larger than one batch (MaxBatch lowered to force it) commits as
// contiguous chunks; an attempt that fails part-way is never delivered by
// readers, and the run can be retried.
func TestChunkedRunAllOrNothing(t *testing.T) {
	s := openTemp(t, Config{MaxBatch: 4})
	ctx := context.Background()
	if _, err := s.Append(ctx, run("small", 2)); err != nil {
		t.Fatal(err)
	}
	// Event 9 is in the third chunk; its aggregate's check fails there,
	// after chunks one and two are stored.
	bad := run("chunked", 10)
	bad.Expect = map[events.Aggregate]uint64{{Kind: "assignment", ID: "pool9.contoso.com"}: 42}
	if _, err := s.Append(ctx, bad); !errors.Is(err, events.ErrConflict) {
		t.Fatalf("Append = %v, want ErrConflict", err)
	}
	if n := msgCount(t, s); n != 2+8 {
		t.Fatalf("stream holds %d messages, want 10 (2 + an aborted attempt's 8)", n)
	}
	if recs := readAll(t, s); len(recs) != 2 {
		t.Fatalf("read %d records, want only the 2 committed", len(recs))
	}
	// The aborted attempt makes neither the retry a duplicate nor the
	// next run unreadable.
	good := run("chunked", 10)
	res, err := s.Append(ctx, good)
	if err != nil {
		t.Fatal(err)
	}
	if res.Duplicate || res.LastSeq-res.FirstSeq != 9 {
		t.Fatalf("result %+v", res)
	}
	if _, err := s.Append(ctx, run("after", 1)); err != nil {
		t.Fatal(err)
	}
	recs := readAll(t, s)
	if len(recs) != 2+10+1 {
		t.Fatalf("read %d records, want 13", len(recs))
	}
	for i, r := range recs[2:12] {
		if r.Event.Meta.RunID != "chunked" || r.Event.Meta.EventID != EventID("chunked", i, i) {
			t.Fatalf("record %d: %+v", i, r.Event.Meta)
		}
	}
	// Replaying the chunked run is a no-op.
	again, err := s.Append(ctx, good)
	if err != nil || !again.Duplicate || again.FirstSeq != res.FirstSeq {
		t.Fatalf("replay = %+v, %v", again, err)
	}
}

func TestAssembler(t *testing.T) {
	rec := func(seq uint64) events.Record { return events.Record{Seq: seq} }
	type in struct {
		seq  uint64
		part string
	}
	for _, tc := range []struct {
		name string
		in   []in
		want []uint64
	}{
		{"plain", []in{{1, ""}, {2, ""}}, []uint64{1, 2}},
		{"complete", []in{{1, "A 1/3"}, {2, "A 2/3"}, {3, "A 3/3"}, {4, ""}}, []uint64{1, 2, 3, 4}},
		{"aborted by another run", []in{{1, "A 1/3"}, {2, "A 2/3"}, {3, ""}}, []uint64{3}},
		{"aborted then retried", []in{{1, "A 1/3"}, {2, "B 1/3"}, {3, "B 2/3"}, {4, "B 3/3"}}, []uint64{2, 3, 4}},
		{"started mid-run", []in{{2, "A 2/3"}, {3, "A 3/3"}, {4, ""}}, []uint64{4}},
		{"incomplete at the end", []in{{1, ""}, {2, "A 1/3"}}, []uint64{1}},
		{"gap", []in{{1, "A 1/3"}, {2, "A 3/3"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var a assembler
			var got []uint64
			for _, m := range tc.in {
				if err := a.add(rec(m.seq), m.part, func(r events.Record) error { got = append(got, r.Seq); return nil }); err != nil {
					t.Fatal(err)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.want) {
				t.Fatalf("delivered %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLogIsImmutable(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	if _, err := s.Append(ctx, run("r", 3)); err != nil {
		t.Fatal(err)
	}
	if err := s.stream.DeleteMsg(ctx, 2); err == nil {
		t.Error("a message was deleted")
	}
	if err := s.stream.SecureDeleteMsg(ctx, 2); err == nil {
		t.Error("a message was securely deleted")
	}
	if err := s.stream.Purge(ctx); err == nil {
		t.Error("the stream was purged")
	}
	cfg := StreamConfig(1)
	cfg.DenyDelete, cfg.DenyPurge = false, false
	if _, err := s.js.UpdateStream(ctx, cfg); err == nil {
		t.Error("deny-delete/purge were lifted")
	}
	if n := msgCount(t, s); n != 3 {
		t.Fatalf("stream holds %d messages, want 3", n)
	}
}
