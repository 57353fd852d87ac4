package natsstore

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/certledger/certledger/events"
)

func TestBuckets(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	b, err := s.Bucket(ctx, "assignments")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, "global"); !errors.Is(err, events.ErrNotFound) {
		t.Fatalf("Get absent = %v, want ErrNotFound", err)
	}
	keys := []string{"global", "*.contoso.com", `srv01\B1429`, "pool.contoso.com/Default", "ünïcode key"}
	for i, k := range keys {
		if err := b.Put(ctx, k, []byte{byte(i)}); err != nil {
			t.Fatalf("Put %q: %v", k, err)
		}
	}
	for i, k := range keys {
		v, err := b.Get(ctx, k)
		if err != nil || len(v) != 1 || v[0] != byte(i) {
			t.Fatalf("Get %q = %v, %v", k, v, err)
		}
	}
	got, err := b.Keys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := slices.Clone(keys)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Keys = %q, want %q", got, want)
	}
	if err := b.Delete(ctx, "global"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(ctx, "global"); !errors.Is(err, events.ErrNotFound) {
		t.Fatalf("Get deleted = %v, want ErrNotFound", err)
	}
	// Reopening finds the data; deleting the bucket drops it.
	b2, err := s.Bucket(ctx, "assignments")
	if err != nil {
		t.Fatal(err)
	}
	if v, err := b2.Get(ctx, "*.contoso.com"); err != nil || v[0] != 1 {
		t.Fatalf("reopened Get = %v, %v", v, err)
	}
	if err := s.DeleteBucket(ctx, "assignments"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteBucket(ctx, "assignments"); err != nil {
		t.Fatalf("deleting an absent bucket: %v", err)
	}
	b3, err := s.Bucket(ctx, "assignments")
	if err != nil {
		t.Fatal(err)
	}
	if k, err := b3.Keys(ctx); err != nil || len(k) != 0 {
		t.Fatalf("Keys after DeleteBucket = %q, %v", k, err)
	}
}

// PutIf writes only over the revision the writer read: the server checks
// it atomically with the write.
func TestBucketPutIf(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	bk, err := s.Bucket(ctx, "cas")
	if err != nil {
		t.Fatal(err)
	}
	if err := bk.PutIf(ctx, "k", []byte("one"), 0); err != nil {
		t.Fatalf("create: %v", err)
	}
	if err := bk.PutIf(ctx, "k", []byte("again"), 0); !errors.Is(err, events.ErrConflict) {
		t.Fatalf("create over an existing key: %v, want ErrConflict", err)
	}
	val, rev, err := bk.GetRevision(ctx, "k")
	if err != nil || string(val) != "one" || rev == 0 {
		t.Fatalf("GetRevision = %q, %d, %v", val, rev, err)
	}
	if err := bk.PutIf(ctx, "k", []byte("two"), rev); err != nil {
		t.Fatalf("update at the revision read: %v", err)
	}
	if err := bk.PutIf(ctx, "k", []byte("stale"), rev); !errors.Is(err, events.ErrConflict) {
		t.Fatalf("update at a stale revision: %v, want ErrConflict", err)
	}
	if val, _ := bk.Get(ctx, "k"); string(val) != "two" {
		t.Fatalf("the bucket holds %q, want the last write that won: two", val)
	}
	if _, _, err := bk.GetRevision(ctx, "absent"); !errors.Is(err, events.ErrNotFound) {
		t.Fatalf("GetRevision of an absent key: %v", err)
	}
}

// A projection bucket's stream keeps the server's least duplicate window:
// nothing writes it with message ids, and on every open the server reads
// the window's messages back to look for them.
func TestBucketDuplicateWindow(t *testing.T) {
	s := openTemp(t, Config{})
	ctx := context.Background()
	if _, err := s.Bucket(ctx, "dw"); err != nil {
		t.Fatal(err)
	}
	bn, _ := BucketName("dw")
	st, err := s.js.Stream(ctx, kvStream(bn))
	if err != nil {
		t.Fatal(err)
	}
	if got := st.CachedInfo().Config.Duplicates; got != bucketDuplicateWindow {
		t.Fatalf("the bucket's duplicate window is %v, want %v", got, bucketDuplicateWindow)
	}
}
