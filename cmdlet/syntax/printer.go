package syntax

import (
	"io"
	"strings"
	"unicode/utf8"
)

// RedactedText is what a redacted argument prints as (quoted), the same
// marker value.Redacted holds.
const RedactedText = "[redacted]"

// PrintConfig tunes the printer.
type PrintConfig struct {
	// Redact reports whether a parameter's argument is a secret. If it
	// returns true the argument prints as '[redacted]': the colon value of
	// -Name:value, or else the element right after the parameter token
	// (unless that is itself a parameter). It is called for every
	// parameter of every command, nested ones included.
	Redact func(cmd *Command, param *Parameter) bool
}

// Fprint writes n in canonical form: ASCII dashes and quotes, single
// spaces, one statement per line (blocks on one line with "; "), and
// arguments quoted where a bareword would read differently. Printing,
// parsing and printing again gives the same text and the same meaning.
func Fprint(w io.Writer, n Node, cfg *PrintConfig) error {
	_, err := io.WriteString(w, Sprint(n, cfg))
	return err
}

// Sprint returns n in canonical form (see Fprint).
func Sprint(n Node, cfg *PrintConfig) string {
	p := &printer{}
	if cfg != nil {
		p.redact = cfg.Redact
	}
	p.node(n)
	return p.b.String()
}

type printer struct {
	b      strings.Builder
	redact func(*Command, *Parameter) bool
}

func (p *printer) str(s string) { p.b.WriteString(s) }

func (p *printer) node(n Node) {
	switch n := n.(type) {
	case *File:
		p.file(n)
	case Stmt:
		p.stmt(n)
	case *Command:
		p.command(n, true)
	case *CommandExpr:
		p.commandExpr(n)
	case *Parameter:
		p.param(nil, n, false)
	case *Redirection:
		p.redirection(n)
	case Expr:
		p.expr(n)
	case *IfClause:
		p.str("if (")
		p.stmt(n.Cond)
		p.str(") ")
		p.block(n.Body)
	case *Catch:
		p.catch(n)
	case *KeyValue:
		p.keyValue(n)
	case *ParamDecl:
		p.paramDecl(n)
	case *Comment:
		p.str(n.Text)
	}
}

func (p *printer) file(f *File) {
	if len(f.Attributes) > 0 || len(f.Params) > 0 {
		for _, a := range f.Attributes {
			p.typeLit(a)
		}
		p.paramBlock(f.Params)
		p.str("\n")
	}
	for _, s := range f.Statements {
		n := p.b.Len()
		p.stmt(s)
		if p.b.Len() > n {
			p.str("\n")
		}
	}
}

func (p *printer) stmts(list []Stmt) { p.str(p.renderStmts(list)) }

// renderStmts prints statements joined by "; ", leaving out any that a
// parse error left empty.
func (p *printer) renderStmts(list []Stmt) string {
	var b strings.Builder
	for _, st := range list {
		q := &printer{redact: p.redact}
		q.stmt(st)
		if q.b.Len() == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(q.b.String())
	}
	return b.String()
}

func (p *printer) block(b *Block) {
	var body string
	if b != nil {
		body = p.renderStmts(b.Stmts)
	}
	if body == "" {
		p.str("{}")
		return
	}
	p.str("{ " + body + " }")
}

func (p *printer) stmt(s Stmt) {
	switch s := s.(type) {
	case nil:
	case *Pipeline:
		for i, el := range s.Elements {
			if i > 0 {
				p.str(" | ")
			}
			switch el := el.(type) {
			case *Command:
				p.command(el, i == 0)
			case *CommandExpr:
				p.commandExpr(el)
			}
		}
	case *Assignment:
		p.expr(s.Left)
		p.str(" " + s.Op + " ")
		p.stmt(s.Right)
	case *If:
		for i, c := range s.Clauses {
			if i > 0 {
				p.str(" else")
			}
			p.str("if (")
			p.stmt(c.Cond)
			p.str(") ")
			p.block(c.Body)
		}
		if s.Else != nil {
			p.str(" else ")
			p.block(s.Else)
		}
	case *Foreach:
		p.label(s.Label)
		p.str("foreach (")
		if s.Var != nil {
			p.expr(s.Var)
		}
		p.str(" in ")
		p.stmt(s.In)
		p.str(") ")
		p.block(s.Body)
	case *For:
		p.label(s.Label)
		p.str("for (")
		p.stmt(s.Init)
		p.str("; ")
		p.stmt(s.Cond)
		p.str("; ")
		p.stmt(s.Step)
		p.str(") ")
		p.block(s.Body)
	case *While:
		p.label(s.Label)
		if s.Do {
			p.str("do ")
			p.block(s.Body)
			if s.Until {
				p.str(" until (")
			} else {
				p.str(" while (")
			}
			p.stmt(s.Cond)
			p.str(")")
			return
		}
		p.str("while (")
		p.stmt(s.Cond)
		p.str(") ")
		p.block(s.Body)
	case *Switch:
		p.label(s.Label)
		p.str("switch ")
		if s.Mode != "" && s.Mode != "exact" {
			p.str("-" + s.Mode + " ")
		}
		if s.CaseSensitive {
			p.str("-casesensitive ")
		}
		if s.File != nil {
			p.str("-file ")
			p.switchArg(s.File)
			p.str(" ")
		} else {
			p.str("(")
			p.stmt(s.Cond)
			p.str(") ")
		}
		if len(s.Clauses) == 0 {
			p.str("{}")
			return
		}
		p.str("{")
		for _, c := range s.Clauses {
			p.str(" ")
			if c.Default {
				p.str("default")
			} else {
				p.switchArg(c.Cond)
			}
			p.str(" ")
			p.block(c.Body)
		}
		p.str(" }")
	case *Trap:
		p.str("trap ")
		if s.Type != nil {
			p.typeLit(s.Type)
			p.str(" ")
		}
		p.block(s.Body)
	case *Try:
		p.str("try ")
		p.block(s.Body)
		for _, c := range s.Catches {
			p.str(" ")
			p.catch(c)
		}
		if s.Finally != nil {
			p.str(" finally ")
			p.block(s.Finally)
		}
	case *Function:
		kw := s.Keyword
		if kw == "" {
			kw = "function"
		}
		p.str(kw + " " + s.Name + " ")
		if s.Body == nil {
			p.str("{}")
			return
		}
		p.scriptBlock(s.Body)
	case *Flow:
		p.str(s.Keyword)
		if s.Value != nil {
			p.str(" ")
			p.stmt(s.Value)
		}
	case *Block:
		p.block(s)
	}
}

// switchArg prints a switch clause condition or -file path as the
// argument it was read as; a condition spelling "default" is quoted, or it
// would re-read as the default clause.
func (p *printer) switchArg(x Expr) {
	if s, ok := x.(*StringLit); ok && s.Kind == Bare && strings.EqualFold(s.Value, "default") {
		p.stringLit(&StringLit{Kind: SingleQuoted, Value: s.Value})
		return
	}
	p.arg(x)
}

func (p *printer) label(l string) {
	if l != "" {
		p.str(":" + l + " ")
	}
}

func (p *printer) catch(c *Catch) {
	p.str("catch ")
	for i, t := range c.Types {
		if i > 0 {
			p.str(", ")
		}
		p.typeLit(t)
	}
	if len(c.Types) > 0 {
		p.str(" ")
	}
	p.block(c.Body)
}

// ---- commands ----

func (p *printer) command(c *Command, first bool) {
	// Elements are rendered separately and joined by single spaces, so
	// that a piece a parse error left empty leaves no double space.
	var parts []string
	sub := func(f func(q *printer)) {
		q := &printer{redact: p.redact}
		f(q)
		if q.b.Len() > 0 {
			parts = append(parts, q.b.String())
		}
	}
	switch {
	case c.Name == nil:
	case c.Invocation != "":
		sub(func(q *printer) { q.str(c.Invocation + " "); q.arg(c.Name) })
	case isVerbatim(c.Name):
		sub(func(q *printer) { q.arg(c.Name) })
	default:
		if s, ok := c.Name.(*StringLit); ok && safeCommandName(s.Value, first) {
			parts = append(parts, s.Value)
		} else {
			// A quoted name would read as an expression: call it.
			sub(func(q *printer) { q.str("& "); q.arg(c.Name) })
		}
	}
	if c.Name == nil && c.Invocation != "" {
		parts = append(parts, c.Invocation)
	}
	redactNext := false
	for _, el := range c.Elements {
		if prm, ok := el.(*Parameter); ok {
			sub(func(q *printer) { redactNext = q.param(c, prm, true) })
			continue
		}
		if redactNext {
			parts = append(parts, "'"+RedactedText+"'")
			redactNext = false
			continue
		}
		if x, ok := el.(Expr); ok {
			sub(func(q *printer) { q.arg(x) })
		}
	}
	for _, r := range c.Redirects {
		sub(func(q *printer) { q.redirection(r) })
	}
	p.str(strings.Join(parts, " "))
}

func isVerbatim(x Expr) bool {
	s, ok := x.(*StringLit)
	return ok && s.Kind == Verbatim
}

// param prints a parameter and reports whether the next element is its
// redacted argument.
func (p *printer) param(c *Command, prm *Parameter, inCommand bool) bool {
	p.str("-" + prm.Name)
	secret := inCommand && p.redact != nil && p.redact(c, prm)
	if !prm.Colon {
		return secret
	}
	p.str(":")
	switch {
	case prm.Arg == nil:
	case secret:
		p.str("'" + RedactedText + "'")
	default:
		p.arg(prm.Arg)
	}
	return false
}

func (p *printer) commandExpr(c *CommandExpr) {
	p.expr(c.X)
	for _, r := range c.Redirects {
		p.str(" ")
		p.redirection(r)
	}
}

func (p *printer) redirection(r *Redirection) {
	p.str(r.Op)
	if r.Target != nil {
		p.str(" ")
		p.arg(r.Target)
	}
}

// arg prints an expression in argument mode, where barewords stay bare.
func (p *printer) arg(x Expr) {
	switch x := x.(type) {
	case *StringLit:
		if x.Kind == Verbatim {
			p.str("--%")
			if x.Value != "" {
				p.str(" " + x.Value)
			}
			return
		}
		if x.Kind == Bare && safeBare(x.Value) {
			p.str(x.Value)
			return
		}
		p.stringLit(x)
	case *ArrayLit:
		for i, e := range x.Elems {
			if i > 0 {
				p.str(", ")
			}
			p.arg(e)
		}
	default:
		p.expr(x)
	}
}

// ---- expressions ----

func (p *printer) expr(x Expr) {
	switch x := x.(type) {
	case nil:
	case *StringLit:
		if x.Kind == Verbatim {
			p.arg(x)
			return
		}
		p.stringLit(x)
	case *ExpandableString:
		p.expandable(x)
	case *Number:
		t := x.Text
		if r := firstRune(t); isDash(r) && r != '-' {
			t = "-" + t[utf8.RuneLen(r):]
		}
		p.str(t)
	case *Variable:
		p.variable(x)
	case *ArrayLit:
		for i, e := range x.Elems {
			if i > 0 {
				p.str(", ")
			}
			p.expr(e)
		}
	case *ArraySubExpr:
		p.str("@(")
		p.stmts(x.Stmts)
		p.str(")")
	case *SubExpr:
		p.str("$(")
		p.stmts(x.Stmts)
		p.str(")")
	case *Paren:
		p.str("(")
		p.stmt(x.X)
		p.str(")")
	case *Hashtable:
		p.str("@{")
		for i, kv := range x.Pairs {
			if i > 0 {
				p.str("; ")
			}
			p.keyValue(kv)
		}
		p.str("}")
	case *Member:
		p.expr(x.X)
		p.memberOp(x.Static)
		p.memberName(x.Name)
	case *Invoke:
		p.expr(x.X)
		p.memberOp(x.Static)
		p.memberName(x.Name)
		p.str("(")
		for i, a := range x.Args {
			if i > 0 {
				p.str(", ")
			}
			p.expr(a)
		}
		p.str(")")
	case *Index:
		p.expr(x.X)
		p.str("[")
		p.expr(x.Index)
		p.str("]")
	case *TypeLit:
		p.typeLit(x)
	case *Cast:
		p.typeLit(x.Type)
		p.expr(x.X)
	case *ScriptBlock:
		p.scriptBlock(x)
	case *Binary:
		p.expr(x.X)
		if x.Op == ".." {
			p.str("..")
		} else {
			p.str(" " + x.Op + " ")
		}
		p.expr(x.Y)
	case *Unary:
		p.unary(x)
	}
}

func (p *printer) unary(u *Unary) {
	if u.Postfix {
		p.expr(u.X)
		p.str(u.Op)
		return
	}
	p.str(u.Op)
	switch u.Op {
	case "-not", "-bnot", "-split", "-join":
		p.str(" ")
		p.expr(u.X)
		return
	}
	// Keep "- -1" from reading as "--1".
	inner := Sprint(u.X, &PrintConfig{Redact: p.redact})
	if r := firstRune(inner); (u.Op == "-" || u.Op == "+" || u.Op == "--" || u.Op == "++") && (isDash(r) || r == '+') {
		p.str(" ")
	}
	p.str(inner)
}

func (p *printer) memberOp(static bool) {
	if static {
		p.str("::")
	} else {
		p.str(".")
	}
}

func (p *printer) memberName(n Expr) {
	if s, ok := n.(*StringLit); ok && isWord(s.Value) && !('0' <= s.Value[0] && s.Value[0] <= '9') {
		p.str(s.Value)
		return
	}
	if _, ok := n.(*Paren); ok {
		p.expr(n)
		return
	}
	switch n.(type) {
	case *StringLit, *ExpandableString, *Variable:
		p.expr(n)
	default:
		p.str("(")
		p.expr(n)
		p.str(")")
	}
}

func isWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !isWordChar(r) {
			return false
		}
	}
	return true
}

func (p *printer) typeLit(t *TypeLit) {
	if t == nil {
		return
	}
	p.str("[" + t.Name + "]")
}

func (p *printer) scriptBlock(sb *ScriptBlock) {
	body := p.renderStmts(sb.Stmts)
	for _, nb := range sb.Named {
		q := &printer{redact: p.redact}
		q.str(nb.Name + " ")
		q.block(nb.Body)
		if body != "" {
			body += " "
		}
		body += q.b.String()
	}
	if len(sb.Params) == 0 && len(sb.Attributes) == 0 && body == "" {
		p.str("{}")
		return
	}
	p.str("{ ")
	for _, a := range sb.Attributes {
		p.typeLit(a)
	}
	if len(sb.Params) > 0 || len(sb.Attributes) > 0 {
		p.paramBlock(sb.Params)
		if body != "" {
			p.str(" ")
		}
	}
	p.str(body + " }")
}

func (p *printer) paramBlock(decls []*ParamDecl) {
	p.str("param(")
	for i, d := range decls {
		if i > 0 {
			p.str(", ")
		}
		p.paramDecl(d)
	}
	p.str(")")
}

func (p *printer) paramDecl(d *ParamDecl) {
	for _, a := range d.Attributes {
		p.typeLit(a)
	}
	if d.Var != nil {
		p.variable(d.Var)
	}
	if d.Default != nil {
		p.str(" = ")
		p.expr(d.Default)
	}
}

func (p *printer) keyValue(kv *KeyValue) {
	if s, ok := kv.Key.(*StringLit); ok && s.Kind == Bare && isKeyWord(s.Value) {
		p.str(s.Value)
	} else {
		p.expr(kv.Key)
	}
	p.str(" = ")
	p.stmt(kv.Value)
}

func isKeyWord(s string) bool {
	if s == "" || !(isParamStart(firstRune(s)) && firstRune(s) != '?') {
		return false
	}
	for _, r := range s {
		if !isWordChar(r) && r != '-' && r != '.' {
			return false
		}
	}
	return true
}

func (p *printer) variable(v *Variable) {
	if v.Splat {
		p.str("@" + v.Name)
		return
	}
	if v.Braced || !simpleVarName(v.Name) {
		p.str("${")
		for _, r := range v.Name {
			if r == '}' || r == '`' {
				p.str("`")
			}
			p.b.WriteRune(r)
		}
		p.str("}")
		return
	}
	p.str("$" + v.Name)
}

// simpleVarName reports whether $name rescans to the same name.
func simpleVarName(name string) bool {
	switch name {
	case "":
		return false
	case "$", "^":
		return true
	}
	colon := false
	for i, r := range name {
		if r == ':' {
			if colon || i == 0 || i == len(name)-1 {
				return false
			}
			colon = true
			continue
		}
		if !isVarChar(r) {
			return false
		}
	}
	return true
}

// ---- strings ----

func (p *printer) stringLit(s *StringLit) {
	if s.Kind == DoubleQuoted || s.Kind == HereDouble || strings.ContainsAny(s.Value, "\r\n") {
		p.str(`"`)
		p.escapeDouble(s.Value)
		p.str(`"`)
		return
	}
	p.str("'")
	for _, r := range s.Value {
		if isSingleQuote(r) {
			p.b.WriteRune(r)
		}
		p.b.WriteRune(r)
	}
	p.str("'")
}

func (p *printer) escapeDouble(v string) {
	for i := 0; i < len(v); {
		r, n := utf8.DecodeRuneInString(v[i:])
		if r == utf8.RuneError && n == 1 {
			p.b.WriteByte(v[i])
			i++
			continue
		}
		i += n
		switch r {
		case '`', '$':
			p.b.WriteByte('`')
			p.b.WriteRune(r)
		case 0:
			p.str("`0")
		case 7:
			p.str("`a")
		case 8:
			p.str("`b")
		case '\f':
			p.str("`f")
		case '\n':
			p.str("`n")
		case '\r':
			p.str("`r")
		case '\t':
			p.str("`t")
		case '\v':
			p.str("`v")
		default:
			if isDoubleQuote(r) {
				p.b.WriteByte('`')
			}
			p.b.WriteRune(r)
		}
	}
}

// expandable prints any expandable string (bareword, double-quoted or
// here-string) as one double-quoted string with the same value.
func (p *printer) expandable(s *ExpandableString) {
	p.str(`"`)
	for i, part := range s.Parts {
		switch x := part.(type) {
		case *StringLit:
			p.escapeDouble(x.Value)
		case *Variable:
			braced := x.Braced || !simpleVarName(x.Name)
			if !braced && i+1 < len(s.Parts) {
				if lit, ok := s.Parts[i+1].(*StringLit); ok && lit.Value != "" {
					if r := firstRune(lit.Value); isVarChar(r) || r == ':' {
						braced = true
					}
				}
			}
			if braced {
				p.variable(&Variable{Name: x.Name, Braced: true})
			} else {
				p.variable(x)
			}
		case *SubExpr:
			p.expr(x)
		}
	}
	p.str(`"`)
}

// safeBare reports whether a string value can be printed as a bareword
// argument and read back as the same plain string.
func safeBare(v string) bool {
	if v == "" || v == "." {
		return false
	}
	first := firstRune(v)
	if isDash(first) || first == '@' || first == '#' || first == '{' {
		return false
	}
	for _, r := range v {
		switch r {
		case '&', '(', ')', ',', ';', '{', '}', '|', '`', '$', '<', '>', 0, utf8.RuneError:
			return false
		}
		if isSpace(r) || isNewline(r) || isQuote(r) || r < ' ' {
			return false
		}
	}
	if c := v[0]; '0' <= c && c <= '9' || c == '.' {
		if _, ok := parseNumber(v); ok {
			return false
		}
	}
	return true
}

// safeCommandName is safeBare for a command name, which must also not read
// as an expression or (first in a pipeline) a keyword.
func safeCommandName(v string, first bool) bool {
	if !safeBare(v) {
		return false
	}
	switch c := v[0]; {
	case c == '.' && (len(v) == 1 || v[1] >= '0' && v[1] <= '9'):
		return false
	case c == '[' || c == '!' || c == '+' || c == '*' || c == '/' || c == '%' && len(v) > 1 || c == '=' || ('0' <= c && c <= '9'):
		return false
	}
	if first {
		t := token{kind: tGeneric, flags: fPlain, val: v}
		if keyword(&t) != "" {
			return false
		}
		// Words that continue a statement on the next line.
		for _, kw := range [...]string{"param", "else", "elseif", "catch", "finally", "until", "in"} {
			if strings.EqualFold(v, kw) {
				return false
			}
		}
	}
	return true
}
