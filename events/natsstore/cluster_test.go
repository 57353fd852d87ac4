package natsstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/certledger/certledger/events"
)

// The cluster test runs three JetStream servers in this process, routed on
// loopback, and takes the stream leader down while runs are being
// appended. It takes about a minute, so it runs only when asked:
//
//	CERTLEDGER_CLUSTER_TEST=1 go test -run Cluster -v ./events/natsstore/
//
// (make test-cluster).
func TestClusterLeaderLoss(t *testing.T) {
	if os.Getenv("CERTLEDGER_CLUSTER_TEST") == "" {
		t.Skip("set CERTLEDGER_CLUSTER_TEST=1 to run the 3-node cluster test")
	}
	c := startCluster(t, 3)
	s := openTemp(t, Config{ServerURL: c.urls(), Replicas: 3, Timeout: 2 * time.Second, RetryFor: 45 * time.Second,
		MaxBatch: 5000, Logf: t.Logf})
	if got := s.stream.CachedInfo().Config.Replicas; got != 3 {
		t.Fatalf("stream has %d replicas", got)
	}
	ctx := context.Background()

	const perRun = 5
	var mu sync.Mutex
	acked := map[string]events.AppendResult{}
	appendRun := func(id string) {
		// A run that fails is retried with the same id until it is
		// acknowledged: the retry must never store it twice.
		for attempt := 0; ; attempt++ {
			res, err := s.Append(ctx, run(id, perRun))
			if err == nil {
				mu.Lock()
				acked[id] = res
				mu.Unlock()
				return
			}
			if attempt > 20 {
				t.Errorf("run %s: %v", id, err)
				return
			}
			t.Logf("run %s attempt %d: %v", id, attempt, err)
			time.Sleep(200 * time.Millisecond)
		}
	}
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			appendRun(fmt.Sprintf("run-%04d", n))
			n++
		}
	}()
	time.Sleep(time.Second)
	info, err := s.stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	leader := info.Cluster.Leader
	t.Logf("stopping stream leader %s after %d messages", leader, info.State.Msgs)
	c.stop(leader)
	time.Sleep(3 * time.Second)
	c.restart(t, leader)
	time.Sleep(2 * time.Second)
	close(stop)
	runs := <-done
	t.Logf("%d runs appended through the leader loss", runs)

	// A run larger than the cluster's batch limit (the default, 1000):
	// the server names its limit and the store switches to the chunked commit.
	big := run("big", 1200)
	if _, err := s.Append(ctx, big); err != nil {
		t.Fatal(err)
	}

	if len(acked) < 2 || len(acked) != runs {
		t.Fatalf("%d of %d runs acknowledged", len(acked), runs)
	}
	want := map[string]int{"big": 1200}
	for id := range acked {
		want[id] = perRun
	}
	recs := readBackOnce(t, s, want)
	for i := 1; i < len(recs); i++ {
		if recs[i].Seq <= recs[i-1].Seq {
			t.Fatalf("records out of order at %d", i)
		}
	}
}

// readBackOnce reads the whole log and checks that it holds exactly the
// runs in want (run id → events), each event once, and nothing else.
func readBackOnce(t *testing.T, s *Store, want map[string]int) []events.Record {
	t.Helper()
	seen := map[string]int{}
	ids := map[string]bool{}
	var recs []events.Record
	if err := s.Read(context.Background(), 0, func(r events.Record) error {
		recs = append(recs, r)
		seen[r.Event.Meta.RunID]++
		if ids[r.Event.Meta.EventID] {
			t.Errorf("event %s delivered twice", r.Event.Meta.EventID)
		}
		ids[r.Event.Meta.EventID] = true
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	total := 0
	for id, n := range want {
		total += n
		if seen[id] != n {
			t.Errorf("run %s: %d events read, want %d", id, seen[id], n)
		}
	}
	if len(recs) != total {
		t.Fatalf("read %d events, want %d", len(recs), total)
	}
	return recs
}

type cluster struct {
	opts []*server.Options
	srvs []*server.Server
}

func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	c := &cluster{}
	clientPorts, routePorts := freePorts(t, n), freePorts(t, n)
	var routes []string
	for _, p := range routePorts {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	for i := range n {
		c.opts = append(c.opts, &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       clientPorts[i],
			JetStream:  true,
			StoreDir:   t.TempDir(),
			Cluster:    server.ClusterOpts{Name: "C3", Host: "127.0.0.1", Port: routePorts[i]},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
			NoLog:      true,
			NoSigs:     true,
		})
		c.srvs = append(c.srvs, nil)
		c.start(t, i)
	}
	t.Cleanup(func() {
		for _, s := range c.srvs {
			if s != nil {
				s.Shutdown()
				s.WaitForShutdown()
			}
		}
	})
	return c
}

func (c *cluster) start(t *testing.T, i int) {
	t.Helper()
	o := *c.opts[i]
	s, err := server.NewServer(&o)
	if err != nil {
		t.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		t.Fatalf("server %s did not start", o.ServerName)
	}
	c.srvs[i] = s
}

func (c *cluster) stop(name string) {
	for i, s := range c.srvs {
		if s != nil && s.Name() == name {
			s.Shutdown()
			s.WaitForShutdown()
			c.srvs[i] = nil
		}
	}
}

func (c *cluster) restart(t *testing.T, name string) {
	for i, o := range c.opts {
		if o.ServerName == name {
			c.start(t, i)
		}
	}
}

func (c *cluster) urls() string {
	var u []string
	for _, o := range c.opts {
		u = append(u, fmt.Sprintf("nats://127.0.0.1:%d", o.Port))
	}
	return strings.Join(u, ",")
}

// freePorts picks ports below the Linux ephemeral range (32768-60999), so
// that an outgoing connection cannot take a port a node restarts on.
func freePorts(t *testing.T, n int) []int {
	t.Helper()
	var ports []int
	for len(ports) < n {
		p := 20000 + rand.IntN(10000)
		l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
		if err != nil {
			continue
		}
		l.Close()
		ports = append(ports, p)
	}
	return ports
}
