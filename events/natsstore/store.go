// Package natsstore keeps certledger's event log on NATS JetStream: an
// embedded nats-server with a file store under a data directory by default,
// or an external server or cluster by URL. After connecting, both take the
// same code path. All of the product's NATS code lives in this package.
package natsstore

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/certledger/certledger/events"
)

// StreamName is the one stream of the log.
const StreamName = "CERTLEDGER"

// DuplicateWindow is how long the server remembers each event's Nats-Msg-Id.
// A retried run inside it is refused by the server itself, atomically with
// the batch; after it the run index (a KV bucket written after each commit)
// answers. A day covers any retry a person or a CI job makes; the cost is
// one map entry per event of the last day.
const DuplicateWindow = 24 * time.Hour

// EmbeddedMaxBatch is the atomic-batch limit the embedded server is started
// with (the server default is 1000). Runs up to this many events commit in
// one atomic batch; larger runs use the chunked commit protocol.
const EmbeddedMaxBatch = 10000

// defaultExternalMaxBatch is the server default, assumed for external servers
// until the server says otherwise (error 10199 names its limit).
const defaultExternalMaxBatch = 1000

// Config says where the log is.
type Config struct {
	// DataDir is the embedded server's store directory (used when ServerURL
	// is empty). The embedded server has no network listener.
	DataDir string
	// ServerURL connects to an external NATS server or cluster instead; it
	// may carry user:password. Several URLs may be given comma-separated.
	ServerURL string
	Creds     string // a NATS credentials file
	TLSCA     string // PEM CA bundle to verify the server
	TLSCert   string // client certificate (PEM), with TLSKey
	TLSKey    string
	// Replicas of the stream and the buckets (1 when zero); 3 on a cluster.
	Replicas int
	// Timeout bounds connecting and each request (5s when zero).
	Timeout time.Duration
	// RetryFor bounds the retries of one operation through leader elections
	// and "no responders" (30s when zero). A context deadline bounds it too.
	RetryFor time.Duration
	// SyncInterval is the embedded file store's fsync interval. Zero, the
	// default, syncs every write before it is acknowledged (an atomic batch
	// coalesces that into one fsync per run), so an acknowledged run survives
	// power loss. A positive interval trades that for speed: an acknowledged
	// run then survives a process kill but not a power loss inside the
	// interval. See docs/events.md.
	SyncInterval time.Duration
	// MaxBatch overrides the number of messages sent in one atomic batch
	// (EmbeddedMaxBatch embedded, 1000 external).
	MaxBatch int
	// Logf receives the embedded server's warnings and the store's notices.
	Logf func(format string, args ...any)
}

func (c *Config) defaults() {
	if c.Replicas <= 0 {
		c.Replicas = 1
	}
	if c.Timeout <= 0 {
		c.Timeout = 5 * time.Second
	}
	if c.RetryFor <= 0 {
		c.RetryFor = 30 * time.Second
	}
	if c.MaxBatch <= 0 {
		if c.ServerURL == "" {
			c.MaxBatch = EmbeddedMaxBatch
		} else {
			c.MaxBatch = defaultExternalMaxBatch
		}
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
}

// Store is the event log on JetStream. It is safe for concurrent use.
type Store struct {
	cfg      Config
	srv      *server.Server // embedded only
	unlock   func()
	nc       *nats.Conn
	js       jetstream.JetStream
	stream   jetstream.Stream
	runs     jetstream.KeyValue
	maxBatch atomic.Int64 // lowered when a server names a smaller limit
	denied   atomic.Pointer[deniedErr]
}

var (
	_ events.Store   = (*Store)(nil)
	_ events.Buckets = (*Store)(nil)
)

// Open starts the embedded server (or connects to cfg.ServerURL), makes sure
// the stream exists with the log's settings, and returns the store.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg.defaults()
	s := &Store{cfg: cfg}
	s.maxBatch.Store(int64(cfg.MaxBatch))
	var err error
	if cfg.ServerURL == "" {
		err = s.startEmbedded(ctx)
	} else {
		err = s.connect(ctx)
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	if err := s.setup(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close disconnects and, if embedded, shuts the server down.
func (s *Store) Close() error {
	if s.nc != nil {
		s.nc.Close()
	}
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
	}
	if s.unlock != nil {
		s.unlock()
		s.unlock = nil
	}
	return nil
}

func embeddedOptions(dir string, sync time.Duration) *server.Options {
	return &server.Options{
		ServerName: "certledger",
		JetStream:  true,
		StoreDir:   dir,
		NoSigs:     true,
		// Atomic batch commits coalesce the fsync of SyncAlways into one per
		// run (stream.go "coalesceSync"), which makes it affordable here.
		SyncAlways:   sync <= 0,
		SyncInterval: sync,
		JetStreamLimits: server.JSLimitOpts{
			MaxBatchSize: EmbeddedMaxBatch,
		},
	}
}

func (s *Store) startEmbedded(ctx context.Context) error {
	dir := s.cfg.DataDir
	if dir == "" {
		return errors.New("natsstore: no data directory and no server URL")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("natsstore: data directory: %w", err)
	}
	lctx, cancel := context.WithTimeout(ctx, 4*s.cfg.Timeout)
	defer cancel()
	unlock, err := lockDataDir(lctx, dir)
	if err != nil {
		return fmt.Errorf("natsstore: %w", err)
	}
	s.unlock = unlock
	opts := embeddedOptions(filepath.Join(dir, "nats"), s.cfg.SyncInterval)
	opts.DontListen = true
	srv, err := startServer(opts, s.cfg.Logf, s.cfg.Timeout)
	if err != nil {
		return err
	}
	s.srv = srv
	nc, err := nats.Connect("", nats.InProcessServer(srv), nats.Name("certledger"), nats.Timeout(s.cfg.Timeout))
	if err != nil {
		return fmt.Errorf("natsstore: connect to the embedded server: %w", err)
	}
	s.nc = nc
	return nil
}

func startServer(opts *server.Options, logf func(string, ...any), timeout time.Duration) (*server.Server, error) {
	if logf == nil {
		opts.NoLog = true
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("natsstore: embedded server: %w", err)
	}
	if logf != nil {
		srv.SetLoggerV2(serverLogger{logf}, false, false, false)
	}
	srv.Start()
	// Recovering a large store takes longer than a fresh start.
	if !srv.ReadyForConnections(timeout + 30*time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("natsstore: the embedded server did not start (store %s)", opts.StoreDir)
	}
	return srv, nil
}

// serverLogger passes the server's warnings and errors on, never its debug
// or trace output (which would include message content).
type serverLogger struct{ logf func(string, ...any) }

func (l serverLogger) Noticef(string, ...any)    {}
func (l serverLogger) Debugf(string, ...any)     {}
func (l serverLogger) Tracef(string, ...any)     {}
func (l serverLogger) Warnf(f string, a ...any)  { l.logf("nats: "+f, a...) }
func (l serverLogger) Errorf(f string, a ...any) { l.logf("nats error: "+f, a...) }
func (l serverLogger) Fatalf(f string, a ...any) { l.logf("nats fatal: "+f, a...) }

func (s *Store) connect(ctx context.Context) error {
	shown := redactURL(s.cfg.ServerURL)
	opts := []nats.Option{
		nats.Name("certledger"),
		nats.Timeout(s.cfg.Timeout),
		// Keep trying through a server restart or failover once connected;
		// each request is bounded by Timeout and RetryFor regardless.
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		// Asynchronous errors (a permissions violation, a slow consumer) go
		// to Logf, never to the process's stderr.
		nats.ErrorHandler(s.asyncError),
	}
	if s.cfg.Creds != "" {
		opts = append(opts, nats.UserCredentials(s.cfg.Creds))
	}
	if s.cfg.TLSCA != "" {
		opts = append(opts, nats.RootCAs(s.cfg.TLSCA))
	}
	if s.cfg.TLSCert != "" || s.cfg.TLSKey != "" {
		if s.cfg.TLSCert == "" || s.cfg.TLSKey == "" {
			return errors.New("natsstore: --tls-cert and --tls-key go together")
		}
		opts = append(opts, nats.ClientCert(s.cfg.TLSCert, s.cfg.TLSKey))
	}
	if s.cfg.TLSCA != "" || s.cfg.TLSCert != "" {
		opts = append(opts, nats.Secure(&tls.Config{MinVersion: tls.VersionTLS12}))
	}
	type result struct {
		nc  *nats.Conn
		err error
	}
	done := make(chan result, 1)
	go func() {
		nc, err := nats.Connect(s.cfg.ServerURL, opts...)
		done <- result{nc, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return fmt.Errorf("natsstore: cannot reach NATS at %s: %v", shown, redactErr(r.err, s.cfg.ServerURL))
		}
		s.nc = r.nc
	case <-ctx.Done():
		go func() {
			if r := <-done; r.nc != nil {
				r.nc.Close()
			}
		}()
		return fmt.Errorf("natsstore: cannot reach NATS at %s: %w", shown, ctx.Err())
	}
	return nil
}

// deniedErr is the latest permissions violation the server reported. The
// server reports it asynchronously and a denied request just gets no reply,
// so retry consults it to fail at once instead of retrying a timeout.
type deniedErr struct {
	at  time.Time
	err error
}

func (s *Store) asyncError(_ *nats.Conn, _ *nats.Subscription, err error) {
	if errors.Is(err, nats.ErrPermissionViolation) {
		s.denied.Store(&deniedErr{time.Now(), err})
		return
	}
	s.cfg.Logf("certledger: nats: %v", err)
}

func (s *Store) setup(ctx context.Context) error {
	js, err := jetstream.New(s.nc, jetstream.WithDefaultTimeout(s.cfg.Timeout))
	if err != nil {
		return err
	}
	s.js = js
	cfg := StreamConfig(s.cfg.Replicas)
	err = s.retry(ctx, "open stream "+StreamName, func(ctx context.Context) error {
		// Look before creating: a read-only user may open an existing log.
		st, err := js.Stream(ctx, StreamName)
		switch {
		case errors.Is(err, jetstream.ErrStreamNotFound):
			st, err = js.CreateStream(ctx, cfg)
			if errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) { // another process won the race
				st, err = js.Stream(ctx, StreamName)
			}
		case err == nil && needsUpdate(st.CachedInfo().Config, cfg):
			st, err = js.UpdateStream(ctx, cfg)
		}
		if err != nil {
			return err
		}
		s.stream = st
		return nil
	})
	if err != nil {
		if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
			return fmt.Errorf("natsstore: JetStream is not enabled on %s for this account", s.where())
		}
		return fmt.Errorf("natsstore: stream %s on %s: %w", StreamName, s.where(), err)
	}
	info := s.stream.CachedInfo()
	if !info.Config.AllowAtomicPublish || !info.Config.DenyDelete || !info.Config.DenyPurge {
		return fmt.Errorf("natsstore: stream %s on %s lacks atomic publish or deny-delete/purge (server older than 2.12?)", StreamName, s.where())
	}
	return s.retry(ctx, "open run index", func(ctx context.Context) error {
		kv, err := js.KeyValue(ctx, RunIndexBucket)
		if errors.Is(err, jetstream.ErrBucketNotFound) {
			kv, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
				Bucket:      RunIndexBucket,
				Description: "certledger: committed runs (run id -> sequences), for idempotent retries",
				History:     1,
				Storage:     jetstream.FileStorage,
				Replicas:    s.cfg.Replicas,
			})
			if errors.Is(err, jetstream.ErrBucketExists) {
				kv, err = js.KeyValue(ctx, RunIndexBucket)
			}
		}
		if err != nil {
			return err
		}
		s.runs = kv
		return nil
	})
}

// needsUpdate reports whether an existing stream lacks a setting the log
// relies on (or runs at another replica count than asked for).
func needsUpdate(have, want jetstream.StreamConfig) bool {
	return have.Replicas != want.Replicas || have.DenyDelete != want.DenyDelete || have.DenyPurge != want.DenyPurge ||
		have.AllowAtomicPublish != want.AllowAtomicPublish || have.AllowDirect != want.AllowDirect ||
		have.Duplicates != want.Duplicates || have.MaxAge != 0 || have.MaxMsgs > 0 || have.MaxBytes > 0
}

// StreamConfig is the configuration of the log's stream.
func StreamConfig(replicas int) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        StreamName,
		Description: "certledger event log (immutable audit trail)",
		Subjects:    []string{events.AllSubjects},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		// No limit may ever remove an event.
		MaxAge:            0,
		MaxBytes:          -1,
		MaxMsgs:           -1,
		MaxMsgsPerSubject: -1,
		Discard:           jetstream.DiscardNew,
		Replicas:          replicas,
		Duplicates:        DuplicateWindow,
		DenyDelete:        true,
		DenyPurge:         true,
		// Subscribers read through direct get on any replica; the store's own
		// read-your-writes lookups go to the leader (see lastBySubject).
		AllowDirect:        true,
		AllowAtomicPublish: true,
	}
}

// RunIndexBucket holds, per committed run id, where its events are.
const RunIndexBucket = "certledger_runs"

func (s *Store) where() string {
	if s.cfg.ServerURL == "" {
		return "the embedded server (" + s.cfg.DataDir + ")"
	}
	return redactURL(s.cfg.ServerURL)
}

// redactURL drops any password from a server URL list before it is shown.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		if err != nil {
			return "the configured server"
		}
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "REDACTED")
	}
	return u.String()
}

func redactErr(err error, raw string) string {
	msg := err.Error()
	if u, perr := url.Parse(raw); perr == nil && u.User != nil {
		if p, ok := u.User.Password(); ok && p != "" {
			msg = strings.ReplaceAll(msg, p, "REDACTED")
		}
	}
	return msg
}
