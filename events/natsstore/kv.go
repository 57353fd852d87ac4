package natsstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/certledger/certledger/events"
)

// BucketPrefix starts the name of every projection bucket (each a KV
// stream of its own, KV_certledger-<name>: buckets need rollups and purges,
// which the log's stream forbids).
const BucketPrefix = "certledger-"

// BucketName is the JetStream KV bucket name of a projection bucket.
func BucketName(name string) (string, error) {
	tok, err := events.EncodeToken(name)
	if err != nil {
		return "", fmt.Errorf("natsstore: bucket name: %w", err)
	}
	return BucketPrefix + tok, nil
}

// Bucket opens (creating if absent) the projection bucket name.
func (s *Store) Bucket(ctx context.Context, name string) (events.Bucket, error) {
	bn, err := BucketName(name)
	if err != nil {
		return nil, err
	}
	var kv jetstream.KeyValue
	err = s.retry(ctx, "open bucket "+name, func(ctx context.Context) error {
		// Bind to an existing bucket first: that needs only read rights,
		// so serve's read-only subscriber can open the projections.
		b, err := s.js.KeyValue(ctx, bn)
		if err == nil {
			kv = b
			return nil
		}
		if !errors.Is(err, jetstream.ErrBucketNotFound) {
			return err
		}
		b, err = s.js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:      bn,
			Description: "certledger projection " + name,
			History:     1,
			Storage:     jetstream.FileStorage,
			Replicas:    s.cfg.Replicas,
		})
		if err != nil {
			return err
		}
		kv = b
		return s.shortDuplicateWindow(ctx, kvStream(bn))
	})
	if err != nil {
		return nil, fmt.Errorf("natsstore: bucket %q: %w", name, err)
	}
	return &bucket{s: s, name: name, kv: kv}, nil
}

// bucketDuplicateWindow is a projection bucket's duplicate window: the
// least the server takes. Nothing writes a bucket with message ids, but the
// server, when it opens a stream, reads every message of the window back
// to find them: with the KV default of two minutes, the read command after
// a replay re-read the whole new generation (100 MB on 1M events).
const bucketDuplicateWindow = 100 * time.Millisecond

// shortDuplicateWindow sets the duplicate window of the bucket stream name.
func (s *Store) shortDuplicateWindow(ctx context.Context, name string) error {
	st, err := s.js.Stream(ctx, name)
	if err != nil {
		return err
	}
	cfg := st.CachedInfo().Config
	if cfg.Duplicates == bucketDuplicateWindow {
		return nil
	}
	cfg.Duplicates = bucketDuplicateWindow
	_, err = s.js.UpdateStream(ctx, cfg)
	return err
}

// DeleteBucket removes a projection bucket (and its stream). Removing one
// that does not exist is not an error.
func (s *Store) DeleteBucket(ctx context.Context, name string) error {
	bn, err := BucketName(name)
	if err != nil {
		return err
	}
	err = s.retry(ctx, "delete bucket "+name, func(ctx context.Context) error {
		err := s.js.DeleteKeyValue(ctx, bn)
		if errors.Is(err, jetstream.ErrBucketNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("natsstore: delete bucket %q: %w", name, err)
	}
	return nil
}

// bucket is one projection bucket. Keys are encoded with events.EncodeToken,
// so any string (an identity with dots, a '*', a backslash) is a key.
type bucket struct {
	s    *Store
	name string
	kv   jetstream.KeyValue
}

func (b *bucket) Get(ctx context.Context, key string) ([]byte, error) {
	val, _, err := b.GetRevision(ctx, key)
	return val, err
}

func (b *bucket) GetRevision(ctx context.Context, key string) ([]byte, uint64, error) {
	k, err := events.EncodeToken(key)
	if err != nil {
		return nil, 0, err
	}
	var val []byte
	var rev uint64
	err = b.s.retry(ctx, "bucket get", func(ctx context.Context) error {
		e, err := b.kv.Get(ctx, k)
		if err != nil {
			return err
		}
		val, rev = e.Value(), e.Revision()
		return nil
	})
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return nil, 0, fmt.Errorf("bucket %q key %q: %w", b.name, key, events.ErrNotFound)
	}
	if err != nil {
		return nil, 0, fmt.Errorf("natsstore: bucket %q get %q: %w", b.name, key, err)
	}
	return val, rev, nil
}

// PutIf is Create (rev 0) or Update; the server checks the revision
// atomically with the write. A retry after a lost reply to a write that
// landed reports a conflict: the caller treats the key as another
// writer's, which only makes it write less.
func (b *bucket) PutIf(ctx context.Context, key string, val []byte, rev uint64) error {
	k, err := events.EncodeToken(key)
	if err != nil {
		return err
	}
	err = b.s.retry(ctx, "bucket put", func(ctx context.Context) error {
		var err error
		if rev == 0 {
			_, err = b.kv.Create(ctx, k, val)
		} else {
			_, err = b.kv.Update(ctx, k, val, rev)
		}
		return err
	})
	var apiErr *jetstream.APIError
	if errors.Is(err, jetstream.ErrKeyExists) || errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
		return fmt.Errorf("natsstore: bucket %q key %q moved past revision %d: %w", b.name, key, rev, events.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("natsstore: bucket %q put %q: %w", b.name, key, err)
	}
	return nil
}

func (b *bucket) Put(ctx context.Context, key string, val []byte) error {
	k, err := events.EncodeToken(key)
	if err != nil {
		return err
	}
	err = b.s.retry(ctx, "bucket put", func(ctx context.Context) error {
		_, err := b.kv.Put(ctx, k, val)
		return err
	})
	if err != nil {
		return fmt.Errorf("natsstore: bucket %q put %q: %w", b.name, key, err)
	}
	return nil
}

func (b *bucket) Delete(ctx context.Context, key string) error {
	k, err := events.EncodeToken(key)
	if err != nil {
		return err
	}
	err = b.s.retry(ctx, "bucket delete", func(ctx context.Context) error {
		return b.kv.Delete(ctx, k)
	})
	if err != nil {
		return fmt.Errorf("natsstore: bucket %q delete %q: %w", b.name, key, err)
	}
	return nil
}

func (b *bucket) Keys(ctx context.Context) ([]string, error) {
	var keys []string
	err := b.s.retry(ctx, "bucket keys", func(ctx context.Context) error {
		keys = keys[:0]
		l, err := b.kv.ListKeys(ctx)
		if err != nil {
			return err
		}
		defer l.Stop()
		for k := range l.Keys() {
			key, err := events.DecodeToken(k)
			if err != nil {
				return fmt.Errorf("foreign key %q in bucket: %w", k, err)
			}
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("natsstore: bucket %q keys: %w", b.name, err)
	}
	return keys, nil
}
