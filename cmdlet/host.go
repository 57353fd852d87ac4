// Package cmdlet runs PowerShell scripts the way the Lync/Skype for Business
// and Exchange Management Shells would, on any OS: an evaluator over the
// syntax package's AST, the helper cmdlets legacy scripts lean on
// (Get-Credential, Get-Content, Where-Object, ...), and PowerShell's
// parameter binding (package bind). The certificate cmdlets themselves are
// handed, bound, to a Handler the caller supplies, so this package knows
// nothing of where their effects are stored.
//
// The package imports only the standard library.
package cmdlet

import (
	"context"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// Invocation is one bound call of a domain cmdlet.
type Invocation struct {
	Bound   *bind.Bound
	Command *syntax.Command
	File    string // script path as given ("-" for stdin)
	Line    int    // 1-based position of the command
	Char    int
	Text    string // the command printed from the AST with secrets redacted
	Index   int    // 0-based count of invocations in this run, in execution order
	// Input is the pipeline input object this invocation processes, if any.
	Input    value.Value
	HasInput bool

	// Host services for the handler.
	Files Files
	// ShouldProcess implements -WhatIf and -Confirm for the invocation:
	// it prints PowerShell's "What if:" line or asks for confirmation, and
	// reports whether the action is to be carried out.
	ShouldProcess func(target, action string) (bool, error)
	// Warn writes a "WARNING: ..." line (suppressed by -Force where the
	// cmdlet says so).
	Warn func(msg string)
}

// Files gives handlers access to the files a script names, through the
// host's Windows-path mapping (--path-map), relative to the script's
// directory, with case-insensitive lookup.
type Files interface {
	// ReadFile reads the file a script path names. A missing file is
	// PowerShell's error for it.
	ReadFile(path string) (data []byte, local string, err error)
	// WriteFile writes (overwrites) the file a script path names.
	WriteFile(path string, data []byte) (local string, err error)
}

// Handler carries out the domain cmdlets (Set-CsCertificate,
// Import-ExchangeCertificate, Get-CsCertificate, ...). It returns the
// objects the cmdlet writes to the pipeline.
type Handler interface {
	// Handles reports whether the handler implements the cmdlet (declared
	// spelling).
	Handles(command string) bool
	Invoke(ctx context.Context, inv *Invocation) ([]value.Value, error)
}
