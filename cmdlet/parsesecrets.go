package cmdlet

import (
	"bytes"
	"context"
	"strings"
	"unicode"

	"github.com/certledger/certledger/cmdlet/syntax"
)

// recoverPartial is turned off by the fuzz targets, so that a panic on a
// partial tree is found rather than hidden.
var recoverPartial = true

// parseSecrets finds the secrets in a script that did not parse, so that
// its parse error record does not echo them: the literals a check of the
// partial tree sees in secret places, and the text of an unterminated
// string that stands where a password goes (a paste cut short after
// -Password " is the likeliest parse error of all to hold one).
func parseSecrets(f *syntax.File, src []byte, l syntax.ErrorList) *secrets {
	sec := &secrets{}
	if f != nil {
		func() {
			// The tree of a script with errors may lack pieces the
			// evaluator expects; finding secrets is best effort.
			if recoverPartial {
				defer func() { _ = recover() }()
			}
			m := newMachine(context.Background(), New(nil), f, true)
			m.chk = &checker{}
			m.sec = sec
			for _, s := range f.Statements {
				m.checkStmt(m.global, s)
			}
		}()
	}
	for _, e := range l {
		if e.ID != "TerminatorExpectedAtEndOfString" {
			continue
		}
		from := e.Extent.From.Offset()
		if from < 0 || from >= len(src) {
			continue
		}
		lineStart := bytes.LastIndexAny(src[:from], "\r\n") + 1
		if !secretContext(string(src[lineStart:from])) {
			continue
		}
		rest := src[from:]
		if end := bytes.IndexAny(rest, "\r\n"); end >= 0 {
			rest = rest[:end]
		}
		// Drop the opening quote (any kind), keep the rest of the line.
		s := string(rest)
		for i := range s {
			if i > 0 {
				s = s[i:]
				break
			}
		}
		sec.add(strings.TrimSpace(s))
	}
	return sec
}

// secretContext reports whether text before a string on its line puts the
// string where a secret goes: after a parameter named like a password, or
// as ConvertTo-SecureString's or Read-Host's argument.
func secretContext(before string) bool {
	low := strings.ToLower(before)
	if strings.Contains(low, "convertto-securestring") {
		return true
	}
	// The last parameter token: a dash of any kind, then letters.
	t := strings.TrimRightFunc(low, func(r rune) bool { return unicode.IsSpace(r) || r == ':' })
	i := strings.LastIndexFunc(t, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		return false
	}
	name := t[i+1:]
	dash := []rune(t[:i+1])
	if len(name) < 2 || len(dash) == 0 || !strings.ContainsRune("-\u2013\u2014\u2015", dash[len(dash)-1]) {
		return false
	}
	return strings.HasPrefix("password", name) || strings.HasPrefix("capassword", name) && len(name) >= 3
}
