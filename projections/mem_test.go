package projections

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"

	"github.com/certledger/certledger/events"
)

// memLog is an in-memory events.Store for the unit tests of the
// materialisation logic; the integration tests run the same checks against
// the real JetStream store.
type memLog struct {
	mu   sync.Mutex
	recs []events.Record
}

func (l *memLog) Append(ctx context.Context, b events.Batch) (events.AppendResult, error) {
	return events.AppendResult{}, errors.New("memLog: append through add")
}

func (l *memLog) add(recs ...events.Record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, recs...)
}

func (l *memLog) Read(ctx context.Context, from uint64, fn func(events.Record) error) error {
	l.mu.Lock()
	recs := slices.Clone(l.recs)
	l.mu.Unlock()
	for _, r := range recs {
		if r.Seq < from {
			continue
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

func (l *memLog) LastSeq(ctx context.Context, agg *events.Aggregate) (uint64, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.recs) == 0 {
		return 0, nil
	}
	return l.recs[len(l.recs)-1].Seq, nil
}

func (l *memLog) Watch(ctx context.Context, from uint64, fn func(events.Record) error) error {
	return errors.New("memLog: no watch")
}

// memBuckets is an in-memory events.Buckets. failAfter, when positive,
// makes the Put after that many succeed fail, to stand for a process that
// dies in the middle of a write-back.
type memBuckets struct {
	mu        sync.Mutex
	b         map[string]map[string]memValue
	rev       uint64 // the last revision given, over all buckets
	puts      int
	failAfter int
	// beforePut, when set, runs before each write, outside the lock: a
	// test interleaves another process's catch-up there.
	beforePut func(bucket, key string)
}

type memValue struct {
	val []byte
	rev uint64
}

func newMemBuckets() *memBuckets { return &memBuckets{b: make(map[string]map[string]memValue)} }

var errCrash = errors.New("memBuckets: simulated crash")

func (m *memBuckets) Bucket(ctx context.Context, name string) (events.Bucket, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.b[name] == nil {
		m.b[name] = make(map[string]memValue)
	}
	return &memBucket{m: m, name: name}, nil
}

func (m *memBuckets) DeleteBucket(ctx context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.b, name)
	return nil
}

func (m *memBuckets) names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for n := range m.b {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

type memBucket struct {
	m    *memBuckets
	name string
}

func (b *memBucket) kv() (map[string]memValue, error) {
	kv := b.m.b[b.name]
	if kv == nil {
		return nil, fmt.Errorf("bucket %s deleted", b.name)
	}
	return kv, nil
}

func (b *memBucket) Get(ctx context.Context, key string) ([]byte, error) {
	v, _, err := b.GetRevision(ctx, key)
	return v, err
}

func (b *memBucket) GetRevision(ctx context.Context, key string) ([]byte, uint64, error) {
	b.m.mu.Lock()
	defer b.m.mu.Unlock()
	kv, err := b.kv()
	if err != nil {
		return nil, 0, err
	}
	v, ok := kv[key]
	if !ok {
		return nil, 0, events.ErrNotFound
	}
	return slices.Clone(v.val), v.rev, nil
}

func (b *memBucket) Put(ctx context.Context, key string, val []byte) error {
	return b.put(key, val, func(memValue, bool) bool { return true })
}

func (b *memBucket) PutIf(ctx context.Context, key string, val []byte, rev uint64) error {
	return b.put(key, val, func(cur memValue, ok bool) bool { return cur.rev == rev && ok == (rev != 0) })
}

func (b *memBucket) put(key string, val []byte, may func(memValue, bool) bool) error {
	if hook := b.m.beforePut; hook != nil {
		hook(b.name, key)
	}
	b.m.mu.Lock()
	defer b.m.mu.Unlock()
	if b.m.failAfter > 0 && b.m.puts >= b.m.failAfter {
		return errCrash
	}
	b.m.puts++
	kv, err := b.kv()
	if err != nil {
		return err
	}
	if cur, ok := kv[key]; !may(cur, ok) {
		return fmt.Errorf("memBucket %s key %s: %w", b.name, key, events.ErrConflict)
	}
	b.m.rev++
	kv[key] = memValue{val: slices.Clone(val), rev: b.m.rev}
	return nil
}

func (b *memBucket) Delete(ctx context.Context, key string) error {
	b.m.mu.Lock()
	defer b.m.mu.Unlock()
	kv, err := b.kv()
	if err != nil {
		return err
	}
	delete(kv, key)
	return nil
}

func (b *memBucket) Keys(ctx context.Context) ([]string, error) {
	b.m.mu.Lock()
	defer b.m.mu.Unlock()
	kv, err := b.kv()
	if err != nil {
		return nil, err
	}
	var out []string
	for k := range kv {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}
