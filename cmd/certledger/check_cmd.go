package main

import (
	"io"
	"os"

	"github.com/certledger/certledger/cmdlet"
	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
)

// CheckCmd parses and binds a script without running it or opening the
// store: every command's parameter set and bound parameters, every error.
type CheckCmd struct {
	JSON    bool   `name:"json" help:"One JSON object per line, as in the contract."`
	Version string `name:"version" placeholder:"PROFILE" help:"Bind as this product release would (see run --help)."`
	Culture string `name:"culture" default:"en-US" help:"Culture DateTime arguments are parsed in."`
	File    string `arg:"" name:"FILE" help:"The script to check; - reads standard input."`
}

func (c *CheckCmd) Run(env *Env) error {
	src, err := readScript(env, c.File)
	if err != nil {
		return err
	}
	items := cmdlet.CheckSource(c.File, syntax.DecodeSource(src), cmdlet.CheckOptions{Profile: bind.Profile(c.Version), Culture: c.Culture})
	if c.JSON {
		err = cmdlet.WriteCheckJSON(env.Stdout, items)
	} else {
		err = cmdlet.WriteCheckText(env.Stdout, items)
	}
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.IsError() {
			return errReported
		}
	}
	return nil
}

// readScript reads a script file, or standard input for "-".
func readScript(env *Env, name string) ([]byte, error) {
	if name == "-" {
		return io.ReadAll(env.Stdin)
	}
	return os.ReadFile(name)
}
