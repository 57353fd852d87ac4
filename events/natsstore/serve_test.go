package natsstore

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/certledger/certledger/events"
)

func startServe(t *testing.T, dir string) (ServeInfo, ServeCredentials) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan ServeInfo, 1)
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ServeConfig{DataDir: dir, Listen: "127.0.0.1:0", Ready: func(i ServeInfo) { ready <- i }})
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Errorf("Serve did not return after its context ended")
		}
	})
	var info ServeInfo
	select {
	case info = <-ready:
	case err := <-done:
		t.Fatalf("Serve ended: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not become ready")
	}
	st, err := os.Stat(info.CredentialsFile)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("%s has mode %v, want 0600", info.CredentialsFile, st.Mode().Perm())
	}
	b, _ := os.ReadFile(info.CredentialsFile)
	var creds ServeCredentials
	if err := json.Unmarshal(b, &creds); err != nil {
		t.Fatal(err)
	}
	return info, creds
}

func TestServePermissions(t *testing.T) {
	dir := t.TempDir()
	info, creds := startServe(t, dir)
	if info.CredentialsFile != filepath.Join(dir, ServeFile) || creds.URL != info.URL ||
		creds.Stream != "CERTLEDGER" || creds.Subjects != "certledger.>" ||
		creds.Writer.Password == "" || creds.Subscriber.Password == "" || creds.Writer.Password == creds.Subscriber.Password {
		t.Fatalf("serve.json = %+v (info %+v)", creds, info)
	}
	if !strings.HasPrefix(info.URL, "nats://127.0.0.1:") {
		t.Fatalf("URL %q is not loopback", info.URL)
	}
	ctx := context.Background()
	u, _ := url.Parse(info.URL)

	// Without credentials: refused.
	if nc, err := nats.Connect(info.URL, nats.Timeout(2*time.Second)); err == nil {
		nc.Close()
		t.Fatal("connected without credentials")
	}

	// The writer, through the same URL form the CLI's --server takes.
	u.User = url.UserPassword(creds.Writer.User, creds.Writer.Password)
	w := openTemp(t, Config{ServerURL: u.String(), Timeout: 3 * time.Second, RetryFor: 3 * time.Second})
	if _, err := w.Append(ctx, run("served", 3)); err != nil {
		t.Fatal(err)
	}
	pb, err := w.Bucket(ctx, "assignments")
	if err != nil {
		t.Fatal(err)
	}
	if err := pb.Put(ctx, "global", []byte("v")); err != nil {
		t.Fatal(err)
	}
	// Not even the writer may delete the log.
	if err := w.js.DeleteStream(ctx, StreamName); err == nil {
		t.Fatal("writer deleted the stream")
	}

	// The subscriber reads...
	sub, err := nats.Connect(info.URL, nats.UserInfo(creds.Subscriber.User, creds.Subscriber.Password), nats.Timeout(3*time.Second),
		nats.ErrorHandler(func(*nats.Conn, *nats.Subscription, error) {}))
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	js, _ := jetstream.New(sub)
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	stream, err := js.Stream(rctx, StreamName)
	if err != nil {
		t.Fatalf("subscriber stream info: %v", err)
	}
	if m, err := stream.GetMsg(rctx, 2); err != nil || !strings.HasPrefix(m.Subject, "certledger.assignment.") {
		t.Fatalf("subscriber direct get: %v", err)
	}
	cons, err := js.OrderedConsumer(rctx, StreamName, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatalf("subscriber consumer: %v", err)
	}
	batch, err := cons.Fetch(3, jetstream.FetchMaxWait(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for m := range batch.Messages() {
		if _, err := events.Decode(m.Data()); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 3 {
		t.Fatalf("subscriber read %d events, want 3", n)
	}
	kv, err := js.KeyValue(rctx, "certledger-assignments")
	if err != nil {
		t.Fatalf("subscriber opens projection bucket: %v", err)
	}
	if e, err := kv.Get(rctx, "global"); err != nil || string(e.Value()) != "v" {
		t.Fatalf("subscriber reads projection: %v", err)
	}
	// The subscriber may also open the store read-only through the CLI path.
	u.User = url.UserPassword(creds.Subscriber.User, creds.Subscriber.Password)
	ro := openTemp(t, Config{ServerURL: u.String(), Timeout: time.Second, RetryFor: time.Second})
	if got := len(readAll(t, ro)); got != 3 {
		t.Fatalf("read-only Read got %d records", got)
	}

	// ...and can neither write nor delete anything.
	before := msgCount(t, w)
	short := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 500*time.Millisecond) }
	c1, cl1 := short()
	defer cl1()
	if _, err := js.Publish(c1, "certledger.assignment.global.certificate_assigned", []byte(`{}`)); err == nil {
		t.Error("subscriber published an event")
	}
	if _, err := ro.Append(ctx, run("sneaky", 1)); !errors.Is(err, events.ErrPermission) {
		t.Errorf("subscriber's Append = %v, want a permissions violation", err)
	}
	rb, err := ro.Bucket(ctx, "assignments")
	if err != nil {
		t.Fatalf("subscriber opens a projection bucket through the store: %v", err)
	}
	if v, err := rb.Get(ctx, "global"); err != nil || string(v) != "v" {
		t.Fatalf("subscriber reads a projection through the store: %q, %v", v, err)
	}
	if err := rb.Put(ctx, "global", []byte("x")); !errors.Is(err, events.ErrPermission) {
		t.Errorf("subscriber's Put = %v, want a permissions violation", err)
	}
	c2, cl2 := short()
	defer cl2()
	if err := stream.DeleteMsg(c2, 1); err == nil {
		t.Error("subscriber deleted a message")
	}
	c3, cl3 := short()
	defer cl3()
	if err := stream.Purge(c3); err == nil {
		t.Error("subscriber purged the stream")
	}
	c4, cl4 := short()
	defer cl4()
	if err := js.DeleteStream(c4, StreamName); err == nil {
		t.Error("subscriber deleted the stream")
	}
	c5, cl5 := short()
	defer cl5()
	if err := kv.Delete(c5, "global"); err == nil {
		t.Error("subscriber deleted a projection key")
	}
	c6, cl6 := short()
	defer cl6()
	if _, err := kv.Put(c6, "global", []byte("x")); err == nil {
		t.Error("subscriber wrote a projection key")
	}
	c7, cl7 := short()
	defer cl7()
	if err := js.DeleteKeyValue(c7, "certledger-assignments"); err == nil {
		t.Error("subscriber deleted a projection bucket")
	}
	if after := msgCount(t, w); after != before {
		t.Fatalf("stream went from %d to %d messages", before, after)
	}
	if e, err := kv.Get(ctx, "global"); err != nil || string(e.Value()) != "v" {
		t.Fatalf("projection changed: %v", err)
	}
}

// A second start reuses the credentials it generated.
func TestServeKeepsCredentials(t *testing.T) {
	dir := t.TempDir()
	var first ServeCredentials
	func() {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		ready := make(chan struct{})
		done := make(chan error, 1)
		go func() {
			done <- Serve(ctx, ServeConfig{DataDir: dir, Listen: "127.0.0.1:0", Ready: func(ServeInfo) { close(ready) }})
		}()
		select {
		case <-ready:
		case err := <-done:
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(dir, ServeFile))
		json.Unmarshal(b, &first)
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}()
	_, second := startServe(t, dir)
	if first.Writer != second.Writer || first.Subscriber != second.Subscriber {
		t.Fatal("credentials changed between starts")
	}
}

// TestUnreachableServerFailsFast: Open returns (go test's -timeout
// catches a hang) with a clear error.
func TestUnreachableServerFailsFast(t *testing.T) {
	_, err := Open(context.Background(), Config{ServerURL: "nats://user:hunter2@127.0.0.1:1", Timeout: time.Second})
	if err == nil {
		t.Fatal("Open succeeded against nothing")
	}
	if !strings.Contains(err.Error(), "cannot reach NATS") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error %q: want a clear message without the password", err)
	}
}
