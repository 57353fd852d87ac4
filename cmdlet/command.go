package cmdlet

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// pipeline runs the elements of a pipeline one after another, each taking
// all of the previous one's output. PowerShell streams object by object;
// running element by element gives the same invocations in the same order
// for the pipelines legacy scripts write, and keeps errors simple: the
// first one stops everything.
func (m *machine) pipeline(sc *scope, p *syntax.Pipeline) ([]value.Value, error) {
	if p == nil {
		return nil, nil
	}
	var cur []value.Value
	for i, el := range p.Elements {
		switch el := el.(type) {
		case *syntax.CommandExpr:
			if i > 0 {
				return nil, m.errAt(el, "ExpressionsMustBeFirstInPipeline", "Expressions are only allowed as the first element of a pipeline.", "", "ParserError", "ParentContainsErrorRecordException")
			}
			v, err := m.eval(sc, el.X)
			if err != nil {
				return nil, err
			}
			cur = enumerate(v)
			if cur, err = m.redirect(sc, el.Redirects, cur); err != nil {
				return nil, err
			}
		case *syntax.Command:
			upstream := ""
			if i > 0 {
				upstream = m.extentText(syntax.Extent{From: p.Pos(), To: p.Elements[i-1].End()})
			}
			out, err := m.command(sc, el, cur, i > 0, upstream)
			if err != nil {
				return nil, err
			}
			if cur, err = m.redirect(sc, el.Redirects, out); err != nil {
				return nil, err
			}
		default:
			return nil, m.errAt(el, "certledger.PipelineElementNotSupported", "This pipeline element is not supported by certledger.", "", "NotImplemented", "RuntimeException")
		}
	}
	return cur, nil
}

// redirect applies a pipeline element's redirections. Discarding (`>
// $null`, `2>&1`, `2> $null`) is all legacy certificate scripts do with
// them; writing output to a file is not something certledger records, so
// it is refused rather than silently dropped.
func (m *machine) redirect(sc *scope, reds []*syntax.Redirection, out []value.Value) ([]value.Value, error) {
	for _, r := range reds {
		if r.Target == nil {
			continue // a stream merge: there is only one stream here
		}
		if v, ok := r.Target.(*syntax.Variable); ok && strings.EqualFold(v.Name, "null") {
			if strings.HasPrefix(r.Op, ">") || strings.HasPrefix(r.Op, "1") || strings.HasPrefix(r.Op, "*") {
				out = nil
			}
			continue
		}
		if m.static {
			continue
		}
		return nil, m.errAt(r, "certledger.OutputRedirectionNotSupported", fmt.Sprintf("Redirecting output to a file ('%s') is not supported by certledger.", m.text(r)), "", "NotImplemented", "RuntimeException")
	}
	return out, nil
}

// commandName evaluates the command name: usually a bareword; `& $x` and
// `& 'name'` evaluate an expression, which may be a script block to run.
func (m *machine) commandName(sc *scope, cmd *syntax.Command) (string, *value.ScriptBlock, error) {
	if s, ok := cmd.Name.(*syntax.StringLit); ok {
		return s.Value, nil, nil
	}
	v, err := m.eval(sc, cmd.Name)
	if err != nil {
		return "", nil, err
	}
	if sb, ok := v.(*value.ScriptBlock); ok {
		return "", sb, nil
	}
	return toString(v), nil, nil
}

// invokeScriptBlock runs `& { ... }` in a child scope, or `. { ... }` in
// the current one, with its param() block bound like a function's.
func (m *machine) invokeScriptBlock(sc *scope, cmd *syntax.Command, sb *value.ScriptBlock, args []bind.Arg, input []value.Value, hasInput bool) ([]value.Value, error) {
	body, ok := sb.Body.(*syntax.ScriptBlock)
	if m.static || !ok {
		// A check walked the block where it was written.
		return []value.Value{value.Unknown{Source: m.text(cmd)}}, nil
	}
	bsc := sc
	if cmd.Invocation != "." {
		bsc = newScope(sc)
	}
	if err := m.bindParams(bsc, cmd, "", body.Params, args); err != nil {
		return nil, err
	}
	if hasInput {
		bsc.vars["input"] = input
	}
	var out []value.Value
	err := m.runBody(bsc, body, input, hasInput, &out)
	var fl *flow
	if errors.As(err, &fl) && fl.kind == "return" {
		err = nil
	}
	return out, err
}

// unresolvedSplat marks a check of a command splatting a variable whose
// value only a run can know.
type unresolvedSplat struct{ v *syntax.Variable }

// commandArgs turns the elements after the command name into binder
// arguments: parameter tokens (with colon values), values, and splats
// expanded (a hashtable into named arguments, an array into positional
// ones).
func (m *machine) commandArgs(sc *scope, cmd *syntax.Command) ([]bind.Arg, *unresolvedSplat, error) {
	var args []bind.Arg
	var unres *unresolvedSplat
	for _, el := range cmd.Elements {
		switch el := el.(type) {
		case *syntax.Parameter:
			a := bind.Arg{Name: el.Name, Text: el.Text, Colon: el.Colon, Extent: el.Extent}
			if el.Colon && el.Arg != nil {
				v, err := m.eval(sc, el.Arg)
				if err != nil {
					return nil, nil, err
				}
				a.Value, a.ValueExtent, a.Source = v, el.Arg.Span(), m.text(el.Arg)
			}
			args = append(args, a)
		case *syntax.Variable:
			if !el.Splat {
				v, err := m.eval(sc, el)
				if err != nil {
					return nil, nil, err
				}
				args = append(args, bind.Arg{Value: v, Extent: el.Extent, Source: m.text(el)})
				continue
			}
			v, err := m.getVar(sc, &syntax.Variable{Extent: el.Extent, Name: el.Name})
			if err != nil {
				return nil, nil, err
			}
			switch v := v.(type) {
			case *value.Hashtable:
				for _, k := range v.Keys() {
					x, _ := v.Get(k)
					args = append(args, bind.Arg{Name: k, Text: "-" + k, Colon: true, Value: x,
						Extent: el.Extent, ValueExtent: el.Extent, Source: m.text(el), Splatted: true})
				}
			case []value.Value:
				for _, x := range v {
					args = append(args, bind.Arg{Value: x, Extent: el.Extent, Source: m.text(el), Splatted: true})
				}
			case nil:
			case value.Unknown:
				unres = &unresolvedSplat{v: el}
			default:
				args = append(args, bind.Arg{Value: v, Extent: el.Extent, Source: m.text(el), Splatted: true})
			}
		case syntax.Expr:
			v, err := m.eval(sc, el)
			if err != nil {
				return nil, nil, err
			}
			args = append(args, bind.Arg{Value: v, Extent: el.Span(), Source: m.text(el)})
		default:
			return nil, nil, m.errAt(el, "certledger.ArgumentNotSupported", "This command argument is not supported by certledger.", "", "NotImplemented", "RuntimeException")
		}
	}
	return args, unres, nil
}

// command resolves and runs one command: a helper (by alias or name), a
// function the script defined, or a domain cmdlet through the binder and
// the Handler. Anything else is an error, never skipped.
func (m *machine) command(sc *scope, cmd *syntax.Command, input []value.Value, hasInput bool, upstream string) ([]value.Value, error) {
	name, sb, err := m.commandName(sc, cmd)
	if err != nil {
		return nil, err
	}
	if sb != nil {
		args, _, err := m.commandArgs(sc, cmd)
		if err != nil {
			return nil, err
		}
		return m.invokeScriptBlock(sc, cmd, sb, args, input, hasInput)
	}
	if cmd.Invocation == "." && isDotSourceNoOp(name) {
		// Exchange's RemoteExchange.ps1 sets up the shell; the host is that
		// shell already.
		m.note(cmd, "dot-sourcing %s skipped: certledger is the Exchange shell", name)
		if m.static {
			m.chk.addCommand(m, cmd, name, "", nil, nil)
		}
		return nil, nil
	}
	args, unres, err := m.commandArgs(sc, cmd)
	if err != nil {
		return nil, err
	}
	m.preSecrets(name, args)
	lname := strings.ToLower(name)
	if canon, ok := helperAliases[lname]; ok {
		return m.runHelper(sc, cmd, helpers[strings.ToLower(canon)], args, input, hasInput, upstream, unres)
	}
	if fn, ok := m.funcs[lname]; ok {
		return m.callFunction(sc, cmd, fn, args, input, hasInput)
	}
	if h, ok := helpers[lname]; ok {
		return m.runHelper(sc, cmd, h, args, input, hasInput, upstream, unres)
	}
	var profile bind.Profile
	if m.host != nil {
		profile = m.host.profile
	}
	unknown := []value.Value{value.Unknown{Source: m.text(cmd)}}
	c, found := bind.Lookup(name, profile)
	if found {
		if m.static {
			return m.checkDomain(cmd, c, args, hasInput, upstream, unres)
		}
		if m.host.handler != nil && m.host.handler.Handles(c.Name) {
			return m.runDomain(cmd, c, args, input, hasInput)
		}
		return nil, m.notSupported(cmd, c.Name) // a handler that does not carry it out
	}
	_, inSomeRelease := bind.Lookup(name, "")
	switch {
	case inSomeRelease && !profile.Valid():
		rec := m.errAt(cmd.Name, bind.UnknownProfile, fmt.Sprintf("Unknown version profile %q.", string(profile)), name, "InvalidArgument", "CertledgerCheck")
		if m.static {
			m.chk.addError(m, cmd, rec)
			return unknown, nil
		}
		return nil, rec
	case inSomeRelease:
		// The cmdlet exists, but not in the release the script is checked
		// against: there, PowerShell does not know the name.
	case knownUnsupported(name):
		if err := m.notSupported(cmd, name); err != nil {
			return nil, err
		}
		return unknown, nil
	}
	rec := m.errAt(cmd.Name, "CommandNotFoundException",
		fmt.Sprintf("The term '%s' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.", name),
		name, "ObjectNotFound", "CommandNotFoundException")
	rec.TargetName, rec.TargetType = name, "String"
	rec.noActivity = true
	if m.static {
		m.chk.addError(m, cmd, rec)
		return unknown, nil
	}
	return nil, rec
}

func (m *machine) notSupported(cmd *syntax.Command, name string) error {
	rec := m.errAt(cmd.Name, "certledger.CommandNotSupported",
		fmt.Sprintf("The command '%s' is not supported by certledger. certledger runs the certificate cmdlets of Lync/Skype for Business and Exchange and the helper cmdlets legacy scripts use with them; see docs/host.md.", name),
		name, "NotImplemented", "CommandNotSupportedException")
	rec.TargetName, rec.TargetType = name, "String"
	if m.static {
		m.chk.addError(m, cmd, rec)
		return nil
	}
	return rec
}

var lyncOrExchangeNoun = regexp.MustCompile(`(?i)^[a-z]+-(cs[a-z]|[a-z]*exchange|mailbox|[a-z]*connector|transport|owa|ecp|activesync|[a-z]*virtualdirectory)`)

// knownUnsupported reports whether name is a real cmdlet (PowerShell's own,
// Lync's, Exchange's) that certledger does not implement, so that the error
// says "not supported" rather than "not recognized".
func knownUnsupported(name string) bool {
	if _, ok := unsupportedCmdlets[strings.ToLower(name)]; ok {
		return true
	}
	return lyncOrExchangeNoun.MatchString(name) && !nearKnownName(name)
}

// nearKnownName reports whether name is a misspelling of a cmdlet
// certledger knows (Set-CsCertficate): PowerShell says such a name is not
// recognized, and so does certledger, rather than calling it unsupported.
func nearKnownName(name string) bool {
	verb, noun, ok := strings.Cut(strings.ToLower(name), "-")
	if !ok {
		return false
	}
	for _, n := range bind.Names("") {
		// Same verb, a noun a key or two away; another verb is another
		// cmdlet (Export- is not a misspelt Import-).
		kv, kn, _ := strings.Cut(strings.ToLower(n), "-")
		if kv == verb {
			if d := editDistance(noun, kn); d > 0 && d <= 2 {
				return true
			}
		}
	}
	return false
}

// editDistance is the Levenshtein distance between two short names.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

var unsupportedCmdlets = func() map[string]struct{} {
	names := []string{
		"Set-Location", "cd", "Push-Location", "Pop-Location",
		"Remove-Item", "Copy-Item", "Move-Item", "New-Item", "Rename-Item",
		"Invoke-Command", "Invoke-Expression", "iex", "Start-Process", "Stop-Process", "Get-Process", "Get-Service",
		"Restart-Service", "Start-Service", "Stop-Service", "Add-Type",
		"ConvertTo-Json", "ConvertFrom-Json", "Export-Csv", "Import-Csv",
		"ConvertTo-Html", "Send-MailMessage", "New-PSSession", "Import-PSSession",
		"Enter-PSSession", "Exit-PSSession", "Remove-PSSession", "Get-PSSnapin", "Get-Module", "Remove-Module",
		"Import-PfxCertificate", "Export-PfxCertificate", "Get-PfxCertificate", "New-SelfSignedCertificate",
		"Invoke-WebRequest", "Invoke-RestMethod", "Group-Object", "Compare-Object", "Tee-Object",
		"Get-Member", "gm", "Get-Variable", "Set-Variable", "New-Variable", "Remove-Variable", "Clear-Variable",
		"Get-Random", "Get-Host", "Get-WmiObject", "Set-PSDebug", "Get-CimInstance", "Test-Connection",
		"Resolve-DnsName", "Get-EventLog", "Write-EventLog", "Get-Acl", "Set-Acl",
		"ConvertFrom-SecureString", "Get-Location", "pwd", "Resolve-Path",
		"Invoke-Item", "Get-Command", "Get-Help", "Update-Help", "Wait-Event", "Register-ObjectEvent",
		"certutil", "certutil.exe", "certreq", "certreq.exe", "netsh", "iisreset",
	}
	m := make(map[string]struct{}, len(names))
	for _, n := range names {
		m[strings.ToLower(n)] = struct{}{}
	}
	return m
}()

func isDotSourceNoOp(path string) bool {
	base := strings.ToLower(path[strings.LastIndexAny(path, `\/`)+1:])
	return base == "remoteexchange.ps1"
}

// note tells the notes writer what the host did not do for real.
func (m *machine) note(at syntax.Node, format string, args ...any) {
	if m.static || m.host == nil {
		return
	}
	m.printf(m.host.notes, "certledger: line %d: %s\n", m.position(at.Pos()).Line, fmt.Sprintf(format, args...))
}

// ---- domain cmdlets ----

func (m *machine) bindOptions(cmd *syntax.Command, in value.Value, hasInput bool) bind.Options {
	o := bind.Options{Input: in, HasInput: hasInput, Command: cmd.Extent}
	if m.host != nil {
		o.Profile, o.Culture = m.host.profile, m.host.culture
	}
	return o
}

func (m *machine) bindError(err error, cmd *syntax.Command, command string) *ErrorRecord {
	var be *bind.Error
	if errors.As(err, &be) {
		rec := m.finish(fromBindError(be))
		if rec.Command == "" {
			rec.Command, rec.FQIDSuffix = command, command
		}
		if !rec.Extent.From.IsValid() {
			rec.Extent = cmd.Extent
		}
		return rec
	}
	rec := m.record(err, cmd)
	if rec.Command == "" {
		rec.Command = command
	}
	return rec
}

func (m *machine) runDomain(cmd *syntax.Command, c *bind.Cmdlet, args []bind.Arg, input []value.Value, hasInput bool) ([]value.Value, error) {
	if hasInput && len(input) == 0 {
		// No object reached the cmdlet: PowerShell never runs its
		// processing, so there is nothing to hand over.
		return nil, nil
	}
	items := input
	if !hasInput {
		items = []value.Value{nil}
	}
	var results []value.Value
	lastBound := &bind.Bound{}
	for _, in := range items {
		if err := m.ctx.Err(); err != nil {
			return nil, m.record(err, cmd)
		}
		b, err := bind.Bind(c, args, m.bindOptions(cmd, in, hasInput))
		if err != nil {
			return nil, m.bindError(err, cmd, c.Name)
		}
		m.noteSecrets(c.Name, args, b)
		lastBound = b
		for _, w := range b.Warnings {
			m.printf(m.host.warnings, "WARNING: %s\n", w.Message)
		}
		sp := &shouldProcess{m: m, whatIf: m.host.whatIf || toBool(m.varValue("whatifpreference"))}
		if on, ok := switchOn(b, "WhatIf"); ok {
			sp.whatIf = on
		}
		if on, ok := switchOn(b, "Confirm"); ok {
			sp.confirm = on
		}
		if m.host.whatIf {
			sp.whatIf = true
		}
		pos := m.position(cmd.Pos())
		inv := &Invocation{
			Bound: b, Command: cmd, File: m.name, Line: pos.Line, Char: pos.Col,
			Text: m.invocationText(cmd, c.Name, args, b), Index: m.invocations,
			Input: in, HasInput: hasInput, Files: runFiles{m},
			ShouldProcess: sp.do,
			Warn:          func(msg string) { m.printf(m.host.warnings, "WARNING: %s\n", msg) },
		}
		m.invocations++
		out, err := m.host.handler.Invoke(m.ctx, inv)
		if err != nil {
			return nil, m.handlerError(err, cmd, c.Name)
		}
		for _, o := range out {
			results = append(results, enumerate(o)...)
		}
	}
	m.streamVariables(nil, func(n string) (value.Value, bool) { return lastBound.Get(n) }, results)
	return results, nil
}

// streamVariables honours -OutVariable (the command's output; "+name"
// appends) and -ErrorVariable (always empty: an error stops the run).
func (m *machine) streamVariables(sc *scope, get func(string) (value.Value, bool), out []value.Value) {
	set := func(param string, vals []value.Value) {
		v, ok := get(param)
		if !ok || v == nil || isUnknown(v) {
			return
		}
		name := toString(v)
		appendTo := strings.HasPrefix(name, "+")
		name = strings.TrimPrefix(name, "+")
		if name == "" {
			return
		}
		list := append([]value.Value{}, vals...)
		if appendTo {
			if cur, ok := m.global.lookup(strings.ToLower(name)); ok {
				list = append(enumerate(cur), vals...)
			}
		}
		target := m.global
		if sc != nil {
			target = sc
		}
		m.setVarName(target, name, list)
	}
	set("OutVariable", out)
	set("ErrorVariable", nil)
	set("WarningVariable", nil)
}

func (m *machine) varValue(name string) value.Value {
	v, _ := m.global.lookup(name)
	return v
}

// handlerError positions a handler's error at the command and gives it the
// command's name, unless the handler chose otherwise.
func (m *machine) handlerError(err error, cmd *syntax.Command, command string) *ErrorRecord {
	var rec *ErrorRecord
	if errors.As(err, &rec) {
		if rec.Command == "" {
			rec.Command = command
		}
		if rec.FQIDSuffix == "" && rec.Category != "ParserError" {
			rec.FQIDSuffix = command
		}
		if !rec.Extent.From.IsValid() {
			rec.Extent = cmd.Extent
		}
		return m.finish(rec)
	}
	var fe *fileError
	if errors.As(err, &fe) {
		rec := fe.record()
		rec.Command, rec.FQIDSuffix, rec.Extent = command, command, cmd.Extent
		return m.finish(rec)
	}
	var be *bind.Error
	if errors.As(err, &be) {
		return m.bindError(be, cmd, command)
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return m.record(err, cmd)
	}
	id := "certledger.CommandFailed"
	var ider interface{ ErrorID() string }
	if errors.As(err, &ider) {
		id = ider.ErrorID()
	}
	rec = &ErrorRecord{ID: id, FQIDSuffix: command, Message: err.Error(), Command: command,
		Category: "InvalidOperation", Reason: "CertledgerException", Extent: cmd.Extent, cause: err}
	return m.finish(rec)
}

// isSecret reports whether a parameter of a cmdlet carries a secret; the
// binder owns the list.
var isSecret = bind.IsSecret

func isSecretValue(v value.Value) bool {
	switch v.(type) {
	case value.SecureString, *value.Credential:
		return true
	}
	return false
}

// noteSecrets remembers the plain text of secret parameters so that no
// output repeats it.
func (m *machine) noteSecrets(command string, args []bind.Arg, b *bind.Bound) {
	if b == nil {
		return
	}
	for _, p := range b.Params {
		if isSecret(command, p.Name) {
			for _, v := range enumerate(p.Value) {
				if s, ok := v.(string); ok {
					m.sec.add(s)
				}
			}
		}
	}
}

// secretParams returns the parameter tokens of cmd whose argument
// evaluated to a secret (a SecureString or a credential), for the printer.
func secretParams(cmd *syntax.Command, args []bind.Arg) map[*syntax.Parameter]bool {
	secretAt := map[syntax.Pos]bool{}
	for _, a := range args {
		if isSecretValue(a.Value) && !a.Splatted {
			if a.Colon {
				secretAt[a.ValueExtent.From] = true
			} else {
				secretAt[a.Extent.From] = true
			}
		}
	}
	out := map[*syntax.Parameter]bool{}
	for i, el := range cmd.Elements {
		p, ok := el.(*syntax.Parameter)
		if !ok {
			continue
		}
		switch {
		case p.Colon && p.Arg != nil:
			out[p] = secretAt[p.Arg.Pos()]
		case i+1 < len(cmd.Elements):
			out[p] = secretAt[cmd.Elements[i+1].Pos()]
		}
	}
	return out
}

// preSecrets remembers the plain-text values of a command's secret
// arguments before binding, so that even an error binding them (its echoed
// source line, its message) does not show them.
func (m *machine) preSecrets(command string, args []bind.Arg) {
	if canon, ok := helperAliases[strings.ToLower(command)]; ok {
		command = canon
	}
	note := func(v value.Value) {
		for _, x := range enumerate(v) {
			if s, ok := x.(string); ok {
				m.sec.add(s)
			}
		}
	}
	h, isHelper := helpers[strings.ToLower(command)]
	for i, a := range args {
		if a.Name == "" {
			if isHelper && h.name == "ConvertTo-SecureString" {
				note(a.Value) // -String is positional
			}
			continue
		}
		secret := false
		if isHelper {
			p, err := matchParam(h.params, a.Name)
			secret = err == nil && p.secret
		} else {
			secret = bind.IsSecret(command, a.Name)
		}
		if !secret {
			continue
		}
		if a.Colon {
			note(a.Value)
		} else if i+1 < len(args) && args[i+1].Name == "" {
			note(args[i+1].Value)
		}
	}
}

// commandSecret reports whether a parameter of any command (a domain
// cmdlet, a helper such as ConvertTo-SecureString) holds a secret.
func commandSecret(c *syntax.Command, prm *syntax.Parameter) bool {
	name := ""
	if s, ok := c.Name.(*syntax.StringLit); ok {
		name = s.Value
	}
	if canon, ok := helperAliases[strings.ToLower(name)]; ok {
		name = canon
	}
	if h, ok := helpers[strings.ToLower(name)]; ok {
		p, err := matchParam(h.params, prm.Name)
		return err == nil && p.secret || err != nil && err.id == "AmbiguousParameter" && strings.HasPrefix("string", strings.ToLower(prm.Name))
	}
	return bind.IsSecret(name, prm.Name)
}

// invocationText is the command in the parser's canonical form, with the
// arguments of secret parameters, and arguments that evaluated to a
// secret, printed as [redacted]; any secret the run has seen is scrubbed
// from the rest.
func (m *machine) invocationText(cmd *syntax.Command, command string, args []bind.Arg, b *bind.Bound) string {
	secretVals := secretParams(cmd, args)
	text := syntax.Sprint(cmd, &syntax.PrintConfig{Redact: func(c *syntax.Command, prm *syntax.Parameter) bool {
		if c == cmd && secretVals[prm] {
			return true
		}
		return commandSecret(c, prm)
	}})
	return m.sec.scrub(text)
}

// ---- functions ----

func (m *machine) callFunction(sc *scope, cmd *syntax.Command, fn *syntax.Function, args []bind.Arg, input []value.Value, hasInput bool) ([]value.Value, error) {
	if m.static {
		m.chk.addCommand(m, cmd, fn.Name, "", argsAsParams(args), nil)
		return []value.Value{value.Unknown{Source: m.text(cmd)}}, nil
	}
	if len(fn.Body.Named) > 0 {
		// begin/process/end: the parameters bind once, process runs per
		// input object.
		fsc := newScope(sc)
		if err := m.bindParams(fsc, cmd, fn.Name, fn.Body.Params, args); err != nil {
			return nil, err
		}
		if hasInput {
			fsc.vars["input"] = input
		}
		var out []value.Value
		err := m.runBody(fsc, fn.Body, input, hasInput, &out)
		return out, err
	}
	run := func(in value.Value, all []value.Value) ([]value.Value, error) {
		fsc := newScope(sc)
		if err := m.bindParams(fsc, cmd, fn.Name, fn.Body.Params, args); err != nil {
			return nil, err
		}
		if hasInput {
			fsc.vars["_"] = in
			fsc.vars["input"] = all
		}
		var out []value.Value
		err := m.execBlock(fsc, fn.Body.Stmts, &out)
		var fl *flow
		if errors.As(err, &fl) && fl.kind == "return" {
			err = nil
		}
		return out, err
	}
	if hasInput && fn.Keyword == "filter" {
		var out []value.Value
		for _, in := range input {
			o, err := run(in, input)
			if err != nil {
				return nil, err
			}
			out = append(out, o...)
		}
		return out, nil
	}
	var last value.Value
	if len(input) > 0 {
		last = input[len(input)-1]
	}
	return run(last, input)
}

func argsAsParams(args []bind.Arg) []checkParam {
	var out []checkParam
	var pos []value.Value
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.Name == "" {
			pos = append(pos, a.Value)
			continue
		}
		v := a.Value
		if !a.Colon {
			v = value.Switch(true)
			if i+1 < len(args) && args[i+1].Name == "" {
				v = args[i+1].Value
				i++
			}
		}
		out = append(out, checkParam{Name: a.Name, Value: v})
	}
	if len(pos) > 0 {
		out = append(out, checkParam{Name: "args", Value: pos})
	}
	return out
}

// bindParams binds the arguments of a user function (or a script block)
// PowerShell's way for simple functions: named by exact or unique-prefix
// name, switches, then positional in declaration order; the rest go to
// $args. fnName names the command in errors.
func (m *machine) bindParams(fsc *scope, cmd *syntax.Command, fnName string, decls []*syntax.ParamDecl, args []bind.Arg) error {
	var params []*syntax.ParamDecl
	for _, p := range decls {
		if p != nil && p.Var != nil {
			params = append(params, p)
		}
	}
	bound := map[int]bool{}
	isSwitch := func(p *syntax.ParamDecl) bool {
		for _, a := range p.Attributes {
			n := strings.ToLower(typeName(a))
			if n == "switch" || n == "switchparameter" || n == "system.management.automation.switchparameter" {
				return true
			}
		}
		return false
	}
	find := func(a bind.Arg) (int, error) {
		var cands []int
		for i, p := range params {
			pn := strings.ToLower(p.Var.Name)
			an := strings.ToLower(a.Name)
			if pn == an {
				return i, nil
			}
			if strings.HasPrefix(pn, an) {
				cands = append(cands, i)
			}
		}
		switch len(cands) {
		case 1:
			return cands[0], nil
		case 0:
			return -1, m.finish(&ErrorRecord{ID: "NamedParameterNotFound", FQIDSuffix: fnName, Command: fnName,
				Message:  fmt.Sprintf("A parameter cannot be found that matches parameter name '%s'.", a.Name),
				Category: "InvalidArgument", Reason: "ParameterBindingException", Extent: a.Extent})
		}
		var names []string
		for _, i := range cands {
			names = append(names, " -"+params[i].Var.Name)
		}
		return -1, m.finish(&ErrorRecord{ID: "AmbiguousParameter", FQIDSuffix: fnName, Command: fnName,
			Message:  fmt.Sprintf("Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible matches include:%s.", a.Name, strings.Join(names, "")),
			Category: "InvalidArgument", Reason: "ParameterBindingException", Extent: a.Extent})
	}
	var positional []value.Value
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.Name == "" {
			positional = append(positional, a.Value)
			continue
		}
		pi, err := find(a)
		if err != nil {
			return err
		}
		p := params[pi]
		var v value.Value
		switch {
		case a.Colon:
			v = a.Value
		case isSwitch(p):
			v = value.Switch(true)
		case i+1 < len(args) && args[i+1].Name == "":
			v = args[i+1].Value
			i++
		default:
			return m.finish(&ErrorRecord{ID: "MissingArgument", FQIDSuffix: fnName, Command: fnName,
				Message:  fmt.Sprintf("Missing an argument for parameter '%s'. Specify a parameter of type 'System.Object' and try again.", p.Var.Name),
				Category: "InvalidArgument", Reason: "ParameterBindingException", Extent: a.Extent})
		}
		cv, err := m.constrain(p, v)
		if err != nil {
			return m.record(err, a.Extent)
		}
		fsc.vars[strings.ToLower(p.Var.Name)] = cv
		bound[pi] = true
	}
	for i, p := range params {
		if bound[i] {
			continue
		}
		if !isSwitch(p) && len(positional) > 0 {
			cv, err := m.constrain(p, positional[0])
			if err != nil {
				return m.record(err, cmd)
			}
			fsc.vars[strings.ToLower(p.Var.Name)] = cv
			positional = positional[1:]
			continue
		}
		var v value.Value
		if isSwitch(p) {
			v = value.Switch(false)
		}
		if p.Default != nil {
			dv, err := m.eval(fsc, p.Default)
			if err != nil {
				return err
			}
			v = dv
		}
		fsc.vars[strings.ToLower(p.Var.Name)] = v
	}
	if positional == nil {
		positional = []value.Value{}
	}
	fsc.vars["args"] = positional
	return nil
}

// constrain applies a parameter's [type] constraint.
func (m *machine) constrain(p *syntax.ParamDecl, v value.Value) (value.Value, error) {
	for _, a := range p.Attributes {
		if a == nil || strings.ContainsAny(a.Name, "(") {
			continue
		}
		if cv, err := castTo(a.Name, v); err == nil {
			v = cv
		} else if ce, ok := err.(*convertError); ok && ce.id != "TypeNotFound" {
			return nil, err
		}
	}
	return v, nil
}

// runBody runs a script block's or function's statements, or, if it has
// them, its begin, process and end blocks in that order: process once per
// pipeline input object with $_ set to it, or once when nothing is piped.
// return ends only the block (or the process run) it is in.
func (m *machine) runBody(sc *scope, body *syntax.ScriptBlock, input []value.Value, hasInput bool, out *[]value.Value) error {
	if len(body.Named) == 0 {
		return m.execBlock(sc, body.Stmts, out)
	}
	run := func(b *syntax.Block) error {
		err := m.execBlock(sc, stmtsOf(b), out)
		if fl, ok := err.(*flow); ok && fl.kind == "return" {
			return nil
		}
		return err
	}
	for _, phase := range [...]string{"begin", "process", "end"} {
		for _, nb := range body.Named {
			if nb == nil || nb.Name != phase {
				continue
			}
			if phase != "process" || !hasInput {
				if err := run(nb.Body); err != nil {
					return err
				}
				continue
			}
			restore := keepUnderscore(sc)
			for _, in := range input {
				sc.vars["_"] = in
				if err := run(nb.Body); err != nil {
					restore()
					return err
				}
			}
			restore()
		}
	}
	return nil
}
