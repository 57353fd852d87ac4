package projections

import (
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/certledger/certledger/events"
)

// noTime marks an absent EffectiveDate inside the compact model. The zero
// instant cannot serve: it is a valid (if odd) EffectiveDate.
const noTime = math.MinInt64

// state is what one (identity, use) slot holds at an instant: the
// certificate in force, the one a roll replaced, and the roll's
// EffectiveDate. Thumbprints are interned (0: none) to keep a timeline of a
// million entries small enough for memory and fast to compare.
type state struct {
	thumb, prev uint32
	eff         int64 // unix nanoseconds, or noTime
}

var empty = state{eff: noTime}

// Instants inside the model are unix nanoseconds, which reach from 1677 to
// 2262. A date outside (PowerShell's [DateTime]::MaxValue as an
// EffectiveDate meaning "never", DateTime's zero) is clamped to the nearest
// end: it orders the same way against every real instant.
var (
	minInstant = time.Unix(0, math.MinInt64+1)
	maxInstant = time.Unix(0, math.MaxInt64)
)

func nanos(t time.Time) int64 {
	switch {
	case t.Before(minInstant):
		return math.MinInt64 + 1 // above noTime
	case t.After(maxInstant):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// opKind is what an event does to a slot.
type opKind uint8

const (
	opSet        opKind = iota + 1 // Set-CsCertificate without -Roll
	opRoll                         // Set-CsCertificate -Roll [-EffectiveDate]
	opRemove                       // Remove-CsCertificate
	opRemovePrev                   // Remove-CsCertificate -Previous
)

// op is one event's effect on one slot, kept so that the state after any
// sequence number can be recomputed without the log (AtSeq).
type op struct {
	seq    uint64
	stored int64 // Record.Stored, unix nanoseconds
	eff    int64 // the roll's EffectiveDate, or noTime
	thumb  uint32
	kind   opKind
}

// act is the instant from which the op counts in an as-of view: when it was
// stored, or for a roll its EffectiveDate if that is later.
func (o op) act() int64 {
	if o.kind == opRoll && o.eff != noTime && o.eff > o.stored {
		return o.eff
	}
	return o.stored
}

// reset reports whether the op's result does not depend on the state before
// it, so that a replay of a slot can start there.
func (o op) reset() bool { return o.kind == opSet || o.kind == opRemove }

func (o op) apply(s state) state {
	switch o.kind {
	case opSet:
		return state{thumb: o.thumb, eff: noTime}
	case opRoll:
		return state{thumb: o.thumb, prev: s.thumb, eff: o.eff}
	case opRemove:
		return empty
	case opRemovePrev:
		if s.thumb != 0 {
			s.prev = 0
		}
		return s
	}
	return s
}

// breakpoint: from instant at (inclusive) until the next breakpoint, the
// slot holds st.
type breakpoint struct {
	at int64
	st state
}

// slot is the history of one (identity, use).
type slot struct {
	idKey, useKey string
	identity      string       // display spelling, fixed when the slot is made
	use           string       // display spelling
	ops           []op         // by seq; the first dropped ops are not held
	tl            []breakpoint // by instant; consecutive states differ
	last          uint64       // seq of the last op

	// segOps is how many of the first ops live in the generation's op
	// segments rather than in the slot's shard; dropped (a rebuild's
	// spill, see Model.spill) how many of those the slot no longer holds.
	segOps, dropped int
}

// add appends the op of a record newer than every op the slot holds.
//
// An as-of view at T folds, in sequence order, the ops with act ≤ T. The new
// op has the highest sequence, so for every T ≥ its act the new state is
// simply op.apply(old state at T), and before its act nothing changes: the
// timeline is updated from that instant on, never rebuilt.
func (s *slot) add(o op) {
	s.ops = append(s.ops, o)
	s.last = o.seq
	a := o.act()
	i := sort.Search(len(s.tl), func(i int) bool { return s.tl[i].at >= a })
	if i == len(s.tl) || s.tl[i].at != a {
		base := empty
		if i > 0 {
			base = s.tl[i-1].st
		}
		s.tl = slices.Insert(s.tl, i, breakpoint{at: a, st: base})
	}
	for j := i; j < len(s.tl); j++ {
		s.tl[j].st = o.apply(s.tl[j].st)
	}
	// Drop breakpoints that no longer change anything.
	prev := empty
	if i > 0 {
		prev = s.tl[i-1].st
	}
	w := i
	for j := i; j < len(s.tl); j++ {
		if s.tl[j].st == prev {
			continue
		}
		prev = s.tl[j].st
		s.tl[w] = s.tl[j]
		w++
	}
	s.tl = s.tl[:w]
}

// asOf returns the slot's state at instant t (unix nanoseconds).
func (s *slot) asOf(t int64) state {
	i := sort.Search(len(s.tl), func(i int) bool { return s.tl[i].at > t })
	if i == 0 {
		return empty
	}
	return s.tl[i-1].st
}

// atSeq returns the state after the ops with seq ≤ n, evaluated at instant
// now: it replays the slot from the last op at or before n that resets it,
// so the cost is the number of rolls since the last plain assignment.
func (s *slot) atSeq(n uint64, now int64) state {
	k := sort.Search(len(s.ops), func(i int) bool { return s.ops[i].seq > n })
	j := k - 1
	for ; j >= 0; j-- {
		if s.ops[j].reset() && s.ops[j].act() <= now {
			break
		}
	}
	st := empty
	for j = max(j, 0); j < k; j++ {
		if s.ops[j].act() <= now {
			st = s.ops[j].apply(st)
		}
	}
	return st
}

// shardOps are the ops the slot's shard holds: those after its segments.
func (s *slot) shardOps() []op { return s.ops[s.segOps-s.dropped:] }

// cert is one certificate in one server's store.
type cert struct {
	seq        uint64 // last record applied
	server     string // key and display (lower-case FQDN)
	thumb      string
	imported   bool // false while only ServicesEnabled has named it
	hasKey     bool
	exportable bool
	services   uint8    // AllowedServices flags
	otherSvc   []string // names Exchange does not define, as given

	// The certificate's content, set by its last import. A rebuild's
	// spill writes it to a segment and drops it (nil), keeping the rest:
	// what later records change. So in a rebuild, a body is one imported
	// since the last spill.
	*certBody
}

type certBody struct {
	subject      string
	issuer       string
	notBefore    time.Time
	notAfter     time.Time
	serial       string
	friendlyName string
	altNames     []string
	source       string
	sourceSHA    string
}

// thumbInfo is what assignments join from the inventory, per thumbprint over
// all servers: a certificate's content is fixed by its thumbprint.
type thumbInfo struct {
	subject  string
	notAfter time.Time
	imports  []importMark // few: a certificate is imported on a few servers
}

type importMark struct {
	seq    uint64
	stored int64
	server string // which server's import, to persist it with that cert
}

// importedBy reports whether an import with seq ≤ n was stored by instant t.
func (ti *thumbInfo) importedBy(n uint64, t int64) bool {
	for _, im := range ti.imports {
		if im.seq <= n && im.stored <= t {
			return true
		}
	}
	return false
}

// Model is the read model of a log: every (identity, use) slot with its
// timeline, the certificate inventory, and the names shown for identities.
// Apply folds records into it in sequence order; views read it at any
// instant or sequence number without the log.
//
// A Model is not safe for concurrent use.
type Model struct {
	computer string
	lastSeq  uint64

	names   []string          // interned thumbprints; names[0] is ""
	nameIDs map[string]uint32 // inverse of names

	slots     map[slotID]*slot
	idDisplay map[string]string
	certs     map[certID]*cert
	thumbs    []*thumbInfo // by interned thumbprint; nil: never imported
	sorted    []*slot      // report order; nil when a slot was added since

	// A rebuild spills the history it has folded to the bucket as it
	// goes (spill), keeping its memory flat as the log grows: held counts
	// the ops added since the last spill, latest is the latest Stored
	// instant applied, and horizon the earliest instant the held
	// timelines still answer for (noTime: all of them).
	held    int
	latest  int64
	horizon int64

	// A spill also lets go of the certificates and thumbprints it wrote,
	// so that what a rebuild holds does not grow with the inventory
	// either (letGo): spilled is the last sequence number a spill wrote,
	// gone keeps per certificate the flags later records build on, and
	// known counts the known documents written (knownDoc). Thumbprints
	// that are not 40 hex digits (typed by hand, and rare) are kept whole
	// instead.
	spilled   uint64
	serverIDs map[string]uint32
	gone      map[certRef]certFlags
	known     int

	// touch, when set, is told the entity key of everything Apply changes,
	// so that a catch-up writes back only the shards it changed.
	touch func(entity string)
}

// touched tells touch the entity key of e (a *slot or *cert); the key is
// built only when someone listens: a rebuild's fold does not.
func (m *Model) touched(e any) {
	if m.touch == nil {
		return
	}
	switch e := e.(type) {
	case *slot:
		m.touch(slotEntity(e))
	case *cert:
		m.touch(certEntity(e))
	}
}

// Option configures a Model.
type Option func(*Model)

// WithComputer names the local computer: the identity and server of events
// that name none and whose run did not record its computer either, and the
// computer Resolve and CsCertificates answer for by default.
func WithComputer(name string) Option {
	return func(m *Model) { m.computer = serverKey(name, "") }
}

// New returns an empty Model.
func New(opts ...Option) *Model {
	m := &Model{
		names:     []string{""},
		nameIDs:   map[string]uint32{"": 0},
		slots:     make(map[slotID]*slot),
		idDisplay: make(map[string]string),
		certs:     make(map[certID]*cert),
		thumbs:    []*thumbInfo{nil},
		latest:    noTime,
		horizon:   noTime,
	}
	for _, o := range opts {
		o(m)
	}
	return m
}

// Fold is the pure fold: the Model of records, which must be in sequence
// order.
func Fold(records []events.Record, opts ...Option) *Model {
	m := New(opts...)
	for _, r := range records {
		m.Apply(r)
	}
	return m
}

// LastSeq is the sequence number of the last record applied.
func (m *Model) LastSeq() uint64 { return m.lastSeq }

// Computer is the local computer the Model answers for.
func (m *Model) Computer() string { return m.computer }

func (m *Model) intern(s string) uint32 {
	if id, ok := m.nameIDs[s]; ok {
		return id
	}
	id := uint32(len(m.names))
	m.names = append(m.names, s)
	m.thumbs = append(m.thumbs, nil)
	m.nameIDs[s] = id
	return id
}

func slotKey(idKey, useKey string) string { return idKey + "\x00" + useKey }

// slotID keys the slots map without building a string per lookup.
type slotID struct{ idKey, useKey string }

func certKey(server, thumb string) string { return server + `\` + thumb }

// certID keys the certs map with the strings the cert holds anyway: a
// string key would be a copy of both per certificate and per lookup.
type certID struct{ server, thumb string }

// Apply folds one record into the model. Records at or below LastSeq have
// been applied and are skipped, so a catch-up that is interrupted and run
// again converges; unknown event types only advance LastSeq, so an older
// reader survives a newer writer.
func (m *Model) Apply(r events.Record) {
	if r.Seq != 0 && r.Seq <= m.lastSeq {
		return
	}
	if r.Seq > m.lastSeq {
		m.lastSeq = r.Seq
	}
	local := r.Event.Meta.Computer
	if local == "" {
		local = m.computer
	}
	stored := nanos(r.Stored)
	m.latest = max(m.latest, stored)
	switch d := deref(r.Event.Data).(type) {
	case events.CertificateImported:
		m.imported(r.Seq, stored, local, d)
	case events.CertificateAssigned:
		m.assigned(r.Seq, stored, local, d)
	case events.CertificateRemoved:
		m.removed(r.Seq, stored, local, d)
	case events.ServicesEnabled:
		m.servicesEnabled(r.Seq, local, d)
	}
}

func (m *Model) identity(id, local string) string {
	key, display := identityKey(id, local)
	if _, ok := m.idDisplay[key]; !ok {
		if display == "" {
			display = strings.TrimSpace(id)
		}
		m.idDisplay[key] = display
	}
	return key
}

func (m *Model) slot(idKey, use string, create bool) *slot {
	uk, ud := useKey(use)
	k := slotID{idKey, uk}
	s := m.slots[k]
	if s == nil && create {
		s = &slot{idKey: idKey, useKey: uk, identity: m.idDisplay[idKey], use: ud}
		m.slots[k] = s
		m.sorted = nil
	}
	return s
}

func (m *Model) assigned(seq uint64, stored int64, local string, d events.CertificateAssigned) {
	thumb := normThumbprint(d.Thumbprint)
	if thumb == "" {
		// PowerShell refuses an empty -Thumbprint before the cmdlet runs;
		// such an event assigns nothing.
		return
	}
	idk := m.identity(d.Identity, local)
	o := op{seq: seq, stored: stored, eff: noTime, kind: opSet, thumb: m.intern(thumb)}
	if d.Roll {
		o.kind = opRoll
		if d.EffectiveDate != nil {
			o.eff = nanos(*d.EffectiveDate)
		}
	}
	for _, u := range uniqueUses(d.Uses) {
		if s := m.slot(idk, u, true); seq == 0 || seq > s.last {
			s.add(o)
			m.held++
			m.touched(s)
		}
	}
}

func (m *Model) removed(seq uint64, stored int64, local string, d events.CertificateRemoved) {
	// Only assignments name identities: a removal of what was never
	// assigned must not choose the display spelling.
	idk, _ := identityKey(d.Identity, local)
	o := op{seq: seq, stored: stored, eff: noTime, kind: opRemove}
	if d.Previous {
		o.kind = opRemovePrev
	}
	for _, u := range uniqueUses(d.Uses) {
		// Removing what was never assigned changes nothing at any instant.
		if s := m.slot(idk, u, false); s != nil && (seq == 0 || seq > s.last) {
			s.add(o)
			m.held++
			m.touched(s)
		}
	}
}

// uniqueUses drops repeated uses (`-Type Default,default`), which would
// otherwise apply one event twice to one slot.
func uniqueUses(uses []string) []string {
	out := make([]string, 0, len(uses))
	keys := make([]string, 0, len(uses)) // a handful: a slice beats a map
	for _, u := range uses {
		k, _ := useKey(u)
		if k == "" || slices.Contains(keys, k) {
			continue
		}
		keys = append(keys, k)
		out = append(out, u)
	}
	return out
}

func (m *Model) cert(server, thumb string) *cert {
	k := certID{server, thumb}
	c := m.certs[k]
	if c == nil {
		c = &cert{server: server, thumb: thumb, certBody: &certBody{}}
		if f, ok := m.goneFlags(server, thumb); ok {
			// Spilled and let go: go on from its flags. Its content and
			// services so far are in the segments, which a load merges
			// with what this one adds.
			c.imported, c.hasKey, c.exportable = f&flagImported != 0, f&flagKey != 0, f&flagExportable != 0
			c.certBody = nil
		}
		m.certs[k] = c
	}
	return c
}

func (m *Model) imported(seq uint64, stored int64, local string, d events.CertificateImported) {
	thumb := normThumbprint(d.Thumbprint)
	c := m.cert(serverKey(d.Server, local), thumb)
	if seq != 0 && seq <= c.seq {
		return
	}
	c.seq = seq
	first := !c.imported
	c.imported = true
	c.certBody = &certBody{}
	c.subject, c.issuer = d.Subject, d.Issuer
	c.notBefore, c.notAfter = d.NotBefore.UTC(), d.NotAfter.UTC()
	c.serial, c.friendlyName = d.SerialNumber, d.FriendlyName
	// A key once in the server's store stays with its certificate:
	// importing the same certificate again without one (the .p7b of a
	// request, a .cer) does not remove it.
	if d.HasPrivateKey || first {
		c.hasKey, c.exportable = d.HasPrivateKey, d.PrivateKeyExportable
	}
	c.altNames = slices.Clone(d.AlternativeNames)
	c.source, c.sourceSHA = d.SourceFile, d.SourceSHA256

	id := m.intern(thumb)
	ti := m.thumbs[id]
	if ti == nil {
		ti = &thumbInfo{subject: c.subject, notAfter: c.notAfter}
		m.thumbs[id] = ti
	}
	ti.imports = append(ti.imports, importMark{seq: seq, stored: stored, server: c.server})
	m.touched(c)
}

func (m *Model) servicesEnabled(seq uint64, local string, d events.ServicesEnabled) {
	c := m.cert(serverKey(d.Server, local), normThumbprint(d.Thumbprint))
	if seq != 0 && seq <= c.seq {
		return
	}
	c.seq = seq
	m.touched(c)
	for _, s := range d.Services {
		// AllowedServices is a [Flags] enum: "SMTP, IMAP" in one string
		// enables both, and enabling is additive.
		for _, name := range strings.Split(s, ",") {
			name = strings.TrimSpace(name)
			if name == "" || strings.EqualFold(name, "None") {
				continue
			}
			if bit, ok := serviceBit(name); ok {
				c.services |= bit
			} else if !slices.ContainsFunc(c.otherSvc, func(o string) bool { return strings.EqualFold(o, name) }) {
				c.otherSvc = append(c.otherSvc, name)
			}
		}
	}
}
