package syntax

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Error is one parse error, with PowerShell's error id (the
// FullyQualifiedErrorId of the ParseException) and its exact English text.
type Error struct {
	File   string // the name given to ParseFile; "" for interactive input
	Extent Extent // what PowerShell underlines
	// Position is where Extent starts, as line and column: resolved when
	// the error is reported, so that an error stands on its own.
	Position Position
	ID       string // "MissingEndCurlyBrace"
	Message  string // "Missing closing '}' in statement block or type definition."
}

// Error returns a one-line form for logs and tools:
// "C:\x.ps1:3:5: message (ID)", or "3:5: message (ID)" for interactive input.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		b.WriteByte(':')
	}
	b.WriteString(strconv.Itoa(e.Position.Line))
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(e.Position.Col))
	b.WriteString(": ")
	b.WriteString(e.Message)
	b.WriteString(" (")
	b.WriteString(e.ID)
	b.WriteByte(')')
	return b.String()
}

// ErrorList is every parse error of one file, sorted by position.
type ErrorList []*Error

// Error returns the first error's one-line form and how many more there are.
func (l ErrorList) Error() string {
	switch len(l) {
	case 0:
		return "no errors"
	case 1:
		return l[0].Error()
	}
	return fmt.Sprintf("%s (and %d more errors)", l[0].Error(), len(l)-1)
}

// Unwrap lets errors.As find the individual *Error values.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

func (l ErrorList) sort() {
	sort.SliceStable(l, func(i, j int) bool {
		return l[i].Extent.From < l[j].Extent.From
	})
}

// PowerShell's console shows at most this many errors of one ParseException.
const maxShownParseErrors = 10

const (
	parseCategoryLine = "    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException"
	fqidLabel         = "    + FullyQualifiedErrorId : "
)

// FormatError renders e as Windows PowerShell 5.1 prints a parse error
// record in its default NormalView:
//
//	At line:1 char:31
//	+ Set-CsCertificate -Thumbprint "ABC
//	+                               ~~~~
//	The string is missing the terminator: ".
//	    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException
//	    + FullyQualifiedErrorId : TerminatorExpectedAtEndOfString
func FormatError(e *Error, src []byte) string {
	return FormatErrors(ErrorList{e}, src)
}

// FormatErrors renders a whole ErrorList as the single parse error record
// PowerShell prints for a script: each error's position message and text
// (at most ten, separated by blank lines), then the CategoryInfo and the
// first error's id.
func FormatErrors(l ErrorList, src []byte) string {
	if len(l) == 0 {
		return ""
	}
	var b strings.Builder
	for i, e := range l {
		if i == maxShownParseErrors {
			break
		}
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(PositionMessage(e.File, src, e.Extent))
		b.WriteByte('\n')
		b.WriteString(e.Message)
	}
	b.WriteByte('\n')
	b.WriteString(parseCategoryLine)
	b.WriteByte('\n')
	b.WriteString(fqidLabel)
	b.WriteString(l[0].ID)
	return b.String()
}

// Format is FormatErrors(l, src).
func (l ErrorList) Format(src []byte) string { return FormatErrors(l, src) }
