package cmdlet

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
)

// ErrorRecord is one error as PowerShell reports it: a message, a position
// and the CategoryInfo / FullyQualifiedErrorId lines. Run returns one when
// anything in a script fails (parse, binding, run time, a handler); Check
// turns them into its error items. Handlers may return one to choose the id
// and category; the host fills in the position.
type ErrorRecord struct {
	ID         string // head of the FullyQualifiedErrorId: "PathNotFound"
	FQIDSuffix string // after the comma: "Microsoft.PowerShell.Commands.GetContentCommand"; "" for none
	Message    string
	Command    string // "<Command> : " prefix of a command's error; "" for none
	Category   string // "ObjectNotFound"
	TargetName string
	TargetType string
	Activity   string // the bracketed part of CategoryInfo; defaults to Command
	Reason     string // "ItemNotFoundException"

	File   string // script name as given to the parser
	Extent syntax.Extent

	src     []byte
	lines   *syntax.Lines    // src's, when the record is of a parsed script; else resolved from src
	parse   syntax.ErrorList // set for a parse error: formatted by package syntax
	secrets *secrets
	cause   error
	thrown  bool // made by the script's own throw: try/catch may catch it
	// noActivity leaves CategoryInfo's brackets empty, as PowerShell does
	// for errors raised before any command ran (CommandNotFoundException).
	noActivity bool
}

// Error is a one-line form for logs: "file:3:5: message (ID)".
func (e *ErrorRecord) Error() string {
	if e.parse != nil {
		return e.scrub(e.parse.Error())
	}
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	if e.Extent.From.IsValid() {
		p := e.position()
		b.WriteString(strconv.Itoa(p.Line))
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(p.Col))
		b.WriteString(": ")
	}
	b.WriteString(e.scrub(e.Message))
	b.WriteString(" (")
	b.WriteString(e.scrub(e.ID))
	b.WriteByte(')')
	return b.String()
}

// Unwrap returns the error the record was made from, if any.
func (e *ErrorRecord) Unwrap() error { return e.cause }

// Line and Char are the record's 1-based position, as PowerShell counts.
func (e *ErrorRecord) Line() int { return e.position().Line }
func (e *ErrorRecord) Char() int { return e.position().Col }

// position resolves the start of the record's extent. A parse error
// carries its own; a record of a script the host ran has the script's
// Lines; any other is counted from its source (rare: an error record is
// made once per failing command at most).
func (e *ErrorRecord) position() syntax.Position {
	switch {
	case !e.Extent.From.IsValid():
		return syntax.Position{}
	case len(e.parse) > 0 && e.parse[0].Extent.From == e.Extent.From:
		return e.parse[0].Position
	case e.lines != nil:
		return e.lines.Position(e.Extent.From)
	}
	return syntax.NewLines(e.src).Position(e.Extent.From)
}

func (e *ErrorRecord) scrub(s string) string {
	if e.secrets == nil {
		return s
	}
	return e.secrets.scrub(s)
}

// Format renders the record in Windows PowerShell 5.1's console layout
// (NormalView):
//
//	Get-Content : Cannot find path 'C:\x.pfx' because it does not exist.
//	At C:\s.ps1:1 char:1
//	+ Get-Content C:\x.pfx
//	+ ~~~~~~~~~~~~~~~~~~~~
//	    + CategoryInfo          : ObjectNotFound: (C:\x.pfx:String) [Get-Content], ItemNotFoundException
//	    + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetContentCommand
//
// Secrets the run has seen are redacted from every line, the echoed source
// included.
func (e *ErrorRecord) Format() string {
	// Mask secrets in the source before it is windowed: the window may
	// cut a secret, and a fragment would no longer match.
	src := e.secrets.maskSource(e.src)
	if e.parse != nil {
		return e.maskSource(syntax.FormatErrors(e.parse, src))
	}
	var b strings.Builder
	if e.Command != "" {
		b.WriteString(e.Command)
		b.WriteString(" : ")
	}
	b.WriteString(e.scrub(e.Message))
	if e.Extent.From.IsValid() && e.src != nil {
		b.WriteByte('\n')
		b.WriteString(e.maskSource(syntax.PositionMessage(e.File, src, e.Extent)))
	}
	b.WriteString("\n    + CategoryInfo          : ")
	b.WriteString(e.categoryInfo())
	b.WriteString("\n    + FullyQualifiedErrorId : ")
	b.WriteString(e.scrub(e.ID))
	if e.FQIDSuffix != "" {
		b.WriteByte(',')
		b.WriteString(e.FQIDSuffix)
	}
	return b.String()
}

// maskSource hides secrets in echoed source with as many asterisks as the
// secret has characters, so that the caret line still points at the right
// column.
func (e *ErrorRecord) maskSource(s string) string {
	if e.secrets == nil {
		return s
	}
	return e.secrets.mask(s)
}

func (e *ErrorRecord) categoryInfo() string {
	cat := e.Category
	if cat == "" {
		cat = "NotSpecified"
	}
	act := e.Activity
	if act == "" && !e.noActivity {
		act = e.Command
	}
	// Scrub each field before shortening it, so that no fragment of a
	// secret survives the shortening.
	f := func(s string) string { return ellipsize(e.scrub(s)) }
	return cat + ": (" + f(e.TargetName) + ":" + f(e.TargetType) + ") [" + f(act) + "], " + f(e.Reason)
}

// ellipsize shortens a CategoryInfo field as Windows PowerShell does: more
// than 40 characters become the first 15, "...", and the last 15.
func ellipsize(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	r := []rune(s)
	return string(r[:15]) + "..." + string(r[len(r)-15:])
}

// FormatError renders any error Run or RunSource returns in PowerShell's
// console layout; an error that is not a record prints as its text.
func FormatError(err error) string {
	var rec *ErrorRecord
	if errors.As(err, &rec) {
		return rec.Format()
	}
	return err.Error()
}

// fromBindError turns the binder's record into ours.
func fromBindError(be *bind.Error) *ErrorRecord {
	cat := be.Category
	if cat == "" {
		cat = "InvalidArgument"
	}
	reason := be.Reason
	if reason == "" {
		reason = "ParameterBindingException"
	}
	suffix := be.Class
	if suffix == "" {
		suffix = be.Command
	}
	return &ErrorRecord{
		ID: be.ID, FQIDSuffix: suffix, Message: be.Message, Command: be.Command,
		Category: cat, Reason: reason, Extent: be.Extent, cause: be,
	}
}

// secrets remembers the secret strings a run has seen (passwords given to
// ConvertTo-SecureString, Password parameters, Get-Credential's answer) so
// that no output, error or invocation text repeats them.
type secrets struct {
	list []string
}

// minSecretLen keeps a one- or two-character "password" from blanking every
// occurrence of that letter in the output; such a password is no secret.
const minSecretLen = 3

func (s *secrets) add(x string) {
	if s == nil || len(x) < minSecretLen {
		return
	}
	for _, y := range s.list {
		if y == x {
			return
		}
	}
	s.list = append(s.list, x)
	// Longest first, so that a secret containing another is replaced whole.
	for i := len(s.list) - 1; i > 0 && len(s.list[i]) > len(s.list[i-1]); i-- {
		s.list[i], s.list[i-1] = s.list[i-1], s.list[i]
	}
}

func (s *secrets) scrub(t string) string {
	if s == nil {
		return t
	}
	for _, x := range s.list {
		t = strings.ReplaceAll(t, x, "[redacted]")
	}
	return t
}

// maskSource returns src with every secret replaced by asterisks of the
// same width in PowerShell's columns (UTF-16 units), line breaks kept, so
// that positions into it stay right.
func (s *secrets) maskSource(src []byte) []byte {
	if s == nil || len(s.list) == 0 {
		return src
	}
	out := src
	for _, x := range s.list {
		if !bytes.Contains(out, []byte(x)) {
			continue
		}
		var m []byte
		for _, r := range x {
			switch {
			case r == '\n' || r == '\r':
				m = append(m, byte(r))
			case r >= 0x10000:
				m = append(m, '*', '*')
			default:
				m = append(m, '*')
			}
		}
		out = bytes.ReplaceAll(out, []byte(x), m)
	}
	return out
}

func (s *secrets) mask(t string) string {
	if s == nil {
		return t
	}
	for _, x := range s.list {
		t = strings.ReplaceAll(t, x, strings.Repeat("*", utf8.RuneCountInString(x)))
	}
	return t
}
