package memlimit

import (
	"runtime/debug"
	"slices"
	"testing"
	"time"
)

func TestAdjust(t *testing.T) {
	const base = 128 << 20
	for _, tc := range []struct {
		name string
		live []uint64 // one per tick
		want []int64  // the limits set, in order
	}{
		{"fits well under base", []uint64{10 << 20, 80 << 20, 100 << 20}, nil},
		{"nears base, then shrinks back", []uint64{80 << 20, 110 << 20, 120 << 20, 120 << 20, 40 << 20}, []int64{165 << 20, 180 << 20, base}},
		{"no metric", []uint64{0}, nil},
	} {
		var set []int64
		i := 0
		h := &holder{base: base, current: base,
			live: func() uint64 { v := tc.live[i]; i++; return v },
			set:  func(n int64) int64 { set = append(set, n); return 0 }}
		for range tc.live {
			h.adjust()
		}
		if !slices.Equal(set, tc.want) {
			t.Errorf("%s: limits set %v, want %v", tc.name, set, tc.want)
		}
	}
}

// Hold sets the limit, and stop puts back the one before.
func TestHoldRestores(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	stop := Hold(1<<40, time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got < 1<<40 {
		t.Fatalf("limit while held = %d, want at least %d", got, int64(1<<40))
	}
	time.Sleep(5 * time.Millisecond) // let it tick
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Fatalf("limit after stop = %d, want %d", got, before)
	}
}
