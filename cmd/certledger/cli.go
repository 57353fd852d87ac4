package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"github.com/alecthomas/kong"

	"github.com/certledger/certledger/cmdlet"
)

// CLI is the whole command line: global flags and one struct per command.
type CLI struct {
	Globals

	Check        CheckCmd        `cmd:"" help:"Parse and bind a script without running it; no store."`
	Run          RunCmd          `cmd:"" help:"Run a script: validate every statement, then commit all its events at once, or none."`
	Exec         ExecCmd         `cmd:"" help:"Run one command line, as run does."`
	Assignments  AssignmentsCmd  `cmd:"" help:"The certificate assignments in force, now or at a past instant."`
	Certificates CertificatesCmd `cmd:"" help:"The certificate inventory."`
	History      HistoryCmd      `cmd:"" help:"The audit trail, oldest first."`
	Diff         DiffCmd         `cmd:"" help:"What changed in the assignments between two instants."`
	Watch        WatchCmd        `cmd:"" help:"Follow events live."`
	Replay       ReplayCmd       `cmd:"" help:"Rebuild the projections from the log."`
	Serve        ServeCmd        `cmd:"" help:"Run the embedded server for other processes and subscribers."`
}

// Globals are the flags of every command that touches the store.
type Globals struct {
	Data     string `name:"data" placeholder:"DIR" help:"Embedded store directory (default: $CERTLEDGER_DATA, else ~/.local/share/certledger)."`
	Server   string `name:"server" placeholder:"URL" help:"Use an external NATS server or cluster instead of the embedded one."`
	Creds    string `name:"creds" placeholder:"FILE" help:"NATS credentials file for --server."`
	TLSCA    string `name:"tls-ca" placeholder:"FILE" help:"CA certificate to verify --server with."`
	TLSCert  string `name:"tls-cert" placeholder:"FILE" help:"Client certificate for --server."`
	TLSKey   string `name:"tls-key" placeholder:"FILE" help:"Client key for --server."`
	Replicas int    `name:"replicas" default:"1" help:"Stream replicas when creating the stream on a cluster."`
	Computer string `name:"computer" placeholder:"NAME" help:"The name of \"the local computer\" (default: the host name)."`
	Output   string `name:"output" short:"o" enum:"table,json,csv" default:"table" help:"Output format: table, json or csv."`
}

// Env is what the commands get from the process: streams, environment,
// clock and identity. Tests and testscript supply their own.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	LookupEnv      func(string) (string, bool)
	Now            func() time.Time
	Hostname       string
	User           string
	// Terminal reports whether stdin is an interactive terminal; Prompter
	// reads from it (Get-Credential, Read-Host, -Confirm).
	Terminal bool
	Prompter cmdlet.Prompter
}

func newEnv() *Env {
	host, _ := os.Hostname()
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return &Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		LookupEnv: os.LookupEnv,
		Now:       time.Now,
		Hostname:  host,
		User:      name,
		Terminal:  stdinIsTerminal(),
		Prompter:  terminal{},
	}
}

// errReported ends a command with exit status 1 after the command has
// already told the user why.
var errReported = errors.New("reported")

// exitCode carries kong's exit (after --help) out of parsing.
type exitCode int

// Main runs the command line and returns the process exit status.
func Main(args []string, env *Env) (code int) {
	defer func() {
		if r := recover(); r != nil {
			c, ok := r.(exitCode)
			if !ok {
				panic(r)
			}
			code = int(c)
		}
	}()
	var cli CLI
	parser, err := kong.New(&cli,
		kong.Name("certledger"),
		kong.Description("A PowerShell-compatible host for Lync/Skype for Business and Exchange certificate cmdlets, recording what they do on an event log."),
		kong.Writers(env.Stdout, env.Stderr),
		kong.UsageOnError(),
		kong.Exit(func(code int) { panic(exitCode(code)) }),
		kong.Bind(env),
	)
	if err != nil {
		fmt.Fprintf(env.Stderr, "certledger: %v\n", err)
		return 2
	}
	ctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(env.Stderr, "certledger: %v\n", err)
		return 2
	}
	cli.Globals.resolve(env)
	if err := ctx.Run(&cli.Globals); err != nil {
		if !errors.Is(err, errReported) {
			fmt.Fprintf(env.Stderr, "certledger: %v\n", err)
		}
		return 1
	}
	return 0
}

// resolve fills the defaults that depend on the environment.
func (g *Globals) resolve(env *Env) {
	if g.Data == "" {
		g.Data, _ = env.LookupEnv("CERTLEDGER_DATA")
	}
	if g.Data == "" {
		home, _ := env.LookupEnv("HOME")
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		g.Data = filepath.Join(home, ".local", "share", "certledger")
	}
	if g.Computer == "" {
		g.Computer = env.Hostname
	}
}
