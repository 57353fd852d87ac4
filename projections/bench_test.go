package projections

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	neturl "net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/events/natsstore"
)

// fleet generates a large, plausible log one event at a time (nothing is
// held): 500 front ends and 20 sites plus Global, six uses, a new
// certificate in 2% of the events, services enabled in 18%, assignments in
// 70% (a third of them rolls effective 0–90 days later), removals in 10%
// (half of them -Previous); about a minute between events.
type fleet struct {
	rng    *rand.Rand
	now    time.Time
	n      int
	certs  []string    // thumbprints imported so far
	pairs  [][2]string // {server, thumbprint} of each import
	ids    []string
	uses   []string
	server []string
}

func newFleet(seed uint64) *fleet {
	f := &fleet{rng: rand.New(rand.NewPCG(seed, 42)), now: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.ids = append(f.ids, "Global")
	for i := range 500 {
		f.server = append(f.server, fmt.Sprintf("lyncfe%03d.litwareinc.com", i))
	}
	f.ids = append(f.ids, f.server...)
	for i := range 20 {
		f.ids = append(f.ids, fmt.Sprintf("site:Site%02d", i))
	}
	f.uses = []string{"Default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer", "AudioVideoAuthentication", "Internal"}
	return f
}

func (f *fleet) meta() events.Meta {
	f.n++
	return events.Meta{
		RunID: "bench-" + strconv.Itoa(f.n), Actor: `LITWARE\svc-certs`, Host: "admin-ws", Time: f.now,
		Script: "rotate.ps1", ScriptSHA256: "00", Line: 1 + f.n%40, Char: 1, Producer: "certledger/bench",
		Command: "Set-CsCertificate -Type Default -Thumbprint X", Computer: f.server[0], SchemaVersion: 1,
	}
}

func (f *fleet) thumb() string {
	if f.rng.IntN(50) == 0 {
		// Now and then a thumbprint nobody imported (Known: false).
		return fmt.Sprintf("%040X", f.rng.Uint64())
	}
	return f.certs[f.rng.IntN(len(f.certs))]
}

// next returns the next event and the time the log stores it at.
func (f *fleet) next() (events.Event, time.Time) {
	f.now = f.now.Add(time.Duration(f.rng.IntN(120)) * time.Second)
	m := f.meta()
	k := f.rng.IntN(100)
	switch {
	case k < 2 || len(f.pairs) == 0:
		t := fmt.Sprintf("%040X", f.rng.Uint64())
		srv := f.server[f.rng.IntN(len(f.server))]
		f.certs = append(f.certs, t)
		f.pairs = append(f.pairs, [2]string{srv, t})
		return events.Event{Meta: m, Data: events.CertificateImported{
			Server: srv, Thumbprint: t, Subject: "CN=pool" + t[:4] + ".litwareinc.com",
			Issuer: "CN=LitwareCA, DC=litwareinc, DC=com", NotBefore: f.now, NotAfter: f.now.AddDate(1, 0, 0),
			SerialNumber: t[:20], FriendlyName: "Lync " + t[:6], HasPrivateKey: true,
			AlternativeNames: []string{"sip.litwareinc.com", "pool" + t[:4] + ".litwareinc.com"},
			SourceFile:       `C:\certs\` + t[:8] + `.pfx`, SourceSHA256: t + t[:24],
		}}, f.now
	case k < 20 && len(f.pairs) > 0:
		// Exchange enables services on a certificate that server imported.
		p := f.pairs[f.rng.IntN(len(f.pairs))]
		return events.Event{Meta: m, Data: events.ServicesEnabled{
			Server: p[0], Thumbprint: p[1], Services: [][]string{{"IIS"}, {"SMTP"}, {"IMAP", "POP"}}[f.rng.IntN(3)],
		}}, f.now
	case k < 90:
		d := events.CertificateAssigned{Identity: f.ids[f.rng.IntN(len(f.ids))], Uses: []string{f.uses[f.rng.IntN(len(f.uses))]}, Thumbprint: f.thumb()}
		if f.rng.IntN(3) == 0 {
			eff := f.now.Add(time.Duration(f.rng.IntN(90*24)) * time.Hour)
			d.Roll, d.EffectiveDate = true, &eff
		}
		return events.Event{Meta: m, Data: d}, f.now
	default:
		return events.Event{Meta: m, Data: events.CertificateRemoved{
			Identity: f.ids[f.rng.IntN(len(f.ids))], Uses: []string{f.uses[f.rng.IntN(len(f.uses))]}, Previous: f.rng.IntN(2) == 0,
		}}, f.now
	}
}

var (
	bigOnce  sync.Once
	bigModel *Model
	bigSpan  [2]time.Time
)

// bigLog folds a million fleet events into memory once per process.
func bigLog(b *testing.B) *Model {
	bigOnce.Do(func() {
		f := newFleet(1)
		m := New()
		for seq := uint64(1); seq <= 1_000_000; seq++ {
			e, at := f.next()
			if seq == 1 {
				bigSpan[0] = at
			}
			bigSpan[1] = at
			m.Apply(events.Record{Seq: seq, Stored: at, Event: e})
		}
		bigModel = m
	})
	return bigModel
}

// BenchmarkAsOf1M measures as-of queries on a model of a million events:
// the whole assignments report, one identity's rows, and one Resolve, at
// random instants over the log's two years. It reports p50 and p99 latency.
func BenchmarkAsOf1M(b *testing.B) {
	m := bigLog(b)
	span := bigSpan[1].Sub(bigSpan[0])
	rng := rand.New(rand.NewPCG(7, 7))
	at := func() time.Time { return bigSpan[0].Add(time.Duration(rng.Int64N(int64(span)))) }
	for _, q := range []struct {
		name string
		run  func(time.Time) int
	}{
		{"all", func(t time.Time) int { return len(m.AsOf(t).Assignments("")) }},
		{"identity", func(t time.Time) int { return len(m.AsOf(t).Assignments("lyncfe042.litwareinc.com")) }},
		{"resolve", func(t time.Time) int {
			_, ok := m.AsOf(t).Resolve("lyncfe042.litwareinc.com", "OAuthTokenIssuer")
			return map[bool]int{true: 1}[ok]
		}},
		{"atseq-all", func(t time.Time) int { return len(m.AtSeq(uint64(rng.IntN(1_000_000)), t).Assignments("")) }},
	} {
		b.Run(q.name, func(b *testing.B) {
			// Wall time includes every moment the scheduler gives the core
			// to someone else (the machine is shared); the thread's CPU
			// time is the query's own cost. Both are reported.
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			wall := make([]time.Duration, 0, b.N)
			cpu := make([]time.Duration, 0, b.N)
			rows := 0
			b.ResetTimer()
			for range b.N {
				t := at()
				c0 := threadCPU()
				start := time.Now()
				rows += q.run(t)
				wall = append(wall, time.Since(start))
				cpu = append(cpu, threadCPU()-c0)
			}
			b.StopTimer()
			pct := func(d []time.Duration, p int) float64 {
				slices.Sort(d)
				return float64(d[len(d)*p/100].Nanoseconds()) / 1e3
			}
			b.ReportMetric(pct(wall, 50), "p50-µs")
			b.ReportMetric(pct(wall, 99), "p99-µs")
			b.ReportMetric(pct(cpu, 50), "cpu-p50-µs")
			b.ReportMetric(pct(cpu, 99), "cpu-p99-µs")
			b.ReportMetric(float64(rows)/float64(b.N), "rows/op")
		})
	}
}

// threadCPU is the calling thread's CPU time.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BenchmarkFold is the pure fold's speed (events applied per second, the
// generator's cost included) and the live heap of the model it leaves, for
// logs of growing size.
func BenchmarkFold(b *testing.B) {
	for _, n := range []int{250_000, 500_000, 1_000_000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			for range b.N {
				f := newFleet(1)
				m := New()
				start := time.Now()
				for seq := uint64(1); seq <= uint64(n); seq++ {
					e, at := f.next()
					m.Apply(events.Record{Seq: seq, Stored: at, Event: e})
				}
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
				f = nil
				var ms runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&ms)
				b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "live-MiB")
				runtime.KeepAlive(m)
			}
		})
	}
}

// benchEvents is the size of the log BenchmarkRebuild builds:
// $CERTLEDGER_BENCH_EVENTS, default 200 000 (docs/benchmarks.md uses 1M).
func benchEvents() int {
	if n, err := strconv.Atoi(os.Getenv("CERTLEDGER_BENCH_EVENTS")); err == nil && n > 0 {
		return n
	}
	return 200_000
}

// populate commits n fleet events to a new store in dir, in runs of 5000.
func populate(b *testing.B, dir string, n int) {
	ctx := context.Background()
	s := openStore(b, dir)
	defer s.Close()
	f := newFleet(1)
	for i := 0; i < n; {
		k := min(5000, n-i)
		batch := events.Batch{RunID: fmt.Sprintf("bench-run-%d", i)}
		for j := range k {
			e, _ := f.next()
			e.Meta.RunID, e.Meta.Statement = batch.RunID, j
			batch.Events = append(batch.Events, e)
		}
		if _, err := s.Append(ctx, batch); err != nil {
			b.Fatal(err)
		}
		i += k
	}
}

// BenchmarkRebuild compares, on one log in one run, a raw ordered-consumer
// read of the whole stream (natsstore's Read, doing nothing per record)
// with a rebuild from zero (the same read, the fold, and writing the new
// generation and swapping it in). Each is measured in a child process of
// its own, which also reports its peak RSS (VmHWM) and the Go heap.
//
//	CERTLEDGER_BENCH_EVENTS=1000000 go test ./projections -run '^$' -bench Rebuild -benchtime 1x
//
// With CERTLEDGER_BENCH_SERVE=1 the benchmark serves the log from its own
// process (natsstore.Serve, as certledger serve does) and the children
// connect to it as --server would: their RSS is then certledger's alone,
// without the embedded server's.
func BenchmarkRebuild(b *testing.B) {
	n := benchEvents()
	// $CERTLEDGER_BENCH_DIR keeps the populated log between runs.
	dir := os.Getenv("CERTLEDGER_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	marker := filepath.Join(dir, fmt.Sprintf("populated-%d", n))
	if _, err := os.Stat(marker); err != nil {
		start := time.Now()
		populate(b, dir, n)
		b.Logf("committed %d events in %v", n, time.Since(start).Round(time.Millisecond))
		if err := os.WriteFile(marker, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var url string
	if os.Getenv("CERTLEDGER_BENCH_SERVE") != "" {
		url = serveLog(b, dir)
	}
	for range b.N {
		var raw, rebuild []childResult
		var ratios []float64
		for range 3 { // alternate, so that both see the same machine
			raw = append(raw, runChild(b, dir, url, "read"))
			rebuild = append(rebuild, runChild(b, dir, url, "rebuild"))
			ratios = append(ratios, rebuild[len(rebuild)-1].perSec/raw[len(raw)-1].perSec)
		}
		median := func(xs []float64) float64 {
			xs = slices.Clone(xs)
			slices.Sort(xs)
			return xs[len(xs)/2]
		}
		field := func(rs []childResult, f func(childResult) float64) []float64 {
			var out []float64
			for _, r := range rs {
				out = append(out, f(r))
			}
			return out
		}
		perSec := func(r childResult) float64 { return r.perSec }
		rss := func(r childResult) float64 { return r.rssMiB }
		b.ReportMetric(median(field(raw, perSec)), "read-events/s")
		b.ReportMetric(median(field(rebuild, perSec)), "rebuild-events/s")
		b.ReportMetric(median(ratios), "ratio")
		b.ReportMetric(slices.Max(field(raw, rss)), "read-RSS-MiB")
		b.ReportMetric(slices.Max(field(rebuild, rss)), "rebuild-RSS-MiB")
		b.ReportMetric(slices.Max(field(rebuild, func(r childResult) float64 { return r.heapMiB })), "rebuild-heap-MiB")
		for i := range raw {
			b.Logf("pair %d: read %.0f events/s RSS %.1f MiB; rebuild %.0f events/s RSS %.1f MiB heap %.1f MiB; ratio %.2f",
				i+1, raw[i].perSec, raw[i].rssMiB, rebuild[i].perSec, rebuild[i].rssMiB, rebuild[i].heapMiB, ratios[i])
		}
	}
}

type childResult struct {
	perSec, rssMiB, heapMiB float64
}

// serveLog serves the log in dir until the benchmark ends and returns the
// writer's URL, credentials included.
func serveLog(b *testing.B, dir string) string {
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan natsstore.ServeInfo, 1)
	done := make(chan error, 1)
	go func() {
		done <- natsstore.Serve(ctx, natsstore.ServeConfig{DataDir: dir, Listen: "127.0.0.1:0", Ready: func(i natsstore.ServeInfo) { ready <- i }})
	}()
	b.Cleanup(func() { cancel(); <-done })
	var info natsstore.ServeInfo
	select {
	case info = <-ready:
	case err := <-done:
		b.Fatalf("serve: %v", err)
	}
	raw, err := os.ReadFile(info.CredentialsFile)
	if err != nil {
		b.Fatal(err)
	}
	var creds natsstore.ServeCredentials
	if err := json.Unmarshal(raw, &creds); err != nil {
		b.Fatal(err)
	}
	u, err := neturl.Parse(info.URL)
	if err != nil {
		b.Fatal(err)
	}
	u.User = neturl.UserPassword(creds.Writer.User, creds.Writer.Password)
	return u.String()
}

// runChild runs TestBenchChild in a new process of this test binary,
// reading the log in dir, or at url when one is given.
func runChild(b *testing.B, dir, url, what string) childResult {
	cmd := exec.Command(os.Args[0], "-test.run=^TestBenchChild$", "-test.v")
	cmd.Env = append(os.Environ(), "PROJECTIONS_BENCH_CHILD="+what, "PROJECTIONS_BENCH_DIR="+dir, "PROJECTIONS_BENCH_URL="+url)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("child %s: %v\n%s", what, err, out)
	}
	var r childResult
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "RESULT "); ok {
			if _, err := fmt.Sscan(rest, &r.perSec, &r.rssMiB, &r.heapMiB); err != nil {
				b.Fatalf("child %s: %q: %v", what, line, err)
			}
			return r
		}
	}
	b.Fatalf("child %s printed no result:\n%s", what, out)
	return r
}

// TestBenchChild is BenchmarkRebuild's child process; it does nothing in a
// normal test run.
func TestBenchChild(t *testing.T) {
	what, dir := os.Getenv("PROJECTIONS_BENCH_CHILD"), os.Getenv("PROJECTIONS_BENCH_DIR")
	if what == "" {
		t.Skip("run by BenchmarkRebuild")
	}
	ctx := context.Background()
	if path := os.Getenv("PROJECTIONS_BENCH_HEAPPROFILE"); path != "" {
		// What is live in the middle of the work, store and model together.
		after, err := time.ParseDuration(os.Getenv("PROJECTIONS_BENCH_HEAPPROFILE_AFTER"))
		if err != nil {
			after = 5 * time.Second
		}
		time.AfterFunc(after, func() {
			f, err := os.Create(path)
			if err != nil {
				return
			}
			defer f.Close()
			runtime.GC()
			pprof.WriteHeapProfile(f)
		})
	}
	if what != "catchup" && os.Getenv("GOMEMLIMIT") == "" {
		// The limit certledger replay starts at (it raises it when the
		// live heap outgrows it); the raw read runs alike, so that the
		// two compare under the same collector.
		debug.SetMemoryLimit(RebuildMemoryLimit)
	}
	var s *natsstore.Store
	if url := os.Getenv("PROJECTIONS_BENCH_URL"); url != "" {
		var err error
		if s, err = natsstore.Open(ctx, natsstore.Config{ServerURL: url}); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
	} else {
		s = openStore(t, dir)
	}
	start := time.Now()
	var n int
	switch what {
	case "read":
		if err := s.Read(ctx, 1, func(events.Record) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
	case "catchup":
		// A read command on a materialised model with nothing new: the
		// cost of loading the model from its shards.
		m, err := Open(s, s).Catchup(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n = int(m.LastSeq())
	case "rebuild":
		p := Open(s, s)
		p.onPhase = func(string) { fmt.Printf("PHASE folded after %v\n", time.Since(start).Round(time.Millisecond)) }
		m, err := p.Rebuild(ctx, Until{})
		if err != nil {
			t.Fatal(err)
		}
		n = int(m.LastSeq)
		runtime.KeepAlive(m)
	}
	perSec := float64(n) / time.Since(start).Seconds()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("RESULT %.0f %.1f %.1f\n", perSec, peakRSS(t), float64(ms.HeapSys-ms.HeapReleased)/(1<<20))
}

// peakRSS is this process's peak resident set (VmHWM), in MiB.
func peakRSS(t *testing.T) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return float64(kb) / 1024
		}
	}
	return 0
}
