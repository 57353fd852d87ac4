package syntax

import (
	"math"
	"strconv"
	"strings"
)

// maxDepth bounds nesting (brackets, blocks, unary operators, strings
// inside subexpressions) so that no input can exhaust the stack. Real
// scripts stay far below it; beyond it the parser stops with a NestingTooDeep
// error rather than crash.
const maxDepth = 500

// maxSource is the largest source whose positions fit a Pos: the end of
// the source, offset len(src), is Pos len(src)+1. A variable so that a test
// can reach it without 2 GiB.
var maxSource = math.MaxInt32 - 1

// Texts of ParserStrings.resx used more than once or long.
const (
	foreachForm              = "\nThe correct form is: foreach ($a in $b) {...}"
	pipelineValueRequiredMsg = "A switch statement must have one of the following:  '-file file_name' or '( expression )'."
)

const nestingTooDeepMsg = "The script is nested too deeply to parse: more than 500 levels of brackets, blocks, operators or member accesses."

// ParseFile parses a whole script. name is used in error positions
// ("At C:\x.ps1:3 char:5"; "" prints "At line:3 char:5"). On errors it
// returns the partial *File and an ErrorList of every error found, sorted
// by position.
//
// Positions are 32-bit, so a source of 2 GiB or more (over maxSource
// bytes) is refused whole with the single error ScriptTooLarge.
func ParseFile(name string, src []byte) (*File, error) {
	if len(src) > maxSource {
		f := &File{Name: name, Src: src}
		return f, ErrorList{{File: name, ID: "ScriptTooLarge",
			Message: "The script is too large to parse: more than " + strconv.Itoa(maxSource) + " bytes."}}
	}
	p := &parser{sh: &shared{}}
	p.s.init(name, src)
	p.s.subExpr = p.stringSubExpr
	// Top-level statements of the benchmark scripts average 150 bytes;
	// room for one per 96 bytes spares a large script the list's
	// regrowth, whose copies (pointers, so with write barriers while the
	// collector marks) cost more than the room.
	p.sh.stmts = make([]Stmt, 0, len(src)/96)
	f := &File{Name: name, Src: src}
	f.Attributes, f.Params = p.parseParamBlock()
	f.Statements = p.parseStatements(tEOF)
	p.skip(cmdMode) // EOF: records the errors and comments met before it
	f.Comments = p.sh.comments
	f.Extent = Extent{OffsetPos(0), p.s.pos()}
	f.Lines = p.s.lines
	if len(p.sh.errs) > 0 {
		for _, e := range p.sh.errs {
			e.Position = f.Lines.Position(e.Extent.From)
		}
		p.sh.errs.sort()
		return f, p.sh.errs
	}
	return f, nil
}

// shared is the state a parser shares with the sub-parsers it starts for
// the $( ) parts of expandable strings.
type shared struct {
	arena
	errs      ErrorList
	comments  []*Comment
	commentHW int // comments before this offset are already recorded
	aborted   bool
	subs      map[int]subResult // string subexpressions by offset, parsed once
	freeSubs  []*parser         // finished sub-parsers, for reuse
}

type parser struct {
	s       scanner
	sh      *shared
	depth   int
	lastEnd Pos // end of the last consumed token

	// one token of lookahead, valid for the state it was scanned at and
	// the modes in peekKey: the mode it was scanned in, both when it scans
	// the same in either, or 0 for none. Whatever moves the scanner
	// other than peek and take clears it (reset only when it moves
	// elsewhere), so that a set key means the lookahead is current.
	peekKey  mode
	peekFrom scanState
	peekTo   scanState
	// toks[pk] is the lookahead and the other slot the token consumed
	// last, so that consuming a token copies nothing (indexed pk&1,
	// which needs no bounds check in the inlined peek)
	toks [2]token
	pk   uint8
	// errors found scanning the lookahead, and comments before it:
	// recorded only when it is consumed
	peekErrs     []*Error
	peekComments []*Comment
}

type snapshot struct {
	st      scanState
	lastEnd Pos
}

func (p *parser) mark() snapshot { return snapshot{p.s.scanState, p.lastEnd} }

func (p *parser) reset(m snapshot) {
	if m.st.off != p.peekFrom.off {
		p.peekKey = 0
	}
	p.s.scanState, p.lastEnd = m.st, m.lastEnd
}

func (p *parser) text(t *token) string { return p.s.str[t.pos:t.end] }

// peek returns the next token in mode m without consuming it. The parser
// peeks about four times per token, mostly at the token it has just
// scanned, so that case is small enough to inline. (No lookahead is kept
// past the nesting limit: see abort and peekScan.)
func (p *parser) peek(m mode) *token {
	if p.peekKey&m != 0 {
		return &p.toks[p.pk&1]
	}
	return p.peekScan(m)
}

func (p *parser) peekScan(m mode) *token {
	if p.sh.aborted {
		// Past the nesting limit every parser sees the end of input, even
		// one holding a token it peeked before: loops must end.
		t := &p.toks[p.pk&1]
		// It sits where the last token taken ended (lastEnd is valid:
		// the limit is reached only after many tokens).
		end := max(p.lastEnd.Offset(), 0)
		*t = token{kind: tEOF, pos: end, end: end}
		p.peekErrs, p.peekComments = nil, nil
		p.peekKey, p.peekTo = 0, p.s.scanState
		return t
	}
	t := &p.toks[p.pk&1]
	// A token already scanned is known by the offset it was scanned from.
	if p.peekKey&m != 0 && p.peekFrom.off == p.s.off {
		return t
	}
	from := p.s.scanState
	p.s.scanInto(m, t)
	// Most tokens have neither: skip the stores (and their write barriers).
	if p.peekErrs != nil || p.s.errs != nil {
		p.peekErrs = p.s.errs
	}
	if len(p.peekComments) > 0 || len(p.s.comments) > 0 {
		p.peekComments = p.s.comments
	}
	p.peekTo = p.s.scanState
	p.s.scanState = from
	p.peekKey, p.peekFrom = m, from
	if p.modeFree(t) {
		p.peekKey = cmdMode | exprMode
	}
	if p.sh.aborted {
		p.peekKey = 0 // a string's $( ) went past the nesting limit
	}
	return t
}

// modeFree reports whether t scans the same in both modes. A bareword
// starting with a letter does: both modes scan it with scanGeneric.
func (p *parser) modeFree(t *token) bool {
	switch t.kind {
	case tGeneric:
		c := p.s.src[t.pos] | 0x20
		return 'a' <= c && c <= 'z'
	case tNewline, tSemi, tPipe, tOrOr, tAmp, tAndAnd, tComma, tLParen, tRParen, tLBrace, tRBrace,
		tDollarParen, tAtParen, tAtBrace, tVariable, tSplat, tString, tRedirect, tRedirectIn, tEOF:
		return true
	}
	return false
}

// next consumes the next token in mode m and returns a copy of it.
func (p *parser) next(m mode) token { return *p.take(m) }

// skip consumes the next token in mode m.
func (p *parser) skip(m mode) { p.take(m) }

// take consumes the next token in mode m. The token it points to stays
// valid until the following take.
func (p *parser) take(m mode) *token {
	t := p.peek(m)
	p.s.scanState = p.peekTo
	p.peekKey = 0
	p.pk ^= 1
	if p.peekErrs != nil || len(p.peekComments) > 0 {
		p.record()
	}
	if t.kind != tEOF && t.kind != tNewline {
		p.lastEnd = t.to()
	}
	return t
}

// record keeps the errors found scanning the token just consumed and the
// comments before it.
func (p *parser) record() {
	if p.sh.aborted {
		return
	}
	for _, e := range p.peekErrs {
		if e.ID == "NestingTooDeep" {
			p.abort(e.Extent)
			break
		}
		p.sh.errs = append(p.sh.errs, e)
	}
	for _, c := range p.peekComments {
		if c.From.Offset() >= p.sh.commentHW {
			p.sh.comments = append(p.sh.comments, c)
			p.sh.commentHW = c.To.Offset()
		}
	}
}

func (p *parser) errorAt(ext Extent, id, msg string) {
	if p.sh.aborted {
		return
	}
	p.sh.errs = append(p.sh.errs, &Error{File: p.s.file, Extent: ext, ID: id, Message: msg})
}

func (p *parser) abort(ext Extent) {
	if p.sh.aborted {
		return
	}
	p.errorAt(ext, "NestingTooDeep", nestingTooDeepMsg)
	p.sh.aborted = true
	// Drop the lookahead, so that peek sees the end of input. Any other
	// parser running is scanning a string whose $( ) this one parses, and
	// drops its lookahead when that scan returns.
	p.peekKey = 0
}

// after is the empty extent just past the last consumed token, where
// PowerShell reports incomplete input.
func (p *parser) after() Extent { return Extent{p.lastEnd, p.lastEnd} }

func (p *parser) unexpected(t *token) {
	p.errorAt(t.extent(), "UnexpectedToken", "Unexpected token '"+p.text(t)+"' in expression or statement.")
}

// enter counts one level of nesting; it reports false (and stops the
// parse) past maxDepth.
func (p *parser) enter(at *token) bool {
	p.depth++
	if p.depth > maxDepth {
		p.abort(at.extent())
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// skipNewlines peeks in expression mode: a statement or operand usually
// follows, and a bareword starting with a letter scans the same in both
// modes, while "[Byte[]]$(...)" read as an argument-mode bareword would
// scan the whole subexpression for nothing.
func (p *parser) skipNewlines() {
	for p.peek(exprMode).kind == tNewline {
		p.skip(exprMode)
	}
}

// isEnd reports whether t ends a command or pipeline element.
func isEnd(k tokKind) bool {
	switch k {
	case tNewline, tSemi, tPipe, tRParen, tRBrace, tEOF, tAndAnd, tOrOr:
		return true
	}
	return false
}

// ---- statements ----

// parseStatements parses statements up to (not including) closer, which is
// tEOF, tRBrace or tRParen.
func (p *parser) parseStatements(closer tokKind) []Stmt {
	// The top level (closer tEOF, nothing below it on the stack) pushes
	// onto the heap stack, which then becomes the list: that saves copying
	// a large script's top level, and ParseFile sized the stack for it. A
	// block collects its statements in this frame (see shortList).
	top := closer == tEOF
	sl := shortList[Stmt]{mark: len(p.sh.stmts)}
	for {
		t := p.peek(exprMode)
		switch t.kind {
		case tNewline, tSemi:
			p.skip(exprMode)
			continue
		case tEOF:
			return p.statementList(top, &sl)
		case tRBrace, tRParen:
			if t.kind == closer {
				return p.statementList(top, &sl)
			}
			p.unexpected(t)
			p.skip(cmdMode)
			continue
		case tAndAnd, tOrOr:
			p.invalidEndOfLine(t)
			continue
		}
		if st := p.parseStatement(); st != nil {
			if top {
				p.sh.stmts = append(p.sh.stmts, st)
			} else {
				sl.add(st, &p.sh.stmts)
			}
		}
		t = p.peek(exprMode)
		switch t.kind {
		case tNewline, tSemi, tEOF:
		case tRBrace, tRParen:
			if t.kind != closer {
				p.unexpected(t)
				p.skip(cmdMode)
			}
		case tAndAnd, tOrOr:
			p.invalidEndOfLine(t)
		default:
			p.unexpected(t)
			p.skipStatement()
		}
	}
}

// statementList ends the list parseStatements collected.
func (p *parser) statementList(top bool, sl *shortList[Stmt]) []Stmt {
	if !top {
		return sl.finish(&p.sh.stmtList, &p.sh.stmts)
	}
	list := p.sh.stmts[:len(p.sh.stmts):len(p.sh.stmts)]
	if len(list) == 0 {
		list = nil
	}
	p.sh.stmts = nil
	return list
}

func (p *parser) invalidEndOfLine(t *token) {
	p.errorAt(t.extent(), "InvalidEndOfLine", "The token '"+p.text(t)+"' is not a valid statement separator in this version.")
	p.skip(cmdMode)
}

// skipStatement skips to the end of the statement after an error: a
// newline or ';' outside brackets, or a closing bracket it did not open.
func (p *parser) skipStatement() {
	depth := 0
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tEOF:
			return
		case tNewline, tSemi:
			if depth == 0 {
				return
			}
		case tLParen, tLBrace, tDollarParen, tAtParen, tAtBrace:
			depth++
		case tRParen, tRBrace:
			if depth == 0 {
				return
			}
			depth--
		}
		p.skip(cmdMode)
	}
}

// keyword returns the lower-case keyword a plain bareword spells, or "".
func keyword(t *token) string {
	if t.kind != tGeneric || t.flags&fPlain == 0 || len(t.val) < 2 || len(t.val) > 8 {
		return ""
	}
	switch c := t.val[0] | 0x20; c {
	case 'i', 'f', 'w', 'd', 't', 'r', 'b', 'c', 'e', 's':
	default:
		return ""
	}
	for _, kw := range [...]string{"if", "foreach", "for", "while", "do", "try", "function", "filter",
		"return", "throw", "break", "continue", "exit", "switch", "trap"} {
		if strings.EqualFold(t.val, kw) {
			return kw
		}
	}
	return ""
}

func (p *parser) parseStatement() Stmt {
	t := p.peek(exprMode) // keywords scan the same in both modes
	if !p.enter(t) {
		return nil
	}
	defer p.leave()
	switch keyword(t) {
	case "if":
		return p.parseIf()
	case "foreach":
		return p.parseForeach()
	case "for":
		return p.parseFor()
	case "while":
		return p.parseWhile()
	case "do":
		return p.parseDo()
	case "try":
		return p.parseTry()
	case "function", "filter":
		return p.parseFunction()
	case "return", "throw", "exit", "break", "continue":
		return p.parseFlow()
	case "switch":
		return p.parseSwitch("")
	case "trap":
		return p.parseTrap()
	}
	if st := p.parseLabeled(t); st != nil {
		return st
	}
	return p.parsePipeline()
}

// parseLabeled parses `:label` before a loop or switch, which break and
// continue can name. Anything else starting with a colon is left to the
// pipeline parser (a command named `:x`, as PowerShell reads it).
func (p *parser) parseLabeled(t *token) Stmt {
	if t.kind != tGeneric || t.flags&fPlain == 0 || len(t.val) < 2 || t.val[0] != ':' {
		return nil
	}
	m := p.mark()
	lt := p.next(cmdMode)
	label := lt.val[1:]
	kt := p.peek(exprMode)
	switch keyword(kt) {
	case "foreach":
		st := p.parseForeach().(*Foreach)
		st.Label, st.Extent.From = label, lt.from()
		return st
	case "for":
		st := p.parseFor().(*For)
		st.Label, st.Extent.From = label, lt.from()
		return st
	case "while":
		st := p.parseWhile().(*While)
		st.Label, st.Extent.From = label, lt.from()
		return st
	case "do":
		st := p.parseDo().(*While)
		st.Label, st.Extent.From = label, lt.from()
		return st
	case "switch":
		st := p.parseSwitch(label).(*Switch)
		st.Extent.From = lt.from()
		return st
	}
	p.reset(m)
	return nil
}

func (p *parser) parsePipeline() Stmt {
	first := p.peek(exprMode)
	from := first.from()
	els := shortList[PipelineElement]{mark: len(p.sh.pipeEls)}
	if first.kind == tPipe {
		p.errorAt(first.extent(), "EmptyPipeElement", "An empty pipe element is not allowed.")
	} else {
		el, assign := p.parsePipelineElement(true)
		if assign != nil {
			return assign
		}
		if el != nil {
			els.add(el, &p.sh.pipeEls)
		}
	}
	for {
		t := p.peek(cmdMode)
		if t.kind != tPipe {
			break
		}
		p.skip(cmdMode)
		p.skipNewlines()
		t = p.peek(cmdMode)
		if isEnd(t.kind) {
			ext := p.after()
			if t.kind == tPipe {
				ext = t.extent()
			}
			p.errorAt(ext, "EmptyPipeElement", "An empty pipe element is not allowed.")
			if t.kind == tPipe {
				continue
			}
			break
		}
		if el, _ := p.parsePipelineElement(false); el != nil {
			els.add(el, &p.sh.pipeEls)
		}
	}
	// The node is taken only now, so that an assignment leaves no unused
	// Pipeline behind.
	pl := p.sh.pipes.new()
	pl.Extent = Extent{from, p.lastEnd}
	if els.n == 0 {
		pl.Extent.To = from
	}
	pl.Elements = els.finish(&p.sh.pipeList, &p.sh.pipeEls)
	return pl
}

// parsePipelineElement parses a command, or an expression (which, first in
// a pipeline, may be the target of an assignment).
func (p *parser) parsePipelineElement(first bool) (PipelineElement, *Assignment) {
	// As PowerShell does, try an expression first and fall back to a
	// command when the text does not start one.
	t := p.peek(exprMode)
	switch t.kind {
	case tNumber, tVariable, tString, tLParen, tDollarParen, tAtParen, tAtBrace, tLBrace, tLBracket, tComma, tSplat, tBad:
	case tOp:
		if !isUnaryOp(t) {
			return p.parseCommand(), nil
		}
	default:
		return p.parseCommand(), nil
	}
	start := p.peek(exprMode)
	from := start.from()
	x := p.parseExpression()
	if x == nil {
		t := p.peek(exprMode)
		p.unexpected(t)
		p.skipStatement()
		return nil, nil
	}
	if first {
		if t := p.peek(exprMode); t.kind == tAssign {
			return nil, p.parseAssignment(x, from)
		}
	}
	ce := put(&p.sh.cmdExprs, CommandExpr{X: x})
	for {
		t := p.peek(exprMode)
		if t.kind != tRedirect && t.kind != tRedirectIn {
			break
		}
		ce.Redirects = append(ce.Redirects, p.parseRedirection())
	}
	ce.Extent = Extent{from, p.lastEnd}
	if !first {
		p.errorAt(x.Span(), "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline.")
	}
	return ce, nil
}

func isUnaryOpName(name string) bool {
	switch strings.ToLower(name) {
	case "not", "bnot", "split", "join":
		return true
	}
	return false
}

func (p *parser) parseAssignment(left Expr, from Pos) *Assignment {
	op := p.next(exprMode)
	a := put(&p.sh.assigns, Assignment{Op: op.val, Left: left})
	switch left.(type) {
	case *Variable, *Member, *Index, *Cast, *ArrayLit:
	default:
		p.errorAt(left.Span(), "InvalidLeftHandSide", "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.")
	}
	p.skipNewlines()
	if t := p.peek(cmdMode); isEnd(t.kind) {
		p.errorAt(Extent{op.to(), op.to()}, "ExpectedValueExpression", "You must provide a value expression following the '"+p.text(&op)+"' operator.")
	} else {
		a.Right = p.parseStatement()
	}
	a.Extent = Extent{from, p.lastEnd}
	return a
}

func (p *parser) parseRedirection() *Redirection {
	t := p.next(cmdMode)
	r := &Redirection{Op: t.val}
	if t.kind == tRedirectIn {
		r.Op = "<"
		p.errorAt(t.extent(), "RedirectionNotSupported", "The '<' operator is reserved for future use.")
	}
	if !strings.Contains(r.Op, "&") {
		if a := p.peek(cmdMode); isEnd(a.kind) || a.kind == tRedirect || a.kind == tRedirectIn {
			p.errorAt(p.after(), "MissingFileSpecification", "Missing file specification after redirection operator.")
		} else {
			r.Target = p.parseSingleArg()
		}
	}
	r.Extent = Extent{t.from(), p.lastEnd}
	return r
}

// ---- commands ----

func (p *parser) parseCommand() *Command {
	t := p.next(cmdMode)
	from := t.from()
	cmd := p.sh.cmds.new()
	els := shortList[CommandElement]{mark: len(p.sh.elems)}
	switch t.kind {
	case tAmp, tDot:
		cmd.Invocation = p.text(&t)
		if a := p.peek(cmdMode); isEnd(a.kind) {
			p.errorAt(p.after(), "MissingExpression", "Missing expression after '"+cmd.Invocation+"' in pipeline element.")
		} else {
			cmd.Name = p.parseSingleArg()
		}
	case tParam, tMinusMinus:
		cmd.Name = p.sh.strLit(t.extent(), Bare, p.text(&t))
	case tStopParsing:
		cmd.Name = p.sh.strLit(t.extent(), Verbatim, t.val)
	default:
		cmd.Name = p.argFromToken(&t)
	}
	endOfParams := false
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tNewline, tSemi, tPipe, tRParen, tRBrace, tEOF, tAndAnd, tOrOr:
			cmd.Extent = Extent{from, p.lastEnd}
			cmd.Elements = els.finish(&p.sh.elemList, &p.sh.elems)
			return cmd
		case tAmp:
			p.errorAt(t.extent(), "AmpersandNotAllowed", `The ampersand (&) character is not allowed. The & operator is reserved for future use; wrap an ampersand in double quotation marks ("&") to pass it as part of a string.`)
			p.skip(cmdMode)
		case tRedirect, tRedirectIn:
			cmd.Redirects = append(cmd.Redirects, p.parseRedirection())
		case tMinusMinus:
			tt := p.next(cmdMode)
			if !endOfParams {
				endOfParams = true
				continue
			}
			els.add(p.sh.strLit(tt.extent(), Bare, "--"), &p.sh.elems)
		case tStopParsing:
			tt := p.take(cmdMode)
			els.add(p.sh.strLit(tt.extent(), Verbatim, tt.val), &p.sh.elems)
		case tParam:
			if endOfParams {
				tt := p.take(cmdMode)
				els.add(p.sh.strLit(tt.extent(), Bare, p.text(tt)), &p.sh.elems)
				continue
			}
			els.add(p.parseParameter(), &p.sh.elems)
		case tComma:
			c := p.next(cmdMode)
			p.errorAt(c.extent(), "MissingArgument", "Missing argument in parameter list.")
		default:
			if a := p.parseCommandArgument(); a != nil {
				els.add(a, &p.sh.elems)
			}
		}
	}
}

func (p *parser) parseParameter() *Parameter {
	t := p.take(cmdMode)
	text := p.text(t)
	prm := p.sh.params.new()
	prm.Extent, prm.Name, prm.Text = t.extent(), t.val, text
	if t.has(fColon) {
		// The scanner ends the token at the first colon.
		prm.Text = text[:len(text)-1]
		prm.Colon = true
		if a := p.peek(cmdMode); isEnd(a.kind) || a.kind == tRedirect || a.kind == tRedirectIn {
			p.errorAt(prm.Extent, "ParameterRequiresArgument", "Parameter "+text+" requires an argument.")
		} else {
			prm.Arg = p.parseCommandArgument()
		}
		return prm
	}
	if a := p.peek(cmdMode); a.kind == tComma {
		c := p.next(cmdMode)
		p.errorAt(c.extent(), "MissingArgument", "Missing argument in parameter list.")
	}
	return prm
}

// parseCommandArgument parses one argument, which may be a comma list; a
// newline after a comma continues the list.
func (p *parser) parseCommandArgument() Expr {
	first := p.parseSingleArg()
	if first == nil {
		return nil
	}
	if p.peek(cmdMode).kind != tComma {
		return first
	}
	arr := p.sh.arrays.new()
	mark := len(p.sh.exprs)
	p.sh.exprs = append(p.sh.exprs, first)
	for p.peek(cmdMode).kind == tComma {
		p.skip(cmdMode)
		p.skipNewlines()
		if a := p.peek(cmdMode); isEnd(a.kind) || a.kind == tComma {
			p.errorAt(p.after(), "MissingExpression", "Missing expression after ',' in pipeline element.")
			break
		}
		if x := p.parseSingleArg(); x != nil {
			p.sh.exprs = append(p.sh.exprs, x)
		}
	}
	arr.Elems = p.sh.popExprs(mark)
	arr.Extent = Extent{first.Pos(), p.lastEnd}
	return arr
}

// parseSingleArg parses one command argument (no comma list).
func (p *parser) parseSingleArg() Expr {
	t := p.peek(cmdMode)
	switch t.kind {
	case tGeneric, tString:
		tt := p.take(cmdMode)
		return p.argFromToken(tt)
	case tVariable:
		tt := p.take(cmdMode)
		return p.postfix(p.varNode(tt))
	case tSplat:
		tt := p.take(cmdMode)
		return put(&p.sh.vars, Variable{Extent: tt.extent(), Name: tt.val, Splat: true})
	case tLParen, tDollarParen, tAtParen, tAtBrace, tLBrace:
		if !p.enter(t) {
			return nil
		}
		defer p.leave()
		return p.postfix(p.parsePrimary())
	case tParam, tMinusMinus:
		tt := p.take(cmdMode)
		return p.sh.strLit(tt.extent(), Bare, p.text(tt))
	case tComma:
		// A leading comma makes a one-element array, as in expressions.
		c := p.next(cmdMode)
		x := p.parseSingleArg()
		if x == nil {
			return nil
		}
		return &Unary{Extent: Extent{c.from(), p.lastEnd}, Op: ",", X: x}
	}
	p.unexpected(t)
	p.skip(cmdMode)
	return nil
}

func (p *parser) varNode(t *token) *Variable {
	v := p.sh.vars.new()
	v.Extent, v.Name, v.Braced = t.extent(), t.val, t.has(fBraced)
	return v
}

// argFromToken turns a bareword, string or number token into its node.
func (p *parser) argFromToken(t *token) Expr {
	switch {
	case t.has(fExpandable):
		return put(&p.sh.expStrs, ExpandableString{Extent: t.extent(), Kind: t.strKind, Raw: t.val, Parts: p.convertParts(t)})
	case t.num != nil:
		return put(&p.sh.numbers, Number{Extent: t.extent(), Text: p.text(t), Value: t.num})
	case t.kind == tGeneric || t.kind == tString:
		return p.sh.strLit(t.extent(), t.strKind, t.val)
	}
	p.unexpected(t)
	return nil
}

func (p *parser) convertParts(t *token) []Expr {
	mark := len(p.sh.exprs)
	for _, sp := range t.parts {
		ext := Extent{sp.from, sp.to}
		var x Expr
		switch sp.kind {
		case partLit:
			x = p.sh.strLit(ext, t.strKind, sp.lit)
		case partVar:
			x = put(&p.sh.vars, Variable{Extent: ext, Name: sp.name, Braced: sp.braced})
		case partSub:
			x = sp.node
		}
		p.sh.exprs = append(p.sh.exprs, x)
	}
	return p.sh.popExprs(mark)
}

// stringSubExpr parses the "$( ... )" inside an expandable string or
// bareword with a sub-parser over the same source (positions stay exact),
// for the scanner, which needs to know where it ends. A string scanned
// again (a lookahead in the other mode) gets the same node back.
func (p *parser) stringSubExpr(from Pos, at scanState) (Expr, scanState) {
	if r, ok := p.sh.subs[at.off]; ok {
		return r.node, r.end
	}
	sub := p.sh.newSub()
	defer p.sh.freeSub(sub)
	sub.depth = p.depth + 1
	sub.s.src, sub.s.str, sub.s.file = p.s.src, p.s.str, p.s.file
	sub.s.scanState = at
	sub.s.lines = p.s.lines
	sub.lastEnd = from
	se := p.sh.subExprs.new()
	if sub.depth > maxDepth {
		p.abort(Extent{from, from})
	} else {
		se.Stmts = sub.parseStatements(tRParen)
		if sub.peek(exprMode).kind == tRParen {
			sub.skip(exprMode)
		} else {
			sub.errorAt(sub.after(), "MissingEndParenthesisInSubexpression", "Missing closing ')' in subexpression.")
		}
	}
	se.Extent = Extent{from, sub.lastEnd}
	if p.sh.subs == nil {
		p.sh.subs = make(map[int]subResult)
	}
	p.sh.subs[at.off] = subResult{se, sub.s.scanState}
	return se, sub.s.scanState
}

type subResult struct {
	node Expr
	end  scanState
}

// newSub returns a parser for a string's $( ), reusing one that has
// finished: a script with thousands of them would otherwise allocate a
// parser (two tokens and a scanner) for each.
func (sh *shared) newSub() *parser {
	if n := len(sh.freeSubs); n > 0 {
		sub := sh.freeSubs[n-1]
		sh.freeSubs = sh.freeSubs[:n-1]
		subExpr := sub.s.subExpr // bound to sub: still right
		*sub = parser{sh: sh}
		sub.s.subExpr = subExpr
		return sub
	}
	sub := &parser{sh: sh}
	sub.s.subExpr = sub.stringSubExpr
	return sub
}

func (sh *shared) freeSub(sub *parser) { sh.freeSubs = append(sh.freeSubs, sub) }

// ---- expressions ----

// parseExpression parses a full expression: binary operators over comma
// lists over unary expressions.
func (p *parser) parseExpression() Expr { return p.parseBinary(1, true) }

func (p *parser) parseBinary(minPrec int, comma bool) Expr {
	x := p.parseArray(comma)
	if x == nil {
		return nil
	}
	// Each operator makes the (left-leaning) tree one level deeper; it
	// counts toward the nesting limit so that no consumer walking the tree
	// recursively meets a 100 000-deep chain.
	base := p.depth
	defer func() { p.depth = base }()
	for {
		t := p.peek(exprMode)
		if t.kind != tOp {
			return x
		}
		prec := binaryPrec(t.val)
		if prec == 0 || prec < minPrec {
			return x
		}
		op := p.next(exprMode)
		if !p.enter(&op) {
			return x
		}
		p.skipNewlines()
		y := p.parseBinary(prec+1, comma)
		if y == nil {
			p.errorAt(Extent{op.to(), op.to()}, "ExpectedValueExpression", "You must provide a value expression following the '"+p.text(&op)+"' operator.")
			return x
		}
		x = put(&p.sh.binaries, Binary{Extent: Extent{x.Pos(), y.End()}, Op: op.val, OpPos: op.from(), X: x, Y: y})
	}
}

func (p *parser) parseArray(comma bool) Expr {
	x := p.parseUnary()
	if x == nil || !comma || p.peek(exprMode).kind != tComma {
		return x
	}
	arr := p.sh.arrays.new()
	mark := len(p.sh.exprs)
	p.sh.exprs = append(p.sh.exprs, x)
	for p.peek(exprMode).kind == tComma {
		p.skip(exprMode)
		p.skipNewlines()
		y := p.parseUnary()
		if y == nil {
			p.errorAt(p.after(), "MissingExpressionAfterToken", "Missing expression after ','.")
			break
		}
		p.sh.exprs = append(p.sh.exprs, y)
	}
	arr.Elems = p.sh.popExprs(mark)
	arr.Extent = Extent{x.Pos(), p.lastEnd}
	return arr
}

func isUnaryOp(t *token) bool {
	if t.kind == tComma {
		return true
	}
	if t.kind != tOp {
		return false
	}
	switch t.val {
	case "-not", "!", "-bnot", "-split", "-join", "-", "+", "++", "--":
		return true
	}
	return false
}

// startsUnary reports whether t can begin an operand.
func startsUnary(t *token) bool {
	switch t.kind {
	case tVariable, tNumber, tString, tLParen, tDollarParen, tAtParen, tAtBrace, tLBrace, tLBracket, tSplat:
		return true
	}
	return isUnaryOp(t)
}

func (p *parser) parseUnary() Expr {
	t := p.peek(exprMode)
	if !p.enter(t) {
		return nil
	}
	defer p.leave()
	if isUnaryOp(t) {
		op := p.next(exprMode)
		x := p.parseUnary()
		if x == nil {
			if !p.sh.aborted {
				p.errorAt(Extent{op.to(), op.to()}, "MissingExpressionAfterOperator", "Missing expression after unary operator '"+p.text(&op)+"'.")
			}
			return nil
		}
		name := op.val
		if op.kind == tComma {
			name = ","
		}
		return put(&p.sh.unaries, Unary{Extent: Extent{op.from(), x.End()}, Op: name, X: x})
	}
	if t.kind == tLBracket {
		tl := p.parseTypeLit()
		if tl == nil {
			return nil
		}
		if c := p.byteAt(p.s.off); c == ':' || c == '.' {
			return p.postfix(tl)
		}
		if n := p.peek(exprMode); startsUnary(n) {
			x := p.parseUnary()
			if x == nil {
				return tl
			}
			return put(&p.sh.casts, Cast{Extent: Extent{tl.Pos(), x.End()}, Type: tl, X: x})
		}
		return tl
	}
	x := p.parsePrimary()
	if x == nil {
		return nil
	}
	x = p.postfix(x)
	if c := p.byteAt(p.s.off); c == '+' || c == '-' {
		if n := p.peek(exprMode); n.kind == tOp && (n.val == "++" || n.val == "--") && n.pos == p.s.off {
			op := p.next(exprMode)
			return &Unary{Extent: Extent{x.Pos(), op.to()}, Op: op.val, X: x, Postfix: true}
		}
	}
	return x
}

func (p *parser) byteAt(i int) byte {
	if i < len(p.s.src) {
		return p.s.src[i]
	}
	return 0
}

// parseTypeLit parses [TypeName] at a "[" token, including generic and
// array forms ([Byte[]], [List[string]]) and attributes ([Parameter(...)]).
func (p *parser) parseTypeLit() *TypeLit {
	open := p.next(exprMode)
	src := p.s.src
	i := p.s.off
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if r, _ := p.s.runeAt(i); r == -1 || !(r == '_' || isParamStart(r) && r != '?') {
		p.errorAt(Extent{open.to(), open.to()}, "MissingTypename", "Missing type name after '['.")
		return nil
	}
	// The name runs to the matching "]"; quoted attribute arguments
	// ([Parameter(HelpMessage='a ] b')]) are skipped whole, and a quote
	// outside the parentheses, or one left open, makes it no type name.
	depth, parens := 1, 0
	bad, quote := "", byte(0)
	for i < len(src) && bad == "" {
		c := src[i]
		switch {
		case c == '\n' || c == '\r':
			bad = "EndSquareBracketExpectedAtEndOfType"
			continue
		case c == '[':
			depth++
		case c == '(':
			parens++
		case c == ')':
			if parens--; parens < 0 {
				bad = "EndSquareBracketExpectedAtEndOfType"
				continue
			}
		case c == ']':
			if depth--; depth == 0 && parens == 0 {
				name := strings.TrimSpace(p.s.str[p.s.off:i])
				p.s.off = i + 1
				p.lastEnd = p.s.pos()
				p.peekKey = 0
				return put(&p.sh.types, TypeLit{Extent: Extent{open.from(), p.lastEnd}, Name: name})
			}
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(src) && src[j] != c && src[j] != '\n' && src[j] != '\r' {
				j++
			}
			switch {
			case parens == 0:
				bad = "EndSquareBracketExpectedAtEndOfType"
				continue
			case j >= len(src) || src[j] != c:
				bad, quote = "TerminatorExpectedAtEndOfString", c
				i = j
				continue
			}
			i = j
		}
		i++
	}
	p.s.off = i
	p.lastEnd = p.s.pos()
	p.peekKey = 0
	if bad == "TerminatorExpectedAtEndOfString" {
		p.errorAt(Extent{open.from(), p.lastEnd}, bad, "The string is missing the terminator: "+string(quote)+".")
	} else {
		p.errorAt(Extent{open.from(), p.lastEnd}, "EndSquareBracketExpectedAtEndOfType", "Missing ] at end of type token.")
	}
	return nil
}

func (p *parser) parsePrimary() Expr {
	t := p.peek(exprMode)
	switch t.kind {
	case tVariable:
		tt := p.take(exprMode)
		return p.varNode(tt)
	case tSplat:
		tt := p.next(exprMode)
		p.errorAt(tt.extent(), "SplattingNotPermitted", "The splatting operator '@' cannot be used to reference variables in an expression. '@"+tt.val+"' can be used only as an argument to a command. To reference variables in an expression use '$"+tt.val+"'.")
		return &Variable{Extent: tt.extent(), Name: tt.val, Splat: true}
	case tNumber:
		tt := p.take(exprMode)
		return put(&p.sh.numbers, Number{Extent: tt.extent(), Text: p.text(tt), Value: tt.num})
	case tString:
		tt := p.take(exprMode)
		return p.argFromToken(tt)
	case tLParen:
		return p.parseParen()
	case tDollarParen, tAtParen:
		open := p.next(exprMode)
		stmts := p.parseStatements(tRParen)
		if p.peek(cmdMode).kind == tRParen {
			p.skip(cmdMode)
		} else {
			p.errorAt(p.after(), "MissingEndParenthesisInSubexpression", "Missing closing ')' in subexpression.")
		}
		ext := Extent{open.from(), p.lastEnd}
		if open.kind == tAtParen {
			return put(&p.sh.arrSubs, ArraySubExpr{Extent: ext, Stmts: stmts})
		}
		return put(&p.sh.subExprs, SubExpr{Extent: ext, Stmts: stmts})
	case tAtBrace:
		return p.parseHashtable()
	case tLBrace:
		return p.parseScriptBlock()
	case tBad:
		// The error is recorded; read on as if it were a literal.
		tt := p.take(exprMode)
		return p.sh.strLit(tt.extent(), Bare, p.text(tt))
	}
	return nil
}

func (p *parser) parseParen() Expr {
	open := p.next(exprMode)
	par := p.sh.parens.new()
	p.skipNewlines()
	if t := p.peek(exprMode); t.kind == tRParen {
		p.errorAt(Extent{open.to(), open.to()}, "ExpectedExpression", "An expression was expected after '('.")
	} else if !isEnd(t.kind) {
		par.X = p.parseStatement()
	}
	p.skipNewlines()
	if t := p.peek(cmdMode); t.kind == tRParen {
		p.skip(cmdMode)
	} else {
		p.errorAt(p.after(), "MissingEndParenthesisInExpression", "Missing closing ')' in expression.")
	}
	par.Extent = Extent{open.from(), p.lastEnd}
	return par
}

// postfix parses member access, static member access, method calls and
// indexing written directly after an operand (no white space before them).
func (p *parser) postfix(x Expr) Expr {
	base := p.depth // a chain deepens the tree: see parseBinary
	defer func() { p.depth = base }()
	for x != nil {
		off := p.s.off
		c, c2 := p.byteAt(off), p.byteAt(off+1)
		if c == '.' || c == ':' || c == '[' {
			p.depth++
			if p.depth > maxDepth {
				p.abort(Extent{p.lastEnd, p.lastEnd})
				return x
			}
		}
		switch {
		case c == '.' && c2 != '.':
			// Not p.next: ".0" would scan as a number.
			p.skipBytes(1)
			x = p.parseMember(x, false)
		case c == ':' && c2 == ':':
			p.skipBytes(2)
			x = p.parseMember(x, true)
		case c == '[':
			open := p.next(exprMode)
			p.skipNewlines()
			idx := p.parseExpression()
			p.skipNewlines()
			if idx == nil {
				p.errorAt(Extent{open.to(), open.to()}, "MissingArrayIndexExpression", "Array index expression is missing or not valid.")
			}
			if t := p.peek(exprMode); t.kind == tRBracket {
				p.skip(exprMode)
			} else {
				p.errorAt(p.after(), "MissingEndSquareBracket", "Missing ']' after array index expression.")
				if idx == nil {
					return x
				}
			}
			x = put(&p.sh.indexes, Index{Extent: Extent{x.Pos(), p.lastEnd}, X: x, Index: idx})
		default:
			return x
		}
	}
	return x
}

// skipBytes consumes n bytes of punctuation on the current line.
func (p *parser) skipBytes(n int) {
	p.s.off += n
	p.peekKey = 0
	p.lastEnd = p.s.pos()
}

func (p *parser) parseMember(x Expr, static bool) Expr {
	var name Expr
	r, n := p.s.runeAt(p.s.off)
	switch {
	case r != -1 && isWordChar(r):
		from := p.s.pos()
		i := p.s.off + n
		for {
			r, n := p.s.runeAt(i)
			if r == -1 || !isWordChar(r) {
				break
			}
			i += n
		}
		val := p.s.str[p.s.off:i]
		p.s.off = i
		p.peekKey = 0
		p.lastEnd = p.s.pos()
		name = p.sh.strLit(Extent{from, p.lastEnd}, Bare, val)
	case r == '$' || isQuote(r):
		t := p.peek(exprMode)
		if t.kind == tVariable {
			tt := p.take(exprMode)
			name = p.varNode(tt)
		} else if t.kind == tString {
			tt := p.take(exprMode)
			name = p.argFromToken(tt)
		}
	case r == '(':
		name = p.parseParen()
	}
	if name == nil {
		p.errorAt(p.after(), "MissingPropertyName", "Missing property name after reference operator.")
		return x
	}
	if p.byteAt(p.s.off) != '(' {
		return put(&p.sh.members, Member{Extent: Extent{x.Pos(), p.lastEnd}, X: x, Name: name, Static: static})
	}
	p.skip(exprMode) // (
	inv := put(&p.sh.invokes, Invoke{X: x, Name: name, Static: static})
	p.skipNewlines()
	if p.peek(exprMode).kind != tRParen {
		mark := len(p.sh.exprs)
		for {
			p.skipNewlines()
			a := p.parseBinary(1, false)
			if a == nil {
				break
			}
			p.sh.exprs = append(p.sh.exprs, a)
			p.skipNewlines()
			if p.peek(exprMode).kind != tComma {
				break
			}
			p.skip(exprMode)
		}
		inv.Args = p.sh.popExprs(mark)
	}
	p.skipNewlines()
	if p.peek(exprMode).kind == tRParen {
		p.skip(exprMode)
	} else {
		p.errorAt(p.after(), "MissingEndParenthesisInMethodCall", "Missing ')' in method call.")
	}
	inv.Extent = Extent{x.Pos(), p.lastEnd}
	return inv
}

func (p *parser) parseHashtable() Expr {
	open := p.next(exprMode)
	h := p.sh.hashes.new()
	mark := len(p.sh.kvs)
	for {
		t := p.peek(cmdMode)
		if t.kind == tNewline || t.kind == tSemi {
			p.skip(cmdMode)
			continue
		}
		if t.kind == tRBrace || t.kind == tEOF || t.kind == tRParen {
			break
		}
		kv := p.sh.pairs.new()
		key := p.parseHashKey()
		if key == nil {
			p.unexpected(p.peek(cmdMode))
			p.skipStatement()
			continue
		}
		kv.Key = key
		if a := p.peek(exprMode); a.kind == tAssign && a.val == "=" {
			p.skip(exprMode)
			p.skipNewlines()
			if v := p.peek(cmdMode); isEnd(v.kind) {
				p.errorAt(p.after(), "MissingStatementInHashLiteral", "Missing statement after '=' in hash literal.")
			} else {
				kv.Value = p.parseStatement()
			}
		} else {
			p.errorAt(p.after(), "MissingEqualsInHashLiteral", "Missing '=' operator after key in hash literal.")
			p.skipStatement()
		}
		kv.Extent = Extent{key.Pos(), p.lastEnd}
		p.sh.kvs = append(p.sh.kvs, kv)
		switch t := p.peek(cmdMode); t.kind {
		case tNewline, tSemi, tRBrace, tEOF:
		default:
			p.unexpected(t)
			p.skipStatement()
		}
	}
	if p.peek(cmdMode).kind == tRBrace {
		p.skip(cmdMode)
	} else {
		p.errorAt(open.extent(), "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition.")
	}
	h.Pairs = p.sh.pairList.copyOf(p.sh.kvs[mark:])
	p.sh.kvs = p.sh.kvs[:mark]
	h.Extent = Extent{open.from(), p.lastEnd}
	return h
}

// parseHashKey parses a hashtable key: a bareword (up to '='), a string, a
// number, a variable or a parenthesized expression.
func (p *parser) parseHashKey() Expr {
	t := p.peek(exprMode)
	switch t.kind {
	case tString, tNumber, tVariable, tLParen, tDollarParen:
		return p.parseUnary()
	case tGeneric, tParam, tOp:
		// A bareword key ends at '=' or white space.
		i := t.pos
		for i < len(p.s.src) {
			r, n := p.s.runeAt(i)
			if forcesNewToken(r) || r == '=' || isNewline(r) {
				break
			}
			i += n
		}
		if i == t.pos {
			return nil
		}
		// Move past white space and comments only: the bareword scan
		// would have taken the '=' and the value with it.
		p.peekKey = 0
		p.s.errs, p.s.comments = nil, nil
		p.s.skipSpace()
		from := p.s.pos()
		val := p.s.str[t.pos:i]
		p.s.off = i
		p.lastEnd = p.s.pos()
		return p.sh.strLit(Extent{from, p.lastEnd}, Bare, val)
	}
	return nil
}

// parseScriptBlock parses { [param(...)] statements }.
func (p *parser) parseScriptBlock() Expr {
	open := p.next(exprMode)
	sb := p.sh.scripts.new()
	sb.Attributes, sb.Params = p.parseParamBlock()
	p.parseBody(sb)
	p.closeBrace(&open)
	sb.Extent = Extent{open.from(), p.lastEnd}
	return sb
}

func (p *parser) closeBrace(open *token) {
	if p.peek(cmdMode).kind == tRBrace {
		p.skip(cmdMode)
		return
	}
	p.errorAt(open.extent(), "MissingEndCurlyBrace", "Missing closing '}' in statement block or type definition.")
}

// parseParamBlock parses an optional [attributes] param( ... ) at the start
// of a script or script block; without one it consumes nothing.
func (p *parser) parseParamBlock() ([]*TypeLit, []*ParamDecl) {
	m := p.mark()
	p.skipNewlines()
	var attrs []*TypeLit
	for p.peek(exprMode).kind == tLBracket {
		tl := p.parseTypeLit()
		if tl == nil {
			break
		}
		attrs = append(attrs, tl)
		p.skipNewlines()
	}
	t := p.peek(cmdMode)
	if t.kind != tGeneric || t.flags&fPlain == 0 || !strings.EqualFold(t.val, "param") || p.byteAfterSpace(t.end) != '(' {
		p.reset(m)
		return nil, nil
	}
	p.skip(cmdMode)
	return attrs, p.parseParamList()
}

// byteAfterSpace returns the first byte at or after i that is not a space or
// tab.
func (p *parser) byteAfterSpace(i int) byte {
	for i < len(p.s.src) && (p.s.src[i] == ' ' || p.s.src[i] == '\t') {
		i++
	}
	return p.byteAt(i)
}

// parseParamList parses ( [attrs] $name [= default], ... ).
func (p *parser) parseParamList() []*ParamDecl {
	p.skip(cmdMode) // (
	var decls []*ParamDecl
	for {
		p.skipNewlines()
		t := p.peek(exprMode)
		if t.kind == tRParen || t.kind == tEOF {
			break
		}
		d := &ParamDecl{}
		from := t.from()
		for p.peek(exprMode).kind == tLBracket {
			tl := p.parseTypeLit()
			if tl == nil {
				break
			}
			d.Attributes = append(d.Attributes, tl)
			p.skipNewlines()
		}
		v := p.peek(exprMode)
		if v.kind != tVariable {
			p.unexpected(v)
			p.skipParamDecl()
		} else {
			vt := p.next(exprMode)
			d.Var = p.varNode(&vt)
			if a := p.peek(exprMode); a.kind == tAssign && a.val == "=" {
				p.skip(exprMode)
				p.skipNewlines()
				d.Default = p.parseBinary(1, false)
				if d.Default == nil {
					p.errorAt(p.after(), "ExpectedValueExpression", "You must provide a value expression following the '=' operator.")
				}
			}
		}
		d.Extent = Extent{from, p.lastEnd}
		if d.Var != nil {
			decls = append(decls, d)
		}
		p.skipNewlines()
		if p.peek(exprMode).kind != tComma {
			break
		}
		p.skip(exprMode)
	}
	if p.peek(exprMode).kind == tRParen {
		p.skip(exprMode)
	} else {
		p.errorAt(p.after(), "MissingEndParenthesisInFunctionParameterList", "Missing ')' in function parameter list.")
	}
	return decls
}

func (p *parser) skipParamDecl() {
	for {
		t := p.peek(exprMode)
		switch t.kind {
		case tComma, tRParen, tEOF, tRBrace:
			return
		}
		p.skip(exprMode)
	}
}

// parseBlock parses { statements } for a control-flow statement.
func (p *parser) parseBlock() *Block {
	open := p.next(cmdMode)
	b := p.sh.blocks.new()
	b.Stmts = p.parseStatements(tRBrace)
	p.closeBrace(&open)
	b.Extent = Extent{open.from(), p.lastEnd}
	return b
}

// expectBlock parses the block a keyword requires, after optional newlines.
//
// The message comes in pieces, joined only when reported, so that an if
// statement does not build its message for nothing.
func (p *parser) expectBlock(id string, msg ...string) *Block {
	return p.expectBlockAt(p.after(), id, msg...)
}

// expectBlockAt is expectBlock reporting its error at at.
func (p *parser) expectBlockAt(at Extent, id string, msg ...string) *Block {
	m := p.mark()
	p.skipNewlines()
	if p.peek(cmdMode).kind == tLBrace {
		return p.parseBlock()
	}
	p.reset(m)
	p.errorAt(at, id, strings.Join(msg, ""))
	return nil
}

// openParen consumes the '(' that must follow keyword kw, reporting
// MissingOpenParenthesisAfterKeyword when it is not there; after if and
// elseif, MissingOpenParenthesisInIfStatement just after the keyword, as
// PowerShell does (`if not exist x`, pasted from cmd, is the usual case).
func (p *parser) openParen(kw string) bool {
	kwEnd := p.after()
	p.skipNewlines()
	if p.peek(cmdMode).kind != tLParen {
		if strings.EqualFold(kw, "if") || strings.EqualFold(kw, "elseif") {
			p.errorAt(kwEnd, "MissingOpenParenthesisInIfStatement", "Missing '(' after '"+kw+"' in if statement.")
		} else {
			p.errorAt(p.after(), "MissingOpenParenthesisAfterKeyword", "Missing opening '(' after keyword '"+kw+"'.")
		}
		return false
	}
	p.skip(cmdMode)
	return true
}

// parseCondition parses "( pipeline )" after if, elseif, while and the
// while or until of a do loop, returning the extent of its ')'.
//
// PowerShell says nothing of a missing ')' when the condition itself was
// missing; otherwise it reports it just after the condition, but in an if
// on the token it found instead.
func (p *parser) parseCondition(kw string) (cond Stmt, rparen Extent, ok bool) {
	if !p.openParen(kw) {
		return nil, Extent{}, false
	}
	p.skipNewlines()
	inIf := strings.EqualFold(kw, "if") || strings.EqualFold(kw, "elseif")
	if t := p.peek(cmdMode); isEnd(t.kind) {
		if inIf {
			p.errorAt(p.after(), "IfStatementMissingCondition", "Missing condition in if statement after '"+kw+" ('.")
		} else {
			p.errorAt(p.after(), "MissingExpressionAfterKeyword", "Missing expression after '"+kw+"' in loop.")
		}
	} else {
		cond = p.parseStatement()
	}
	p.skipNewlines()
	if t := p.peek(cmdMode); t.kind != tRParen {
		msg := "Missing closing ')' after expression in '" + kw + "' statement."
		switch {
		case cond == nil:
		case inIf:
			p.errorAt(t.extent(), "MissingEndParenthesisAfterStatement", msg)
		default:
			p.errorAt(p.after(), "MissingEndParenthesisAfterStatement", msg)
		}
		return cond, Extent{}, false
	}
	rparen = p.take(cmdMode).extent()
	return cond, rparen, true
}

// peekKeywordAfterNewlines reports whether, after optional newlines, the
// next token is one of the keywords; if not, nothing is consumed.
func (p *parser) peekKeywordAfterNewlines(kws ...string) string {
	m := p.mark()
	p.skipNewlines()
	t := p.peek(cmdMode)
	if t.kind == tGeneric && t.flags&fPlain != 0 {
		for _, kw := range kws {
			if strings.EqualFold(t.val, kw) {
				return kw
			}
		}
	}
	p.reset(m)
	return ""
}

func (p *parser) parseIf() Stmt {
	kw := p.next(cmdMode)
	st := p.sh.ifs.new()
	word := p.text(&kw) // as written: PowerShell's messages quote it so
	// on the stack; the tree gets a slab copy
	clauses := make([]*IfClause, 0, 4)
	for {
		clauseFrom := p.lastEnd
		if len(clauses) == 0 {
			clauseFrom = kw.from()
		}
		cond, rparen, ok := p.parseCondition(word)
		if !ok {
			break
		}
		// On the ')', where PowerShell puts it.
		body := p.expectBlockAt(rparen, "MissingStatementBlock", "Missing statement block after ", word, " ( condition ).")
		if body == nil {
			break
		}
		clauses = append(clauses, put(&p.sh.clauses, IfClause{Extent: Extent{clauseFrom, p.lastEnd}, Cond: cond, Body: body}))
		switch p.peekKeywordAfterNewlines("elseif", "else") {
		case "elseif":
			word = p.text(p.take(cmdMode))
			continue
		case "else":
			p.skip(cmdMode)
			st.Else = p.expectBlock("MissingStatementBlockAfterElse", "Missing statement block after 'else' keyword.")
		}
		break
	}
	st.Clauses = p.sh.clauseList.copyOf(clauses)
	st.Extent = Extent{kw.from(), p.lastEnd}
	return st
}

func (p *parser) parseForeach() Stmt {
	kw := p.next(cmdMode)
	st := p.sh.foreachs.new()
	defer func() { st.Extent = Extent{kw.from(), p.lastEnd} }()
	if !p.openParen("foreach") {
		return st
	}
	p.skipNewlines()
	if t := p.peek(exprMode); t.kind != tVariable {
		p.errorAt(p.after(), "MissingVariableNameAfterForeach", "Missing variable name after foreach."+foreachForm)
		p.skipStatement()
		return st
	}
	vt := p.next(exprMode)
	st.Var = p.varNode(&vt)
	p.skipNewlines()
	if t := p.peek(cmdMode); t.kind != tGeneric || !strings.EqualFold(t.val, "in") {
		p.errorAt(p.after(), "MissingInInForeach", "Missing 'in' after variable in foreach loop."+foreachForm)
		p.skipStatement()
		return st
	}
	p.skip(cmdMode)
	p.skipNewlines()
	if t := p.peek(cmdMode); isEnd(t.kind) {
		p.errorAt(p.after(), "MissingForeachExpression", "Missing expression in foreach loop."+foreachForm)
	} else {
		st.In = p.parseStatement()
	}
	p.skipNewlines()
	if p.peek(cmdMode).kind != tRParen {
		p.errorAt(p.after(), "MissingEndParenthesisAfterForeach", "Missing closing ')' after expression part of foreach loop."+foreachForm)
		return st
	}
	p.skip(cmdMode)
	st.Body = p.expectBlock("MissingForeachStatement", "Missing statement body in foreach loop."+foreachForm)
	return st
}

func (p *parser) parseFor() Stmt {
	kw := p.next(cmdMode)
	st := &For{}
	defer func() { st.Extent = Extent{kw.from(), p.lastEnd} }()
	if !p.openParen("for") {
		return st
	}
	parts := [3]Stmt{}
	for i := range parts {
		p.skipNewlines()
		t := p.peek(cmdMode)
		if t.kind != tSemi && t.kind != tRParen && !isEnd(t.kind) {
			parts[i] = p.parseStatement()
		}
		p.skipNewlines()
		if i < 2 && p.peek(cmdMode).kind == tSemi {
			p.skip(cmdMode)
		}
	}
	st.Init, st.Cond, st.Step = parts[0], parts[1], parts[2]
	p.skipNewlines()
	if p.peek(cmdMode).kind != tRParen {
		p.errorAt(p.after(), "MissingEndParenthesisAfterStatement", "Missing closing ')' after expression in 'for' statement.")
		return st
	}
	p.skip(cmdMode)
	st.Body = p.expectBlock("MissingLoopStatement", "Missing statement body in for loop.")
	return st
}

func (p *parser) parseWhile() Stmt {
	kw := p.next(cmdMode)
	st := &While{}
	cond, _, ok := p.parseCondition("while")
	st.Cond = cond
	if ok {
		st.Body = p.expectBlock("MissingLoopStatement", "Missing statement body in while loop.")
	}
	st.Extent = Extent{kw.from(), p.lastEnd}
	return st
}

func (p *parser) parseDo() Stmt {
	kw := p.next(cmdMode)
	st := &While{Do: true}
	defer func() { st.Extent = Extent{kw.from(), p.lastEnd} }()
	st.Body = p.expectBlock("MissingLoopStatement", "Missing statement body in do loop.")
	if st.Body == nil {
		return st
	}
	switch p.peekKeywordAfterNewlines("while", "until") {
	case "while":
	case "until":
		st.Until = true
	default:
		p.errorAt(p.after(), "MissingWhileOrUntilInDoWhile", "Missing while or until keyword in do loop.")
		return st
	}
	word := p.next(cmdMode)
	cond, _, _ := p.parseCondition(strings.ToLower(word.val))
	st.Cond = cond
	return st
}

func (p *parser) parseTry() Stmt {
	kw := p.next(cmdMode)
	st := p.sh.tries.new()
	catches := make([]*Catch, 0, 4) // on the stack; the tree gets a slab copy
	st.Body = p.expectBlock("MissingTryStatementBlock", "The Try statement is missing its statement block.")
	if st.Body == nil {
		st.Extent = Extent{kw.from(), p.lastEnd}
		return st
	}
	for {
		switch p.peekKeywordAfterNewlines("catch", "finally") {
		case "catch":
			ct := p.next(cmdMode)
			c := p.sh.catches.new()
			for {
				p.skipNewlines()
				if p.peek(exprMode).kind != tLBracket {
					break
				}
				tl := p.parseTypeLit()
				if tl == nil {
					break
				}
				c.Types = append(c.Types, tl)
				p.skipNewlines()
				if p.peek(exprMode).kind != tComma {
					break
				}
				p.skip(exprMode)
			}
			c.Body = p.expectBlock("MissingCatchHandlerBlock", "The Catch block is missing its statement block.")
			c.Extent = Extent{ct.from(), p.lastEnd}
			catches = append(catches, c)
			if c.Body == nil {
				st.Catches = p.sh.catchList.copyOf(catches)
				st.Extent = Extent{kw.from(), p.lastEnd}
				return st
			}
			continue
		case "finally":
			p.skip(cmdMode)
			st.Finally = p.expectBlock("MissingFinallyStatementBlock", "The Finally block is missing its statement block.")
		}
		break
	}
	st.Catches = p.sh.catchList.copyOf(catches)
	if len(st.Catches) == 0 && st.Finally == nil {
		p.errorAt(p.after(), "MissingCatchOrFinally", "The Try statement is missing its Catch or Finally block.")
	}
	st.Extent = Extent{kw.from(), p.lastEnd}
	return st
}

func (p *parser) parseFunction() Stmt {
	kw := p.next(cmdMode)
	fn := &Function{Keyword: strings.ToLower(kw.val)}
	defer func() { fn.Extent = Extent{kw.from(), p.lastEnd} }()
	nt := p.peek(cmdMode)
	if nt.kind != tGeneric && nt.kind != tParam {
		p.errorAt(p.after(), "MissingNameAfterKeyword", "Missing name after "+p.text(&kw)+" keyword.")
		return fn
	}
	nt2 := p.next(cmdMode)
	fn.Name = p.text(&nt2)
	if nt2.kind == tGeneric && nt2.flags&fPlain != 0 {
		fn.Name = nt2.val
	}
	var params []*ParamDecl
	hasParams := false
	if p.peek(cmdMode).kind == tLParen {
		hasParams = true
		params = p.parseParamList()
	}
	p.skipNewlines()
	if p.peek(cmdMode).kind != tLBrace {
		p.errorAt(p.after(), "MissingFunctionBody", "Missing function body in function declaration.")
		return fn
	}
	open := p.next(cmdMode)
	sb := &ScriptBlock{}
	if hasParams {
		sb.Params = params
	} else {
		sb.Attributes, sb.Params = p.parseParamBlock()
	}
	p.parseBody(sb)
	p.closeBrace(&open)
	sb.Extent = Extent{open.from(), p.lastEnd}
	fn.Body = sb
	return fn
}

func (p *parser) parseFlow() Stmt {
	kw := p.next(cmdMode)
	f := &Flow{Keyword: strings.ToLower(kw.val)}
	t := p.peek(cmdMode)
	if !isEnd(t.kind) {
		if f.Keyword == "break" || f.Keyword == "continue" {
			lt := p.next(cmdMode)
			lbl := p.argFromToken(&lt)
			if lbl != nil {
				f.Value = &Pipeline{Extent: lbl.Span(), Elements: []PipelineElement{&CommandExpr{Extent: lbl.Span(), X: lbl}}}
			}
		} else {
			f.Value = p.parseStatement()
		}
	}
	f.Extent = Extent{kw.from(), p.lastEnd}
	return f
}

// switchFlags are the options of a switch statement; a flag may be any
// prefix of one (PowerShell accepts -w for -wildcard).
var switchFlags = [...]string{"regex", "wildcard", "exact", "casesensitive", "file"}

// parseSwitch parses
//
//	switch [-regex|-wildcard|-exact] [-casesensitive] (-file path | ( pipeline )) { clauses }
//
// with PowerShell's errors for the incomplete forms.
func (p *parser) parseSwitch(label string) Stmt {
	kw := p.next(cmdMode)
	st := &Switch{Label: label}
	defer func() { st.Extent = Extent{kw.from(), p.lastEnd} }()
	for {
		p.skipNewlines()
		t := p.peek(cmdMode)
		if t.kind != tParam {
			break
		}
		ft := p.next(cmdMode)
		flag := ""
		for _, f := range switchFlags {
			if ft.val != "" && len(ft.val) <= len(f) && strings.EqualFold(ft.val, f[:len(ft.val)]) {
				flag = f
				break
			}
		}
		switch flag {
		case "":
			p.errorAt(ft.extent(), "InvalidSwitchFlag", "The parameter "+ft.val+" is not valid for the switch statement.")
		case "casesensitive":
			st.CaseSensitive = true
		case "file":
			p.skipNewlines()
			if a := p.peek(cmdMode); isEnd(a.kind) || a.kind == tLBrace || a.kind == tLParen || a.kind == tParam {
				p.errorAt(p.after(), "MissingFilenameOption", "Cannot process the 'switch' statement because of a missing file name argument to the -file option.")
				return st
			}
			st.File = p.parseSingleArg()
			if st.File == nil {
				return st
			}
		default:
			st.Mode = flag
		}
	}
	if st.File != nil {
		if t := p.peek(cmdMode); t.kind == tLParen {
			// PowerShell reads no pipeline after -file: the ( ) is an error.
			p.errorAt(t.extent(), "PipelineValueRequired", pipelineValueRequiredMsg)
			p.parseSingleArg()
		}
	} else {
		if p.peek(cmdMode).kind != tLParen {
			p.errorAt(p.after(), "PipelineValueRequired", pipelineValueRequiredMsg)
			return st
		}
		p.skip(cmdMode)
		p.skipNewlines()
		if t := p.peek(cmdMode); isEnd(t.kind) {
			p.errorAt(p.after(), "PipelineValueRequired", pipelineValueRequiredMsg)
			if t.kind != tRParen {
				return st
			}
		} else {
			st.Cond = p.parseStatement()
		}
		p.skipNewlines()
		if p.peek(cmdMode).kind != tRParen {
			p.errorAt(p.after(), "MissingEndParenthesisInSwitchStatement", "Missing ')' after expression in switch statement.")
			return st
		}
		p.skip(cmdMode)
	}
	p.skipNewlines()
	if p.peek(cmdMode).kind != tLBrace {
		p.errorAt(p.after(), "MissingCurlyBraceInSwitchStatement", "Missing '{' in switch statement.")
		return st
	}
	open := p.next(cmdMode)
	if !p.enter(&open) {
		return st
	}
	defer p.leave()
	var def *SwitchClause
	for {
		for t := p.peek(cmdMode); t.kind == tNewline || t.kind == tSemi; t = p.peek(cmdMode) {
			p.skip(cmdMode)
		}
		t := p.peek(cmdMode)
		if t.kind == tRBrace {
			if len(st.Clauses) == 0 {
				// PowerShell rejects a switch without clauses.
				p.errorAt(Extent{open.to(), open.to()}, "MissingSwitchConditionExpression", "Missing condition in switch statement clause.")
			}
			p.skip(cmdMode)
			return st
		}
		if t.kind == tEOF || isEnd(t.kind) {
			p.errorAt(p.after(), "MissingSwitchConditionExpression", "Missing condition in switch statement clause.")
			return st
		}
		c := &SwitchClause{Default: t.kind == tGeneric && t.flags&fPlain != 0 && strings.EqualFold(t.val, "default")}
		c.Cond = p.parseSingleArg()
		if c.Cond == nil {
			p.skipToCloseBrace()
			return st
		}
		p.skipNewlines()
		if p.peek(cmdMode).kind != tLBrace {
			p.errorAt(p.after(), "MissingSwitchStatementClause", "Missing statement block in switch statement clause.")
			p.skipToCloseBrace()
			return st
		}
		c.Body = p.parseBlock()
		c.Extent = Extent{c.Cond.Pos(), p.lastEnd}
		if c.Default {
			if def != nil {
				p.errorAt(c.Cond.Span(), "MultipleSwitchDefaultClauses", "A switch statement can have only one default clause.")
			}
			def = c
		}
		st.Clauses = append(st.Clauses, c)
	}
}

// skipToCloseBrace skips, after an error in a switch body, to the '}' that
// closes it, so that the rest of the file is read as it was meant.
func (p *parser) skipToCloseBrace() {
	depth := 0
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tEOF:
			return
		case tLParen, tLBrace, tDollarParen, tAtParen, tAtBrace:
			depth++
		case tRParen:
			if depth > 0 {
				depth--
			}
		case tRBrace:
			if depth == 0 {
				p.skip(cmdMode)
				return
			}
			depth--
		}
		p.skip(cmdMode)
	}
}

// namedBlockWord returns the lower-case name of a begin/process/end
// keyword token, or "".
func namedBlockWord(t *token) string {
	if t.kind != tGeneric || t.flags&fPlain == 0 {
		return ""
	}
	for _, w := range [...]string{"begin", "process", "end"} {
		if strings.EqualFold(t.val, w) {
			return w
		}
	}
	return ""
}

// parseBody parses the statements of a script block or function body up to
// its '}': either plain statements, or, when the body starts with
// begin/process/end and a block, only such named blocks.
func (p *parser) parseBody(sb *ScriptBlock) {
	m := p.mark()
	p.skipNewlines()
	named := false
	if t := p.peek(cmdMode); namedBlockWord(t) != "" {
		p.skip(cmdMode)
		p.skipNewlines()
		named = p.peek(cmdMode).kind == tLBrace
	}
	p.reset(m)
	if !named {
		sb.Stmts = p.parseStatements(tRBrace)
		return
	}
	for {
		t := p.peek(cmdMode)
		switch t.kind {
		case tNewline, tSemi:
			p.skip(cmdMode)
			continue
		case tRBrace, tEOF:
			return
		}
		word := namedBlockWord(t)
		if word == "" {
			// Statements outside begin/process/end are not allowed.
			p.unexpected(t)
			p.skipStatement()
			if k := p.peek(cmdMode).kind; k == tRParen {
				p.skip(cmdMode)
			}
			continue
		}
		kw := p.next(cmdMode)
		body := p.expectBlock("MissingNamedStatementBlock", "Missing statement block after '", word, "'.")
		if body == nil {
			p.skipStatement()
			continue
		}
		sb.Named = append(sb.Named, &NamedBlock{Extent: Extent{kw.from(), p.lastEnd}, Name: word, Body: body})
	}
}

// parseTrap parses trap [Type] { ... }.
func (p *parser) parseTrap() Stmt {
	kw := p.next(cmdMode)
	st := &Trap{}
	p.skipNewlines()
	if p.peek(exprMode).kind == tLBracket {
		st.Type = p.parseTypeLit()
	}
	st.Body = p.expectBlock("MissingTrapStatement", "The 'trap' statement was incomplete. A trap statement requires a body.")
	st.Extent = Extent{kw.from(), p.lastEnd}
	return st
}
