package cmdlet

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// Prompter is the terminal, when there is one. The package imports only the
// standard library, so the caller implements it (with golang.org/x/term in
// cmd): ReadLine shows prompt and reads one line; ReadSecret does the same
// without echo. The prompt may span lines; it ends where the answer goes.
// A nil Prompter means there is no terminal: Get-Credential falls back to
// the environment, -Confirm is refused unless --yes.
type Prompter interface {
	ReadLine(prompt string) (string, error)
	ReadSecret(prompt string) (string, error)
}

// Host runs scripts. Make one with New; it holds configuration only, so one
// Host may run many scripts, one after another or at once.
type Host struct {
	handler  Handler
	prompter Prompter
	getenv   func(string) (string, bool)
	stdout   io.Writer
	warnings io.Writer
	notes    io.Writer
	pathMap  PathMap
	yes      bool
	whatIf   bool
	profile  bind.Profile
	culture  string
	now      func() time.Time
	computer string
	workDir  string
	// discardWrites drops what scripts write (Out-File, ...): the fuzz
	// targets run scripts that may name any path at all.
	discardWrites bool
}

// Option configures a Host.
type Option func(*Host)

// WithPrompter sets the terminal; without one the host is non-interactive.
func WithPrompter(p Prompter) Option { return func(h *Host) { h.prompter = p } }

// WithEnv sets how $env:X and the CERTLEDGER_CREDENTIAL_* variables are
// read (default os.LookupEnv).
func WithEnv(lookup func(string) (string, bool)) Option {
	return func(h *Host) { h.getenv = lookup }
}

// WithOutput sets where Write-Host, uncaptured pipeline output and the
// "What if:" lines go (default io.Discard).
func WithOutput(w io.Writer) Option { return func(h *Host) { h.stdout = w } }

// WithWarnings sets where "WARNING: ..." lines go (default io.Discard).
func WithWarnings(w io.Writer) Option { return func(h *Host) { h.warnings = w } }

// WithNotes sets where the host says what it did not do for real (a
// Start-Sleep it skipped, a module import it ignored); default io.Discard.
func WithNotes(w io.Writer) Option { return func(h *Host) { h.notes = w } }

// WithPathMap maps Windows path prefixes to local directories.
func WithPathMap(m PathMap) Option { return func(h *Host) { h.pathMap = m } }

// WithYes answers every -Confirm prompt with Yes (the CLI's --yes).
func WithYes(yes bool) Option { return func(h *Host) { h.yes = yes } }

// WithWhatIf runs every domain cmdlet as if -WhatIf were given.
func WithWhatIf(w bool) Option { return func(h *Host) { h.whatIf = w } }

// WithProfile restricts the cmdlet metadata to one product release.
func WithProfile(p bind.Profile) Option { return func(h *Host) { h.profile = p } }

// WithCulture sets the culture DateTime parameters are parsed in.
func WithCulture(c string) Option { return func(h *Host) { h.culture = c } }

// WithClock sets what Get-Date returns (default time.Now).
func WithClock(now func() time.Time) Option { return func(h *Host) { h.now = now } }

// WithComputerName sets $env:COMPUTERNAME when the environment has none.
func WithComputerName(name string) Option { return func(h *Host) { h.computer = name } }

// WithWorkDir sets the directory relative script paths resolve against when
// the script has no file of its own (stdin); default the process's.
func WithWorkDir(dir string) Option { return func(h *Host) { h.workDir = dir } }

// New returns a Host that hands the domain cmdlets to handler.
func New(handler Handler, opts ...Option) *Host {
	h := &Host{
		handler:  handler,
		getenv:   os.LookupEnv,
		stdout:   io.Discard,
		warnings: io.Discard,
		notes:    io.Discard,
		now:      time.Now,
	}
	for _, o := range opts {
		o(h)
	}
	if h.computer == "" {
		h.computer, _ = os.Hostname()
	}
	return h
}

// Run evaluates a whole parsed script. Every domain cmdlet it reaches is
// bound and handed to the Handler in execution order. The first error of
// any kind (binding, run time, a handler's) stops the script and is
// returned as an *ErrorRecord; the caller then commits nothing.
func (h *Host) Run(ctx context.Context, f *syntax.File) error {
	if f == nil {
		return &ErrorRecord{ID: "certledger.NoScript", Message: "There is no script to run."}
	}
	m := newMachine(ctx, h, f, false)
	err := m.runTop()
	if err != nil {
		return m.record(err, nil)
	}
	return nil
}

// RunSource parses src and runs it; a parse error is returned as an
// *ErrorRecord that formats as PowerShell's parse error.
func (h *Host) RunSource(ctx context.Context, name string, src []byte) error {
	f, err := syntax.ParseFile(name, src)
	if err != nil {
		rec := parseRecord(name, src, err)
		if l, ok := err.(syntax.ErrorList); ok {
			rec.secrets = parseSecrets(f, src, l)
		}
		return rec
	}
	return h.Run(ctx, f)
}

func parseRecord(name string, src []byte, err error) *ErrorRecord {
	rec := &ErrorRecord{ID: "ParseError", Message: err.Error(), File: name, src: src, cause: err}
	if l, ok := err.(syntax.ErrorList); ok && len(l) > 0 {
		rec.parse = l
		rec.ID = l[0].ID
		rec.Message = l[0].Message
		rec.Extent = l[0].Extent
		rec.Category = "ParserError"
		rec.Reason = "ParentContainsErrorRecordException"
	}
	return rec
}

// scriptDir is where relative paths of the script resolve.
func (h *Host) scriptDir(name string) string {
	if name != "" && name != "-" {
		if abs, err := filepath.Abs(name); err == nil {
			return filepath.Dir(abs)
		}
	}
	if h != nil && h.workDir != "" {
		return h.workDir
	}
	wd, _ := os.Getwd()
	return wd
}

func (h *Host) lookupEnv(name string) (string, bool) {
	if h.getenv == nil {
		return "", false
	}
	return h.getenv(name)
}

// shouldProcess implements Invocation.ShouldProcess for one invocation.
type shouldProcess struct {
	m       *machine
	whatIf  bool
	confirm bool
	yesAll  bool
	noAll   bool
}

const confirmChoices = `[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): `

const confirmHelp = `Y - Continue with only the next step of the operation.
A - Continue with all the steps of the operation.
N - Skip this operation and proceed with the next operation.
L - Skip this operation and all subsequent operations.
S - Pause the current pipeline and return to the command prompt. Type "exit" to resume the pipeline.
`

func (sp *shouldProcess) do(target, action string) (bool, error) {
	m := sp.m
	op := fmt.Sprintf("Performing the operation %q on target %q.", action, target)
	if sp.whatIf {
		m.printf(m.host.stdout, "What if: %s\n", op)
		return false, nil
	}
	if !sp.confirm || sp.yesAll {
		return true, nil
	}
	if sp.noAll {
		return false, nil
	}
	if m.host.prompter == nil {
		if m.host.yes {
			return true, nil
		}
		return false, &ErrorRecord{
			ID:       "certledger.ConfirmNeedsTerminal",
			Message:  "-Confirm asks before " + m.sec.scrub(op[len("Performing "):len(op)-1]) + ", but there is no terminal to ask on. Run on a terminal, pass -Confirm:$false, or answer yes with --yes.",
			Category: "InvalidOperation",
			Reason:   "HostException",
		}
	}
	prompt := "Confirm\nAre you sure you want to perform this action?\n" + m.sec.scrub(op) + "\n" + confirmChoices
	for {
		ans, err := m.host.prompter.ReadLine(prompt)
		if err != nil {
			return false, &ErrorRecord{ID: "certledger.ConfirmFailed", Message: "Reading the answer to -Confirm failed: " + err.Error(), Category: "ReadError", Reason: "HostException", cause: err}
		}
		switch strings.ToLower(strings.TrimSpace(ans)) {
		case "", "y", "yes":
			return true, nil
		case "a":
			sp.yesAll = true
			return true, nil
		case "n", "no":
			return false, nil
		case "l":
			sp.noAll = true
			return false, nil
		case "s":
			// A nested prompt has no meaning when certledger runs a script;
			// ask again, as PowerShell does for an answer it cannot use.
			prompt = "Suspend is not available in certledger.\n" + confirmChoices
		case "?":
			prompt = confirmHelp + confirmChoices
		default:
			prompt = confirmChoices
		}
	}
}

// switchOn reports whether a bound switch-like parameter is set.
func switchOn(b *bind.Bound, name string) (on, present bool) {
	v, ok := b.Get(name)
	if !ok {
		return false, false
	}
	switch v := v.(type) {
	case value.Switch:
		return bool(v), true
	case bool:
		return v, true
	case nil:
		return true, true
	}
	return toBool(v), true
}
