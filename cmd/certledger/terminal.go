package main

import (
	"bufio"
	"fmt"
	"io"
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

// ReadSecret turns echo off before the prompt shows (term.ReadPassword
// would print it first): a password typed the moment the prompt appears is
// never echoed. Ctrl+C or Ctrl+D on an empty line is io.EOF: no password.
func (terminal) ReadSecret(prompt string) (string, error) {
	fd := int(os.Stdin.Fd())
	old, err := term.MakeRaw(fd)
	if err != nil {
		return "", err
	}
	defer term.Restore(fd, old)
	t := term.NewTerminal(struct {
		io.Reader
		io.Writer
	}{os.Stdin, os.Stderr}, "")
	return t.ReadPassword(prompt)
}
