package natsstore

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
)

// BenchmarkAppend commits one run of n events per iteration on the
// embedded server, with the default durability (fsync before the ack) and
// with the relaxed interval sync, to show what the durable default costs.
//
//	go test -run '^$' -bench Append -benchtime 2s ./events/natsstore/
func BenchmarkAppend(b *testing.B) {
	for _, sync := range []struct {
		name     string
		interval time.Duration
	}{{"fsync=always", 0}, {"fsync=2m", 2 * time.Minute}} {
		for _, n := range []int{1, 10, 100, 1000} {
			b.Run(fmt.Sprintf("%s/events=%d", sync.name, n), func(b *testing.B) {
				s := openTemp(b, Config{SyncInterval: sync.interval})
				ctx := context.Background()
				batches := make([]events.Batch, 0, 64)
				for i := range cap(batches) {
					batches = append(batches, run("", n))
					_ = i
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					bt := batches[i%len(batches)]
					bt.RunID = fmt.Sprintf("bench-%d", i)
					if _, err := s.Append(ctx, bt); err != nil {
						b.Fatal(err)
					}
				}
				sec := b.Elapsed().Seconds()
				b.ReportMetric(float64(b.N)/sec, "runs/s")
				b.ReportMetric(float64(b.N*n)/sec, "events/s")
			})
		}
	}
}

// BenchmarkReadAll reads a log of 100 000 events from the start.
//
//	go test -run '^$' -bench ReadAll -benchtime 3x ./events/natsstore/
func BenchmarkReadAll(b *testing.B) {
	const total = 100_000
	s := openTemp(b, Config{SyncInterval: 2 * time.Minute})
	ctx := context.Background()
	for i := 0; i < total/1000; i++ {
		if _, err := s.Append(ctx, run(fmt.Sprintf("seed-%d", i), 1000)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		if err := s.Read(ctx, 0, func(events.Record) error { n++; return nil }); err != nil {
			b.Fatal(err)
		}
		if n != total {
			b.Fatalf("read %d", n)
		}
	}
	b.ReportMetric(float64(b.N*total)/b.Elapsed().Seconds(), "events/s")
}
