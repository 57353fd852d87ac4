package bind

import (
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// The tests build []Arg by hand, as the evaluator would from a parsed
// command, with a deliberately small reader of one command line: barewords,
// '…' and "…" strings (no expansion), comma arrays, -Name and -Name:value
// (any dash), $true/$false/$null, integers, and $variables or (…) as values
// only a run can know. It is not PowerShell's tokenizer (package syntax is);
// it only saves writing Extents by hand.

type cmdLine struct {
	src  string
	name string
	args []Arg
	ext  syntax.Extent // the whole command
}

func isDash(r rune) bool { return r == '-' || r == '\u2013' || r == '\u2014' || r == '\u2015' }

// line reads "Cmdlet-Name args..." into the cmdlet name and its Args.
func line(t testing.TB, src string) cmdLine {
	t.Helper()
	r := &lineReader{src: []rune(src)}
	r.skipSpace()
	start := r.pos
	r.word()
	cl := cmdLine{src: src, name: string(r.src[start:r.pos])}
	for {
		r.skipSpace()
		if r.pos >= len(r.src) {
			break
		}
		c := r.src[r.pos]
		if isDash(c) && r.pos+1 < len(r.src) && (unicode.IsLetter(r.src[r.pos+1]) || r.src[r.pos+1] == '_') {
			ps := r.pos
			r.pos++
			ns := r.pos
			for r.pos < len(r.src) && !strings.ContainsRune(" \t:,;()", r.src[r.pos]) {
				r.pos++
			}
			a := Arg{Name: string(r.src[ns:r.pos])}
			if r.pos < len(r.src) && r.src[r.pos] == ':' {
				r.pos++
				a.Text = string(r.src[ps:r.pos])
				a.Extent = r.ext(ps, r.pos)
				r.skipSpace()
				vs := r.pos
				a.Colon = true
				a.Value = r.value(t)
				a.ValueExtent = r.ext(vs, r.pos)
				a.Source = string(r.src[vs:r.pos])
			} else {
				a.Text = string(r.src[ps:r.pos])
				a.Extent = r.ext(ps, r.pos)
			}
			cl.args = append(cl.args, a)
			continue
		}
		vs := r.pos
		v := r.value(t)
		cl.args = append(cl.args, Arg{Value: v, Extent: r.ext(vs, r.pos), Source: string(r.src[vs:r.pos])})
	}
	cl.ext = r.ext(start, len(r.src))
	return cl
}

type lineReader struct {
	src []rune
	pos int
}

func (r *lineReader) ext(from, to int) syntax.Extent {
	return syntax.Extent{
		From: syntax.OffsetPos(len(string(r.src[:from]))),
		To:   syntax.OffsetPos(len(string(r.src[:to]))),
	}
}

func (r *lineReader) skipSpace() {
	for r.pos < len(r.src) && (r.src[r.pos] == ' ' || r.src[r.pos] == '\t') {
		r.pos++
	}
}

func (r *lineReader) word() string {
	s := r.pos
	for r.pos < len(r.src) && !strings.ContainsRune(" \t,;()", r.src[r.pos]) {
		r.pos++
	}
	return string(r.src[s:r.pos])
}

// value reads one argument, with a comma list making an array.
func (r *lineReader) value(t testing.TB) value.Value {
	var elems []value.Value
	for {
		elems = append(elems, r.scalar(t))
		save := r.pos
		r.skipSpace()
		if r.pos < len(r.src) && r.src[r.pos] == ',' {
			r.pos++
			r.skipSpace()
			continue
		}
		r.pos = save
		break
	}
	if len(elems) == 1 {
		return elems[0]
	}
	return elems
}

func (r *lineReader) scalar(t testing.TB) value.Value {
	if r.pos >= len(r.src) {
		t.Fatalf("line ends where a value is expected")
	}
	switch c := r.src[r.pos]; {
	case c == '\'' || c == '"' || c == '\u2018' || c == '\u2019' || c == '\u201c' || c == '\u201d':
		dq := c == '"' || c == '\u201c' || c == '\u201d'
		r.pos++
		var b strings.Builder
		for r.pos < len(r.src) {
			d := r.src[r.pos]
			if (dq && (d == '"' || d == '\u201c' || d == '\u201d')) || (!dq && (d == '\'' || d == '\u2018' || d == '\u2019')) {
				r.pos++
				break
			}
			b.WriteRune(d)
			r.pos++
		}
		return b.String()
	case c == '(':
		s, depth := r.pos, 0
		for r.pos < len(r.src) {
			if r.src[r.pos] == '(' {
				depth++
			} else if r.src[r.pos] == ')' {
				depth--
				if depth == 0 {
					r.pos++
					break
				}
			}
			r.pos++
		}
		for r.pos < len(r.src) && !strings.ContainsRune(" \t,;", r.src[r.pos]) {
			r.pos++
		}
		return value.Unknown{Source: string(r.src[s:r.pos])}
	case c == '$':
		w := r.word()
		switch strings.ToLower(w) {
		case "$true":
			return true
		case "$false":
			return false
		case "$null":
			return nil
		}
		return value.Unknown{Source: w}
	}
	w := r.word()
	if n, err := strconv.ParseInt(w, 10, 32); err == nil {
		return int32(n)
	}
	return w
}

// bindLine binds a line against its cmdlet in a profile.
func bindLine(t testing.TB, src string, opts Options) (*Bound, *Error, cmdLine) {
	t.Helper()
	cl := line(t, src)
	c, ok := Lookup(cl.name, opts.Profile)
	if !ok {
		t.Fatalf("Lookup(%q, %q) found nothing", cl.name, opts.Profile)
	}
	opts.Command = cl.ext
	b, err := Bind(c, cl.args, opts)
	if err != nil {
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Bind returned %T, want *Error", err)
		}
		return nil, e, cl
	}
	return b, nil, cl
}
