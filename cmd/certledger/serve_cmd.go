package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/certledger/certledger/events/natsstore"
)

// ServeCmd runs the embedded server with a listener and authentication, so
// that other processes can subscribe to the log (and write with --server).
type ServeCmd struct {
	Listen string `name:"listen" default:"127.0.0.1:4222" help:"Address to listen on (loopback by default)."`
}

func (c *ServeCmd) Run(g *Globals, env *Env) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return natsstore.Serve(ctx, natsstore.ServeConfig{
		DataDir: g.Data,
		Listen:  c.Listen,
		Ready: func(info natsstore.ServeInfo) {
			fmt.Fprintf(env.Stderr, "certledger: serving %s; credentials for subscribers and writers are in %s\n", info.URL, info.CredentialsFile)
		},
		Logf: func(format string, args ...any) { fmt.Fprintf(env.Stderr, format+"\n", args...) },
	})
}
