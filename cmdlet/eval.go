package cmdlet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// maxDepth bounds recursion (user functions calling themselves, deeply
// nested expressions) so that no script can exhaust the Go stack.
const maxDepth = 200

// machine is one evaluation of one script: by Run (static false) or by
// Check (static true: nothing runs, commands are bound and recorded, and
// what only a run can know is a value.Unknown).
type machine struct {
	ctx    context.Context
	host   *Host
	file   *syntax.File
	name   string
	src    []byte
	lines  *syntax.Lines // resolves positions of file's nodes to line and column
	static bool
	chk    *checker

	global      *scope
	funcs       map[string]*syntax.Function
	files       *fileSystem
	sec         *secrets
	env         map[string]*string // $env:X assignments made by the script
	invocations int
	depth       int
	steps       int
	allocated   int // bytes of strings and arrays operators have built
	writes      []*pendingWrite
	strict      int // Set-StrictMode -Version: 0 off, 1 and up on
}

// maxAllocated bounds what the operators of one script may build in
// total, so that statements each making a large string cannot together
// exhaust memory.
const maxAllocated = 1 << 28

// account charges a value an operator built to the run's budget.
func (m *machine) account(v value.Value, at syntax.Node) error {
	switch v := v.(type) {
	case string:
		m.allocated += len(v)
	case []value.Value:
		m.allocated += 16 * len(v)
	default:
		return nil
	}
	if m.allocated > maxAllocated {
		return m.record(errTooLarge, at)
	}
	return nil
}

// maxSteps bounds the statements one script may execute, so that an endless
// loop in a pasted script ends with an error instead of hanging.
const maxSteps = 1_000_000

// scope is a PowerShell variable scope. Lookups walk to the parents;
// assignments write to the scope itself, as in PowerShell.
type scope struct {
	vars   map[string]value.Value
	parent *scope
}

func newScope(parent *scope) *scope {
	return &scope{vars: map[string]value.Value{}, parent: parent}
}

func (s *scope) lookup(name string) (value.Value, bool) {
	for ; s != nil; s = s.parent {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return nil, false
}

func newMachine(ctx context.Context, h *Host, f *syntax.File, static bool) *machine {
	if ctx == nil {
		ctx = context.Background()
	}
	m := &machine{
		ctx: ctx, host: h, file: f, name: f.Name, src: f.Src, static: static,
		global: newScope(nil), funcs: map[string]*syntax.Function{},
		sec: &secrets{}, env: map[string]*string{},
		lines: f.Lines,
	}
	if m.lines == nil {
		// A tree not from ParseFile: count the lines of its source.
		m.lines = syntax.NewLines(f.Src)
	}
	var pm PathMap
	if h != nil {
		pm = h.pathMap
	}
	m.files = &fileSystem{pathMap: pm, dir: h.scriptDir(f.Name)}
	if !static {
		// A check leaves it unknown: where the script will run from is
		// for the run to say, and check output must not depend on the
		// machine that checked.
		m.global.vars["psscriptroot"] = m.files.dir
		// PowerShell 2.0 scripts find their directory with
		// Split-Path -Parent $MyInvocation.MyCommand.Path.
		path := ""
		if f.Name != "" && f.Name != "-" {
			path = filepath.Join(m.files.dir, filepath.Base(f.Name))
		}
		cmd := value.NewObject("System.Management.Automation.ExternalScriptInfo")
		cmd.Props.Set("Name", filepath.Base(path))
		cmd.Props.Set("Path", path)
		cmd.Props.Set("Definition", path)
		inv := value.NewObject("System.Management.Automation.InvocationInfo")
		inv.Props.Set("MyCommand", cmd)
		inv.Props.Set("ScriptName", path)
		inv.Props.Set("PSScriptRoot", m.files.dir)
		inv.Props.Set("PSCommandPath", path)
		m.global.vars["myinvocation"] = inv
		m.global.vars["pscommandpath"] = path
	}
	m.global.vars["erroractionpreference"] = "Continue"
	m.global.vars["confirmpreference"] = "High"
	m.global.vars["verbosepreference"] = "SilentlyContinue"
	m.global.vars["warningpreference"] = "Continue"
	m.global.vars["whatifpreference"] = false
	m.global.vars["error"] = []value.Value{}
	// Every error stops the run, so whatever ran last succeeded.
	m.global.vars["?"] = true
	m.global.vars["lastexitcode"] = int32(0)
	return m
}

// flow is a non-local exit: return, break, continue, exit.
type flow struct {
	kind  string
	label string
	code  value.Value
}

func (f *flow) Error() string { return f.kind }

// scriptParams gives the script's own param() block its defaults: a
// script run by certledger gets no arguments.
func (m *machine) scriptParams() error {
	for _, p := range m.file.Params {
		if p == nil || p.Var == nil {
			continue
		}
		var v value.Value
		if p.Default != nil {
			dv, err := m.eval(m.global, p.Default)
			if err != nil {
				return err
			}
			v = dv
		}
		cv, err := m.constrain(p, v)
		if err != nil {
			return m.record(err, p)
		}
		m.setVar(m.global, p.Var, cv)
	}
	return nil
}

// runTop runs the script's statements, then, if nothing failed, writes
// the files the script wrote (Out-File, Set-Content, Add-Content).
func (m *machine) runTop() error {
	if err := m.runStatements(); err != nil {
		return err
	}
	return m.flushWrites()
}

func (m *machine) runStatements() error {
	// A trap anywhere would change what happens on any error, before or
	// after it: refuse the script before it does anything.
	var trap *syntax.Trap
	syntax.Inspect(m.file, func(n syntax.Node) bool {
		if t, ok := n.(*syntax.Trap); ok && trap == nil {
			trap = t
		}
		return trap == nil
	})
	if trap != nil {
		return m.trapNotSupported(trap)
	}
	if err := m.scriptParams(); err != nil {
		return err
	}
	var out []value.Value
	for _, s := range m.file.Statements {
		out = out[:0]
		err := m.exec(m.global, s, &out)
		m.emit(out)
		if err != nil {
			var fl *flow
			if errors.As(err, &fl) {
				if fl.kind == "exit" && fl.code != nil && toBool(fl.code) {
					return m.errAt(s, "certledger.ScriptExited", fmt.Sprintf("The script exited with code %s.", toString(fl.code)), "", "OperationStopped", "ExitException")
				}
				return nil
			}
			return err
		}
	}
	return nil
}

// emit prints objects no one captured, as the console would.
func (m *machine) emit(out []value.Value) {
	if m.static || m.host == nil || len(out) == 0 {
		return
	}
	for _, v := range out {
		m.printf(m.host.stdout, "%s", consoleText(v))
	}
}

func (m *machine) printf(w io.Writer, format string, args ...any) {
	if w == nil {
		return
	}
	_, _ = io.WriteString(w, m.sec.scrub(fmt.Sprintf(format, args...)))
}

// text returns a node's source text.
func (m *machine) text(n syntax.Node) string {
	if n == nil {
		return ""
	}
	return m.extentText(n.Span())
}

func (m *machine) extentText(e syntax.Extent) string {
	a, b := e.From.Offset(), e.To.Offset()
	if a < 0 || b > len(m.src) || a > b {
		return ""
	}
	return string(m.src[a:b])
}

// position resolves a node position of the script to line and column.
func (m *machine) position(p syntax.Pos) syntax.Position { return m.lines.Position(p) }

// offsetKey orders items by where they are in the script; one without a
// position sorts first.
func offsetKey(p syntax.Pos) int { return max(p.Offset(), 0) }

// errAt makes an error record at a node.
func (m *machine) errAt(n syntax.Node, id, msg, command, category, reason string) *ErrorRecord {
	rec := &ErrorRecord{ID: id, Message: msg, Command: command, Category: category, Reason: reason}
	if n != nil {
		rec.Extent = n.Span()
	}
	return m.finish(rec)
}

func (m *machine) finish(rec *ErrorRecord) *ErrorRecord {
	if rec.File == "" {
		rec.File = m.name
	}
	if rec.src == nil {
		rec.src, rec.lines = m.src, m.lines
	}
	if rec.secrets == nil {
		rec.secrets = m.sec
	}
	return rec
}

// record turns any error into a positioned record; at is the node to blame
// when the error has no position of its own.
func (m *machine) record(err error, at syntax.Node) *ErrorRecord {
	var rec *ErrorRecord
	if errors.As(err, &rec) {
		if !rec.Extent.From.IsValid() && at != nil {
			rec.Extent = at.Span()
		}
		return m.finish(rec)
	}
	var be *bind.Error
	if errors.As(err, &be) {
		return m.finish(fromBindError(be))
	}
	var oe *opError
	if errors.As(err, &oe) {
		return m.errAt(at, oe.id, oe.msg, "", "InvalidOperation", "RuntimeException")
	}
	var ce *convertError
	if errors.As(err, &ce) {
		return m.errAt(at, ce.id, ce.msg, "", "InvalidArgument", "RuntimeException")
	}
	var fe *fileError
	if errors.As(err, &fe) {
		rec := fe.record()
		if at != nil {
			rec.Extent = at.Span()
		}
		return m.finish(rec)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return m.errAt(at, "PipelineStopped", "The pipeline has been stopped.", "", "OperationStopped", "PipelineStoppedException")
	}
	return m.errAt(at, "RuntimeException", err.Error(), "", "NotSpecified", "RuntimeException")
}

// ---- statements ----

// stmtsOf is a block's statements; the tree of a script with parse errors
// (which a check still walks for secrets) may lack a block.
func stmtsOf(b *syntax.Block) []syntax.Stmt {
	if b == nil {
		return nil
	}
	return b.Stmts
}

func typeName(t *syntax.TypeLit) string {
	if t == nil {
		return ""
	}
	return t.Name
}

func (m *machine) execBlock(sc *scope, stmts []syntax.Stmt, out *[]value.Value) error {
	for _, s := range stmts {
		if err := m.exec(sc, s, out); err != nil {
			return err
		}
	}
	return nil
}

func (m *machine) exec(sc *scope, s syntax.Stmt, out *[]value.Value) error {
	if err := m.ctx.Err(); err != nil {
		return m.record(err, s)
	}
	m.steps++
	if m.steps > maxSteps {
		return m.errAt(s, "certledger.ScriptTooLong", fmt.Sprintf("The script ran more than %d statements; certledger stops it.", maxSteps), "", "LimitsExceeded", "RuntimeException")
	}
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > maxDepth {
		return m.errAt(s, "CallDepthOverflow", "The script failed due to call depth overflow.", "", "InvalidOperation", "ScriptCallDepthException")
	}
	if m.static {
		switch s.(type) {
		case *syntax.If, *syntax.Try:
			// Each branch sees what it assigns; after the statement, what
			// any branch assigned is known only to a run.
			defer m.forgetAssigned(sc, s)
		case *syntax.Foreach, *syntax.For, *syntax.While, *syntax.Switch:
			// The body sees values from any iteration: known only to a run,
			// before the loop and after it.
			m.forgetAssigned(sc, s)
			defer m.forgetAssigned(sc, s)
		}
	}
	switch s := s.(type) {
	case nil:
		return nil
	case *syntax.Pipeline:
		vals, err := m.pipeline(sc, s)
		*out = append(*out, vals...)
		return err
	case *syntax.Assignment:
		return m.assign(sc, s)
	case *syntax.If:
		return m.execIf(sc, s, out)
	case *syntax.Foreach:
		return m.execForeach(sc, s, out)
	case *syntax.For:
		return m.execFor(sc, s, out)
	case *syntax.While:
		return m.execWhile(sc, s, out)
	case *syntax.Try:
		return m.execTry(sc, s, out)
	case *syntax.Switch:
		return m.execSwitch(sc, s, out)
	case *syntax.Trap:
		return m.trapNotSupported(s)
	case *syntax.Function:
		if s.Body == nil {
			return nil
		}
		m.funcs[strings.ToLower(s.Name)] = s
		if m.static {
			return m.checkScriptBlock(sc, s.Body, nil)
		}
		return nil
	case *syntax.Flow:
		return m.execFlow(sc, s, out)
	case *syntax.Block:
		return m.execBlock(sc, s.Stmts, out)
	}
	return m.errAt(s, "certledger.StatementNotSupported", fmt.Sprintf("This statement is not supported by certledger: %s", m.text(s)), "", "NotImplemented", "RuntimeException")
}

// stmtValue runs a statement and collapses its output into one value, as
// an assignment's right side or a hashtable entry does.
func (m *machine) stmtValue(sc *scope, s syntax.Stmt) (value.Value, error) {
	if p, ok := s.(*syntax.Pipeline); ok && len(p.Elements) == 1 {
		if ce, ok := p.Elements[0].(*syntax.CommandExpr); ok {
			v, err := m.eval(sc, ce.X)
			if _, isVoid := v.(void); isVoid {
				v = nil
			}
			return v, err
		}
	}
	if a, ok := s.(*syntax.Assignment); ok {
		if err := m.assign(sc, a); err != nil {
			return nil, err
		}
		return m.eval(sc, a.Left)
	}
	var out []value.Value
	if err := m.exec(sc, s, &out); err != nil {
		return nil, err
	}
	if m.static {
		for _, v := range out {
			if _, ok := v.(value.Unknown); ok {
				return value.Unknown{Source: m.text(s)}, nil
			}
		}
	}
	return collapse(out), nil
}

func (m *machine) condition(sc *scope, s syntax.Stmt) (bool, error) {
	v, err := m.stmtValue(sc, s)
	return toBool(v), err
}

func (m *machine) execIf(sc *scope, s *syntax.If, out *[]value.Value) error {
	if m.static {
		for _, c := range s.Clauses {
			if c == nil {
				continue
			}
			if _, err := m.stmtValue(sc, c.Cond); err != nil {
				return err
			}
			if err := m.execBlock(sc, stmtsOf(c.Body), out); err != nil {
				return err
			}
		}
		if s.Else != nil {
			return m.execBlock(sc, stmtsOf(s.Else), out)
		}
		return nil
	}
	for _, c := range s.Clauses {
		if c == nil {
			continue
		}
		ok, err := m.condition(sc, c.Cond)
		if err != nil {
			return err
		}
		if ok {
			return m.execBlock(sc, stmtsOf(c.Body), out)
		}
	}
	if s.Else != nil {
		return m.execBlock(sc, stmtsOf(s.Else), out)
	}
	return nil
}

// loopBody runs a loop body and says whether the loop goes on.
func (m *machine) loopBody(sc *scope, label string, loop syntax.Stmt, body *syntax.Block, out *[]value.Value) (bool, error) {
	// An empty body runs no statement, so the loop itself counts a step
	// and watches the context: `while ($true) {}` must end too.
	if err := m.ctx.Err(); err != nil {
		return false, m.record(err, loop)
	}
	m.steps++
	if m.steps > maxSteps {
		return false, m.errAt(loop, "certledger.ScriptTooLong", fmt.Sprintf("The script ran more than %d statements; certledger stops it.", maxSteps), "", "LimitsExceeded", "RuntimeException")
	}
	err := m.execBlock(sc, stmtsOf(body), out)
	if err == nil {
		return true, nil
	}
	var fl *flow
	if errors.As(err, &fl) && (fl.label == "" || strings.EqualFold(fl.label, label)) {
		switch fl.kind {
		case "break":
			return false, nil
		case "continue":
			return true, nil
		}
	}
	return false, err
}

func (m *machine) execForeach(sc *scope, s *syntax.Foreach, out *[]value.Value) error {
	coll, err := m.stmtValue(sc, s.In)
	if err != nil {
		return err
	}
	if s.Var == nil {
		return m.errAt(s, "certledger.StatementNotSupported", "A foreach statement needs a loop variable.", "", "ParserError", "ParentContainsErrorRecordException")
	}
	if m.static {
		m.setVar(sc, s.Var, value.Unknown{Source: m.text(s.Var)})
		_, err := m.loopBody(sc, s.Label, s, s.Body, out)
		return err
	}
	if coll == nil {
		return nil // foreach over $null runs no iteration
	}
	for _, item := range enumerate(coll) {
		m.setVar(sc, s.Var, item)
		goOn, err := m.loopBody(sc, s.Label, s, s.Body, out)
		if err != nil || !goOn {
			return err
		}
	}
	return nil
}

func (m *machine) execFor(sc *scope, s *syntax.For, out *[]value.Value) error {
	var discard []value.Value
	if s.Init != nil {
		if err := m.exec(sc, s.Init, &discard); err != nil {
			return err
		}
	}
	for {
		if s.Cond != nil {
			ok, err := m.condition(sc, s.Cond)
			if err != nil {
				return err
			}
			if !ok && !m.static {
				return nil
			}
		}
		goOn, err := m.loopBody(sc, s.Label, s, s.Body, out)
		if err != nil || !goOn {
			return err
		}
		if s.Step != nil {
			if err := m.exec(sc, s.Step, &discard); err != nil {
				return err
			}
		}
		if m.static {
			return nil
		}
	}
}

func (m *machine) execWhile(sc *scope, s *syntax.While, out *[]value.Value) error {
	first := true
	for {
		if !(s.Do && first) {
			ok, err := m.condition(sc, s.Cond)
			if err != nil {
				return err
			}
			if s.Until {
				ok = !ok
			}
			if !ok && !m.static {
				return nil
			}
		}
		first = false
		goOn, err := m.loopBody(sc, s.Label, s, s.Body, out)
		if err != nil || !goOn || m.static {
			return err
		}
	}
}

// execTry runs try/catch/finally. Only errors the script throws itself
// (throw) are caught: an error from binding, a cmdlet or a handler stops
// the run even inside try, because a script with an error anywhere must
// commit nothing (docs/host.md).
func (m *machine) execTry(sc *scope, s *syntax.Try, out *[]value.Value) error {
	if m.static {
		if err := m.execBlock(sc, stmtsOf(s.Body), out); err != nil {
			return err
		}
		for _, c := range s.Catches {
			if c == nil {
				continue
			}
			m.setVarName(sc, "_", value.Unknown{Source: "$_"})
			if err := m.execBlock(sc, stmtsOf(c.Body), out); err != nil {
				return err
			}
		}
		if s.Finally != nil {
			return m.execBlock(sc, stmtsOf(s.Finally), out)
		}
		return nil
	}
	err := m.execBlock(sc, stmtsOf(s.Body), out)
	var rec *ErrorRecord
	if err != nil && errors.As(err, &rec) && rec.thrown {
		for _, c := range s.Catches {
			if c == nil || !catchMatches(c, rec) {
				continue
			}
			prev, had := sc.vars["_"]
			sc.vars["_"] = &errorValue{rec: rec}
			err = m.execBlock(sc, stmtsOf(c.Body), out)
			if had {
				sc.vars["_"] = prev
			} else {
				delete(sc.vars, "_")
			}
			break
		}
	}
	if s.Finally != nil {
		var fout []value.Value
		if ferr := m.execBlock(sc, stmtsOf(s.Finally), &fout); ferr != nil {
			return ferr
		}
		*out = append(*out, fout...)
	}
	return err
}

func catchMatches(c *syntax.Catch, rec *ErrorRecord) bool {
	if len(c.Types) == 0 {
		return true
	}
	for _, t := range c.Types {
		n := strings.ToLower(typeName(t))
		if n == "exception" || n == "system.exception" || n == "system.management.automation.runtimeexception" || n == "management.automation.runtimeexception" {
			return true
		}
	}
	return false
}

func (m *machine) execFlow(sc *scope, s *syntax.Flow, out *[]value.Value) error {
	var v value.Value
	if s.Value != nil {
		var err error
		if s.Keyword == "return" {
			var vals []value.Value
			err = m.exec(sc, s.Value, &vals)
			*out = append(*out, vals...)
		} else {
			v, err = m.stmtValue(sc, s.Value)
		}
		if err != nil {
			return err
		}
	}
	if m.static {
		return nil
	}
	switch s.Keyword {
	case "throw":
		msg := "ScriptHalted"
		if v != nil {
			msg = toString(v)
		}
		if ev, ok := v.(*errorValue); ok {
			return ev.rec
		}
		rec := m.errAt(s, msg, msg, "", "OperationStopped", "RuntimeException")
		rec.TargetName, rec.TargetType = msg, "String"
		if v == nil {
			rec.TargetName, rec.TargetType = "", ""
		}
		rec.thrown = true
		return rec
	case "break", "continue":
		label := ""
		if v != nil {
			label = toString(v)
		}
		return &flow{kind: s.Keyword, label: label}
	case "exit":
		return &flow{kind: "exit", code: v}
	}
	return &flow{kind: "return"}
}

// ---- assignment ----

func (m *machine) assign(sc *scope, a *syntax.Assignment) error {
	v, err := m.stmtValue(sc, a.Right)
	if err != nil {
		return err
	}
	if a.Op != "=" && a.Op != "" {
		cur, err := m.eval(sc, a.Left)
		if err != nil {
			return err
		}
		op := strings.TrimSuffix(a.Op, "=")
		if m.static && (isUnknown(cur) || isUnknown(v)) {
			v = value.Unknown{Source: m.text(a)}
		} else {
			v, err = binaryOp(op, cur, v, nil)
			if err != nil {
				return m.record(err, a)
			}
			if err := m.account(v, a); err != nil {
				return err
			}
		}
	}
	return m.assignTo(sc, a.Left, v)
}

func (m *machine) assignTo(sc *scope, target syntax.Expr, v value.Value) error {
	switch t := target.(type) {
	case *syntax.Variable:
		m.setVar(sc, t, v)
		return nil
	case *syntax.Cast:
		cv, err := castTo(typeName(t.Type), v)
		if err != nil {
			return m.record(err, t)
		}
		return m.assignTo(sc, t.X, cv)
	case *syntax.Member:
		obj, err := m.eval(sc, t.X)
		if err != nil {
			return err
		}
		name, err := m.memberName(sc, t.Name)
		if err != nil {
			return err
		}
		switch o := obj.(type) {
		case *value.Hashtable:
			o.Set(name, v)
			return nil
		case *value.Object:
			o.Props.Set(name, v)
			return nil
		case value.Unknown:
			return nil
		}
		return m.errAt(t, "PropertyAssignmentException", fmt.Sprintf("The property '%s' cannot be found on this object. Verify that the property exists and can be set.", name), "", "InvalidOperation", "RuntimeException")
	case *syntax.Index:
		obj, err := m.eval(sc, t.X)
		if err != nil {
			return err
		}
		idx, err := m.eval(sc, t.Index)
		if err != nil {
			return err
		}
		switch o := obj.(type) {
		case *value.Hashtable:
			o.Set(toString(idx), v)
			return nil
		case []value.Value:
			n, ok := toNumber(idx)
			i := int(n.i)
			if i < 0 {
				i += len(o)
			}
			if !ok || i < 0 || i >= len(o) {
				return m.errAt(t, "IndexOutOfRange", "Index was outside the bounds of the array.", "", "OperationStopped", "IndexOutOfRangeException")
			}
			o[i] = v
			return nil
		case value.Unknown:
			return nil
		}
		return m.errAt(t, "CannotIndex", fmt.Sprintf("Unable to index into an object of type %s.", typeNameOf(obj)), "", "InvalidOperation", "RuntimeException")
	}
	return m.errAt(target, "InvalidLeftHandSide", "The assignment expression is not valid. The input to an assignment operator must be an object that is able to accept assignments, such as a variable or a property.", "", "ParserError", "ParentContainsErrorRecordException")
}

// varKey splits a variable name into scope and lower-cased name.
func varKey(name string) (scopeName, key string) {
	if i := strings.IndexByte(name, ':'); i > 0 {
		return strings.ToLower(name[:i]), strings.ToLower(name[i+1:])
	}
	return "", strings.ToLower(name)
}

func (m *machine) setVar(sc *scope, v *syntax.Variable, val value.Value) {
	m.setVarName(sc, v.Name, val)
}

func (m *machine) setVarName(sc *scope, name string, val value.Value) {
	sn, key := varKey(name)
	switch sn {
	case "env":
		s := toString(val)
		m.env[strings.ToUpper(key)] = &s
		return
	case "global", "script":
		m.global.vars[key] = val
		return
	}
	switch key {
	case "null", "true", "false":
		return // $null = ... discards, as in PowerShell
	case "psitem":
		key = "_"
	}
	sc.vars[key] = val
}

func (m *machine) getVar(sc *scope, v *syntax.Variable) (value.Value, error) {
	sn, key := varKey(v.Name)
	switch sn {
	case "env":
		return m.envVar(key), nil
	case "global", "script":
		val, _ := m.global.vars[key]
		return val, nil
	}
	switch key {
	case "null":
		return nil, nil
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "psitem":
		key = "_"
	}
	val, ok := sc.lookup(key)
	if !ok {
		if m.static {
			return value.Unknown{Source: m.text(v)}, nil
		}
		if m.strict >= 1 && key != "_" && key != "args" && key != "input" && key != "matches" {
			rec := m.errAt(v, "VariableIsUndefined", fmt.Sprintf("The variable '$%s' cannot be retrieved because it has not been set.", v.Name), "", "InvalidOperation", "RuntimeException")
			rec.TargetName, rec.TargetType = v.Name, "String"
			return nil, rec
		}
		return nil, nil
	}
	return val, nil
}

func (m *machine) envVar(name string) value.Value {
	up := strings.ToUpper(name)
	if s, ok := m.env[up]; ok {
		return *s
	}
	if m.static {
		return value.Unknown{Source: "$env:" + name}
	}
	if s, ok := m.host.lookupEnv(name); ok {
		return s
	}
	if s, ok := m.host.lookupEnv(up); ok {
		return s
	}
	if up == "COMPUTERNAME" && m.host.computer != "" {
		return m.host.computer
	}
	return nil
}

// ---- expressions ----

func isUnknown(v value.Value) bool {
	_, ok := v.(value.Unknown)
	return ok
}

// eval evaluates an expression. In a check, an expression whose value only
// a run can know yields an Unknown carrying its own source text.
func (m *machine) eval(sc *scope, e syntax.Expr) (value.Value, error) {
	m.depth++
	defer func() { m.depth-- }()
	if m.depth > maxDepth {
		return nil, m.errAt(e, "CallDepthOverflow", "The script failed due to call depth overflow.", "", "InvalidOperation", "ScriptCallDepthException")
	}
	v, err := m.eval1(sc, e)
	if err == nil && m.static && isUnknown(v) {
		// The argument an auditor reads is the one written here, not the
		// call deep inside it that made the value unknowable.
		v = value.Unknown{Source: m.text(e)}
	}
	return v, err
}

func (m *machine) eval1(sc *scope, e syntax.Expr) (value.Value, error) {
	switch e := e.(type) {
	case nil:
		return nil, nil
	case *syntax.StringLit:
		return e.Value, nil
	case *syntax.ExpandableString:
		return m.expand(sc, e)
	case *syntax.Number:
		return numberValue(e), nil
	case *syntax.Variable:
		if e.Splat {
			return nil, m.errAt(e, "SplattingNotPermitted", fmt.Sprintf("Splatted variables like '@%s' cannot be part of a comma-separated list of arguments.", e.Name), "", "ParserError", "ParentContainsErrorRecordException")
		}
		return m.getVar(sc, e)
	case *syntax.ArrayLit:
		out := make([]value.Value, 0, len(e.Elems))
		for _, x := range e.Elems {
			v, err := m.eval(sc, x)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case *syntax.ArraySubExpr:
		var out []value.Value
		if err := m.execBlock(sc, e.Stmts, &out); err != nil {
			return nil, err
		}
		if m.static && containsUnknown(out) {
			return value.Unknown{}, nil
		}
		if out == nil {
			out = []value.Value{}
		}
		return out, nil
	case *syntax.SubExpr:
		var out []value.Value
		if err := m.execBlock(sc, e.Stmts, &out); err != nil {
			return nil, err
		}
		if m.static && containsUnknown(out) {
			return value.Unknown{}, nil
		}
		return collapse(out), nil
	case *syntax.Paren:
		return m.stmtValue(sc, e.X)
	case *syntax.Hashtable:
		return m.hashtable(sc, e)
	case *syntax.Member:
		return m.member(sc, e)
	case *syntax.Invoke:
		return m.invoke(sc, e)
	case *syntax.Index:
		return m.index(sc, e)
	case *syntax.TypeLit:
		return typeValue(e.Name), nil
	case *syntax.Cast:
		v, err := m.eval(sc, e.X)
		if err != nil {
			return nil, err
		}
		cv, err := castTo(typeName(e.Type), v)
		if err != nil {
			return nil, m.record(err, e)
		}
		return cv, nil
	case *syntax.ScriptBlock:
		sb := &value.ScriptBlock{Text: scriptBlockText(m.text(e)), Body: e}
		if m.static {
			if err := m.checkScriptBlock(sc, e, nil); err != nil {
				return nil, err
			}
		}
		return sb, nil
	case *syntax.Binary:
		return m.binary(sc, e)
	case *syntax.Unary:
		return m.unary(sc, e)
	}
	return nil, m.errAt(e, "certledger.ExpressionNotSupported", fmt.Sprintf("This expression is not supported by certledger: %s", m.text(e)), "", "NotImplemented", "RuntimeException")
}

func containsUnknown(vs []value.Value) bool {
	for _, v := range vs {
		if isUnknown(v) {
			return true
		}
	}
	return false
}

// scriptBlockText is a script block's ToString(): the text between the
// braces.
func scriptBlockText(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimPrefix(s, "{")
	s = strings.TrimSuffix(s, "}")
	return s
}

func numberValue(n *syntax.Number) value.Value {
	switch v := n.Value.(type) {
	case int32, int64, float64:
		return v
	case int:
		return number{i: int64(v)}.value()
	case syntax.Decimal:
		if x, ok := parseNumber(string(v)); ok {
			return x.value()
		}
		return string(v)
	case string:
		if x, ok := parseNumber(v); ok {
			return x.value()
		}
		return v
	}
	if x, ok := parseNumber(n.Text); ok {
		return x.value()
	}
	return n.Text
}

func (m *machine) expand(sc *scope, e *syntax.ExpandableString) (value.Value, error) {
	var b strings.Builder
	unknown := false
	for _, p := range e.Parts {
		if lit, ok := p.(*syntax.StringLit); ok {
			b.WriteString(lit.Value)
			continue
		}
		v, err := m.eval(sc, p)
		if err != nil {
			return nil, err
		}
		if isUnknown(v) {
			unknown = true
		}
		// toString gives a SecureString's type name, never its content.
		b.WriteString(toString(v))
	}
	if unknown {
		return value.Unknown{}, nil
	}
	if b.Len() > maxStringLen {
		return nil, m.record(errTooLarge, e)
	}
	s := b.String()
	return s, m.account(s, e)
}

func (m *machine) hashtable(sc *scope, e *syntax.Hashtable) (value.Value, error) {
	h := value.NewHashtable()
	for _, kv := range e.Pairs {
		if kv == nil {
			continue
		}
		var key string
		switch k := kv.Key.(type) {
		case *syntax.StringLit:
			key = k.Value
		default:
			kval, err := m.eval(sc, k)
			if err != nil {
				return nil, err
			}
			key = toString(kval)
		}
		if _, dup := h.Get(key); dup {
			return nil, m.errAt(kv.Key, "DuplicateKeyInHashLiteral", fmt.Sprintf("Duplicate keys '%s' are not allowed in hash literals.", key), "", "ParserError", "ParentContainsErrorRecordException")
		}
		v, err := m.stmtValue(sc, kv.Value)
		if err != nil {
			return nil, err
		}
		if m.static && isUnknown(v) {
			v = value.Unknown{Source: m.text(kv.Value)}
		}
		h.Set(key, v)
	}
	return h, nil
}

func (m *machine) binary(sc *scope, e *syntax.Binary) (value.Value, error) {
	op := strings.ToLower(e.Op)
	switch op {
	case "-and", "-or":
		l, err := m.eval(sc, e.X)
		if err != nil {
			return nil, err
		}
		if !m.static || !isUnknown(l) {
			lb := toBool(l)
			if op == "-and" && !lb && !m.static {
				return false, nil
			}
			if op == "-or" && lb && !m.static {
				return true, nil
			}
		}
		r, err := m.eval(sc, e.Y)
		if err != nil {
			return nil, err
		}
		if isUnknown(l) || isUnknown(r) {
			return value.Unknown{}, nil
		}
		if op == "-and" {
			return toBool(l) && toBool(r), nil
		}
		return toBool(l) || toBool(r), nil
	case "-is", "-isnot", "-as":
		l, err := m.eval(sc, e.X)
		if err != nil {
			return nil, err
		}
		tn := ""
		if t, ok := e.Y.(*syntax.TypeLit); ok {
			tn = t.Name
		} else {
			r, err := m.eval(sc, e.Y)
			if err != nil {
				return nil, err
			}
			tn = toString(r)
		}
		if isUnknown(l) {
			return value.Unknown{}, nil
		}
		switch op {
		case "-is":
			return isType(l, tn), nil
		case "-isnot":
			return !isType(l, tn), nil
		}
		v, err := castTo(tn, l)
		if err != nil {
			return nil, nil
		}
		return v, nil
	}
	l, err := m.eval(sc, e.X)
	if err != nil {
		return nil, err
	}
	r, err := m.eval(sc, e.Y)
	if err != nil {
		return nil, err
	}
	if isUnknown(l) || isUnknown(r) {
		return value.Unknown{}, nil
	}
	v, err := binaryOp(op, l, r, func(h *value.Hashtable) { m.setVarName(sc, "matches", h) })
	if err != nil {
		return nil, m.record(err, e)
	}
	if err := m.account(v, e); err != nil {
		return nil, err
	}
	return v, nil
}

func (m *machine) unary(sc *scope, e *syntax.Unary) (value.Value, error) {
	op := strings.ToLower(e.Op)
	if op == "++" || op == "--" {
		cur, err := m.eval(sc, e.X)
		if err != nil {
			return nil, err
		}
		if isUnknown(cur) {
			return void{}, nil
		}
		nv, err := binaryOp(op[:1], cur, int32(1), nil)
		if err != nil {
			return nil, m.record(err, e)
		}
		return void{}, m.assignTo(sc, e.X, nv)
	}
	v, err := m.eval(sc, e.X)
	if err != nil {
		return nil, err
	}
	if isUnknown(v) {
		return value.Unknown{}, nil
	}
	switch op {
	case "-not", "!":
		return !toBool(v), nil
	case ",":
		return []value.Value{v}, nil
	case "-":
		n, ok := toNumber(v)
		if !ok {
			return nil, m.errAt(e, "OperatorFailed", fmt.Sprintf("Cannot convert value %q to type \"System.Int32\".", toString(v)), "", "InvalidArgument", "RuntimeException")
		}
		return numArith("-", number{}, n)
	case "+":
		n, ok := toNumber(v)
		if !ok {
			return v, nil
		}
		return n.value(), nil
	case "-join":
		return binaryOp("-join", v, "", nil)
	case "-split":
		var out []value.Value
		for _, item := range enumerate(v) {
			for _, f := range strings.Fields(toString(item)) {
				out = append(out, f)
			}
		}
		return out, nil
	case "-bnot":
		n, ok := toNumber(v)
		if !ok {
			return nil, m.errAt(e, "OperatorFailed", "The operation '-bnot' is not defined for this value.", "", "InvalidOperation", "RuntimeException")
		}
		return number{i: ^n.i}.value(), nil
	}
	return nil, m.errAt(e, "certledger.OperatorNotSupported", fmt.Sprintf("The operator '%s' is not supported by certledger.", e.Op), "", "NotImplemented", "RuntimeException")
}

func (m *machine) index(sc *scope, e *syntax.Index) (value.Value, error) {
	obj, err := m.eval(sc, e.X)
	if err != nil {
		return nil, err
	}
	idx, err := m.eval(sc, e.Index)
	if err != nil {
		return nil, err
	}
	if isUnknown(obj) || isUnknown(idx) {
		return value.Unknown{}, nil
	}
	if keys, ok := idx.([]value.Value); ok {
		out := []value.Value{}
		for _, k := range keys {
			v, err := indexOne(obj, k)
			if err != nil {
				return nil, m.record(err, e)
			}
			if v != nil {
				out = append(out, v)
			}
		}
		return out, nil
	}
	v, err := indexOne(obj, idx)
	if err != nil {
		return nil, m.record(err, e)
	}
	return v, nil
}

func indexOne(obj, idx value.Value) (value.Value, error) {
	switch o := obj.(type) {
	case nil:
		return nil, &opError{"NullArray", "Cannot index into a null array."}
	case *value.Hashtable:
		v, _ := o.Get(toString(idx))
		return v, nil
	case *value.Object:
		v, _ := o.Get(toString(idx))
		return v, nil
	}
	n, ok := toNumber(idx)
	if !ok {
		return nil, &opError{"InvalidCastFromStringToInteger", fmt.Sprintf("Cannot convert value %q to type \"System.Int32\". Error: \"Input string was not in a correct format.\"", toString(idx))}
	}
	i := int(n.i)
	if n.isFloat {
		i = int(n.f)
	}
	switch o := obj.(type) {
	case []value.Value:
		if i < 0 {
			i += len(o)
		}
		if i < 0 || i >= len(o) {
			return nil, nil
		}
		return o[i], nil
	case []byte:
		if i < 0 {
			i += len(o)
		}
		if i < 0 || i >= len(o) {
			return nil, nil
		}
		return int32(o[i]), nil
	case string:
		r := []rune(o)
		if i < 0 {
			i += len(r)
		}
		if i < 0 || i >= len(r) {
			return nil, nil
		}
		return string(r[i]), nil
	}
	if i == 0 || i == -1 {
		return obj, nil
	}
	return nil, nil
}

func (m *machine) trapNotSupported(t *syntax.Trap) error {
	return m.errAt(t, "certledger.TrapNotSupported", "The trap statement is not supported by certledger: any error stops the script. Use try/catch for errors the script throws itself.", "", "NotImplemented", "RuntimeException")
}
