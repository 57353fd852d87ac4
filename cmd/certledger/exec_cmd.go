package main

import "github.com/certledger/certledger/cmd/internal/ledger"

// ExecCmd runs one command line, as run runs a script.
type ExecCmd struct {
	RunFlags
	Line string `arg:"" name:"COMMAND LINE" help:"The PowerShell command line, quoted for your shell."`
}

func (c *ExecCmd) Run(g *Globals, env *Env) error {
	return c.execute(g, env, ledger.Script{Name: "", Audit: "exec", Src: []byte(c.Line)})
}
