// Package events defines certledger's domain events, their audit metadata,
// and the Store the event log lives in. The types know nothing of PowerShell
// text beyond the redacted command line kept for the audit trail, and nothing
// of NATS: the JetStream implementation is in events/natsstore.
package events

import (
	"context"
	"errors"
	"time"
)

// Data is the payload of one event type. Each type has a stable name, a
// schema version, and the aggregate it belongs to (which orders concurrency
// checks and forms the event's subject).
type Data interface {
	EventType() string // e.g. "certificate.imported"
	SchemaVersion() int
	Aggregate() Aggregate
}

// Aggregate identifies the stream of events one consistency check covers.
type Aggregate struct {
	Kind string // "assignment" or "certificate"
	ID   string // readable: an XdsIdentity ("global"), or "server\thumbprint"
}

// Meta is the audit metadata every event carries.
type Meta struct {
	EventID       string    // unique; a batch's last event's is its Nats-Msg-Id
	RunID         string    // one script run
	Actor         string    // OS user, or --as
	Host          string    // where the run happened
	Time          time.Time // UTC, when the run committed
	Script        string    // script path as given, "-" for stdin, "exec" for one line
	ScriptSHA256  string    // hex
	Line          int       // 1-based, of the statement that produced the event
	Char          int       // 1-based
	Statement     int       // index of the producing invocation within the run
	Producer      string    // "certledger/<version>"
	Command       string    // the command text printed from the AST, secrets redacted
	ParameterSet  string
	Computer      string // the "local computer" the run targeted (--computer)
	WhatIf        bool   // never stored; kept for symmetry in reports
	SchemaVersion int
}

// Event is one domain event with its metadata.
type Event struct {
	Meta Meta
	Data Data
}

// Record is an event as stored in the log.
type Record struct {
	Seq    uint64    // stream sequence
	Stored time.Time // when the log stored it
	Event  Event
}

// ---- event types ----

// CertificateImported: a certificate (and possibly its key) was imported
// into a server's store (Import-ExchangeCertificate, Import-CsCertificate,
// Set-CsCertificate -Path). The private key itself is never recorded.
type CertificateImported struct {
	Server               string
	Thumbprint           string
	Subject              string
	Issuer               string
	NotBefore            time.Time
	NotAfter             time.Time
	SerialNumber         string
	FriendlyName         string
	HasPrivateKey        bool
	PrivateKeyExportable bool
	AlternativeNames     []string
	SourceFile           string // the file name as the script gave it
	SourceSHA256         string
	Chain                []string // thumbprints of the other certificates in the file
}

// CertificateAssigned: a certificate was assigned to uses of an identity
// (Set-CsCertificate), in force at once unless Roll is set, in which case
// the previous certificate stays in force until EffectiveDate.
type CertificateAssigned struct {
	Identity      string // XdsIdentity as given; the local computer is resolved to its FQDN
	Uses          []string
	Thumbprint    string
	Roll          bool
	EffectiveDate *time.Time
	Known         bool // the thumbprint had been imported when the run committed
}

// CertificateRemoved: assignments were removed (Remove-CsCertificate);
// Previous removes the previous certificate of a roll instead of the current.
type CertificateRemoved struct {
	Identity string
	Uses     []string
	Previous bool
}

// ServicesEnabled: Exchange services were enabled on a certificate
// (Enable-ExchangeCertificate).
type ServicesEnabled struct {
	Server     string
	Thumbprint string
	Services   []string
}

func (CertificateImported) EventType() string { return "certificate.imported" }
func (CertificateAssigned) EventType() string { return "certificate.assigned" }
func (CertificateRemoved) EventType() string  { return "certificate.removed" }
func (ServicesEnabled) EventType() string     { return "services.enabled" }

func (CertificateImported) SchemaVersion() int { return 1 }
func (CertificateAssigned) SchemaVersion() int { return 1 }
func (CertificateRemoved) SchemaVersion() int  { return 1 }
func (ServicesEnabled) SchemaVersion() int     { return 1 }

func (e CertificateImported) Aggregate() Aggregate {
	return Aggregate{Kind: "certificate", ID: e.Server + `\` + e.Thumbprint}
}
func (e CertificateAssigned) Aggregate() Aggregate {
	return Aggregate{Kind: "assignment", ID: e.Identity}
}
func (e CertificateRemoved) Aggregate() Aggregate {
	return Aggregate{Kind: "assignment", ID: e.Identity}
}
func (e ServicesEnabled) Aggregate() Aggregate {
	return Aggregate{Kind: "certificate", ID: e.Server + `\` + e.Thumbprint}
}

// ---- the store ----

// ErrConflict is returned by Append when an aggregate changed after the run
// read it: the run must be validated again against the new state.
var ErrConflict = errors.New("events: an aggregate changed since the run read it")

// Batch is everything one script run commits: all of it or none of it.
type Batch struct {
	RunID  string
	Events []Event
	// Expect holds, per aggregate the run read, the last sequence it saw
	// (0: no event yet). Append fails with ErrConflict if any moved.
	Expect map[Aggregate]uint64
}

// AppendResult reports what Append stored.
type AppendResult struct {
	FirstSeq, LastSeq uint64
	Duplicate         bool // the run had been committed before; nothing new was stored
}

// Store is the event log.
type Store interface {
	// Append commits a batch atomically.
	Append(ctx context.Context, b Batch) (AppendResult, error)
	// Read calls fn for each record with Seq >= from, oldest first, up to the
	// last sequence at the time of the call.
	Read(ctx context.Context, from uint64, fn func(Record) error) error
	// LastSeq is the sequence of the newest record (0 when empty), overall or,
	// for a non-zero aggregate, of that aggregate's newest record.
	LastSeq(ctx context.Context, agg *Aggregate) (uint64, error)
	// Watch calls fn for each record with Seq >= from, then for each new one as
	// it is stored, until ctx ends.
	Watch(ctx context.Context, from uint64, fn func(Record) error) error
}

// ErrPermission is returned (wrapped) when the server refuses an operation
// to the user the store is connected as: e.g. serve's read-only subscriber
// appending, or writing a projection bucket.
var ErrPermission = errors.New("events: permission denied")

// ErrNotFound is returned by a Bucket for a key it does not hold.
var ErrNotFound = errors.New("events: key not found")

// Bucket is a key-value bucket beside the log, where projections keep their
// materialised read models and checkpoints (JetStream KV in natsstore).
type Bucket interface {
	Get(ctx context.Context, key string) ([]byte, error) // ErrNotFound if absent
	Put(ctx context.Context, key string, val []byte) error
	Delete(ctx context.Context, key string) error
	Keys(ctx context.Context) ([]string, error)

	// GetRevision is Get with the key's revision, for PutIf.
	GetRevision(ctx context.Context, key string) (val []byte, rev uint64, err error)
	// PutIf writes val only if the key is still at revision rev (0: the
	// key is absent); otherwise it writes nothing and returns ErrConflict.
	// Writers that must not overwrite each other's newer values use it.
	PutIf(ctx context.Context, key string, val []byte, rev uint64) error
}

// Buckets opens and removes buckets by name.
type Buckets interface {
	Bucket(ctx context.Context, name string) (Bucket, error) // created if absent
	DeleteBucket(ctx context.Context, name string) error
}
