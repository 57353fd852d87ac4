package events

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"sync"
	"time"
)

// The wire format of one event is a CloudEvents 1.0 JSON document
// (structured content mode). The audit metadata travels as CloudEvents
// extension attributes (lower-case names of at most 20 letters and digits, as
// the spec asks), so a consumer that knows CloudEvents sees a complete event
// and one that knows certledger finds the audit trail without a second format.
// docs/events.md describes every attribute; the golden files in testdata
// freeze them.

// SpecVersion is the CloudEvents version of the envelope.
const SpecVersion = "1.0"

// ContentType is the data content type of every event.
const ContentType = "application/json"

// SchemaBase prefixes the dataschema URI of every event type; the schema
// itself is docs/schema/<type>.v<version>.json in the repository.
const SchemaBase = "https://github.com/certledger/certledger/blob/main/docs/schema/"

// Envelope is the JSON document of one event.
type Envelope struct {
	SpecVersion     string          `json:"specversion"`
	ID              string          `json:"id"`
	Source          string          `json:"source"`
	Type            string          `json:"type"`
	Time            time.Time       `json:"time"`
	Subject         string          `json:"subject"`
	DataContentType string          `json:"datacontenttype"`
	DataSchema      string          `json:"dataschema"`
	DataVersion     int             `json:"dataversion"`
	AggregateKind   string          `json:"aggregatekind"`
	RunID           string          `json:"runid"`
	Actor           string          `json:"actor"`
	Host            string          `json:"host"`
	Computer        string          `json:"computer,omitempty"`
	Script          string          `json:"script"`
	ScriptSHA256    string          `json:"scriptsha256"`
	Line            int             `json:"line"`
	Char            int             `json:"char"`
	Statement       int             `json:"statement"`
	Producer        string          `json:"producer"`
	Command         string          `json:"command"`
	ParameterSet    string          `json:"parameterset,omitempty"`
	Data            json.RawMessage `json:"data"`
}

// Secret is implemented by values that hold a secret (a password, a private
// key). The codec refuses to encode an event that holds one anywhere in its
// data: a secret that reached an event is a bug upstream, and an error is
// the only safe answer in an immutable log. (cmdlet/value.SecureString has
// this method; events does not import it.)
type Secret interface {
	Reveal() string
}

// ErrSecret is wrapped by Encode's error when an event holds a Secret.
var ErrSecret = errors.New("events: an event may not hold a secret")

// Unknown is the data of an event whose type or schema version this build
// does not know (written by a newer certledger). Readers skip it or show it
// raw; it is never written.
type Unknown struct {
	Type    string
	Version int
	Agg     Aggregate
	Raw     json.RawMessage
}

func (u Unknown) EventType() string    { return u.Type }
func (u Unknown) SchemaVersion() int   { return u.Version }
func (u Unknown) Aggregate() Aggregate { return u.Agg }

// ---- registry ----

// An Upcaster turns the JSON data of one schema version of an event type into
// the next version's. Upcasters work on JSON rather than on Go types so that
// old versions need no Go type of their own.
type Upcaster func(old json.RawMessage) (json.RawMessage, error)

type typeInfo struct {
	typ       reflect.Type // the struct type of the current version
	version   int
	upcasters map[int]Upcaster // from version v to v+1
}

var registry = struct {
	sync.RWMutex
	types map[string]*typeInfo
}{types: map[string]*typeInfo{}}

// Register makes an event type known to the codec. proto is a value of the
// current version's struct type. It panics on a second registration of the
// same type name, as encoding/gob's Register does.
func Register(proto Data) {
	t := reflect.TypeOf(proto)
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("events: Register(%T): not a struct type", proto))
	}
	if _, err := eventToken(proto.EventType()); err != nil {
		panic(err)
	}
	registry.Lock()
	defer registry.Unlock()
	name := proto.EventType()
	if ti, ok := registry.types[name]; ok && ti.typ != nil {
		panic("events: type registered twice: " + name)
	} else if ok {
		ti.typ, ti.version = t, proto.SchemaVersion()
		return
	}
	registry.types[name] = &typeInfo{typ: t, version: proto.SchemaVersion(), upcasters: map[int]Upcaster{}}
}

// RegisterUpcaster registers the step from version from to from+1 of
// eventType. Decode applies the steps in turn, so a v0 event reaches the
// current version through every step in between.
func RegisterUpcaster(eventType string, from int, up Upcaster) {
	registry.Lock()
	defer registry.Unlock()
	ti, ok := registry.types[eventType]
	if !ok {
		ti = &typeInfo{upcasters: map[int]Upcaster{}}
		registry.types[eventType] = ti
	}
	if _, dup := ti.upcasters[from]; dup {
		panic(fmt.Sprintf("events: upcaster %s v%d registered twice", eventType, from))
	}
	ti.upcasters[from] = up
}

// Types lists the registered event types with their current versions.
func Types() map[string]int {
	registry.RLock()
	defer registry.RUnlock()
	m := make(map[string]int, len(registry.types))
	for name, ti := range registry.types {
		if ti.typ != nil {
			m[name] = ti.version
		}
	}
	return m
}

// TypeNames lists the registered event types, sorted.
func TypeNames() []string {
	m := Types()
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New returns a zero value of the current version of eventType.
func New(eventType string) (Data, bool) {
	registry.RLock()
	ti := registry.types[eventType]
	registry.RUnlock()
	if ti == nil || ti.typ == nil {
		return nil, false
	}
	return reflect.New(ti.typ).Elem().Interface().(Data), true
}

func init() {
	Register(CertificateImported{})
	Register(CertificateAssigned{})
	Register(CertificateRemoved{})
	Register(ServicesEnabled{})
}

// SchemaURI is the dataschema attribute of eventType at version.
func SchemaURI(eventType string, version int) string {
	return fmt.Sprintf("%s%s.v%d.json", SchemaBase, eventType, version)
}

// Source is the CloudEvents source of events produced on host.
func Source(host string) string {
	return "/certledger/" + url.PathEscape(host)
}

// ---- encode / decode ----

// Encode returns the wire form of e. It fails, writing nothing, if the
// event lacks its identity or audit metadata, is a -WhatIf event, is of an
// unregistered type, or holds a Secret.
func Encode(e Event) ([]byte, error) {
	env, err := envelope(e)
	if err != nil {
		return nil, err
	}
	return json.Marshal(env)
}

func envelope(e Event) (*Envelope, error) {
	if e.Data == nil {
		return nil, errors.New("events: event without data")
	}
	et := e.Data.EventType()
	m := e.Meta
	switch {
	case m.WhatIf:
		return nil, fmt.Errorf("events: %s: a -WhatIf event is never stored", et)
	case m.EventID == "":
		return nil, fmt.Errorf("events: %s: no event id", et)
	case m.RunID == "":
		return nil, fmt.Errorf("events: %s: no run id", et)
	case m.Time.IsZero():
		return nil, fmt.Errorf("events: %s: no time", et)
	case m.Actor == "" || m.Host == "" || m.Script == "" || m.Producer == "":
		return nil, fmt.Errorf("events: %s: incomplete audit metadata (actor %q, host %q, script %q, producer %q)",
			et, m.Actor, m.Host, m.Script, m.Producer)
	}
	if _, ok := e.Data.(Unknown); ok {
		return nil, fmt.Errorf("events: %s: an event of unknown type cannot be written", et)
	}
	registry.RLock()
	ti := registry.types[et]
	registry.RUnlock()
	if ti == nil || ti.typ == nil {
		return nil, fmt.Errorf("events: event type %q is not registered", et)
	}
	if reflect.TypeOf(e.Data) != ti.typ || e.Data.SchemaVersion() != ti.version {
		return nil, fmt.Errorf("events: %s: data %T v%d is not the registered current version", et, e.Data, e.Data.SchemaVersion())
	}
	if err := findSecret(reflect.ValueOf(e.Data), et, 0); err != nil {
		return nil, err
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		return nil, fmt.Errorf("events: %s: %w", et, err)
	}
	agg := e.Data.Aggregate()
	if _, err := aggregatePrefix(agg); err != nil {
		return nil, err
	}
	return &Envelope{
		SpecVersion:     SpecVersion,
		ID:              m.EventID,
		Source:          Source(m.Host),
		Type:            et,
		Time:            m.Time.UTC(),
		Subject:         agg.ID,
		DataContentType: ContentType,
		DataSchema:      SchemaURI(et, ti.version),
		DataVersion:     ti.version,
		AggregateKind:   agg.Kind,
		RunID:           m.RunID,
		Actor:           m.Actor,
		Host:            m.Host,
		Computer:        m.Computer,
		Script:          m.Script,
		ScriptSHA256:    m.ScriptSHA256,
		Line:            m.Line,
		Char:            m.Char,
		Statement:       m.Statement,
		Producer:        m.Producer,
		Command:         m.Command,
		ParameterSet:    m.ParameterSet,
		Data:            data,
	}, nil
}

var secretType = reflect.TypeFor[Secret]()

// findSecret walks v looking for a value whose type (or pointer type) is a
// Secret. It reads types only, never a secret's content, so the error it
// returns is safe to print.
func findSecret(v reflect.Value, path string, depth int) error {
	if !v.IsValid() || depth > 32 {
		return nil
	}
	t := v.Type()
	if t.Implements(secretType) || reflect.PointerTo(t).Implements(secretType) {
		return fmt.Errorf("%w: %s is a %s", ErrSecret, path, t)
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return findSecret(v.Elem(), path, depth+1)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if err := findSecret(v.Field(i), path+"."+t.Field(i).Name, depth+1); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if err := findSecret(v.Index(i), fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if err := findSecret(it.Key(), path+"[key]", depth+1); err != nil {
				return err
			}
			if err := findSecret(it.Value(), path+"[value]", depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// Decode parses the wire form of one event, upcasting old schema versions to
// the current one. An event of a type or version this build does not know
// decodes to Unknown rather than failing, so that an older reader can still
// read a log a newer writer extended.
func Decode(b []byte) (Event, error) {
	var env Envelope
	if err := json.Unmarshal(b, &env); err != nil {
		return Event{}, fmt.Errorf("events: decode envelope: %w", err)
	}
	if env.SpecVersion != SpecVersion {
		return Event{}, fmt.Errorf("events: event %q: specversion %q, want %q", env.ID, env.SpecVersion, SpecVersion)
	}
	if env.Type == "" || env.ID == "" {
		return Event{}, fmt.Errorf("events: event without type or id")
	}
	meta := Meta{
		EventID:       env.ID,
		RunID:         env.RunID,
		Actor:         env.Actor,
		Host:          env.Host,
		Time:          env.Time.UTC(),
		Script:        env.Script,
		ScriptSHA256:  env.ScriptSHA256,
		Line:          env.Line,
		Char:          env.Char,
		Statement:     env.Statement,
		Producer:      env.Producer,
		Command:       env.Command,
		ParameterSet:  env.ParameterSet,
		Computer:      env.Computer,
		SchemaVersion: env.DataVersion,
	}
	registry.RLock()
	ti := registry.types[env.Type]
	registry.RUnlock()
	unknown := Unknown{Type: env.Type, Version: env.DataVersion, Agg: Aggregate{Kind: env.AggregateKind, ID: env.Subject}, Raw: env.Data}
	if ti == nil || ti.typ == nil || env.DataVersion > ti.version || env.DataVersion < 0 {
		return Event{Meta: meta, Data: unknown}, nil
	}
	data := env.Data
	for v := env.DataVersion; v < ti.version; v++ {
		up := ti.upcasters[v]
		if up == nil {
			return Event{}, fmt.Errorf("events: event %q: no upcaster for %s v%d to v%d", env.ID, env.Type, v, v+1)
		}
		var err error
		if data, err = up(data); err != nil {
			return Event{}, fmt.Errorf("events: event %q: upcast %s v%d: %w", env.ID, env.Type, v, err)
		}
	}
	p := reflect.New(ti.typ)
	if len(data) > 0 && string(data) != "null" {
		if err := json.Unmarshal(data, p.Interface()); err != nil {
			return Event{}, fmt.Errorf("events: event %q: decode %s data: %w", env.ID, env.Type, err)
		}
	}
	return Event{Meta: meta, Data: p.Elem().Interface().(Data)}, nil
}
