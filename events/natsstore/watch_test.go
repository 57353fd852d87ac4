package natsstore

import (
	"context"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
)

func TestWatchFromSeqThenLive(t *testing.T) {
	s := openTemp(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := s.Append(ctx, run("one", 3)); err != nil {
		t.Fatal(err)
	}
	got := make(chan uint64, 10)
	done := make(chan error, 1)
	wctx, stop := context.WithCancel(ctx)
	go func() {
		done <- s.Watch(wctx, 2, func(r events.Record) error { got <- r.Seq; return nil })
	}()
	expect := func(want ...uint64) {
		t.Helper()
		for _, w := range want {
			select {
			case seq := <-got:
				if seq != w {
					t.Fatalf("watch delivered %d, want %d", seq, w)
				}
			case <-ctx.Done():
				t.Fatalf("watch delivered nothing, want %d", w)
			}
		}
	}
	expect(2, 3)
	if _, err := s.Append(ctx, run("two", 2)); err != nil {
		t.Fatal(err)
	}
	expect(4, 5)
	stop()
	if err := <-done; err != nil {
		t.Fatalf("Watch ended with %v", err)
	}
}

func TestWatchSince(t *testing.T) {
	s := openTemp(t, Config{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := s.Append(ctx, run("before", 2)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(20 * time.Millisecond)
	mark := time.Now()
	time.Sleep(20 * time.Millisecond)
	if _, err := s.Append(ctx, run("after", 2)); err != nil {
		t.Fatal(err)
	}
	var seqs []uint64
	wctx, stop := context.WithCancel(ctx)
	err := s.WatchSince(wctx, mark, func(r events.Record) error {
		seqs = append(seqs, r.Seq)
		if r.Stored.Before(mark) {
			t.Errorf("record %d stored %v, before %v", r.Seq, r.Stored, mark)
		}
		if len(seqs) == 2 {
			stop()
		}
		return nil
	})
	if err != nil || len(seqs) != 2 || seqs[0] != 3 {
		t.Fatalf("WatchSince = %v, %v", seqs, err)
	}
}

// An acknowledged run survives the process being killed (SIGKILL right
// after the ack, no shutdown): the helper process appends and kills itself.
func TestAcknowledgedRunSurvivesKill(t *testing.T) {
	if dir := os.Getenv("CERTLEDGER_KILL_HELPER"); dir != "" {
		s, err := Open(context.Background(), Config{DataDir: dir})
		if err != nil {
			os.Exit(3)
		}
		if _, err := s.Append(context.Background(), run("before-kill", 7)); err != nil {
			os.Exit(4)
		}
		syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedRunSurvivesKill$")
	cmd.Env = append(os.Environ(), "CERTLEDGER_KILL_HELPER="+dir)
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("helper: %v", err)
	}
	s := openTemp(t, Config{DataDir: dir})
	recs := readAll(t, s)
	if len(recs) != 7 {
		t.Fatalf("after the kill the log holds %d events, want 7", len(recs))
	}
	// And the run is still recognised as committed.
	res, err := s.Append(context.Background(), run("before-kill", 7))
	if err != nil || !res.Duplicate {
		t.Fatalf("replay after kill = %+v, %v", res, err)
	}
}
