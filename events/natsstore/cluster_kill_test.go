package natsstore

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// TestClusterLeaderKilled is TestClusterLeaderLoss with each node in a
// process of its own (this test binary, re-executed as a node), so that the
// stream leader can be killed with SIGKILL: no shutdown, no leader
// transfer, the followers must elect a new leader (4-9 s of raft timeouts).
func TestClusterLeaderKilled(t *testing.T) {
	if os.Getenv("CERTLEDGER_CLUSTER_TEST") == "" {
		t.Skip("set CERTLEDGER_CLUSTER_TEST=1 to run the 3-node cluster test")
	}
	c := startProcCluster(t, 3)
	s := openTemp(t, Config{ServerURL: c.urls(), Replicas: 3, Timeout: 2 * time.Second, RetryFor: 60 * time.Second, Logf: t.Logf})
	ctx := context.Background()

	const perRun = 5
	var mu sync.Mutex
	acked := map[string]bool{}
	var errs int
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
			id := fmt.Sprintf("run-%04d", n)
			for attempt := 0; ; attempt++ {
				_, err := s.Append(ctx, run(id, perRun))
				if err == nil {
					mu.Lock()
					acked[id] = true
					mu.Unlock()
					break
				}
				mu.Lock()
				errs++
				mu.Unlock()
				if attempt > 10 {
					t.Errorf("run %s: %v", id, err)
					break
				}
				time.Sleep(200 * time.Millisecond)
			}
			n++
		}
	}()
	time.Sleep(time.Second)
	info, err := s.stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	leader := info.Cluster.Leader
	t.Logf("killing stream leader %s at %d messages", leader, info.State.Msgs)
	c.kill(t, leader)
	time.Sleep(8 * time.Second)
	c.start(t, leader)
	time.Sleep(2 * time.Second)
	close(stop)
	runs := <-done
	t.Logf("%d runs appended across the kill; %d Append calls failed and were retried", runs, errs)

	if len(acked) != runs {
		t.Fatalf("%d of %d runs acknowledged", len(acked), runs)
	}
	want := map[string]int{}
	for id := range acked {
		want[id] = perRun
	}
	readBackOnce(t, s, want)
}

// A node process: the test binary re-executed with CERTLEDGER_NODE set.
func TestClusterNodeHelper(t *testing.T) {
	spec := os.Getenv("CERTLEDGER_NODE")
	if spec == "" {
		t.Skip("a cluster node process for TestClusterLeaderKilled")
	}
	f := strings.SplitN(spec, ",", 5) // name, client port, route port, store dir, routes
	cp, _ := strconv.Atoi(f[1])
	rp, _ := strconv.Atoi(f[2])
	srv, err := server.NewServer(&server.Options{
		ServerName: f[0], Host: "127.0.0.1", Port: cp, JetStream: true, StoreDir: f[3],
		Cluster: server.ClusterOpts{Name: "C3", Host: "127.0.0.1", Port: rp},
		Routes:  server.RoutesFromStr(f[4]), NoLog: true, NoSigs: true,
	})
	if err != nil {
		os.Exit(3)
	}
	srv.Start()
	srv.WaitForShutdown()
}

type procCluster struct {
	specs map[string]string
	ports map[string]int
	procs map[string]*exec.Cmd
}

func startProcCluster(t *testing.T, n int) *procCluster {
	c := &procCluster{specs: map[string]string{}, ports: map[string]int{}, procs: map[string]*exec.Cmd{}}
	clientPorts, routePorts := freePorts(t, n), freePorts(t, n)
	var routes []string
	for _, p := range routePorts {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", p))
	}
	for i := range n {
		name := fmt.Sprintf("n%d", i+1)
		c.specs[name] = fmt.Sprintf("%s,%d,%d,%s,%s", name, clientPorts[i], routePorts[i], t.TempDir(), strings.Join(routes, ","))
		c.ports[name] = clientPorts[i]
		c.start(t, name)
	}
	t.Cleanup(func() {
		for _, p := range c.procs {
			p.Process.Kill()
			p.Wait()
		}
	})
	return c
}

func (c *procCluster) start(t *testing.T, name string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestClusterNodeHelper$")
	cmd.Env = append(os.Environ(), "CERTLEDGER_NODE="+c.specs[name])
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c.procs[name] = cmd
	addr := fmt.Sprintf("127.0.0.1:%d", c.ports[name])
	for deadline := time.Now().Add(20 * time.Second); ; {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("node %s did not listen on %s", name, addr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (c *procCluster) kill(t *testing.T, name string) {
	p := c.procs[name]
	if p == nil {
		t.Fatalf("no node %s", name)
	}
	p.Process.Signal(syscall.SIGKILL)
	p.Wait()
	delete(c.procs, name)
}

func (c *procCluster) urls() string {
	var u []string
	for _, p := range c.ports {
		u = append(u, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	return strings.Join(u, ",")
}
