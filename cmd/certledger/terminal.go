package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"
)

// golang.org/x/term gives the no-echo read that Get-Credential and
// Read-Host -AsSecureString need on a terminal, without hand-written ioctls.

func stdinIsTerminal() bool { return term.IsTerminal(int(os.Stdin.Fd())) }

// terminal is the script host's Prompter on an interactive console; the
// prompts go to stderr so that stdout stays the command's output.
type terminal struct{}

var stdinLines = bufio.NewReader(os.Stdin)

func (terminal) ReadLine(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	line, err := stdinLines.ReadString('\n')
	return strings.TrimRight(line, "\r\n"), err
}

func (terminal) ReadSecret(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	b, err := term.ReadPassword(int(os.Stdin.Fd()))
	fmt.Fprintln(os.Stderr)
	return string(b), err
}
