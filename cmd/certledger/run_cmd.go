package main

import "github.com/certledger/certledger/cmd/internal/ledger"

// RunCmd runs a script: every statement is validated first, then all its
// events commit at once, or none.
type RunCmd struct {
	RunFlags
	File string `arg:"" name:"FILE" help:"The script to run; - reads standard input."`
}

func (c *RunCmd) Run(g *Globals, env *Env) error {
	src, err := readScript(env, c.File)
	if err != nil {
		return err
	}
	name := c.File
	if name == "-" {
		name = "" // positions read "At line:3 char:5", as for interactive input
	}
	return c.execute(g, env, ledger.Script{Name: name, Audit: c.File, Src: src})
}
