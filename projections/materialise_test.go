package projections

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
)

// dump renders everything a model answers about recs — the assignments as
// of every instant where they can change, after every sequence, and the
// inventory — as JSON, so that two models compare byte for byte.
func dump(t testing.TB, m *Model, recs []events.Record) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, at := range instants(recs) {
		if err := WriteJSON(&buf, m.AsOf(at).Assignments("")); err != nil {
			t.Fatal(err)
		}
	}
	now := t0.AddDate(3, 0, 0)
	for n := range uint64(len(recs) + 1) {
		if err := WriteJSON(&buf, m.AtSeq(n, now).Assignments("")); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteJSON(&buf, m.Certificates("")); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// checkMaterialised is the property: however a log arrives — record by
// record with a catch-up (a new process each time) in between, or all at
// once and rebuilt from zero — the model read back from the buckets is the
// pure fold, byte for byte.
func checkMaterialised(t *testing.T, ctx context.Context, recs []events.Record, store events.Store, add func([]events.Record), buckets events.Buckets, rng *rand.Rand) {
	t.Helper()
	want := dump(t, Fold(recs), recs)
	for i := 0; i < len(recs); {
		n := 1 + rng.IntN(12)
		n = min(n, len(recs)-i)
		add(recs[i : i+n])
		i += n
		if rng.IntN(3) > 0 { // not every batch is followed by a read
			if _, err := Open(store, buckets).Catchup(ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	caught, err := Open(store, buckets).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(t, caught, recs); !bytes.Equal(got, want) {
		t.Fatalf("incremental catch-up differs from the fold:\n%.2000s\nwant\n%.2000s", got, want)
	}
	// A fresh process reads the materialised model without the log's help.
	reread, err := Open(store, buckets).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(t, reread, recs); !bytes.Equal(got, want) {
		t.Fatalf("model read back from the buckets differs from the fold")
	}
	rebuilt, err := rebuildRead(ctx, Open(store, buckets), Until{})
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(t, rebuilt, recs); !bytes.Equal(got, want) {
		t.Fatalf("rebuild differs from the fold")
	}
	after, err := Open(store, buckets).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(t, after, recs); !bytes.Equal(got, want) {
		t.Fatalf("model read back after the rebuild's swap differs from the fold")
	}
}

func TestMaterialisedEqualsFold(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(restoreSizes)
	for seed := range uint64(25) {
		if seed%2 == 1 {
			// Small shards: many of them, and catch-ups that outgrow them
			// and move to a new generation.
			shardTarget, shardLimit = 1<<10, 3<<10
		}
		if seed%3 == 2 {
			// A rebuild that spills every few ops into small segments.
			spillOps, segmentOps = 1+int(seed%7), 1+int(seed%4)
		}
		recs := genLog(seed, 150)
		log := &memLog{}
		checkMaterialised(t, ctx, recs, log, func(r []events.Record) { log.add(r...) }, newMemBuckets(), rand.New(rand.NewPCG(seed, 1)))
		restoreSizes()
	}
}

func restoreSizes() {
	shardTarget, shardLimit = 256<<10, 768<<10
	spillOps, segmentOps = 1<<14, 2000
}

// TestRebuildSpills: a rebuild holds at most spillOps ops, however long the
// log, and still writes the whole history: the generation read back is the
// fold, the catch-ups after it continue it (rewriting shards, never
// segments), and a re-shard writes the whole model into a new generation. What the rebuild itself keeps
// answers for the present, and says so for earlier instants.
func TestRebuildSpills(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(restoreSizes)
	for seed := range uint64(12) {
		spillOps, segmentOps = 1+int(seed%5)*4, 1+int(seed%3)*3
		recs := genLog(seed, 300)
		prefix := recs[:200]
		log := &memLog{}
		log.add(prefix...)
		bs := newMemBuckets()
		p := Open(log, bs)
		r, err := p.Rebuild(ctx, Until{})
		if err != nil {
			t.Fatal(err)
		}
		var held int
		for _, s := range r.m.slots {
			held += len(s.ops)
		}
		if held > spillOps {
			t.Fatalf("seed %d: the rebuild holds %d ops, more than spillOps %d", seed, held, spillOps)
		}
		// Nor the inventory it spilled: a certificate stays whole only
		// if changed since (or typed by hand), a thumbprint only if a
		// present timeline or such a certificate names it.
		for _, c := range r.m.certs {
			if _, hex := thumbBytes(c.thumb); hex && c.seq <= r.m.spilled {
				t.Fatalf("seed %d: the rebuild still holds %s\\%s, spilled at %d (last change %d)", seed, c.server, c.thumb, r.m.spilled, c.seq)
			}
		}
		named := map[uint32]bool{0: true}
		for _, s := range r.m.slots {
			for _, b := range s.tl {
				named[b.st.thumb], named[b.st.prev] = true, true
			}
		}
		for id, ti := range r.m.thumbs {
			if _, hex := thumbBytes(r.m.names[id]); !named[uint32(id)] && (ti == nil || hex && r.m.spilled > 0 && !slices.ContainsFunc(ti.imports, func(im importMark) bool { return im.seq > r.m.spilled })) {
				t.Fatalf("seed %d: the rebuild still interns %s, which nothing it holds names", seed, r.m.names[id])
			}
		}
		fold := Fold(prefix)
		for _, at := range []time.Time{prefix[len(prefix)-1].Stored, t0.AddDate(5, 0, 0)} {
			rows, err := r.Assignments(ctx, at, "")
			if err != nil {
				t.Fatalf("seed %d: Rebuilt.Assignments(%v): %v", seed, at, err)
			}
			// Every field, the subject and expiry joined from the known
			// documents included.
			got, _ := json.Marshal(rows)
			want, _ := json.Marshal(fold.AsOf(at).Assignments(""))
			if !bytes.Equal(got, want) {
				t.Fatalf("seed %d: the rebuild's present at %v:\n%s\nwant\n%s", seed, at, got, want)
			}
		}
		if _, err := r.Assignments(ctx, prefix[0].Stored, ""); err == nil {
			t.Fatalf("seed %d: Rebuilt.Assignments before its horizon answered", seed)
		}
		g, err := p.open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if g.meta.Segments == 0 {
			t.Fatalf("seed %d: the rebuild wrote no segments", seed)
		}
		read, err := p.loadActive(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, read, prefix), dump(t, fold, prefix); !bytes.Equal(got, want) {
			t.Fatalf("seed %d: the spilled generation read back differs from the fold", seed)
		}
		// A certificate's later documents list its imports again; reading
		// them must not count an import twice.
		for id, ti := range read.thumbs {
			if ti != nil && len(ti.imports) != len(fold.thumbs[fold.nameIDs[read.names[id]]].imports) {
				t.Fatalf("seed %d: %s read back with imports %v, the fold has %v", seed, read.names[id], ti.imports, fold.thumbs[fold.nameIDs[read.names[id]]].imports)
			}
		}

		want := dump(t, Fold(recs), recs)
		log.add(recs[200:250]...)
		if _, err := Open(log, bs).Catchup(ctx); err != nil {
			t.Fatal(err)
		}
		log.add(recs[250:]...)
		for _, step := range []string{"catch-up after the rebuild", "read back", "re-shard"} {
			if step == "re-shard" {
				// What a catch-up does when a shard outgrows its size.
				g, _ := p.open(ctx)
				m, err := p.load(ctx, g)
				if err != nil {
					t.Fatal(err)
				}
				if err := p.swapIn(ctx, m, g.ptr); err != nil {
					t.Fatal(err)
				}
				if g2, _ := p.open(ctx); g2.ptr.Generation != g.ptr.Generation+1 {
					t.Fatalf("seed %d: the re-shard made generation %d after %d", seed, g2.ptr.Generation, g.ptr.Generation)
				}
			}
			m, err := Open(log, bs).Catchup(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if got := dump(t, m, recs); !bytes.Equal(got, want) {
				t.Fatalf("seed %d: %s differs from the fold", seed, step)
			}
		}
		restoreSizes()
	}
}

// TestCatchupSurvivesCrash: a catch-up that dies after any number of writes
// leaves a state the next catch-up completes to the fold.
func TestCatchupSurvivesCrash(t *testing.T) {
	ctx := context.Background()
	recs := genLog(3, 400)
	want := dump(t, Fold(recs), recs)
	for failAfter := 1; failAfter < 12; failAfter++ {
		log := &memLog{}
		bs := newMemBuckets()
		log.add(recs[:150]...)
		if _, err := Open(log, bs).Catchup(ctx); err != nil {
			t.Fatal(err)
		}
		log.add(recs[150:]...)
		bs.failAfter, bs.puts = failAfter, 0
		if _, err := Open(log, bs).Catchup(ctx); err != nil && !errors.Is(err, errCrash) {
			t.Fatal(err)
		}
		bs.failAfter = 0
		m, err := Open(log, bs).Catchup(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := dump(t, m, recs); !bytes.Equal(got, want) {
			t.Fatalf("after a crash after %d writes, the catch-up differs from the fold", failAfter)
		}
	}
}

// TestRebuildSwap: a rebuild leaves exactly one generation, readers of the
// old pointer find it gone and follow the new one, and a rebuild that dies
// before the swap leaves the old generation active and intact.
func TestRebuildSwap(t *testing.T) {
	ctx := context.Background()
	recs := genLog(11, 200)
	log := &memLog{}
	log.add(recs...)
	bs := newMemBuckets()
	if _, err := Open(log, bs).Catchup(ctx); err != nil {
		t.Fatal(err)
	}
	if got := bs.names(); len(got) != 2 || got[1] != "projections-1" {
		t.Fatalf("buckets after the first catch-up: %v", got)
	}
	// Die in the middle of writing generation 2.
	bs.failAfter, bs.puts = 1, 0
	if _, err := Open(log, bs).Rebuild(ctx, Until{}); !errors.Is(err, errCrash) {
		t.Fatalf("rebuild with a failing bucket: %v", err)
	}
	bs.failAfter = 0
	want := dump(t, Fold(recs), recs)
	m, err := Open(log, bs).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump(t, m, recs); !bytes.Equal(got, want) {
		t.Fatalf("a failed rebuild disturbed the active generation")
	}
	if _, err := Open(log, bs).Rebuild(ctx, Until{}); err != nil {
		t.Fatal(err)
	}
	if got := bs.names(); len(got) != 2 || got[1] != "projections-2" {
		t.Fatalf("buckets after the rebuild: %v", got)
	}
}

func TestRebuildUntil(t *testing.T) {
	ctx := context.Background()
	recs := genLog(5, 120)
	log := &memLog{}
	log.add(recs...)
	bs := newMemBuckets()
	for _, n := range []uint64{1, 37, 120} {
		m, err := rebuildRead(ctx, Open(log, bs), Until{Seq: n})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := dump(t, m, recs), dump(t, Fold(recs[:n]), recs); !bytes.Equal(got, want) || m.LastSeq() != n {
			t.Fatalf("replay --until-seq %d differs from the fold of the prefix (last seq %d)", n, m.LastSeq())
		}
	}
	at := recs[59].Stored
	m, err := rebuildRead(ctx, Open(log, bs), Until{Time: at})
	if err != nil {
		t.Fatal(err)
	}
	var prefix []events.Record
	for _, r := range recs {
		if r.Stored.After(at) {
			break
		}
		prefix = append(prefix, r)
	}
	if got, want := dump(t, m, recs), dump(t, Fold(prefix), recs); !bytes.Equal(got, want) {
		t.Fatalf("replay --until %v differs from the fold of the records stored by then", at)
	}
	// The next read continues from where the replay stopped.
	caught, err := Open(log, bs).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dump(t, caught, recs), dump(t, Fold(recs), recs)) {
		t.Fatalf("catch-up after a bounded replay differs from the fold")
	}
	_ = time.Second
}

// TestCatchupOfAnotherLog: buckets left from a log that was deleted and
// started again hold a model ahead of the new log; the catch-up rebuilds.
func TestCatchupOfAnotherLog(t *testing.T) {
	ctx := context.Background()
	bs := newMemBuckets()
	old := &memLog{}
	old.add(genLog(1, 100)...)
	if _, err := Open(old, bs).Catchup(ctx); err != nil {
		t.Fatal(err)
	}
	recs := genLog(2, 30)
	fresh := &memLog{}
	fresh.add(recs...)
	m, err := Open(fresh, bs).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(dump(t, m, recs), dump(t, Fold(recs), recs)) {
		t.Fatalf("the model of the old log survived a new, shorter log")
	}
}

// TestConcurrentCatchupsNeverRegressAShard interleaves two processes'
// catch-ups: B reads the log to sequence 110 and, as it is about to write
// its first shard, A reads to 120 and writes everything. B's shards are then
// older than A's; writing them would leave shards behind A's meta, losing
// records 111-120 for the next reader. B must write nothing, and every
// reader after them must see the fold of the whole log.
func TestConcurrentCatchupsNeverRegressAShard(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(restoreSizes)
	shardTarget, shardLimit = 1<<10, 64<<10 // several shards
	recs := genLog(9, 120)
	log := &memLog{}
	log.add(recs[:100]...)
	bs := newMemBuckets()
	if _, err := Open(log, bs).Catchup(ctx); err != nil {
		t.Fatal(err)
	}
	log.add(recs[100:110]...)
	shardSeqs := func() map[string]uint64 { return writtenAt(t, Open(log, bs)) }
	var afterA map[string]uint64
	bs.beforePut = func(bucket, key string) {
		if bucket == controlBucket || afterA != nil {
			return
		}
		bs.beforePut = nil // A's own writes run undisturbed
		log.add(recs[110:]...)
		a, err := Open(log, bs).Catchup(ctx)
		if err != nil || a.LastSeq() != 120 {
			t.Fatalf("A's catch-up: last seq %d, %v", a.LastSeq(), err)
		}
		afterA = shardSeqs()
	}
	b, err := Open(log, bs).Catchup(ctx) // B
	if err != nil {
		t.Fatal(err)
	}
	if afterA == nil {
		t.Fatal("B wrote nothing, so nothing interleaved")
	}
	if b.LastSeq() != 110 {
		t.Fatalf("B answered for sequence %d, want 110 (its own read)", b.LastSeq())
	}
	for k, seq := range shardSeqs() {
		if seq < afterA[k] {
			t.Errorf("%s went back from sequence %d (A's) to %d (B's)", k, afterA[k], seq)
		}
	}
	// A reader after both, without anything new in the log, sees it all.
	m, err := Open(log, bs).Catchup(ctx)
	equalsFold(t, m, err, recs, "after the interleaved catch-ups the model")
}

// A certificate and a thumbprint a spill let go of: the rebuild holds
// neither, and a later import or assignment of them carries on from what
// it kept (the key stays, the join still knows the certificate).
func TestRebuildLetsGoOfTheInventory(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(restoreSizes)
	spillOps = 1
	const x, y = "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00"
	const z = "DEADBEEF00112233445566778899AABBCCDDEEFF" // imported before the spill only
	b := newLog()
	notAfter := t0.AddDate(2, 0, 0)
	b.importCert("atl-cs-001.litwareinc.com", x, "CN=atl-cs-001.litwareinc.com", notAfter)
	b.at(t0.Add(time.Minute)).assign("Global", x, "Default")
	b.at(t0.Add(2*time.Minute)).enable("atl-cs-001.litwareinc.com", x, "IIS")
	b.at(t0.Add(150*time.Second)).importCert("ex01.litwareinc.com", z, "CN=mail.litwareinc.com", notAfter.AddDate(1, 0, 0))
	b.at(t0.Add(3*time.Minute)).assign("Global", y, "Default") // never imported
	spilledAt := uint64(len(b.recs))
	b.at(t0.Add(4*time.Minute)).importCert("atl-cs-001.litwareinc.com", x, "CN=atl-cs-001.litwareinc.com", notAfter)
	r := &b.recs[len(b.recs)-1]
	d := r.Event.Data.(events.CertificateImported)
	d.HasPrivateKey = false // the .cer of the same certificate
	r.Event.Data = d
	b.at(t0.Add(5*time.Minute)).enable("atl-cs-001.litwareinc.com", x, "SMTP")
	b.at(t0.Add(6*time.Minute)).assign("Global", x, "WebServicesInternal")
	b.at(t0.Add(7*time.Minute)).assign("Global", z, "OAuthTokenIssuer")

	log := &memLog{}
	log.add(b.recs...)
	p := Open(log, newMemBuckets())
	part, err := p.Rebuild(ctx, Until{Seq: spilledAt})
	if err != nil {
		t.Fatal(err)
	}
	if len(part.m.certs) != 0 || !slices.Equal(part.m.names, []string{"", y}) {
		t.Fatalf("after the spill the rebuild holds certificates %v and thumbprints %q; want none and only %s, which Global's Default is", part.m.certs, part.m.names, y)
	}

	r2, err := p.Rebuild(ctx, Until{})
	if err != nil {
		t.Fatal(err)
	}
	fold := Fold(b.recs)
	at := b.now
	rows, err := r2.Assignments(ctx, at, "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := brief(rows), brief(fold.AsOf(at).Assignments("")); !slices.Equal(got, want) {
		t.Fatalf("the rebuild's present:\n%q\nwant\n%q", got, want)
	}
	for _, a := range rows {
		want := map[string]string{x: "CN=atl-cs-001.litwareinc.com", z: "CN=mail.litwareinc.com"}[a.Thumbprint]
		if want != "" && (!a.Known || a.Subject != want || a.NotAfter == nil) {
			t.Errorf("Global %s = %+v; want the certificate known, with subject %s and its expiry", a.Use, a, want)
		}
	}
	read, err := r2.Model(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(t, read, b.recs), dump(t, fold, b.recs); !bytes.Equal(got, want) {
		t.Fatalf("read back:\n%s\nwant\n%s", got, want)
	}
	ex := read.ExchangeCertificates("atl-cs-001.litwareinc.com", "")
	if len(ex) != 1 || !ex[0].HasPrivateKey || !slices.Equal(ex[0].Services, []string{"IIS", "SMTP"}) {
		t.Fatalf("Get-ExchangeCertificate = %+v; want the key kept and IIS, SMTP enabled", ex)
	}
}

// Two processes materialise a new log at once: B reads 100 records, A (in
// the middle of B's first write) 120. The first write of a generation has
// no revisions to check, so it is claimed: B, having lost the claim to A,
// writes nothing, and no shard goes back to B's older state.
func TestFirstWriteIsClaimed(t *testing.T) {
	ctx := context.Background()
	t.Cleanup(restoreSizes)
	shardTarget, shardLimit = 1<<10, 64<<10 // several shards
	recs := genLog(9, 120)
	log := &memLog{}
	log.add(recs[:100]...)
	bs := newMemBuckets()
	var aRan bool
	bs.beforePut = func(bucket, key string) {
		if bucket == controlBucket || aRan {
			return
		}
		aRan, bs.beforePut = true, nil
		log.add(recs[100:]...)
		if a, err := Open(log, bs).Catchup(ctx); err != nil || a.LastSeq() != 120 {
			t.Fatalf("A's catch-up: last seq %d, %v", a.LastSeq(), err)
		}
	}
	b, err := Open(log, bs).Catchup(ctx) // B
	if err != nil || !aRan {
		t.Fatalf("B's catch-up: %v (A ran: %v)", err, aRan)
	}
	if b.LastSeq() != 100 {
		t.Fatalf("B answered for sequence %d, want 100 (its own read)", b.LastSeq())
	}
	for k, seq := range writtenAt(t, Open(log, bs)) {
		if seq != 120 {
			t.Errorf("%s was written at sequence %d, want 120 (A's)", k, seq)
		}
	}
	m, err := Open(log, bs).loadActive(ctx)
	equalsFold(t, m, err, recs, "the generation read back")
}

// A writer that dies in the middle of a generation's first write leaves
// its claim: until the claim is stale the next catch-ups answer from
// memory and write nothing; then one takes the claim over and writes.
func TestStaleClaimIsTakenOver(t *testing.T) {
	ctx := context.Background()
	recs := genLog(4, 200)
	log := &memLog{}
	log.add(recs...)
	bs := newMemBuckets()
	bs.failAfter = 3 // the pointer, the claim, one shard
	if _, err := Open(log, bs).Catchup(ctx); !errors.Is(err, errCrash) {
		t.Fatalf("first catch-up: %v, want the crash", err)
	}
	bs.failAfter = 0
	now := time.Now()
	for _, step := range []struct {
		after   time.Duration
		written bool
	}{{time.Minute, false}, {claimStale + time.Minute, true}} {
		p := Open(log, bs)
		p.now = func() time.Time { return now.Add(step.after) }
		m, err := p.Catchup(ctx)
		equalsFold(t, m, err, recs, fmt.Sprintf("%v after the crash, the catch-up", step.after))
		g, err := p.open(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if written := !g.fresh; written != step.written {
			t.Fatalf("%v after the crash: generation written %v, want %v", step.after, written, step.written)
		}
	}
	m, err := Open(log, bs).loadActive(ctx)
	equalsFold(t, m, err, recs, "the generation written after the takeover")
}

// writtenAt returns the sequence the active generation's meta and each of
// its shards were written at.
func writtenAt(t *testing.T, p *Projections) map[string]uint64 {
	t.Helper()
	g, err := p.open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]uint64{metaKey: g.meta.LastSeq}
	for i := range g.meta.Shards {
		if raw, err := g.bucket.Get(context.Background(), shardKey(i)); err == nil {
			d, err := parseShard(raw)
			if err != nil {
				t.Fatal(err)
			}
			out[shardKey(i)] = d.LastSeq
		}
	}
	return out
}

// A generation another version wrote (another format) is not misread: the
// next catch-up folds the log again into the same bucket, over its meta.
func TestOlderFormatIsRebuilt(t *testing.T) {
	ctx := context.Background()
	recs := genLog(5, 150)
	log := &memLog{}
	log.add(recs...)
	bs := newMemBuckets()
	if _, err := Open(log, bs).Catchup(ctx); err != nil {
		t.Fatal(err)
	}
	g, err := Open(log, bs).open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	old := g.meta
	old.Format = format - 1
	raw, _ := json.Marshal(old)
	if err := g.bucket.Put(ctx, metaKey, raw); err != nil {
		t.Fatal(err)
	}
	m, err := Open(log, bs).Catchup(ctx)
	equalsFold(t, m, err, recs, "the catch-up over an older format")
	read, err := Open(log, bs).loadActive(ctx)
	equalsFold(t, read, err, recs, "the generation rewritten over an older format, read back,")
	if g, _ := Open(log, bs).open(ctx); g.meta.Format != format {
		t.Fatalf("meta is at format %d after the catch-up, want %d", g.meta.Format, format)
	}
}

// equalsFold fails the test unless m (what returned it, with err) is byte
// for byte the pure fold of recs.
func equalsFold(t *testing.T, m *Model, err error, recs []events.Record, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if got, want := dump(t, m, recs), dump(t, Fold(recs), recs); !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the fold", what)
	}
}
