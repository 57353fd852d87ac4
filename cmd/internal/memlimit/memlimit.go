// Package memlimit holds a process to a soft memory limit while what is
// live fits well under it, and moves the limit up with the live heap when
// it does not.
//
// A fixed limit (runtime/debug.SetMemoryLimit) below what is live makes the
// collector run back to back: the process goes over the limit anyway, at
// up to half its CPU (the runtime's cap on the collector). certledger
// replay meets that on an embedded store past about 1.5M events, where the
// server's own index alone nears the limit; it ran 2.2 times slower than
// without a limit, for less than a tenth less memory.
package memlimit

import (
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// Near is how close the live heap may come to the base limit before the
// limit moves: below it the collector still frees a fifth of the limit or
// more per cycle. Headroom is how far above the live heap the limit is then
// kept: the collector runs about once per half the live heap allocated, as
// GOGC=50 would. (Measured on certledger replay: with the limit always at
// 1.5 times the live heap, a 1M-event log peaked at 150-152 MiB instead of
// 143-148; with 1.25, a 2M-event log took 81-89 s instead of 36-38, at
// about the same memory.)
const (
	Near     = 0.8
	Headroom = 1.5
)

const liveMetric = "/gc/heap/live:bytes"

// Hold sets the soft memory limit to base and, every interval until stop
// is called, raises it to Headroom times the heap live after the last
// collection once that heap is past Near times base (and lowers it again,
// to base, as the live heap shrinks). stop restores the limit that was set
// before.
func Hold(base int64, interval time.Duration) (stop func()) {
	h := &holder{base: base, current: base, live: readLive, set: debug.SetMemoryLimit}
	before := h.set(base)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				h.adjust()
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		h.set(before)
	}
}

type holder struct {
	base    int64
	current int64
	live    func() uint64
	set     func(int64) int64
}

// adjust sets the limit for the live heap now; it calls set only when the
// limit changes.
func (h *holder) adjust() {
	want := h.base
	if live := float64(h.live()); live > Near*float64(h.base) {
		want = max(want, int64(live*Headroom))
	}
	if want != h.current {
		h.set(want)
		h.current = want
	}
}

func readLive() uint64 {
	s := []metrics.Sample{{Name: liveMetric}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0 // a runtime without the metric: hold base
	}
	return s[0].Value.Uint64()
}
