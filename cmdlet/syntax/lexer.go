package syntax

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The scanner follows PowerShell's tokenizer (tokenizer.cs): which token
// comes next depends on a mode the parser chooses, so the parser asks for
// one token at a time in a given mode, and may rewind to a saved state to
// rescan the same text in the other mode. Errors found while scanning a
// token travel with the token and are recorded only when the parser
// consumes it, so a rescan never reports twice.

type mode uint8

// Modes are bits, so that the parser can note a lookahead valid in both
// (cmdMode|exprMode); the zero mode is none: no lookahead.
const (
	cmdMode  mode = 1 << iota // argument mode: barewords, -Parameters
	exprMode                  // expression mode: numbers, operators
)

type tokKind uint8

const (
	tEOF tokKind = iota
	tNewline
	tSemi
	tPipe
	tOrOr
	tAmp
	tAndAnd
	tComma
	tLParen
	tRParen
	tLBrace
	tRBrace
	tLBracket
	tRBracket
	tDollarParen // $(
	tAtParen     // @(
	tAtBrace     // @{
	tVariable    // $name, ${name}
	tSplat       // @name
	tParam       // -Name, -Name:
	tGeneric     // a bareword argument (or command name)
	tString      // quoted or here-string
	tNumber      // expression-mode number
	tOp          // operator: val holds the canonical spelling
	tAssign      // = += -= *= /= %=
	tDot         // . (dot-source in command mode, member access otherwise)
	tColonColon  // ::
	tRedirect    // > >> 2> 2>&1 *> ...
	tRedirectIn  // <
	tMinusMinus  // -- alone in command mode: end of parameters
	tStopParsing // --% and the rest of the line
	tBad         // a character that starts no token
)

var tokNames = [...]string{
	tEOF: "EOF", tNewline: "newline", tSemi: ";", tPipe: "|", tOrOr: "||", tAmp: "&",
	tAndAnd: "&&", tComma: ",", tLParen: "(", tRParen: ")", tLBrace: "{", tRBrace: "}",
	tLBracket: "[", tRBracket: "]", tDollarParen: "$(", tAtParen: "@(", tAtBrace: "@{",
	tVariable: "variable", tSplat: "splat", tParam: "parameter", tGeneric: "generic",
	tString: "string", tNumber: "number", tOp: "operator", tAssign: "assignment",
	tDot: ".", tColonColon: "::", tRedirect: "redirection", tRedirectIn: "<",
	tMinusMinus: "--", tStopParsing: "--%", tBad: "bad",
}

func (k tokKind) String() string { return tokNames[k] }

// token flags
const (
	fColon      = 1 << iota // -Name: form
	fBraced                 // ${name}
	fExpandable             // parts hold the pieces to expand
	fPlain                  // a bareword written without quotes, escapes or $: keywords and numbers apply
)

type token struct {
	kind     tokKind
	flags    uint8
	strKind  StringKind
	pos, end int       // byte offsets; from and to give them as positions
	val      string    // string value, parameter/variable name, operator
	num      any       // numeric value for tNumber, or a bareword that parses as a number
	parts    []strPart // pieces of an expandable string
}

func (t *token) has(f uint8) bool { return t.flags&f != 0 }

// reset zeroes t for the next scan. Tokens live in the parser, on the heap,
// and clearing a pointer there costs a write barrier while the collector
// runs (most of a large parse), so pointers already nil are left alone.
func (t *token) reset() {
	t.kind, t.flags, t.strKind = 0, 0, 0
	t.pos, t.end = 0, 0
	if t.val != "" {
		t.val = ""
	}
	if t.num != nil {
		t.num = nil
	}
	t.parts = t.parts[:0] // keeps the buffer: the scan of a string reuses it
}

func (t *token) from() Pos { return OffsetPos(t.pos) }

func (t *token) to() Pos { return OffsetPos(t.end) }

// extent is the token's source range.
func (t *token) extent() Extent { return Extent{t.from(), t.to()} }

type partKind uint8

const (
	partLit partKind = iota
	partVar
	partSub // $( ... ), parsed: node
)

type strPart struct {
	kind     partKind
	lit      string
	name     string
	braced   bool
	from, to Pos
	node     Expr
}

// scanState is everything needed to rewind the scanner.
type scanState struct {
	off int
}

type scanner struct {
	src  []byte
	str  string // src as one string: token values are substrings of it, not copies
	file string
	scanState
	errs     []*Error   // errors of the token being scanned
	comments []*Comment // comments met before the token being scanned
	cslab    slab[Comment]
	lit      lit // the literal text of the string being scanned (see startLit)
	// subExpr parses the statements of a "$(" inside a string or bareword
	// (at is just after the parenthesis) and returns the node and the
	// state after the closing ")": only the parser knows where that is,
	// as the inside may be commands, nested strings, here-strings.
	subExpr func(from Pos, at scanState) (Expr, scanState)

	lines *Lines // shared with the sub-scanners of a string's $( )
}

func (s *scanner) init(file string, src []byte) {
	s.src = src
	s.str = string(src)
	s.file = file
	s.off = bomLen(src)
	s.lines = &Lines{src: src, starts: make([]int32, 1, 1+len(src)/32)}
	s.lines.starts[0] = int32(s.off)
}

// posAt returns the position of byte offset off.
func (s *scanner) posAt(off int) Pos { return OffsetPos(off) }

func (s *scanner) pos() Pos { return OffsetPos(s.off) }

// newlineAt notes that src[i] (a CR or LF) has been consumed. A CR directly
// followed by LF ends the line at the LF.
func (s *scanner) newlineAt(i int) {
	if s.src[i] == '\r' && i+1 < len(s.src) && s.src[i+1] == '\n' {
		return
	}
	s.lines.addLine(i + 1)
}

func (s *scanner) errorf(from, to Pos, id, msg string) {
	s.errs = append(s.errs, &Error{File: s.file, Extent: Extent{from, to}, ID: id, Message: msg})
}

// peekRune decodes the rune at offset i; an invalid byte is U+FFFD of size 1.
func (s *scanner) runeAt(i int) (rune, int) {
	if i >= len(s.src) {
		return -1, 0
	}
	if c := s.src[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRune(s.src[i:])
}

// ---- character classes (CharTraits.cs) ----

func isDash(r rune) bool {
	return r == '-' || r == 0x2013 || r == 0x2014 || r == 0x2015
}

func isSingleQuote(r rune) bool {
	return r == '\'' || r == 0x2018 || r == 0x2019 || r == 0x201A || r == 0x201B
}

func isDoubleQuote(r rune) bool {
	return r == '"' || r == 0x201C || r == 0x201D || r == 0x201E
}

func isQuote(r rune) bool { return isSingleQuote(r) || isDoubleQuote(r) }

// isSpace is PowerShell's IsWhitespace: newlines are not white space.
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\v', '\f', 0xA0, 0x85:
		return true
	}
	return r > 0x100 && (unicode.Is(unicode.Zs, r) || r == 0x2028 || r == 0x2029)
}

func isNewline(r rune) bool { return r == '\n' || r == '\r' }

func isVarChar(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || r == '?' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isWordChar(r rune) bool {
	if r < utf8.RuneSelf {
		return r == '_' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isParamStart(r rune) bool {
	return r == '_' || r == '?' || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') ||
		(r >= utf8.RuneSelf && unicode.IsLetter(r))
}

// forcesNewToken reports whether r ends a bareword (ForceStartNewToken plus
// the characters NextToken handles itself).
func forcesNewToken(r rune) bool {
	switch r {
	case 0, '\t', '\n', '\v', '\f', '\r', ' ', '&', '(', ')', ',', ';', '{', '}', '|', -1:
		return true
	}
	return r >= 0x80 && isSpace(r)
}

// endsParameter reports whether r ends a parameter name (ScanParameter).
func endsParameter(r rune) bool {
	switch r {
	case '{', '}', '(', ')', ';', ',', '|', '&', '.', '[', '`', 0, -1:
		return true
	}
	return isSpace(r) || isNewline(r)
}

// ---- the scanner proper ----

// skipSpace skips white space, comments and line continuations. It stops at
// a newline, which is a token.
func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c == ' ' {
			// Most of it: between arguments, and indentation.
			s.off++
			continue
		}
		if !spaceLead[c] {
			return // most tokens follow a space or nothing: no switch
		}
		switch {
		case c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == 0:
			s.off++
		case c == '#':
			s.lineComment()
		case c == '<' && s.off+1 < len(s.src) && s.src[s.off+1] == '#':
			s.blockComment()
		case c == '`':
			r, n := s.runeAt(s.off + 1)
			switch {
			case r == '\r' || r == '\n':
				// A line continuation.
				i := s.off + 1
				if r == '\r' && i+1 < len(s.src) && s.src[i+1] == '\n' {
					i++
				}
				s.newlineAt(i)
				s.off = i + 1
			case r == -1:
				p := s.pos()
				s.errorf(p, s.posAt(s.off+1), "IncompleteString", "Incomplete string token.")
				s.off++
			case isSpace(r):
				// `<space>: the continuation is broken, the backtick is
				// just white space and the next newline ends the statement.
				s.off += 1 + n
			default:
				return
			}
		case c >= utf8.RuneSelf:
			r, n := s.runeAt(s.off)
			if !isSpace(r) {
				return
			}
			s.off += n
		default:
			return
		}
	}
}

func (s *scanner) lineComment() {
	start := s.off
	from := s.pos()
	end := s.off
	for end < len(s.src) && s.src[end] != '\n' && s.src[end] != '\r' {
		end++
	}
	text := s.src[start:end]
	c := s.cslab.new()
	c.Text = s.str[start:end]
	if hasPrefixFold(text, "# SIG # Begin signature block") {
		// An Authenticode signature block runs to its end marker.
		c.Signature = true
		for end < len(s.src) {
			ls := end
			for ls < len(s.src) && (s.src[ls] == '\n' || s.src[ls] == '\r') {
				s.newlineAt(ls)
				ls++
			}
			le := ls
			for le < len(s.src) && s.src[le] != '\n' && s.src[le] != '\r' {
				le++
			}
			end = le
			if ls == le && le == len(s.src) {
				break
			}
			if hasPrefixFold(s.src[ls:le], "# SIG # End signature block") {
				break
			}
		}
		c.Text = s.str[start:end]
	} else if hasPrefixFold(text, "#requires") && (len(text) == 9 || isSpaceByte(text[9])) {
		c.Requires = true
	}
	s.off = end
	c.Extent = Extent{from, s.pos()}
	s.comments = append(s.comments, c)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' }

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}

func (s *scanner) blockComment() {
	start := s.off
	from := s.pos()
	i := s.off + 2
	for {
		if i >= len(s.src) {
			s.off = i
			s.errorf(from, s.pos(), "MissingTerminatorMultiLineComment",
				"The terminator '#>' is missing from the multiline comment.")
			break
		}
		c := s.src[i]
		if c == '#' && i+1 < len(s.src) && s.src[i+1] == '>' {
			s.off = i + 2
			break
		}
		if c == '\n' || c == '\r' {
			s.newlineAt(i)
		}
		i++
	}
	c := s.cslab.new()
	c.Extent, c.Text, c.Block = Extent{from, s.pos()}, s.str[start:s.off], true
	s.comments = append(s.comments, c)
}

// scan returns the next token in mode m.
func (s *scanner) scan(m mode) token {
	var t token
	s.scanInto(m, &t)
	return t
}

// scanInto scans the next token in mode m into *t.
func (s *scanner) scanInto(m mode, t *token) {
	t.reset()
	if s.errs != nil {
		s.errs = nil
	}
	if s.comments != nil {
		// The parser's lookahead holds this list only until the token
		// is scanned again; reusing it saves an allocation per comment.
		s.comments = s.comments[:0]
	}
	s.skipSpace()
	t.pos = s.off
	s.scanToken(m, t)
	t.end = s.off
	// The token's errors and the comments before it stay in s.errs and
	// s.comments until the next scan.
}

func (s *scanner) scanToken(m mode, t *token) {
	if s.off >= len(s.src) {
		t.kind = tEOF
		return
	}
	c := s.src[s.off]
	var next byte
	if s.off+1 < len(s.src) {
		next = s.src[s.off+1]
	}
	switch c {
	case '\n', '\r':
		s.newlineAt(s.off)
		s.off++
		t.kind = tNewline
		return
	case ';':
		s.off++
		t.kind = tSemi
		return
	case '|':
		s.off++
		t.kind = tPipe
		if next == '|' {
			s.off++
			t.kind = tOrOr
		}
		return
	case '&':
		s.off++
		t.kind = tAmp
		if next == '&' {
			s.off++
			t.kind = tAndAnd
		}
		return
	case ',':
		s.off++
		t.kind = tComma
		return
	case '(':
		s.off++
		t.kind = tLParen
		return
	case ')':
		s.off++
		t.kind = tRParen
		return
	case '{':
		s.off++
		t.kind = tLBrace
		return
	case '}':
		s.off++
		t.kind = tRBrace
		return
	case '$':
		s.scanDollar(m, t)
		return
	case '@':
		if s.scanAt(m, t) {
			return
		}
	case '<':
		if next != '#' {
			s.off++
			t.kind = tRedirectIn
			return
		}
	case '>':
		s.scanRedirect(t)
		return
	case '1', '2', '3', '4', '5', '6', '*':
		if next == '>' {
			s.scanRedirect(t)
			return
		}
	}
	if 'a' <= c|0x20 && c|0x20 <= 'z' {
		// A bareword (command name, argument, keyword) in either mode:
		// the most common token, and no quote, dash or digit rule applies.
		s.scanGeneric(t, s.off)
		return
	}
	r, n := s.runeAt(s.off)
	switch {
	case isSingleQuote(r):
		s.scanSingleQuoted(t, n)
		return
	case isDoubleQuote(r):
		s.scanDoubleQuoted(t, n)
		return
	}
	if m == cmdMode {
		s.scanCommandToken(t, r, n)
		return
	}
	s.scanExprToken(t, r, n)
}

func (s *scanner) scanRedirect(t *token) {
	start := s.off
	if s.src[s.off] != '>' {
		s.off++ // the stream digit or *
	}
	s.off++ // >
	if s.off < len(s.src) && s.src[s.off] == '>' {
		s.off++
	} else if s.off+1 < len(s.src) && s.src[s.off] == '&' && (s.src[s.off+1] == '1' || s.src[s.off+1] == '2') {
		s.off += 2
	}
	t.kind = tRedirect
	t.val = s.str[start:s.off]
}

// scanDollar scans $name, ${name}, $( and a lone $.
func (s *scanner) scanDollar(m mode, t *token) {
	start := s.off
	r, n := s.runeAt(s.off + 1)
	switch {
	case r == '(':
		s.off += 2
		t.kind = tDollarParen
		return
	case r == '{':
		name, ok := s.scanBracedName(s.off + 2)
		t.kind = tVariable
		t.flags |= fBraced
		t.val = name
		if !ok {
			s.errorf(s.posAt(start), s.pos(), "MissingEndCurlyBrace",
				"Missing closing '}' in statement block or type definition.")
		}
		return
	case r == '$' || r == '^':
		s.off += 1 + n
		t.kind = tVariable
		t.val = string(r)
		return
	case r != -1 && isVarChar(r):
		s.off++
		t.kind = tVariable
		t.val = s.scanVarName()
		return
	}
	if m == cmdMode {
		s.off = start
		s.scanGeneric(t, start)
		return
	}
	s.off++
	t.kind = tBad
	s.errorf(s.posAt(start), s.pos(), "InvalidVariableReference",
		"Variable reference is not valid. '$' was not followed by a valid variable name character. Consider using ${} to delimit the name.")
}

// scanVarName scans a variable name at s.off (after the sigil), including
// a scope or drive qualifier such as env: or script:.
func (s *scanner) scanVarName() string {
	start := s.off
	s.off = wordEnd(s.src, s.off)
	for {
		r, n := s.runeAt(s.off)
		if r != -1 && isVarChar(r) {
			s.off += n
			continue
		}
		if r == ':' && s.off > start {
			r2, _ := s.runeAt(s.off + 1)
			if r2 != ':' && r2 != -1 && isVarChar(r2) && !strings.Contains(s.str[start:s.off], ":") {
				s.off++
				continue
			}
		}
		break
	}
	return s.str[start:s.off]
}

// scanBracedName scans the name of ${...} starting at i (after the brace).
func (s *scanner) scanBracedName(i int) (string, bool) {
	var b strings.Builder
	for i < len(s.src) {
		c := s.src[i]
		switch {
		case c == '}':
			s.off = i + 1
			return b.String(), true
		case c == '`' && i+1 < len(s.src):
			r, n := s.runeAt(i + 1)
			if isNewline(r) {
				s.newlineAt(i + 1)
			}
			b.WriteRune(r)
			i += 1 + n
			continue
		case c == '\n' || c == '\r':
			s.newlineAt(i)
		}
		b.WriteByte(c)
		i++
	}
	s.off = i
	return b.String(), false
}

// scanAt scans @(, @{, @name and here-string headers; it reports false for
// an @ that starts none of them.
func (s *scanner) scanAt(m mode, t *token) bool {
	r, n := s.runeAt(s.off + 1)
	switch {
	case r == '(':
		s.off += 2
		t.kind = tAtParen
		return true
	case r == '{':
		s.off += 2
		t.kind = tAtBrace
		return true
	case isSingleQuote(r) || isDoubleQuote(r):
		s.scanHereString(t, isDoubleQuote(r), 1+n)
		return true
	case r != -1 && isVarChar(r) && r != '?':
		s.off++
		t.kind = tSplat
		t.val = s.scanVarName()
		return true
	}
	return false
}

func (s *scanner) scanCommandToken(t *token, r rune, n int) {
	start := s.off
	switch {
	case isDash(r):
		r2, n2 := s.runeAt(s.off + n)
		if isDash(r2) {
			r3, _ := s.runeAt(s.off + n + n2)
			if forcesNewToken(r3) {
				s.off += n + n2
				t.kind = tMinusMinus
				return
			}
			if r3 == '%' {
				r4, _ := s.runeAt(s.off + n + n2 + 1)
				if forcesNewToken(r4) {
					s.scanStopParsing(t)
					return
				}
			}
		}
		if isParamStart(r2) {
			s.scanParameter(t, cmdMode, n)
			return
		}
	case r == '.':
		r2, _ := s.runeAt(s.off + 1)
		if forcesNewToken(r2) && r2 != '(' {
			s.off++
			t.kind = tDot
			return
		}
	}
	s.scanGeneric(t, start)
}

// scanStopParsing takes --% and the rest of the line, up to an unquoted |.
func (s *scanner) scanStopParsing(t *token) {
	s.off += utf8RuneLenAt(s.src, s.off)
	s.off += utf8RuneLenAt(s.src, s.off)
	s.off++ // %
	i := s.off
	var quote bool
	for i < len(s.src) {
		c := s.src[i]
		if c == '\n' || c == '\r' || (c == '|' && !quote) {
			break
		}
		if c == '"' {
			quote = !quote
		}
		i++
	}
	t.kind = tStopParsing
	t.val = strings.TrimFunc(s.str[s.off:i], isSpace)
	s.off = i
}

func utf8RuneLenAt(b []byte, i int) int {
	if i >= len(b) {
		return 0
	}
	if b[i] < utf8.RuneSelf {
		return 1
	}
	_, n := utf8.DecodeRune(b[i:])
	return n
}

// scanParameter scans -Name or -Name: (any dash). In command mode a quote
// inside the name turns the whole token into a bareword; in expression mode
// a name that is an operator gives the operator.
func (s *scanner) scanParameter(t *token, m mode, dashLen int) {
	start := s.off
	i := wordEnd(s.src, s.off+dashLen) // the common case: -Thumbprint
	for {
		r, n := s.runeAt(i)
		if endsParameter(r) {
			break
		}
		if r == ':' {
			s.off = i + 1
			t.kind = tParam
			t.flags |= fColon
			t.val = s.str[start+dashLen : i]
			return
		}
		if isQuote(r) {
			if m == cmdMode {
				s.scanGeneric(t, start)
				return
			}
			break
		}
		i += n
	}
	name := s.src[start+dashLen : i]
	s.off = i
	if m == exprMode {
		if op, ok := operatorName(name); ok {
			t.kind = tOp
			t.val = op
			return
		}
	}
	t.kind = tParam
	t.val = s.str[start+dashLen : i]
}

// scanGeneric scans a bareword from start: a path, a date, a password, a
// command name. Quoted runs inside it are joined, $ expands.
func (s *scanner) scanGeneric(t *token, start int) {
	s.off = start
	t.kind = tGeneric
	t.strKind = Bare
	// Fast path: a plain run of ordinary characters.
	i := runEnd(s.src, start, &genericStop)
	if i > start && (i == len(s.src) || forcesNewTokenAt(s.src, i)) {
		s.off = i
		t.val = s.str[start:i]
		t.flags |= fPlain
		s.checkNumber(t)
		return
	}
	b := s.startLit()
	parts := t.parts[:0]
	litFrom := s.posAt(start)
	plain := true
	for s.off < len(s.src) {
		r, n := s.runeAt(s.off)
		switch {
		case forcesNewToken(r):
			goto done
		case r == '`':
			r2, n2 := s.runeAt(s.off + 1)
			if r2 == -1 || isNewline(r2) {
				goto done
			}
			plain = false
			b.addRune(escapeRune(r2))
			s.off += 1 + n2
		case isSingleQuote(r):
			plain = false
			qfrom := s.pos()
			s.off += n
			v, ok := s.singleQuotedBody()
			b.addString(v)
			if !ok {
				s.errorf(qfrom, s.pos(), "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '.")
				goto done
			}
		case isDoubleQuote(r):
			plain = false
			qfrom := s.pos()
			s.off += n
			ok := s.expandableBody(b, &parts, &litFrom, false)
			if !ok {
				s.errorf(qfrom, s.pos(), "TerminatorExpectedAtEndOfString", "The string is missing the terminator: \".")
				goto done
			}
		case r == '$':
			if s.dollarPart(b, &parts, &litFrom) {
				plain = false
				continue
			}
			b.addSrc(s.off, s.off+1)
			s.off++
		default:
			b.addSrc(s.off, s.off+n)
			s.off += n
		}
	}
done:
	t.parts = parts // keeps the buffer for the next token in this slot
	if len(parts) > 0 {
		flushLit(b, &parts, &litFrom, s.pos())
		t.flags |= fExpandable
		t.parts = parts
		t.val = s.str[start:s.off]
		return
	}
	t.val = b.String()
	if plain {
		t.flags |= fPlain
		s.checkNumber(t)
	}
}

// genericStop marks the bytes that end scanGeneric's fast path: those that
// end a bareword or need a closer look (quotes, escapes, $, non-ASCII).
var genericStop = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= utf8.RuneSelf || c <= ' ' || strings.IndexByte("&(),;{}|`'\"$", byte(c)) >= 0
	}
	return t
}()

// spaceLead marks the bytes that may start what skipSpace skips: white
// space, a comment, a line continuation, and any non-ASCII byte (Unicode
// spaces).
var spaceLead = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c >= utf8.RuneSelf || strings.IndexByte(" \t\v\f\x00#<`", byte(c)) >= 0
	}
	return t
}()

// doubleStop and singleStop mark the bytes that end a plain run of text in
// a double-quoted or single-quoted string: the ASCII quote, what needs a
// closer look (escapes, $, newlines, any non-ASCII byte: smart quotes).
var doubleStop, singleStop = func() (d, s [256]bool) {
	for c := range 256 {
		d[c] = c >= utf8.RuneSelf || strings.IndexByte("\"`$\n\r", byte(c)) >= 0
		s[c] = c >= utf8.RuneSelf || strings.IndexByte("'\n\r", byte(c)) >= 0
	}
	return d, s
}()

func isASCIIWordByte(c byte) bool { return asciiWord[c] }

// runEnd returns the end of the run of bytes from i that stop does not
// mark, and wordEnd that of ASCII word bytes. They are the scanner's
// innermost loops: ranging over the rest of the slice, held in a local
// rather than reloaded through the scanner, leaves no bounds check and no
// load but the byte's and its table entry.
func runEnd(src []byte, i int, stop *[256]bool) int {
	if i >= len(src) {
		return i
	}
	for j, c := range src[i:] {
		if stop[c] {
			return i + j
		}
	}
	return len(src)
}

func wordEnd(src []byte, i int) int {
	if i >= len(src) {
		return i
	}
	for j, c := range src[i:] {
		if !asciiWord[c] {
			return i + j
		}
	}
	return len(src)
}

// asciiWord marks the ASCII letters, digits and '_': a table, as the loops
// over names test it for every byte.
var asciiWord = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9' || c == '_'
	}
	return t
}()

func forcesNewTokenAt(b []byte, i int) bool {
	c := b[i]
	if c < utf8.RuneSelf {
		return forcesNewToken(rune(c))
	}
	r, _ := utf8.DecodeRune(b[i:])
	return forcesNewToken(r)
}

// checkNumber applies the rule that a bareword which parses as a number is
// a number: `-Thumbprint 1E10` passes a double.
func (s *scanner) checkNumber(t *token) {
	v := t.val
	if v == "" {
		return
	}
	c := v[0]
	if !('0' <= c && c <= '9') && c != '.' && (c < utf8.RuneSelf && c != '-' || !isDash(firstRune(v))) {
		return
	}
	if num, ok := parseNumber(v); ok {
		t.num = num
	}
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// escapeRune is PowerShell's backtick escape (Windows PowerShell 5.1 set).
func escapeRune(r rune) rune {
	switch r {
	case '0':
		return 0
	case 'a':
		return 7
	case 'b':
		return 8
	case 'f':
		return 12
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'v':
		return 11
	}
	return r
}

// singleQuotedBody scans after an opening single quote to the closing one;
// any two single-quote characters in a row are one literal quote.
func (s *scanner) singleQuotedBody() (string, bool) {
	start := s.off
	// Fast path: no doubled quotes, ASCII close.
	i := runEnd(s.src, start, &singleStop)
	if i < len(s.src) && s.src[i] == '\'' && (i+1 == len(s.src) || s.src[i+1] != '\'' && s.src[i+1] != 0xE2) {
		s.off = i + 1
		return s.str[start:i], true
	}
	var b strings.Builder
	i = start
	for i < len(s.src) {
		r, n := s.runeAt(i)
		if isSingleQuote(r) {
			r2, n2 := s.runeAt(i + n)
			if isSingleQuote(r2) {
				b.WriteRune(r2)
				i += n + n2
				continue
			}
			s.off = i + n
			return b.String(), true
		}
		if isNewline(r) {
			s.newlineAt(i)
		}
		b.WriteString(s.str[i : i+n])
		i += n
	}
	s.off = i
	return b.String(), false
}

func (s *scanner) scanSingleQuoted(t *token, qlen int) {
	from := s.pos()
	s.off += qlen
	v, ok := s.singleQuotedBody()
	t.kind = tString
	t.strKind = SingleQuoted
	t.val = v
	if !ok {
		s.errorf(from, s.pos(), "TerminatorExpectedAtEndOfString", "The string is missing the terminator: '.")
	}
}

func (s *scanner) scanDoubleQuoted(t *token, qlen int) {
	from := s.pos()
	start := s.off
	s.off += qlen
	// Fast path: nothing to escape or expand.
	i := runEnd(s.src, s.off, &doubleStop)
	if i < len(s.src) && s.src[i] == '"' && (i+1 == len(s.src) || s.src[i+1] != '"' && s.src[i+1] != 0xE2) {
		t.kind = tString
		t.strKind = DoubleQuoted
		t.val = s.str[s.off:i]
		s.off = i + 1
		return
	}
	b := s.startLit()
	parts := t.parts[:0]
	litFrom := s.pos()
	ok := s.expandableBody(b, &parts, &litFrom, false)
	t.kind = tString
	t.strKind = DoubleQuoted
	if !ok {
		s.errorf(from, s.pos(), "TerminatorExpectedAtEndOfString", "The string is missing the terminator: \".")
	}
	t.parts = parts
	if len(parts) > 0 {
		end := s.off
		if ok {
			end -= utf8LastRuneLen(s.src[:s.off])
		}
		flushLit(b, &parts, &litFrom, s.posAt(end))
		t.flags |= fExpandable
		t.parts = parts
		t.val = s.str[start+qlen : end]
		return
	}
	t.val = b.String()
}

func utf8LastRuneLen(b []byte) int {
	_, n := utf8.DecodeLastRune(b)
	return n
}

// flushLit ends the literal piece being built, if any.
func flushLit(b *lit, parts *[]strPart, from *Pos, to Pos) {
	if b.len() > 0 {
		*parts = append(*parts, strPart{kind: partLit, lit: b.String(), from: *from, to: to})
		b.reset()
	}
	*from = to
}

// expandableBody scans the inside of a double-quoted string (or here-string
// when here is set) after the opening quote, up to and including the
// closing quote, into literal text and the pieces to expand. It reports
// whether the string was terminated.
func (s *scanner) expandableBody(b *lit, parts *[]strPart, litFrom *Pos, here bool) bool {
	for s.off < len(s.src) {
		c := s.src[s.off]
		switch {
		case c == '`':
			r, n := s.runeAt(s.off + 1)
			if r == -1 {
				s.off++
				return false
			}
			if isNewline(r) {
				s.newlineAt(s.off + 1)
			}
			b.addRune(escapeRune(r))
			s.off += 1 + n
		case c == '$':
			if !s.dollarPart(b, parts, litFrom) {
				b.addSrc(s.off, s.off+1)
				s.off++
			}
		case c == '\n' || c == '\r':
			if here && s.atHereFooter(s.off, '"') {
				return true
			}
			s.newlineAt(s.off)
			b.addSrc(s.off, s.off+1)
			s.off++
		case c < utf8.RuneSelf && c != '"':
			// A run of plain ASCII text goes into the value in one write.
			i := runEnd(s.src, s.off+1, &doubleStop)
			b.addSrc(s.off, i)
			s.off = i
		default:
			r, n := s.runeAt(s.off)
			if !here && isDoubleQuote(r) {
				r2, n2 := s.runeAt(s.off + n)
				if isDoubleQuote(r2) {
					b.addSrc(s.off+n, s.off+n+n2)
					s.off += n + n2
					continue
				}
				s.off += n
				return true
			}
			b.addSrc(s.off, s.off+n)
			s.off += n
		}
	}
	return false
}

// dollarPart scans $name, ${name} or $( ... ) inside an expandable string
// or bareword into parts; it reports false for a $ that expands nothing.
func (s *scanner) dollarPart(b *lit, parts *[]strPart, litFrom *Pos) bool {
	r, n := s.runeAt(s.off + 1)
	switch {
	case r == '(':
		flushLit(b, parts, litFrom, s.pos())
		from := s.pos()
		s.off += 2
		var node Expr
		node, s.scanState = s.subExpr(from, s.scanState)
		*parts = append(*parts, strPart{kind: partSub, from: from, to: s.pos(), node: node})
		*litFrom = s.pos()
		return true
	case r == '{':
		flushLit(b, parts, litFrom, s.pos())
		from := s.pos()
		name, ok := s.scanBracedName(s.off + 2)
		if !ok {
			s.errorf(from, s.pos(), "MissingEndCurlyBrace",
				"Missing closing '}' in statement block or type definition.")
		}
		*parts = append(*parts, strPart{kind: partVar, name: name, braced: true, from: from, to: s.pos()})
		*litFrom = s.pos()
		return true
	case r == '$' || r == '^' || (r != -1 && isVarChar(r)):
		flushLit(b, parts, litFrom, s.pos())
		from := s.pos()
		var name string
		if r == '$' || r == '^' {
			s.off += 1 + n
			name = string(r)
		} else {
			s.off++
			name = s.scanVarName()
		}
		*parts = append(*parts, strPart{kind: partVar, name: name, from: from, to: s.pos()})
		*litFrom = s.pos()
		return true
	}
	return false
}

// atHereFooter reports whether the newline at i is followed by a here-string
// footer ("@ or '@ at the very start of the next line).
func (s *scanner) atHereFooter(i int, quote byte) bool {
	j := i + 1
	if s.src[i] == '\r' && j < len(s.src) && s.src[j] == '\n' {
		j++
	}
	r, n := s.runeAt(j)
	if quote == '"' && !isDoubleQuote(r) || quote == '\'' && !isSingleQuote(r) {
		return false
	}
	return j+n < len(s.src) && s.src[j+n] == '@'
}

// scanHereString scans @" ... "@ or @' ... '@.
func (s *scanner) scanHereString(t *token, double bool, headLen int) {
	from := s.pos()
	s.off += headLen
	t.kind = tString
	quote := byte('\'')
	t.strKind = HereSingle
	if double {
		quote = '"'
		t.strKind = HereDouble
	}
	// Only white space may follow the header on its line.
	i := s.off
	for {
		r, n := s.runeAt(i)
		if r == -1 || isNewline(r) || !isSpace(r) {
			break
		}
		i += n
	}
	if i < len(s.src) && !isNewline(rune(s.src[i])) {
		j := i
		for j < len(s.src) && s.src[j] != '\n' && s.src[j] != '\r' {
			j++
		}
		s.off = i
		ef := s.pos()
		s.off = j
		s.errorf(ef, s.pos(), "UnexpectedCharactersAfterHereStringHeader",
			"No characters are allowed after a here-string header but before the end of the line.")
		i = j
	}
	if i >= len(s.src) {
		s.off = i
		s.hereUnterminated(from, quote, false)
		return
	}
	// Skip the header's newline: it is not part of the value.
	s.newlineAt(i)
	if s.src[i] == '\r' && i+1 < len(s.src) && s.src[i+1] == '\n' {
		i++
	}
	s.off = i + 1
	bodyStart := s.off
	b := s.startLit()
	parts := t.parts[:0]
	litFrom := s.pos()
	// An empty here-string: the footer directly on the next line.
	if r, n := s.runeAt(s.off); (double && isDoubleQuote(r) || !double && isSingleQuote(r)) && s.off+n < len(s.src) && s.src[s.off+n] == '@' {
		s.off += n + 1
		t.val = ""
		return
	}
	var ok bool
	if double {
		ok = s.expandableBody(b, &parts, &litFrom, true)
	} else {
		ok = s.literalHereBody(b)
	}
	bodyEnd := s.off
	if !ok {
		s.hereUnterminated(from, quote, s.sawIndentedFooter(bodyStart, quote))
		t.val = b.String()
		return
	}
	// s.off is at the newline before the footer.
	flushLit(b, &parts, &litFrom, s.pos())
	t.parts = parts
	j := s.off
	s.newlineAt(j)
	if s.src[j] == '\r' && j+1 < len(s.src) && s.src[j+1] == '\n' {
		j++
	}
	_, n := s.runeAt(j + 1)
	s.off = j + 1 + n + 1
	if len(parts) > 1 || len(parts) == 1 && parts[0].kind != partLit {
		t.flags |= fExpandable
		t.parts = parts
		t.val = s.str[bodyStart:bodyEnd]
		return
	}
	if len(parts) == 1 {
		t.val = parts[0].lit
	}
}

func (s *scanner) literalHereBody(b *lit) bool {
	for s.off < len(s.src) {
		c := s.src[s.off]
		if c == '\n' || c == '\r' {
			if s.atHereFooter(s.off, '\'') {
				return true
			}
			s.newlineAt(s.off)
		}
		b.addSrc(s.off, s.off+1)
		s.off++
	}
	return false
}

func (s *scanner) sawIndentedFooter(from int, quote byte) bool {
	lines := strings.Split(s.str[from:], "\n")
	for _, l := range lines {
		l = strings.TrimRight(l, "\r")
		tl := strings.TrimLeftFunc(l, isSpace)
		if len(tl) < len(l) && len(tl) >= 2 {
			r, n := utf8.DecodeRuneInString(tl)
			if (quote == '"' && isDoubleQuote(r) || quote == '\'' && isSingleQuote(r)) && n < len(tl) && tl[n] == '@' {
				return true
			}
		}
	}
	return false
}

func (s *scanner) hereUnterminated(from Pos, quote byte, indented bool) {
	if indented {
		s.errorf(from, s.pos(), "WhitespaceBeforeHereStringFooter", "White space is not allowed before the string terminator.")
		return
	}
	s.errorf(from, s.pos(), "TerminatorExpectedAtEndOfString", "The string is missing the terminator: "+string(quote)+"@.")
}

// scanExprToken scans a token in expression mode.
func (s *scanner) scanExprToken(t *token, r rune, n int) {
	start := s.off
	c := s.src[s.off]
	var next byte
	if s.off+1 < len(s.src) {
		next = s.src[s.off+1]
	}
	switch {
	case isDash(r):
		r2, n2 := s.runeAt(s.off + n)
		switch {
		case isParamStart(r2):
			s.scanParameter(t, exprMode, n)
			return
		case isDash(r2):
			s.off += n + n2
			t.kind, t.val = tOp, "--"
			return
		case r2 == '=':
			s.off += n + 1
			t.kind, t.val = tAssign, "-="
			return
		}
		s.off += n
		t.kind, t.val = tOp, "-"
		return
	case '0' <= c && c <= '9' || c == '.' && '0' <= next && next <= '9':
		if s.scanNumber(t) {
			return
		}
		s.scanGeneric(t, start)
		return
	}
	switch c {
	case '[':
		s.off++
		t.kind = tLBracket
		return
	case ']':
		s.off++
		t.kind = tRBracket
		return
	case '.':
		if next == '.' {
			s.off += 2
			t.kind, t.val = tOp, ".."
			return
		}
		s.off++
		t.kind = tDot
		return
	case ':':
		if next == ':' {
			s.off += 2
			t.kind = tColonColon
			return
		}
	case '=', '+', '*', '/', '%':
		s.off++
		if next == '=' {
			s.off++
			t.kind, t.val = tAssign, string(c)+"="
			if c == '=' {
				t.kind, t.val = tOp, "=="
			}
			return
		}
		if c == '=' {
			t.kind, t.val = tAssign, "="
			return
		}
		if c == '+' && next == '+' {
			s.off++
			t.kind, t.val = tOp, "++"
			return
		}
		t.kind, t.val = tOp, string(c)
		return
	case '!':
		s.off++
		t.kind, t.val = tOp, "!"
		return
	}
	s.scanGeneric(t, start)
}

// scanNumber scans an expression-mode number; it reports false (having
// moved nothing) when the text is not a number by itself, e.g. 7z.
func (s *scanner) scanNumber(t *token) bool {
	start := s.off
	i := start
	for i < len(s.src) {
		c := s.src[i]
		if isWordChar(rune(c)) || c == '.' && i+1 < len(s.src) && s.src[i+1] >= '0' && s.src[i+1] <= '9' {
			i++
			continue
		}
		if (c == '+' || c == '-') && i > start && (s.src[i-1] == 'e' || s.src[i-1] == 'E') && !isHexStart(s.src[start:i]) {
			i++
			continue
		}
		break
	}
	num, ok := parseNumber(s.str[start:i])
	if !ok {
		return false
	}
	s.off = i
	t.kind = tNumber
	t.num = num
	t.val = s.str[start:i]
	return true
}

func isHexStart(b []byte) bool {
	return len(b) >= 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')
}

// ---- operators ----

type opInfo struct {
	prec  int // binary precedence; 0 for unary-only
	unary bool
}

// Binary precedences, as in PowerShell's TokenFlags.
const (
	precLogical    = 1
	precBitwise    = 2
	precComparison = 3
	precAdd        = 4
	precMultiply   = 5
	precFormat     = 6
	precRange      = 7
)

var namedOps = map[string]opInfo{
	"and": {precLogical, false}, "or": {precLogical, false}, "xor": {precLogical, false},
	"band": {precBitwise, false}, "bor": {precBitwise, false}, "bxor": {precBitwise, false},
	"shl": {precBitwise, false}, "shr": {precBitwise, false},
	"is": {precComparison, false}, "isnot": {precComparison, false}, "as": {precComparison, false},
	"f":   {precFormat, false},
	"not": {0, true}, "bnot": {0, true},
	"split": {precComparison, true}, "join": {precComparison, true},
}

func init() {
	for _, op := range []string{"eq", "ne", "gt", "ge", "lt", "le", "like", "notlike", "match", "notmatch",
		"replace", "contains", "notcontains", "in", "notin", "split"} {
		for _, p := range []string{"", "i", "c"} {
			if _, ok := namedOps[p+op]; !ok {
				namedOps[p+op] = opInfo{precComparison, false}
			}
		}
	}
	for k := range namedOps {
		opSpellings[k] = "-" + k
	}
}

// opSpellings maps an operator name to its canonical spelling with the
// dash, made once so that scanning an operator allocates nothing.
var opSpellings = map[string]string{}

// operatorName maps a dash-less operator name, any case, to its canonical
// spelling ("-eq").
func operatorName(name []byte) (string, bool) {
	if len(name) > 12 {
		return "", false
	}
	var buf [12]byte
	for i, c := range name {
		if c >= utf8.RuneSelf {
			return "", false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	if op, ok := opSpellings[string(buf[:len(name)])]; ok {
		return op, true
	}
	return "", false
}

func binaryPrec(op string) int {
	switch op {
	case "+", "-":
		return precAdd
	case "*", "/", "%":
		return precMultiply
	case "..":
		return precRange
	}
	if len(op) > 1 && op[0] == '-' {
		return namedOps[op[1:]].prec
	}
	return 0
}
