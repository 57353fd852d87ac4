package syntax

import (
	"encoding/binary"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// Position is a Pos resolved to what PowerShell reports: Line and Col are
// 1-based, Col in UTF-16 code units with a tab counting one, so
// "At line:1 char:19" means the same thing here as in a PowerShell console.
// Offset is the 0-based byte offset into the source.
type Position struct {
	Offset int
	Line   int
	Col    int
}

// IsValid reports whether the position was resolved from a valid Pos.
func (p Position) IsValid() bool { return p.Line > 0 }

// String returns "line:col", or "-" for an invalid position.
func (p Position) String() string {
	if !p.IsValid() {
		return "-"
	}
	return strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// Lines maps the positions of one source to lines and columns, as
// go/token.File does: it holds where each line starts, and a column is
// counted from there when asked for. The parser records the line starts as
// its scanner meets the line breaks (CR, LF, CRLF: the ones PowerShell's
// tokenizer ends a line at), so building one costs a parse nothing worth
// measuring.
//
// A Lines is safe for concurrent use.
type Lines struct {
	src    []byte
	starts []int32 // byte offset of the first byte of each line; starts[0] is line 1

	// The last position resolved: callers mostly ask in source order, and
	// counting on from it keeps a script written as one long line from
	// costing the whole line for every position on it.
	mu   sync.Mutex
	last Position
}

// NewLines returns the Lines of src, for positions of a source not parsed
// by ParseFile (a File carries its own).
func NewLines(src []byte) *Lines {
	l := &Lines{src: src, starts: []int32{int32(bomLen(src))}}
	for i := 0; i < len(src); i++ {
		if c := src[i]; c == '\n' || c == '\r' && (i+1 == len(src) || src[i+1] != '\n') {
			l.starts = append(l.starts, int32(i+1))
		}
	}
	return l
}

// bomLen is the length of src's UTF-8 byte order mark: not text PowerShell
// sees, so line 1's first column is after it.
func bomLen(src []byte) int {
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		return 3
	}
	return 0
}

// addLine notes that a line starts at byte offset off. The scanner may meet
// a line break again (a lookahead scanned twice, the $( ) of a string):
// only a start past the last one is new.
func (l *Lines) addLine(off int) {
	if int32(off) > l.starts[len(l.starts)-1] {
		l.starts = append(l.starts, int32(off))
	}
}

// Count returns the number of lines.
func (l *Lines) Count() int { return len(l.starts) }

// Position returns the line and column of p. Finding the line is a binary
// search; the column is counted from the line's start, so it costs the
// length of the line up to p.
func (l *Lines) Position(p Pos) Position {
	if !p.IsValid() || l == nil {
		return Position{}
	}
	off := p.Offset()
	i := sort.Search(len(l.starts), func(i int) bool { return int(l.starts[i]) > off }) - 1
	if i < 0 {
		// Inside the byte order mark: line 1, column 1.
		return Position{Offset: off, Line: 1, Col: 1}
	}
	end := min(off, len(l.src))
	start, col := min(int(l.starts[i]), end), 1
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last.Line == i+1 && l.last.Offset >= start && l.last.Offset <= end {
		start, col = l.last.Offset, l.last.Col
	}
	col += utf16Len(l.src[start:end])
	if end == len(l.src) || utf8.RuneStart(l.src[end]) {
		// Only a rune boundary is a place to count on from.
		l.last = Position{Offset: end, Line: i + 1, Col: col}
	}
	return Position{Offset: off, Line: i + 1, Col: col}
}

// Windows PowerShell 5.1 windows a source line longer than this many UTF-16
// units around the error, so that "+ ", "... " and " ..." still fit an
// 80-column console without wrapping.
const (
	maxPositionLine   = 69
	maxContextBefore  = 12
	maxContextAfter   = 8
	positionTabSpaces = "    "
)

// PositionMessage renders the position block PowerShell 5.1 puts in an error
// record:
//
//	At C:\x.ps1:3 char:5
//	+ Set-CsCertificate -Foo bar
//	+     ~~~~
//
// name is the script path; "" means interactive input and prints "At line:".
// Columns are PowerShell's (UTF-16 units, a tab counts one); in the caret
// lines tabs are expanded to four spaces and trailing white space is
// trimmed, as PowerShell does. An extent running past its first line is
// underlined to the end of that line.
func PositionMessage(name string, src []byte, ext Extent) string {
	// Error records are rare: resolving from the text each time keeps
	// callers free of a Lines to pass along.
	lines := NewLines(src)
	from, to := lines.Position(ext.From), lines.Position(ext.To)
	file := name
	if file == "" {
		file = "line"
	}
	line, col := from.Line, from.Col
	if line < 1 {
		line = 1
	}
	if col < 1 {
		col = 1
	}
	var b strings.Builder
	b.WriteString("At ")
	b.WriteString(file)
	b.WriteByte(':')
	b.WriteString(strconv.Itoa(line))
	b.WriteString(" char:")
	b.WriteString(strconv.Itoa(col))
	b.WriteString("\n+ ")

	text := utf16.Encode(decodeRunes(lineText(src, line)))
	text = trimRightSpace16(text)
	if len(text) == 0 {
		return b.String()
	}
	start := col - 1
	if start > len(text) {
		start = len(text)
	}
	length := 0
	if to.Line == from.Line && to.Col > from.Col {
		length = to.Col - from.Col
	} else {
		length = len(text) - start
	}
	if start+length > len(text) {
		length = len(text) - start
	}
	before := expandTabs16(text[:start])
	errPart := expandTabs16(text[start : start+length])
	after := expandTabs16(text[start+length:])
	full := make([]uint16, 0, len(before)+len(errPart)+len(after))
	full = append(append(append(full, before...), errPart...), after...)
	spaces, length := len(before), len(errPart)

	prefixDots, suffixDots := false, false
	if len(full) > maxPositionLine {
		from := 0
		if spaces > maxContextBefore {
			from = spaces - maxContextBefore
			prefixDots = true
		}
		// The underline itself never pushes the window past the width.
		if room := maxPositionLine - (spaces - from) - maxContextAfter; length > room {
			length = max(room, 1)
		}
		to := spaces + length + maxContextAfter
		if to < len(full) {
			suffixDots = true
		} else {
			to = len(full)
		}
		full = full[from:to]
		spaces -= from
	}
	if prefixDots {
		b.WriteString("... ")
	}
	b.WriteString(string(utf16.Decode(full)))
	if suffixDots {
		b.WriteString(" ...")
	}
	b.WriteString("\n+ ")
	if prefixDots {
		spaces += len("... ")
	}
	b.WriteString(strings.Repeat(" ", spaces))
	b.WriteString(strings.Repeat("~", max(length, 1)))
	return b.String()
}

// lineText returns the text of 1-based line n without its line break. CR,
// LF and CRLF each end a line, as in the tokenizer.
func lineText(src []byte, n int) []byte {
	start := 0
	for l := 1; l < n; l++ {
		i := start
		for i < len(src) && src[i] != '\n' && src[i] != '\r' {
			i++
		}
		if i == len(src) {
			return nil
		}
		if src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			i++
		}
		start = i + 1
	}
	end := start
	for end < len(src) && src[end] != '\n' && src[end] != '\r' {
		end++
	}
	return src[start:end]
}

// decodeRunes decodes UTF-8, mapping each invalid byte to U+FFFD as the
// tokenizer does, so columns agree.
func decodeRunes(b []byte) []rune {
	rs := make([]rune, 0, len(b))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		rs = append(rs, r)
		b = b[n:]
	}
	return rs
}

func trimRightSpace16(s []uint16) []uint16 {
	for len(s) > 0 && isSpaceUnit(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// isSpaceUnit is .NET's char.IsWhiteSpace for one UTF-16 unit, which is what
// String.TrimEnd uses.
func isSpaceUnit(u uint16) bool {
	r := rune(u)
	switch {
	case r >= 0x09 && r <= 0x0d, r == ' ', r == 0x85, r == 0xa0, r == 0x1680:
		return true
	case r >= 0x2000 && r <= 0x200a, r == 0x2028, r == 0x2029, r == 0x202f, r == 0x205f, r == 0x3000:
		return true
	}
	return false
}

func expandTabs16(s []uint16) []uint16 {
	out := make([]uint16, 0, len(s))
	for _, u := range s {
		if u == '\t' {
			out = append(out, ' ', ' ', ' ', ' ')
			continue
		}
		out = append(out, u)
	}
	return out
}

// utf16Len counts the UTF-16 units of UTF-8 text: PowerShell's column
// measure. An invalid byte counts as one unit (U+FFFD).
func utf16Len(b []byte) int {
	n := 0
	i := 0
	// Eight ASCII bytes at a time: most script text is ASCII.
	for i+8 <= len(b) && binary.LittleEndian.Uint64(b[i:])&0x8080808080808080 == 0 {
		i += 8
	}
	n = i
	for i < len(b) {
		c := b[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}
