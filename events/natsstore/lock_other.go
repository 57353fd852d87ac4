//go:build !unix

package natsstore

import "context"

// lockDataDir is a no-op where flock is not available.
func lockDataDir(ctx context.Context, dir string) (func(), error) { return func() {}, nil }
