package natsstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"golang.org/x/crypto/bcrypt"

	"github.com/certledger/certledger/events"
)

// DefaultListen is where serve listens unless told otherwise: loopback only.
const DefaultListen = "127.0.0.1:4222"

// ServeFile is the credentials file serve writes into the data directory.
const ServeFile = "serve.json"

// ServeConfig configures Serve.
type ServeConfig struct {
	DataDir string
	Listen  string // host:port; port 0 picks a free one (DefaultListen when empty)
	// Ready is called once the server accepts connections, with the client
	// URL and the path of the credentials file (never the secrets).
	Ready func(ServeInfo)
	Logf  func(format string, args ...any)
}

// ServeInfo tells where a running serve is.
type ServeInfo struct {
	URL             string
	CredentialsFile string
}

// ServeCredentials is the content of <data>/serve.json (CONTRACT.md).
type ServeCredentials struct {
	URL        string   `json:"url"`
	Stream     string   `json:"stream"`
	Subjects   string   `json:"subjects"`
	Subscriber UserPass `json:"subscriber"`
	Writer     UserPass `json:"writer"`
}

// UserPass is one user's credentials.
type UserPass struct {
	User     string `json:"user"`
	Password string `json:"password"`
}

const (
	writerUser     = "certledger-writer"
	subscriberUser = "certledger-subscriber"
)

// Serve runs the embedded server with a network listener and
// authentication until ctx ends: a writer user (what --server uses) and a
// read-only subscriber user, whose credentials it generates into
// <data>/serve.json (mode 0600) on first start and reuses afterwards.
func Serve(ctx context.Context, cfg ServeConfig) error {
	if cfg.DataDir == "" {
		return errors.New("natsstore: serve needs a data directory")
	}
	if cfg.Listen == "" {
		cfg.Listen = DefaultListen
	}
	host, portStr, err := net.SplitHostPort(cfg.Listen)
	if err != nil {
		return fmt.Errorf("natsstore: --listen %q: %w", cfg.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return fmt.Errorf("natsstore: --listen %q: bad port", cfg.Listen)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("natsstore: data directory: %w", err)
	}
	st := &Store{cfg: Config{DataDir: cfg.DataDir, Logf: cfg.Logf}}
	st.cfg.defaults()
	st.maxBatch.Store(int64(st.cfg.MaxBatch))
	defer st.Close()
	lctx, cancel := context.WithTimeout(ctx, 4*st.cfg.Timeout)
	unlock, err := lockDataDir(lctx, cfg.DataDir)
	cancel()
	if err != nil {
		return fmt.Errorf("natsstore: %w", err)
	}
	st.unlock = unlock

	credPath := filepath.Join(cfg.DataDir, ServeFile)
	creds, err := loadOrCreateCredentials(credPath)
	if err != nil {
		return err
	}
	opts := embeddedOptions(filepath.Join(cfg.DataDir, "nats"), 0)
	opts.Host, opts.Port = host, port
	// The server holds only bcrypt hashes: the plain passwords live in
	// serve.json (0600) and in the clients that use them. The passwords are
	// 192 random bits, which no key stretching would make stronger, so the
	// minimum cost keeps every connect fast.
	wh, err := bcrypt.GenerateFromPassword([]byte(creds.Writer.Password), bcrypt.MinCost)
	if err != nil {
		return fmt.Errorf("natsstore: serve: %w", err)
	}
	sh, err := bcrypt.GenerateFromPassword([]byte(creds.Subscriber.Password), bcrypt.MinCost)
	if err != nil {
		return fmt.Errorf("natsstore: serve: %w", err)
	}
	opts.Users = []*server.User{
		{Username: creds.Writer.User, Password: string(wh), Permissions: writerPermissions()},
		{Username: creds.Subscriber.User, Password: string(sh), Permissions: subscriberPermissions()},
	}
	srv, err := startServer(opts, cfg.Logf, st.cfg.Timeout)
	if err != nil {
		return err
	}
	st.srv = srv
	nc, err := nats.Connect("", nats.InProcessServer(srv), nats.Name("certledger-serve"),
		nats.UserInfo(creds.Writer.User, creds.Writer.Password))
	if err != nil {
		return fmt.Errorf("natsstore: serve: %w", err)
	}
	st.nc = nc
	// The stream must exist before the first subscriber comes.
	if err := st.setup(ctx); err != nil {
		return err
	}
	addr, ok := srv.Addr().(*net.TCPAddr)
	if !ok {
		return errors.New("natsstore: serve: no listener")
	}
	creds.URL = "nats://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
	if err := writeCredentials(credPath, creds); err != nil {
		return err
	}
	if cfg.Ready != nil {
		cfg.Ready(ServeInfo{URL: creds.URL, CredentialsFile: credPath})
	}
	<-ctx.Done()
	return nil
}

func loadOrCreateCredentials(path string) (ServeCredentials, error) {
	var c ServeCredentials
	b, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(b, &c); err != nil {
			return c, fmt.Errorf("natsstore: %s: %w", path, err)
		}
		if c.Writer.Password == "" || c.Subscriber.Password == "" {
			return c, fmt.Errorf("natsstore: %s lacks a password; remove it to generate new credentials", path)
		}
	case errors.Is(err, os.ErrNotExist):
		c.Writer = UserPass{User: writerUser, Password: newPassword()}
		c.Subscriber = UserPass{User: subscriberUser, Password: newPassword()}
	default:
		return c, fmt.Errorf("natsstore: %w", err)
	}
	c.Stream, c.Subjects = StreamName, events.AllSubjects
	return c, nil
}

func newPassword() string {
	b := make([]byte, 24)
	rand.Read(b) // never fails (crypto/rand panics rather than return an error)
	return base64.RawURLEncoding.EncodeToString(b)
}

// writeCredentials replaces the file atomically, created 0600 so that the
// secrets are never readable by others, not even for a moment.
func writeCredentials(path string, c ServeCredentials) error {
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".serve-*.json")
	if err != nil {
		return fmt.Errorf("natsstore: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("natsstore: %w", err)
	}
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		tmp.Close()
		return fmt.Errorf("natsstore: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("natsstore: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("natsstore: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("natsstore: %w", err)
	}
	return nil
}

// The log's own stream may never be deleted or purged, not even by the
// writer: deny-delete and deny-purge protect messages, these protect the
// stream (jetstream-event-store.md §4, immutability).
var protectLog = []string{
	"$JS.API.STREAM.DELETE." + StreamName,
	"$JS.API.STREAM.PURGE." + StreamName,
	"$JS.API.STREAM.MSG.DELETE." + StreamName,
	"$JS.API.STREAM.DELETE." + kvStream(RunIndexBucket),
	"$JS.API.STREAM.PURGE." + kvStream(RunIndexBucket),
}

func kvStream(bucket string) string { return "KV_" + bucket }

func writerPermissions() *server.Permissions {
	return &server.Permissions{
		Publish: &server.SubjectPermission{Allow: []string{">"}, Deny: protectLog},
	}
}

// subscriberPermissions let a subscriber read the log and the projection
// buckets (stream and consumer info, ordered and durable consumers, direct
// and leader gets) and nothing else: no publish to event or KV subjects, no
// stream, consumer or message deletion, no purge, no configuration change.
func subscriberPermissions() *server.Permissions {
	return &server.Permissions{
		Publish: &server.SubjectPermission{
			Allow: []string{
				"$JS.API.INFO",
				"$JS.API.STREAM.NAMES",
				"$JS.API.STREAM.LIST",
				"$JS.API.STREAM.INFO.*",
				"$JS.API.STREAM.MSG.GET.*",
				"$JS.API.DIRECT.GET.*",
				"$JS.API.DIRECT.GET.*.>",
				"$JS.API.CONSUMER.CREATE.*",
				"$JS.API.CONSUMER.CREATE.*.>",
				"$JS.API.CONSUMER.DURABLE.CREATE.*.*",
				"$JS.API.CONSUMER.INFO.*.*",
				"$JS.API.CONSUMER.NAMES.*",
				"$JS.API.CONSUMER.LIST.*",
				"$JS.API.CONSUMER.MSG.NEXT.*.*",
				"$JS.ACK.>",
				"$JS.FC.>",
			},
			Deny: append([]string{
				events.AllSubjects,
				"$KV.>",
				"$O.>",
				"$JS.API.STREAM.CREATE.>",
				"$JS.API.STREAM.UPDATE.>",
				"$JS.API.STREAM.DELETE.>",
				"$JS.API.STREAM.PURGE.>",
				"$JS.API.STREAM.MSG.DELETE.>",
				"$JS.API.CONSUMER.DELETE.>",
			}, protectLog...),
		},
		Subscribe: &server.SubjectPermission{
			Allow: []string{"_INBOX.>", events.AllSubjects},
		},
	}
}
