//go:build unix

package natsstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockDataDir takes an exclusive lock on the data directory: two embedded
// servers on one store directory would corrupt it, so a second certledger
// process waits (bounded by ctx) for the first to finish.
func lockDataDir(ctx context.Context, dir string) (release func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, "certledger.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); _ = f.Close() }, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, err
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("data directory %s is in use by another certledger process (serve, or a run still going): %w", dir, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
