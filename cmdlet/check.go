package cmdlet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// CheckOptions tune Check.
type CheckOptions struct {
	Profile bind.Profile
	Culture string // DateTime parsing culture; "" is en-US
}

// CheckItem is one line of `certledger check --json`: a command invoked
// (Command set), another top-level statement (Statement set), or an error
// (ErrorID set). MarshalJSON writes exactly the contract's shapes.
type CheckItem struct {
	File         string
	Line         int
	Char         int // errors only
	Command      string
	ParameterSet string
	Parameters   []CheckParam // in the binder's (declared) order
	Statement    string
	ErrorID      string
	Message      string
	Warnings     []CheckWarning

	// Record is the error record of an error item, for the human
	// rendering.
	Record *ErrorRecord
}

// CheckParam is one bound parameter: declared name and value as bound.
type CheckParam struct {
	Name  string
	Value value.Value
}

type checkParam = CheckParam

// CheckWarning is a non-fatal finding about a command (a thumbprint the
// binder normalised, a splat check could not see through).
type CheckWarning struct {
	Line      int
	Char      int
	WarningID string
	Message   string
}

type checkWarning = CheckWarning

// IsError reports whether the item is an error.
func (it CheckItem) IsError() bool { return it.ErrorID != "" }

// HasErrors reports whether any item is an error: `certledger check`
// exits 1 then.
func HasErrors(items []CheckItem) bool {
	for _, it := range items {
		if it.IsError() {
			return true
		}
	}
	return false
}

// checker collects items; key orders them by source position.
type checker struct {
	items []keyed
}

type keyed struct {
	key  int
	item CheckItem
}

func (c *checker) add(key int, it CheckItem) {
	c.items = append(c.items, keyed{key, it})
}

func (c *checker) addCommand(m *machine, cmd *syntax.Command, name, set string, params []CheckParam, warns []CheckWarning) {
	p := cmd.Pos()
	c.add(offsetKey(p), CheckItem{File: m.name, Line: m.position(p).Line, Command: name, ParameterSet: set, Parameters: params, Warnings: warns})
}

func (c *checker) addError(m *machine, at syntax.Node, rec *ErrorRecord) {
	rec = m.finish(rec)
	key := offsetKey(rec.Extent.From)
	if at != nil {
		key = offsetKey(at.Pos())
	}
	c.add(key, CheckItem{File: m.name, Line: rec.Line(), Char: rec.Char(), ErrorID: rec.ID, Message: rec.Message, Record: rec})
}

func unresolvedWarning(m *machine, u *unresolvedSplat) CheckWarning {
	p := m.position(u.v.Pos())
	return CheckWarning{Line: p.Line, Char: p.Col, WarningID: "certledger.SplatNotResolved",
		Message: fmt.Sprintf("The parameters splatted from '@%s' are known only when the script runs, so this command was not bound.", u.v.Name)}
}

// Check resolves what is constant in a parsed script and binds every
// command it invokes, without running anything: the items of
// `certledger check`. Values only a run can know are value.Unknown.
func Check(f *syntax.File, opts CheckOptions) []CheckItem {
	if f == nil {
		return nil
	}
	h := New(nil, WithProfile(opts.Profile), WithCulture(opts.Culture))
	m := newMachine(context.Background(), h, f, true)
	m.chk = &checker{}
	if err := m.scriptParams(); err != nil {
		m.chk.addError(m, nil, m.record(err, nil))
	}
	for _, s := range f.Statements {
		if kind := statementKind(s); kind != "" {
			p := s.Pos()
			m.chk.add(offsetKey(p), CheckItem{File: m.name, Line: m.position(p).Line, Statement: kind})
		}
		m.checkStmt(m.global, s)
	}
	return m.chk.finish(m.sec)
}

// CheckSource parses src and checks it; parse errors are the items then.
func CheckSource(name string, src []byte, opts CheckOptions) []CheckItem {
	f, err := syntax.ParseFile(name, src)
	if err != nil {
		items := parseErrorItems(name, src, err)
		if l, ok := err.(syntax.ErrorList); ok {
			sec := parseSecrets(f, src, l)
			for i := range items {
				items[i].Record.secrets = sec
				items[i].Message = sec.scrub(items[i].Message)
			}
		}
		return items
	}
	return Check(f, opts)
}

// parseErrorItems turns a ParseFile error into check items, one per parse
// error.
func parseErrorItems(name string, src []byte, err error) []CheckItem {
	l, ok := err.(syntax.ErrorList)
	if !ok || len(l) == 0 {
		rec := &ErrorRecord{ID: "ParseError", Message: err.Error(), File: name, src: src}
		return []CheckItem{{File: name, Line: 1, Char: 1, ErrorID: rec.ID, Message: rec.Message, Record: rec}}
	}
	var out []CheckItem
	for _, e := range l {
		rec := parseRecord(name, src, syntax.ErrorList{e})
		out = append(out, CheckItem{File: name, Line: e.Position.Line, Char: e.Position.Col,
			ErrorID: e.ID, Message: e.Message, Record: rec})
	}
	return out
}

// checkStmt runs one statement statically; an error stops only that
// statement.
func (m *machine) checkStmt(sc *scope, s syntax.Stmt) {
	var out []value.Value
	if err := m.exec(sc, s, &out); err != nil {
		if _, isFlow := err.(*flow); isFlow {
			return
		}
		m.chk.addError(m, nil, m.record(err, s))
	}
}

// checkScriptBlock walks a script block's body once, so that the commands
// inside (a Where-Object filter, a function body) are checked where they
// are written.
func (m *machine) checkScriptBlock(sc *scope, sb *syntax.ScriptBlock, _ []value.Value) error {
	if sb == nil {
		return nil
	}
	bsc := newScope(sc)
	bsc.vars["_"] = value.Unknown{Source: "$_"}
	bsc.vars["args"] = value.Unknown{Source: "$args"}
	bsc.vars["input"] = value.Unknown{Source: "$input"}
	for _, p := range sb.Params {
		if p != nil && p.Var != nil {
			bsc.vars[strings.ToLower(p.Var.Name)] = value.Unknown{Source: m.text(p.Var)}
		}
	}
	for _, s := range sb.Stmts {
		m.checkStmt(bsc, s)
	}
	for _, nb := range sb.Named {
		if nb != nil {
			for _, s := range stmtsOf(nb.Body) {
				m.checkStmt(bsc, s)
			}
		}
	}
	return nil
}

// assignedVars lists the variables a list of statements may assign,
// nested blocks included, so that a check can treat them as known only to
// a run after a branch or across a loop's iterations.
func assignedVars(stmts []syntax.Stmt) []*syntax.Variable {
	var out []*syntax.Variable
	var walk func(s syntax.Stmt)
	var expr func(e syntax.Expr)
	// root is the variable a member or index chain starts from: the one
	// `$h.Key = 1`, `$a[0] = 1` or `$h.Add(...)` changes.
	var root func(e syntax.Expr) *syntax.Variable
	root = func(e syntax.Expr) *syntax.Variable {
		switch e := e.(type) {
		case *syntax.Variable:
			return e
		case *syntax.Member:
			return root(e.X)
		case *syntax.Index:
			return root(e.X)
		case *syntax.Invoke:
			return root(e.X)
		case *syntax.Paren:
			if p, ok := e.X.(*syntax.Pipeline); ok && len(p.Elements) == 1 {
				if ce, ok := p.Elements[0].(*syntax.CommandExpr); ok {
					return root(ce.X)
				}
			}
		}
		return nil
	}
	expr = func(e syntax.Expr) {
		switch e := e.(type) {
		case *syntax.Invoke:
			if n, ok := e.Name.(*syntax.StringLit); ok && mutators[strings.ToLower(n.Value)] {
				if v := root(e.X); v != nil {
					out = append(out, v)
				}
			}
		case *syntax.Unary:
			if v, ok := e.X.(*syntax.Variable); ok && (e.Op == "++" || e.Op == "--") {
				out = append(out, v)
			}
		case *syntax.Paren:
			walk(e.X)
		case *syntax.SubExpr:
			for _, s := range e.Stmts {
				walk(s)
			}
		case *syntax.ArraySubExpr:
			for _, s := range e.Stmts {
				walk(s)
			}
		}
	}
	blk := func(b *syntax.Block) {
		if b != nil {
			for _, s := range b.Stmts {
				walk(s)
			}
		}
	}
	walk = func(s syntax.Stmt) {
		switch s := s.(type) {
		case *syntax.Assignment:
			target := s.Left
			for {
				c, ok := target.(*syntax.Cast)
				if !ok {
					break
				}
				target = c.X
			}
			if v := root(target); v != nil {
				out = append(out, v)
			}
			walk(s.Right)
		case *syntax.Pipeline:
			for _, el := range s.Elements {
				if ce, ok := el.(*syntax.CommandExpr); ok {
					expr(ce.X)
				}
			}
		case *syntax.If:
			for _, c := range s.Clauses {
				walk(c.Cond)
				blk(c.Body)
			}
			blk(s.Else)
		case *syntax.Foreach:
			if s.Var != nil {
				out = append(out, s.Var)
			}
			blk(s.Body)
		case *syntax.For:
			walk(s.Init)
			walk(s.Step)
			blk(s.Body)
		case *syntax.While:
			blk(s.Body)
		case *syntax.Switch:
			walk(s.Cond)
			for _, c := range s.Clauses {
				if c != nil {
					expr(c.Cond)
					blk(c.Body)
				}
			}
		case *syntax.Try:
			blk(s.Body)
			for _, c := range s.Catches {
				blk(c.Body)
			}
			blk(s.Finally)
		case *syntax.Block:
			blk(s)
		}
	}
	for _, s := range stmts {
		walk(s)
	}
	return out
}

// mutators are the methods that change the collection they are called on.
var mutators = map[string]bool{"add": true, "remove": true, "clear": true, "insert": true, "addrange": true, "set_item": true}

// forgetAssigned makes the variables s may assign unknown in a check.
func (m *machine) forgetAssigned(sc *scope, s syntax.Stmt) {
	for _, v := range assignedVars([]syntax.Stmt{s}) {
		m.setVar(sc, v, value.Unknown{Source: m.text(v)})
	}
}

// checkDomain binds a domain cmdlet and records it.
func (m *machine) checkDomain(cmd *syntax.Command, c *bind.Cmdlet, args []bind.Arg, hasInput bool, upstream string, unres *unresolvedSplat) ([]value.Value, error) {
	out := []value.Value{value.Unknown{Source: m.text(cmd)}}
	if unres != nil {
		m.chk.addCommand(m, cmd, c.Name, "", nil, []CheckWarning{unresolvedWarning(m, unres)})
		return out, nil
	}
	var in value.Value
	if hasInput {
		in = value.Unknown{Source: strings.TrimSpace(upstream)}
	}
	b, err := bind.Bind(c, args, m.bindOptions(cmd, in, hasInput))
	if err != nil {
		m.chk.addError(m, cmd, m.bindError(err, cmd, c.Name))
		return out, nil
	}
	m.noteSecrets(c.Name, args, b)
	var params []CheckParam
	for _, p := range b.Params {
		v := p.Value
		if isSecret(c.Name, p.Name) || isSecretValue(v) {
			v = value.Redacted
		}
		params = append(params, CheckParam{Name: p.Name, Value: v})
	}
	var warns []CheckWarning
	for _, w := range b.Warnings {
		p := m.position(w.Extent.From)
		warns = append(warns, CheckWarning{Line: p.Line, Char: p.Col, WarningID: w.ID, Message: w.Message})
	}
	m.chk.addCommand(m, cmd, c.Name, b.ParameterSet, params, warns)
	return out, nil
}

// statementKind names a top-level statement that is not a command for the
// contract's {"Statement": ...} item; "" for a pipeline that invokes
// commands, which get their own items.
func statementKind(s syntax.Stmt) string {
	switch s := s.(type) {
	case *syntax.Pipeline:
		for _, el := range s.Elements {
			if _, ok := el.(*syntax.Command); ok {
				return ""
			}
		}
		return "Expression"
	case *syntax.Assignment:
		return "Assignment"
	case *syntax.If:
		return "If"
	case *syntax.Foreach:
		return "Foreach"
	case *syntax.For:
		return "For"
	case *syntax.While:
		switch {
		case s.Do && s.Until:
			return "DoUntil"
		case s.Do:
			return "DoWhile"
		}
		return "While"
	case *syntax.Try:
		return "Try"
	case *syntax.Switch:
		return "Switch"
	case *syntax.Trap:
		return "Trap"
	case *syntax.Function:
		return "Function"
	case *syntax.Flow:
		if s.Keyword == "" {
			return "Flow"
		}
		return strings.ToUpper(s.Keyword[:1]) + s.Keyword[1:]
	case *syntax.Block:
		return "Block"
	}
	return "Statement"
}

// finish orders the items by position and redacts every secret seen
// anywhere in the script from all of them.
func (c *checker) finish(sec *secrets) []CheckItem {
	sort.SliceStable(c.items, func(i, j int) bool { return c.items[i].key < c.items[j].key })
	out := make([]CheckItem, len(c.items))
	for i, k := range c.items {
		it := k.item
		it.Message = sec.scrub(it.Message)
		it.ErrorID = sec.scrub(it.ErrorID)
		for j := range it.Parameters {
			it.Parameters[j].Value = scrubValue(sec, it.Parameters[j].Value)
		}
		for j := range it.Warnings {
			it.Warnings[j].Message = sec.scrub(it.Warnings[j].Message)
		}
		out[i] = it
	}
	return out
}

func scrubValue(sec *secrets, v value.Value) value.Value {
	switch v := v.(type) {
	case string:
		return sec.scrub(v)
	case []value.Value:
		out := make([]value.Value, len(v))
		for i, e := range v {
			out[i] = scrubValue(sec, e)
		}
		return out
	case value.Unknown:
		return value.Unknown{Source: sec.scrub(v.Source)}
	case *value.ScriptBlock:
		return &value.ScriptBlock{Text: sec.scrub(v.Text)}
	}
	return v
}

// MarshalJSON writes the contract's shapes, fields in the contract's order.
func (it CheckItem) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(`{"File":`)
	writeJSONString(&b, it.File)
	b.WriteString(`,"Line":`)
	b.WriteString(strconv.Itoa(it.Line))
	switch {
	case it.ErrorID != "":
		b.WriteString(`,"Char":`)
		b.WriteString(strconv.Itoa(it.Char))
		b.WriteString(`,"ErrorId":`)
		writeJSONString(&b, it.ErrorID)
		b.WriteString(`,"Message":`)
		writeJSONString(&b, it.Message)
	case it.Statement != "":
		b.WriteString(`,"Statement":`)
		writeJSONString(&b, it.Statement)
	default:
		b.WriteString(`,"Command":`)
		writeJSONString(&b, it.Command)
		if it.ParameterSet != "" {
			b.WriteString(`,"ParameterSet":`)
			writeJSONString(&b, it.ParameterSet)
		}
		b.WriteString(`,"Parameters":{`)
		for i, p := range it.Parameters {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(&b, p.Name)
			b.WriteByte(':')
			writeJSONValue(&b, p.Value, 0)
		}
		b.WriteByte('}')
		if len(it.Warnings) > 0 {
			b.WriteString(`,"Warnings":[`)
			for i, w := range it.Warnings {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"Line":%d,"Char":%d,"WarningId":`, w.Line, w.Char)
				writeJSONString(&b, w.WarningID)
				b.WriteString(`,"Message":`)
				writeJSONString(&b, w.Message)
				b.WriteByte('}')
			}
			b.WriteByte(']')
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	b.Truncate(b.Len() - 1) // Encode's newline
}

// writeJSONValue renders a bound value as the contract says: strings as
// strings, arrays as arrays, switches as booleans, DateTime as RFC 3339,
// secrets redacted, unknowns as {"Expression": "..."}.
func writeJSONValue(b *bytes.Buffer, v value.Value, depth int) {
	if depth > 32 {
		b.WriteString("null")
		return
	}
	switch v := v.(type) {
	case nil, void:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case value.Switch:
		b.WriteString(strconv.FormatBool(bool(v)))
	case int32, int64, int, uint8:
		b.WriteString(toString(v))
	case float64:
		if out, err := json.Marshal(v); err == nil {
			b.Write(out)
		} else {
			writeJSONString(b, toString(v))
		}
	case string:
		writeJSONString(b, v)
	case []string:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONString(b, e)
		}
		b.WriteByte(']')
	case []value.Value:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			writeJSONValue(b, e, depth+1)
		}
		b.WriteByte(']')
	case []byte:
		// Certificate bytes can hold a private key: only their size shows.
		fmt.Fprintf(b, `{"Bytes":%d}`, len(v))
	case time.Time:
		writeJSONString(b, v.Format(time.RFC3339))
	case value.SecureString:
		writeJSONString(b, value.Redacted)
	case *value.Credential:
		b.WriteString(`{"UserName":`)
		writeJSONString(b, v.UserName)
		b.WriteString(`,"Password":`)
		writeJSONString(b, value.Redacted)
		b.WriteByte('}')
	case value.Unknown:
		b.WriteString(`{"Expression":`)
		writeJSONString(b, v.Source)
		b.WriteByte('}')
	case *value.ScriptBlock:
		writeJSONString(b, "{"+v.Text+"}")
	case *value.Hashtable:
		writeJSONObject(b, v, depth)
	case *value.Object:
		writeJSONObject(b, v.Props, depth)
	default:
		if m, ok := v.(json.Marshaler); ok {
			if out, err := m.MarshalJSON(); err == nil {
				b.Write(out)
				return
			}
		}
		if s, ok := v.(fmt.Stringer); ok {
			writeJSONString(b, s.String())
			return
		}
		writeJSONString(b, fmt.Sprint(v))
	}
}

func writeJSONObject(b *bytes.Buffer, h *value.Hashtable, depth int) {
	b.WriteByte('{')
	for i, k := range h.Keys() {
		if i > 0 {
			b.WriteByte(',')
		}
		writeJSONString(b, k)
		b.WriteByte(':')
		x, _ := h.Get(k)
		writeJSONValue(b, x, depth+1)
	}
	b.WriteByte('}')
}

func writeSwitch(b *strings.Builder, name string, on bool) {
	if on {
		fmt.Fprintf(b, " -%s", name)
	} else {
		fmt.Fprintf(b, " -%s:$false", name)
	}
}

// humanValue renders a bound value the way a person would type it:
// strings in single quotes, arrays comma-separated, an unknown value as
// the source that computes it.
func humanValue(v value.Value, depth int) string {
	if depth > 8 {
		return "..."
	}
	switch v := v.(type) {
	case nil:
		return "$null"
	case string:
		return "'" + strings.ReplaceAll(v, "'", "''") + "'"
	case []string:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = humanValue(e, depth+1)
		}
		return strings.Join(parts, ",")
	case []value.Value:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = humanValue(e, depth+1)
		}
		return strings.Join(parts, ",")
	case value.Unknown:
		return v.Source
	case value.SecureString, *value.Credential:
		return "'" + value.Redacted + "'"
	case []byte:
		return fmt.Sprintf("<%d bytes>", len(v))
	case time.Time:
		return "'" + v.Format(time.RFC3339) + "'"
	case *value.ScriptBlock:
		return "{" + v.Text + "}"
	case bool, value.Switch:
		if toBool(v) {
			return "$true"
		}
		return "$false"
	case *value.Object, *value.Hashtable:
		var b bytes.Buffer
		writeJSONValue(&b, v, depth)
		return b.String()
	}
	return toString(v)
}

// WriteCheckJSON writes the items as JSON lines.
func WriteCheckJSON(w io.Writer, items []CheckItem) error {
	for _, it := range items {
		line, err := it.MarshalJSON()
		if err != nil {
			return err
		}
		line = append(line, '\n')
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}

// WriteCheckText writes the items for a person: one line per command and
// statement, warnings as PowerShell prints them, and errors as
// PowerShell's console error records.
func WriteCheckText(w io.Writer, items []CheckItem) error {
	var b strings.Builder
	for _, it := range items {
		switch {
		case it.ErrorID != "":
			if it.Record != nil {
				b.WriteString(it.Record.Format())
			} else {
				fmt.Fprintf(&b, "%s:%d:%d: %s (%s)", it.File, it.Line, it.Char, it.Message, it.ErrorID)
			}
			b.WriteString("\n\n")
		case it.Statement != "":
			fmt.Fprintf(&b, "%s:%d: %s\n", it.File, it.Line, it.Statement)
		default:
			fmt.Fprintf(&b, "%s:%d: %s", it.File, it.Line, it.Command)
			if it.ParameterSet != "" {
				fmt.Fprintf(&b, " [%s]", it.ParameterSet)
			}
			for _, p := range it.Parameters {
				switch v := p.Value.(type) {
				case value.Switch:
					writeSwitch(&b, p.Name, bool(v))
				case bool:
					writeSwitch(&b, p.Name, v)
				default:
					fmt.Fprintf(&b, " -%s %s", p.Name, humanValue(v, 0))
				}
			}
			b.WriteByte('\n')
			for _, wn := range it.Warnings {
				fmt.Fprintf(&b, "WARNING: %s\n", wn.Message)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
