package syntax

import "unicode/utf8"

// lit collects the literal text of a string piece. Most pieces are one
// unbroken stretch of the source, and their value is then a substring of
// it, with no copy; only an escape, a doubled quote or text joined from
// separate stretches makes lit copy into a buffer.
type lit struct {
	src        string // the whole source
	start, end int    // src[start:end] is the text, while buf is unused
	buf        []byte
	copied     bool // the text is buf
}

// startLit returns the scanner's lit, emptied, for a string about to be
// scanned: one token is scanned at a time, and the buffer it keeps across
// tokens saves an allocation for each string with an escape. (A string's
// $( ) is scanned by a sub-parser, with its own scanner.)
func (s *scanner) startLit() *lit {
	s.lit.src = s.str
	s.lit.reset()
	return &s.lit
}

// addSrc appends src[i:j].
func (l *lit) addSrc(i, j int) {
	switch {
	case l.copied:
		l.buf = append(l.buf, l.src[i:j]...)
	case l.start == l.end:
		l.start, l.end = i, j
	case l.end == i:
		l.end = j
	default:
		l.toBuf()
		l.buf = append(l.buf, l.src[i:j]...)
	}
}

// addString appends text that is not the source at this point.
func (l *lit) addString(v string) {
	if v == "" {
		return
	}
	l.toBuf()
	l.buf = append(l.buf, v...)
}

func (l *lit) addRune(r rune) {
	l.toBuf()
	l.buf = utf8.AppendRune(l.buf, r)
}

func (l *lit) toBuf() {
	if !l.copied {
		l.buf = append(l.buf[:0], l.src[l.start:l.end]...)
		l.copied = true
	}
}

func (l *lit) len() int {
	if l.copied {
		return len(l.buf)
	}
	return l.end - l.start
}

func (l *lit) String() string {
	if l.copied {
		return string(l.buf)
	}
	return l.src[l.start:l.end]
}

// reset empties l, keeping its buffer.
func (l *lit) reset() {
	l.start, l.end, l.copied = 0, 0, false
	l.buf = l.buf[:0]
}
