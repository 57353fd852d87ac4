package projections

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certledger/certledger/events"
)

// The materialised model lives in buckets beside the log:
//
//	bucket "projections"          key "active" → {"Bucket": "projections-<gen>", "Generation": gen}
//	bucket "projections-<gen>"    key "meta"   → {"Format", "LastSeq", "Shards", "Segments", ...}
//	                              key "ops-<j>"   → op segments: the early history of slots,
//	                                               written by the rebuild as it read the log
//	                              key "shard-<i>" → the slots and certificates whose key hashes to i,
//	                                               with the sequence the shard was written at
//	                              key "claim"     → who writes a generation's first shards (claim)
//	                              key "known-<k>" → what the present shows of the thumbprints a
//	                                               rebuild let go of (knownDoc)
//
// A slot's ops are its segments' ops, in segment order, then its shard's.
// Segments are written once, by the rebuild that made the generation, so
// that the rebuild holds at most spillOps ops at a time however long the
// log; a catch-up rewrites shards only.
//
// A catch-up rewrites only the shards it changed, then meta. Every entity
// remembers the last sequence applied to it and skips older records, so a
// catch-up that dies between two writes leaves shards ahead of meta, and
// the next one, resuming from meta, converges on the same model.
//
// A rebuild writes a whole new generation into a fresh bucket, then moves
// the "active" pointer to it (one Put, the last write), then deletes the
// old bucket: a reader follows the pointer to a complete generation or to
// the previous complete one, never to a half-built one.

const (
	controlBucket = "projections"
	activeKey     = "active"
	metaKey       = "meta"
	format        = 3 // 2: op segments; 3: ops as delta-coded arrays with a thumbprint table
)

var (
	// shardTarget is the size a shard is sized to at a rebuild; a catch-up
	// that grows one past shardLimit starts a new generation with more
	// shards, keeping every value well inside NATS's 1 MiB message limit.
	shardTarget = 256 << 10
	shardLimit  = 768 << 10

	// spillOps is how many ops a rebuild folds before it writes them out
	// as segments: about 1 MiB of ops and timeline.
	spillOps = 1 << 14

	// segmentOps is how many ops one segment holds: about 45 bytes of
	// JSON each, plus at most one thumbprint each in the table, well
	// inside shardTarget.
	segmentOps = 2000
)

// RebuildMemoryLimit is the soft memory limit (runtime/debug.SetMemoryLimit)
// certledger replay runs a rebuild under unless GOMEMLIMIT is set (raised
// with the live heap when that outgrows it). What the
// rebuild holds is flat (spillOps ops, the present, the inventory); most of
// the rest is the embedded server's, and without a limit the collector
// lets the heap reach twice what is live. docs/benchmarks.md measures the
// process under it.
const RebuildMemoryLimit = 128 << 20

// errStop is returned by the record callback to stop a Read early; the
// helpers here treat it as a normal end.
var errStop = errors.New("projections: stop reading")

type pointer struct {
	Bucket     string `json:"Bucket"`
	Generation uint64 `json:"Generation"`
}

type metaDoc struct {
	Format     int       `json:"Format"`
	LastSeq    uint64    `json:"LastSeq"`
	Shards     int       `json:"Shards"`
	Segments   int       `json:"Segments,omitempty"`
	Generation uint64    `json:"Generation"`
	Built      time.Time `json:"Built"` // when the generation was rebuilt
}

type shardDoc struct {
	Format  int       `json:"Format"`
	LastSeq uint64    `json:"LastSeq"`
	Thumbs  []string  `json:"Thumbs,omitempty"` // the thumbprints the ops name
	Slots   []slotDoc `json:"Slots"`
	Certs   []certDoc `json:"Certs"`
}

// slotDoc holds ops compactly, since a large model is mostly ops: each is
// {seq − the op before's, stored − the op before's, kind, thumbprint
// (1-based into the document's Thumbs; 0: none)[, EffectiveDate − stored]},
// the first op's "before" being 0. Differences are of int64s and may wrap;
// adding them back unwraps them.
type slotDoc struct {
	Identity string    `json:"Identity"` // display
	Use      string    `json:"Use"`      // display
	Ops      [][]int64 `json:"Ops"`
}

// thumbTable builds a document's Thumbs.
type thumbTable struct {
	names []string
	index map[uint32]int64 // interned id → 1-based index
}

func newThumbTable() *thumbTable { return &thumbTable{index: make(map[uint32]int64)} }

func (t *thumbTable) ref(m *Model, id uint32) int64 {
	if id == 0 {
		return 0
	}
	i, ok := t.index[id]
	if !ok {
		t.names = append(t.names, m.names[id])
		i = int64(len(t.names))
		t.index[id] = i
	}
	return i
}

// certDoc is a certificate. A Partial one (a rebuild's shard, for a
// certificate whose content it spilled) holds only what later records
// change; its content is that of the certificate's last segment.
type certDoc struct {
	Partial              bool       `json:"Partial,omitempty"`
	Seq                  uint64     `json:"Seq"`
	Server               string     `json:"Server"`
	Thumbprint           string     `json:"Thumbprint"`
	Imported             bool       `json:"Imported"`
	Imports              [][2]int64 `json:"Imports,omitempty"` // {seq, stored} of each import
	Subject              string     `json:"Subject,omitempty"`
	Issuer               string     `json:"Issuer,omitempty"`
	NotBefore            time.Time  `json:"NotBefore,omitzero"`
	NotAfter             time.Time  `json:"NotAfter,omitzero"` // zero in a Partial document
	SerialNumber         string     `json:"SerialNumber,omitempty"`
	FriendlyName         string     `json:"FriendlyName,omitempty"`
	HasPrivateKey        bool       `json:"HasPrivateKey,omitempty"`
	PrivateKeyExportable bool       `json:"PrivateKeyExportable,omitempty"`
	AlternativeNames     []string   `json:"AlternativeNames,omitempty"`
	Source               string     `json:"Source,omitempty"`
	SourceSHA256         string     `json:"SourceSHA256,omitempty"`
	Services             uint8      `json:"Services,omitempty"`
	OtherServices        []string   `json:"OtherServices,omitempty"`
}

func shardOf(key string, n int) int {
	h := fnv.New32a()
	h.Write([]byte(key))
	return int(h.Sum32() % uint32(n))
}

func shardKey(i int) string   { return "shard-" + strconv.Itoa(i) }
func segmentKey(j int) string { return "ops-" + strconv.Itoa(j) }

func slotEntity(s *slot) string { return "s\x00" + slotKey(s.idKey, s.useKey) }
func certEntity(c *cert) string { return "c\x00" + certKey(c.server, c.thumb) }

// shards groups the model's entities by shard, in a stable order; only,
// when not nil, keeps just those shards.
func (m *Model) shards(n int, only map[int]bool) map[int]*shardSet {
	out := make(map[int]*shardSet)
	set := func(i int) *shardSet {
		s := out[i]
		if s == nil {
			s = &shardSet{}
			out[i] = s
		}
		return s
	}
	for i := range n {
		if only == nil || only[i] {
			set(i)
		}
	}
	for _, s := range m.sortedSlots() {
		if i := shardOf(slotEntity(s), n); only == nil || only[i] {
			set(i).slots = append(set(i).slots, s)
		}
	}
	for _, c := range m.sortedCerts() {
		if i := shardOf(certEntity(c), n); only == nil || only[i] {
			set(i).certs = append(set(i).certs, c)
		}
	}
	return out
}

type shardSet struct {
	slots []*slot
	certs []*cert
}

// encodeShard writes one shard's document; shards are encoded one at a
// time so that writing a large model needs memory for one shard, not all.
func (m *Model) encodeShard(set *shardSet) ([]byte, error) {
	d := shardDoc{Format: format, LastSeq: m.lastSeq, Slots: make([]slotDoc, 0, len(set.slots)), Certs: make([]certDoc, 0, len(set.certs))}
	tab := newThumbTable()
	for _, s := range set.slots {
		d.Slots = append(d.Slots, m.slotDoc(s, s.shardOps(), tab))
	}
	d.Thumbs = tab.names
	for _, c := range set.certs {
		d.Certs = append(d.Certs, m.certDoc(c))
	}
	return json.Marshal(d)
}

func (m *Model) certDoc(c *cert) certDoc {
	cd := certDoc{
		Seq: c.seq, Server: c.server, Thumbprint: c.thumb, Imported: c.imported,
		HasPrivateKey: c.hasKey, PrivateKeyExportable: c.exportable,
		Services: c.services, OtherServices: c.otherSvc,
	}
	if b := c.certBody; b != nil {
		cd.Subject, cd.Issuer, cd.NotBefore, cd.NotAfter = b.subject, b.issuer, b.notBefore, b.notAfter
		cd.SerialNumber, cd.FriendlyName, cd.AlternativeNames = b.serial, b.friendlyName, b.altNames
		cd.Source, cd.SourceSHA256 = b.source, b.sourceSHA
	} else {
		cd.Partial = true
	}
	if ti := m.thumbs[m.nameIDs[c.thumb]]; ti != nil && c.imported {
		for _, im := range ti.imports {
			if im.server == c.server {
				cd.Imports = append(cd.Imports, [2]int64{int64(im.seq), im.stored})
			}
		}
	}
	return cd
}

func (m *Model) slotDoc(s *slot, ops []op, tab *thumbTable) slotDoc {
	sd := slotDoc{Identity: s.identity, Use: s.use, Ops: make([][]int64, len(ops))}
	buf := make([]int64, 0, 5*len(ops))
	var seq uint64
	var stored int64
	for j, o := range ops {
		k := len(buf)
		buf = append(buf, int64(o.seq-seq), o.stored-stored, int64(o.kind), tab.ref(m, o.thumb))
		if o.eff != noTime {
			buf = append(buf, o.eff-o.stored)
		}
		sd.Ops[j] = buf[k:len(buf):len(buf)]
		seq, stored = o.seq, o.stored
	}
	return sd
}

// spill writes the ops every slot gained since the last spill (its shard
// ops) as segments next, next+1, … of bk, returning the next segment index.
//
// With drop, the model stops holding them: what stays in memory answers
// AsOf from the latest instant applied on (the horizon), since a
// timeline's breakpoints before it can no longer change (a later record is
// stored later) and only the last of them still matters. A later load
// reads the whole history back.
func (m *Model) spill(ctx context.Context, bk putter, next int, drop bool) (int, error) {
	var put func(d *shardDoc) error
	put = func(d *shardDoc) error {
		b, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if k := len(d.Certs) + len(d.Slots); len(b) > shardLimit && k > 1 {
			// Certificates with long name lists: halve the segment.
			h := k / 2
			first := &shardDoc{Format: d.Format, LastSeq: d.LastSeq, Thumbs: d.Thumbs, Certs: d.Certs[:min(h, len(d.Certs))]}
			first.Slots = d.Slots[:h-len(first.Certs)]
			rest := &shardDoc{Format: d.Format, LastSeq: d.LastSeq, Thumbs: d.Thumbs, Certs: d.Certs[len(first.Certs):], Slots: d.Slots[len(first.Slots):]}
			if err := put(first); err != nil {
				return err
			}
			return put(rest)
		}
		if len(b) > shardLimit {
			return fmt.Errorf("%s would be %d bytes, more than a value holds", segmentKey(next), len(b))
		}
		if err := bk.Put(ctx, segmentKey(next), b); err != nil {
			return err
		}
		next++
		return nil
	}
	doc, tab := &shardDoc{Format: format, LastSeq: m.lastSeq}, newThumbTable()
	n := 0 // ops in doc; a certificate counts as one
	full := func() error {
		if n < segmentOps {
			return nil
		}
		doc.Thumbs = tab.names
		err := put(doc)
		doc, tab, n = &shardDoc{Format: format, LastSeq: m.lastSeq}, newThumbTable(), 0
		return err
	}
	if drop {
		// Every certificate a record changed since the last spill (put
		// halves a segment that outgrows a value).
		for _, c := range m.sortedCerts() {
			if c.certBody == nil && c.seq <= m.spilled {
				continue
			}
			doc.Certs = append(doc.Certs, m.certDoc(c))
			n++
			if err := full(); err != nil {
				return next, err
			}
		}
	}
	for _, s := range m.sortedSlots() {
		for ops := s.shardOps(); len(ops) > 0; {
			k := min(len(ops), segmentOps-n)
			doc.Slots = append(doc.Slots, m.slotDoc(s, ops[:k], tab))
			ops, n = ops[k:], n+k
			if err := full(); err != nil {
				return next, err
			}
		}
	}
	if n > 0 {
		doc.Thumbs = tab.names
		if err := put(doc); err != nil {
			return next, err
		}
	}
	m.held = 0
	for _, s := range m.slots {
		s.segOps = s.dropped + len(s.ops)
	}
	if !drop {
		return next, nil
	}
	for _, c := range m.certs {
		c.certBody = nil
	}
	for _, s := range m.slots {
		s.dropped, s.ops = s.segOps, nil
		if k := sort.Search(len(s.tl), func(i int) bool { return s.tl[i].at > m.latest }); k > 1 {
			s.tl = slices.Clone(s.tl[k-1:])
		}
	}
	m.horizon = m.latest
	known := m.letGo()
	m.spilled = m.lastSeq
	for len(known) > 0 {
		n := min(len(known), knownPerDoc)
		b, err := json.Marshal(knownDoc{Thumbs: known[:n]})
		if err != nil {
			return next, err
		}
		if err := bk.Put(ctx, knownKey(m.known), b); err != nil {
			return next, err
		}
		m.known++
		known = known[n:]
	}
	return next, nil
}

// writeShards encodes and writes the shards of sets in index order. It
// stops with errTooBig, having written the shards before it, at the first
// shard over shardLimit. With revs (a catch-up; one per shard, 0 for an
// absent one), shard i is written only if it is still at revs[i], the
// revision it was read at; otherwise it stops with events.ErrConflict.
func (m *Model) writeShards(ctx context.Context, bk events.Bucket, sets map[int]*shardSet, revs []uint64) error {
	idx := make([]int, 0, len(sets))
	for i := range sets {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	for _, i := range idx {
		b, err := m.encodeShard(sets[i])
		if err != nil {
			return err
		}
		if len(b) > shardLimit {
			return errTooBig
		}
		if revs != nil {
			err = bk.PutIf(ctx, shardKey(i), b, revs[i])
		} else {
			err = bk.Put(ctx, shardKey(i), b)
		}
		if err != nil {
			return fmt.Errorf("projections: write %s: %w", shardKey(i), err)
		}
	}
	return nil
}

var errTooBig = errors.New("projections: shard outgrew its size")

func parseShard(b []byte) (*shardDoc, error) {
	var d shardDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, err
	}
	if d.Format != format {
		return nil, fmt.Errorf("shard format %d, want %d", d.Format, format)
	}
	for _, sd := range d.Slots {
		for _, od := range sd.Ops {
			if len(od) != 4 && len(od) != 5 || od[3] < 0 || od[3] > int64(len(d.Thumbs)) {
				return nil, fmt.Errorf("%s %s: malformed op %v", sd.Identity, sd.Use, od)
			}
		}
	}
	return &d, nil
}

// addShard adds a parsed shard's (or segment's) entities to the model.
func (m *Model) addShard(d *shardDoc, segment bool) {
	ids := make([]uint32, len(d.Thumbs)+1) // d.Thumbs interned, as ops name them
	for _, sd := range d.Slots {
		idk := m.identity(sd.Identity, "")
		m.idDisplay[idk] = sd.Identity
		s := m.slot(idk, sd.Use, true)
		if segment {
			s.segOps += len(sd.Ops)
		}
		var seq uint64
		var stored int64
		for _, od := range sd.Ops {
			seq, stored = seq+uint64(od[0]), stored+od[1]
			t := od[3]
			if t != 0 && ids[t] == 0 {
				ids[t] = m.intern(d.Thumbs[t-1])
			}
			o := op{seq: seq, stored: stored, eff: noTime, kind: opKind(od[2]), thumb: ids[t]}
			if len(od) == 5 {
				o.eff = stored + od[4]
			}
			s.add(o)
		}
	}
	// A certificate's documents add up: a rebuild writes one per spill
	// that changed it, with what changed since the one before, and a
	// catch-up's shard has all of it again. A partial document keeps the
	// content read before; the later document has the key's last word,
	// since its writer went on from the earlier ones; services and import
	// marks only ever accrue.
	for _, cd := range d.Certs {
		c := m.cert(cd.Server, cd.Thumbprint)
		if !cd.Partial {
			c.certBody = &certBody{
				subject: cd.Subject, issuer: cd.Issuer, notBefore: cd.NotBefore.UTC(), notAfter: cd.NotAfter.UTC(),
				serial: cd.SerialNumber, friendlyName: cd.FriendlyName, altNames: cd.AlternativeNames,
				source: cd.Source, sourceSHA: cd.SourceSHA256,
			}
		}
		c.seq = max(c.seq, cd.Seq)
		c.imported = c.imported || cd.Imported
		c.hasKey, c.exportable = cd.HasPrivateKey, cd.PrivateKeyExportable
		c.services |= cd.Services
		for _, o := range cd.OtherServices {
			if !slices.ContainsFunc(c.otherSvc, func(s string) bool { return strings.EqualFold(s, o) }) {
				c.otherSvc = append(c.otherSvc, o)
			}
		}
		if !c.imported {
			continue
		}
		id := m.intern(c.thumb)
		ti := m.thumbs[id]
		if ti == nil {
			ti = &thumbInfo{subject: c.subject, notAfter: c.notAfter}
			m.thumbs[id] = ti
		}
		for _, im := range cd.Imports {
			mark := importMark{seq: uint64(im[0]), stored: im[1], server: c.server}
			if !slices.Contains(ti.imports, mark) {
				ti.imports = append(ti.imports, mark)
			}
		}
	}
}

// finishLoad puts what decoding left unordered back in sequence order: a
// thumbprint's imports come from several shards.
func (m *Model) finishLoad() {
	for id, ti := range m.thumbs {
		if ti == nil {
			continue
		}
		slices.SortFunc(ti.imports, func(a, b importMark) int { return cmpUint(a.seq, b.seq) })
		// The subject and expiry shown are the first import's, as in the fold.
		if len(ti.imports) == 0 {
			continue
		}
		if c := m.certs[certID{ti.imports[0].server, m.names[id]}]; c != nil {
			ti.subject, ti.notAfter = c.subject, c.notAfter
		}
	}
}

func cmpUint(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Projections reads and maintains the materialised model of one log.
type Projections struct {
	store   events.Store
	buckets events.Buckets
	opts    []Option
	now     func() time.Time
	// phase, when set (benchmarks), is told when a rebuild has folded the
	// log, to split its time between reading and writing.
	onPhase func(string)
}

func (p *Projections) phase(name string) {
	if p.onPhase != nil {
		p.onPhase(name)
	}
}

// Open returns the projections of store kept in buckets.
func Open(store events.Store, buckets events.Buckets, opts ...Option) *Projections {
	return &Projections{store: store, buckets: buckets, opts: opts, now: time.Now}
}

// generation is one opened generation bucket.
type generation struct {
	ptr     pointer
	bucket  events.Bucket
	meta    metaDoc
	metaRev uint64   // the revision meta was read at (0: none)
	revs    []uint64 // by shard index: the revision each was loaded at
	fresh   bool     // no meta yet: nothing materialised
}

func (p *Projections) active(ctx context.Context) (pointer, events.Bucket, error) {
	ctl, err := p.buckets.Bucket(ctx, controlBucket)
	if err != nil {
		return pointer{}, nil, err
	}
	b, err := ctl.Get(ctx, activeKey)
	if errors.Is(err, events.ErrNotFound) {
		ptr := pointer{Bucket: genBucket(1), Generation: 1}
		raw, _ := json.Marshal(ptr)
		return ptr, ctl, ctl.Put(ctx, activeKey, raw)
	}
	if err != nil {
		return pointer{}, nil, err
	}
	var ptr pointer
	if err := json.Unmarshal(b, &ptr); err != nil || ptr.Bucket == "" {
		return pointer{}, nil, fmt.Errorf("projections: bad %q pointer %q", activeKey, b)
	}
	return ptr, ctl, nil
}

func genBucket(gen uint64) string { return controlBucket + "-" + strconv.FormatUint(gen, 10) }

// open follows the active pointer and reads the generation's meta. A
// rebuild may swap the pointer and delete the bucket between the two reads;
// the pointer is then read again.
func (p *Projections) open(ctx context.Context) (*generation, error) {
	for attempt := 0; ; attempt++ {
		ptr, ctl, err := p.active(ctx)
		if err != nil {
			return nil, err
		}
		bk, err := p.buckets.Bucket(ctx, ptr.Bucket)
		if err != nil {
			return nil, err
		}
		g := &generation{ptr: ptr, bucket: bk}
		raw, rev, err := bk.GetRevision(ctx, metaKey)
		switch {
		case err == nil:
			g.metaRev = rev
			if err := json.Unmarshal(raw, &g.meta); err != nil {
				return nil, fmt.Errorf("projections: bucket %s: bad meta: %w", ptr.Bucket, err)
			}
			if g.meta.Format != format {
				// Written by another version: rebuild rather than misread.
				g.fresh, g.meta = true, metaDoc{}
			}
			return g, nil
		case !errors.Is(err, events.ErrNotFound):
			return nil, err
		}
		again, err := ctl.Get(ctx, activeKey)
		if err != nil {
			return nil, err
		}
		var now pointer
		_ = json.Unmarshal(again, &now)
		if now == ptr || attempt >= 3 {
			g.fresh = true
			return g, nil
		}
		// Opening the deleted bucket re-created it empty: remove it again.
		_ = p.buckets.DeleteBucket(ctx, ptr.Bucket)
	}
}

// load reads a generation's segments and shards into a new model.
func (p *Projections) load(ctx context.Context, g *generation) (*Model, error) {
	m := New(p.opts...)
	if g.fresh {
		return m, nil
	}
	// Segments first, in order: a slot's ops are its segments', then its
	// shard's.
	keys := make([]string, 0, g.meta.Segments+g.meta.Shards)
	for j := range g.meta.Segments {
		keys = append(keys, segmentKey(j))
	}
	for i := range g.meta.Shards {
		keys = append(keys, shardKey(i))
	}
	// Fetching and parsing a value is most of a read command's start-up
	// on a large model, and independent per value: do it on every core,
	// a window at a time (so that parsed values do not pile up), and add
	// them to the model in key order.
	workers := runtime.GOMAXPROCS(0)
	const window = 64
	for lo := 0; lo < len(keys); lo += window {
		hi := min(lo+window, len(keys))
		docs := make([]*shardDoc, hi-lo)
		revs := make([]uint64, hi-lo)
		errs := make([]error, hi-lo)
		next := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					raw, rev, err := g.bucket.GetRevision(ctx, keys[i])
					if errors.Is(err, events.ErrNotFound) && i >= g.meta.Segments {
						continue // nothing hashed to the shard
					}
					revs[i-lo] = rev
					if err == nil {
						docs[i-lo], err = parseShard(raw)
					}
					if err != nil {
						errs[i-lo] = fmt.Errorf("projections: bucket %s %s: %w", g.ptr.Bucket, keys[i], err)
					}
				}
			}()
		}
		for i := lo; i < hi; i++ {
			next <- i
		}
		close(next)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return nil, err
		}
		for k, d := range docs {
			if d != nil {
				m.addShard(d, lo+k < g.meta.Segments)
			}
			if i := lo + k - g.meta.Segments; i >= 0 {
				g.revs = append(g.revs, revs[k])
			}
		}
	}
	m.finishLoad()
	m.lastSeq = g.meta.LastSeq
	return m, nil
}

// Catchup loads the materialised model, applies the records the log gained
// since it was written, writes back what changed, and returns the model,
// current to the log's last sequence. Every read command calls it.
//
// A reader the server allows only to read (serve's subscriber) gets the
// same model: what it may not write back it keeps in memory, and where it
// may not even open the buckets it folds the log itself.
func (p *Projections) Catchup(ctx context.Context) (*Model, error) {
	m, err := p.catchup(ctx)
	if errors.Is(err, events.ErrPermission) {
		if m != nil {
			return m, nil
		}
		return p.fold(ctx)
	}
	return m, err
}

// fold builds the model from the whole log in memory, writing nothing.
func (p *Projections) fold(ctx context.Context) (*Model, error) {
	m := New(p.opts...)
	err := p.store.Read(ctx, 1, func(r events.Record) error {
		m.Apply(r)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("projections: %w", err)
	}
	return m, nil
}

// catchup is Catchup; on a write the server refuses it returns the model,
// caught up in memory, with the error.
func (p *Projections) catchup(ctx context.Context) (*Model, error) {
	g, err := p.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("projections: %w", err)
	}
	if !g.fresh {
		// A model ahead of the log was built from another log (the
		// stream was deleted and made again beside old buckets): it
		// would never catch up, so build it again from this one.
		last, err := p.store.LastSeq(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("projections: %w", err)
		}
		if last < g.meta.LastSeq {
			if _, err := p.Rebuild(ctx, Until{}); err != nil {
				return nil, err
			}
			return p.loadActive(ctx)
		}
	}
	m, err := p.load(ctx, g)
	if err != nil {
		return nil, err
	}
	touched := make(map[string]bool)
	m.touch = func(entity string) { touched[entity] = true }
	err = p.store.Read(ctx, m.lastSeq+1, func(r events.Record) error {
		m.Apply(r)
		return nil
	})
	m.touch = nil
	if err != nil {
		return nil, fmt.Errorf("projections: catch up from %d: %w", g.meta.LastSeq+1, err)
	}
	if m.lastSeq == g.meta.LastSeq && !g.fresh {
		return m, nil
	}
	n := g.meta.Shards
	if g.fresh || n == 0 {
		n = shardCount(m)
	}
	dirty := make(map[int]bool)
	for e := range touched {
		dirty[shardOf(e, n)] = true
	}
	if g.fresh {
		dirty = nil // write every shard of a new generation
	}
	// Another process may be catching up too. Each shard and meta are
	// written only if still at the revision read here: a process whose
	// write is refused has lost a race to one that read later and so
	// holds at least as much, and leaves the rest to it (its own model,
	// in memory, is still right for this command). Without the check, an
	// older shard written over a newer one would lose records that the
	// newer meta says are applied.
	var revs []uint64 // nil: unguarded
	if !g.fresh {
		revs = make([]uint64, n)
		copy(revs, g.revs)
	} else if claimed, err := p.claim(ctx, g); err != nil || !claimed {
		// A generation's first write has no revisions to go by: one
		// process claims it, and writes over whatever a writer that
		// died before its meta left.
		return m, err
	}
	err = m.writeShards(ctx, g.bucket, m.shards(n, dirty), revs)
	if errors.Is(err, events.ErrConflict) {
		return m, nil
	}
	if errors.Is(err, errTooBig) {
		// Grown past what one value should hold: re-shard into a new
		// generation rather than move entities between live shards.
		return m, p.swapIn(ctx, m, g.ptr)
	}
	if err != nil {
		return m, err
	}
	meta := g.meta
	meta.Format, meta.LastSeq, meta.Shards, meta.Generation = format, m.lastSeq, n, g.ptr.Generation
	if g.fresh {
		meta.Built = p.now().UTC()
	}
	raw, _ := json.Marshal(meta)
	if err := g.bucket.PutIf(ctx, metaKey, raw, g.metaRev); errors.Is(err, events.ErrConflict) {
		return m, nil
	} else if err != nil {
		return m, fmt.Errorf("projections: write meta: %w", err)
	}
	return m, nil
}

// shardCount sizes a generation so that each shard starts near shardTarget.
func shardCount(m *Model) int {
	var ops int
	for _, s := range m.slots {
		ops += len(s.shardOps()) + 2
	}
	est := ops*64 + len(m.certs)*700
	n := 1
	for n*shardTarget < est {
		n *= 2
	}
	return n
}

// Until bounds a rebuild: records after sequence Seq, or stored after Time,
// are left out (zero values: no bound). The log is in stored-time order, so
// the rebuild stops at the first record stored after Time.
type Until struct {
	Seq  uint64
	Time time.Time
}

// Rebuild builds the model from the first record of the log (up to until)
// into a new generation and swaps it in. It streams the log, and writes the
// history it has folded as it goes, so that its memory stays flat however
// long the log: what it keeps is the present (Rebuilt.AsOf). Later
// catch-ups continue the generation from where it stopped.
func (p *Projections) Rebuild(ctx context.Context, until Until) (*Rebuilt, error) {
	old, _, err := p.active(ctx)
	if err != nil {
		return nil, fmt.Errorf("projections: rebuild: %w", err)
	}
	next := old.next()
	bk, err := p.emptyBucket(ctx, next.Bucket)
	if err != nil {
		return nil, err
	}
	m := New(p.opts...)
	rctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	// Segments are written behind the fold, which goes on meanwhile.
	segs := newQueuedPuts(rctx, bk, 8, cancel)
	// The fold runs beside the read, so that applying records overlaps
	// decoding the next ones instead of adding to it.
	recs := make(chan events.Record, 64)
	folded := make(chan struct{})
	var segments int
	var spillErr error
	go func() {
		defer close(folded)
		for r := range recs {
			if spillErr != nil {
				continue // the read is stopping; drain it
			}
			m.Apply(r)
			if m.held >= spillOps {
				if segments, spillErr = m.spill(rctx, segs, segments, true); spillErr != nil {
					cancel(spillErr)
				}
			}
		}
	}()
	err = p.store.Read(rctx, 1, func(r events.Record) error {
		if (until.Seq != 0 && r.Seq > until.Seq) || (!until.Time.IsZero() && r.Stored.After(until.Time)) {
			return errStop
		}
		select {
		case recs <- r:
			return nil
		case <-rctx.Done():
			return context.Cause(rctx)
		}
	})
	close(recs)
	<-folded
	if err == nil || errors.Is(err, errStop) {
		segments, err = m.spill(rctx, segs, segments, false)
	}
	if werr := segs.Close(); werr != nil {
		err = werr
	}
	if spillErr != nil {
		err = spillErr
	}
	if err != nil && !errors.Is(err, errStop) {
		return nil, fmt.Errorf("projections: rebuild: %w", err)
	}
	p.phase("folded")
	if err := p.publish(ctx, m, bk, old, next, segments); err != nil {
		return nil, err
	}
	return &Rebuilt{LastSeq: m.lastSeq, Generation: next.Generation, m: m, p: p, bucket: bk}, nil
}

// Rebuilt is what a rebuild made: the generation now in force, and the
// present state of the log it folded.
type Rebuilt struct {
	LastSeq    uint64 // the last record folded
	Generation uint64
	m          *Model
	p          *Projections
	bucket     events.Bucket // the generation's, with its known documents
}

// Model reads the whole rebuilt model back from its generation (unless a
// catch-up has moved it on since): every instant and AtSeq, at the cost of
// holding the whole history.
func (r *Rebuilt) Model(ctx context.Context) (*Model, error) { return r.p.loadActive(ctx) }

// Assignments are the assignments in force at instant t (of identity, or
// all for ""). The rebuild kept the present only, so t must not precede
// the latest record it folded; the whole model (any instant, AtSeq, the
// inventory) is Model's.
func (r *Rebuilt) Assignments(ctx context.Context, t time.Time, identity string) ([]Assignment, error) {
	if at := nanos(t); r.m.horizon != noTime && at < r.m.horizon {
		return nil, fmt.Errorf("projections: the rebuild holds the state from %s on, not at %s; read the model for earlier instants",
			time.Unix(0, r.m.horizon).UTC().Format(time.RFC3339Nano), t.UTC().Format(time.RFC3339Nano))
	}
	rows := r.m.AsOf(t).Assignments(identity)
	if r.m.known == 0 {
		return rows, nil
	}
	// The thumbprints the rebuild let go of were all imported by its
	// horizon, and a known document lists each first with its first
	// import: join those from there.
	want := make(map[string]*knownThumb)
	for _, a := range rows {
		if _, hex := thumbBytes(a.Thumbprint); hex {
			want[a.Thumbprint] = nil
		}
	}
	for k := range r.m.known {
		raw, err := r.bucket.Get(ctx, knownKey(k))
		if err != nil {
			return nil, fmt.Errorf("projections: read %s: %w", knownKey(k), err)
		}
		var d knownDoc
		if err := json.Unmarshal(raw, &d); err != nil {
			return nil, fmt.Errorf("projections: read %s: %w", knownKey(k), err)
		}
		for i := range d.Thumbs {
			if kt, ok := want[d.Thumbs[i].Thumbprint]; ok && kt == nil {
				want[d.Thumbs[i].Thumbprint] = &d.Thumbs[i]
			}
		}
	}
	for i := range rows {
		if kt := want[rows[i].Thumbprint]; kt != nil {
			notAfter := kt.NotAfter
			rows[i].Known, rows[i].Subject, rows[i].NotAfter = true, kt.Subject, &notAfter
		}
	}
	return rows, nil
}

func (ptr pointer) next() pointer {
	return pointer{Bucket: genBucket(ptr.Generation + 1), Generation: ptr.Generation + 1}
}

// emptyBucket opens the bucket name, emptied: a rebuild that died may have
// left a partial bucket of that name.
func (p *Projections) emptyBucket(ctx context.Context, name string) (events.Bucket, error) {
	if err := p.buckets.DeleteBucket(ctx, name); err != nil {
		return nil, fmt.Errorf("projections: clear %s: %w", name, err)
	}
	return p.buckets.Bucket(ctx, name)
}

// loadActive reads the generation in force, without catching it up.
func (p *Projections) loadActive(ctx context.Context) (*Model, error) {
	g, err := p.open(ctx)
	if err != nil {
		return nil, fmt.Errorf("projections: %w", err)
	}
	return p.load(ctx, g)
}

// swapIn writes m, a whole model held in memory, as the generation after
// old, points readers at it, and deletes old.
func (p *Projections) swapIn(ctx context.Context, m *Model, old pointer) error {
	next := old.next()
	bk, err := p.emptyBucket(ctx, next.Bucket)
	if err != nil {
		return err
	}
	for _, s := range m.slots {
		s.segOps = 0 // the new generation's segments are still to be written
	}
	segments, err := m.spill(ctx, bk, 0, false)
	if err != nil {
		return fmt.Errorf("projections: write %s: %w", next.Bucket, err)
	}
	return p.publish(ctx, m, bk, old, next, segments)
}

// putter is where spill writes segments: a bucket, or a queue in front of
// one.
type putter interface {
	Put(ctx context.Context, key string, val []byte) error
}

// queuedPuts writes to a bucket in the background, in order, at most depth
// values behind: the rebuild's fold goes on while its segments are stored.
type queuedPuts struct {
	q    chan keyValue
	done chan struct{}
	err  error // the first failed write; read after done
}

type keyValue struct {
	key string
	val []byte
}

// newQueuedPuts starts the writer; a failed write calls fail with the error
// (the rebuild cancels itself) and drops what follows.
func newQueuedPuts(ctx context.Context, bk events.Bucket, depth int, fail func(error)) *queuedPuts {
	w := &queuedPuts{q: make(chan keyValue, depth), done: make(chan struct{})}
	go func() {
		defer close(w.done)
		for kv := range w.q {
			if w.err != nil {
				continue
			}
			if err := bk.Put(ctx, kv.key, kv.val); err != nil {
				w.err = fmt.Errorf("projections: write %s: %w", kv.key, err)
				fail(w.err)
			}
		}
	}()
	return w
}

func (w *queuedPuts) Put(ctx context.Context, key string, val []byte) error {
	select {
	case w.q <- keyValue{key, val}:
		return nil
	case <-ctx.Done():
		return context.Cause(ctx)
	}
}

// Close waits for the queued writes and returns the first failure.
func (w *queuedPuts) Close() error {
	close(w.q)
	<-w.done
	return w.err
}

// publish completes generation next in bk, whose segments hold all of m's
// history (so that its shards start with no ops: a slot of any length fits
// them): m's shards, then meta. Then it points readers at it (one Put, the
// last write) and deletes old.
func (p *Projections) publish(ctx context.Context, m *Model, bk events.Bucket, old, next pointer, segments int) error {
	n := shardCount(m)
	for {
		// Every shard index below n is written, so a retry with more
		// shards overwrites all the keys of the attempt before.
		err := m.writeShards(ctx, bk, m.shards(n, nil), nil)
		if errors.Is(err, errTooBig) && n < 1<<16 {
			n *= 2
			continue
		}
		if err != nil {
			return err
		}
		break
	}
	raw, _ := json.Marshal(metaDoc{Format: format, LastSeq: m.lastSeq, Shards: n, Segments: segments, Generation: next.Generation, Built: p.now().UTC()})
	if err := bk.Put(ctx, metaKey, raw); err != nil {
		return err
	}
	ctl, err := p.buckets.Bucket(ctx, controlBucket)
	if err != nil {
		return err
	}
	raw, _ = json.Marshal(next)
	if err := ctl.Put(ctx, activeKey, raw); err != nil {
		return fmt.Errorf("projections: swap in %s: %w", next.Bucket, err)
	}
	if err := p.buckets.DeleteBucket(ctx, old.Bucket); err != nil {
		return fmt.Errorf("projections: %s is active; removing %s failed: %w", next.Bucket, old.Bucket, err)
	}
	return nil
}

// claimKey holds the claim on a generation's first write, and claimStale
// is how long a claim holds: past it, its writer is taken for dead.
const (
	claimKey   = "claim"
	claimStale = 5 * time.Minute
)

// claimDoc is a claim: when it was made, and the revision of the meta it
// was made over (0: none; a meta of another format is rewritten too).
type claimDoc struct {
	At   time.Time `json:"At"`
	Over uint64    `json:"Over"`
}

// claim claims the first write of generation g, which has no meta of this
// format yet. It reports false when another process holds a live claim, or
// wins the race to take one. A claim is live for claimStale, and only over
// the meta it was made over: the claim of a first write that completed
// does not hold off the rewrite of its meta by another version's reader.
func (p *Projections) claim(ctx context.Context, g *generation) (bool, error) {
	raw, rev, err := g.bucket.GetRevision(ctx, claimKey)
	switch {
	case errors.Is(err, events.ErrNotFound):
		rev = 0
	case err != nil:
		return false, fmt.Errorf("projections: read %s: %w", claimKey, err)
	default:
		var c claimDoc
		if json.Unmarshal(raw, &c) == nil && c.Over == g.metaRev && p.now().Sub(c.At) < claimStale {
			return false, nil
		}
	}
	b, _ := json.Marshal(claimDoc{At: p.now().UTC(), Over: g.metaRev})
	switch err := g.bucket.PutIf(ctx, claimKey, b, rev); {
	case errors.Is(err, events.ErrConflict):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("projections: write %s: %w", claimKey, err)
	}
	return true, nil
}

// ReadHistory streams the audit trail from the log through a Historian,
// calling fn for each selected entry, oldest first.
func ReadHistory(ctx context.Context, store events.Store, f HistoryFilter, fn func(HistoryEntry) error) error {
	h := NewHistorian(f)
	return store.Read(ctx, 1, func(r events.Record) error {
		if e, ok := h.Next(r); ok {
			return fn(e)
		}
		return nil
	})
}
