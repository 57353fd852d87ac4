package cmdlet

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// hparam is one parameter of a helper cmdlet.
type hparam struct {
	name      string
	aliases   []string
	typ       string // .NET type for MissingArgument; "switch" for a SwitchParameter
	pos       int    // -1: named only
	remaining bool   // ValueFromRemainingArguments
	secret    bool
	common    bool
}

func (p *hparam) isSwitch() bool { return p.typ == "switch" }

// helper is a helper cmdlet: its metadata and what it does.
type helper struct {
	name   string
	class  string // .NET class, the FullyQualifiedErrorId suffix
	params []*hparam
	run    func(c *hcall) ([]value.Value, error)
}

// hcall is one call of a helper.
type hcall struct {
	m        *machine
	sc       *scope
	cmd      *syntax.Command
	h        *helper
	bound    map[string]value.Value // lower-case declared name → value
	order    []string               // declared names in binding order
	extents  map[string]syntax.Extent
	input    []value.Value
	hasInput bool
}

func (c *hcall) get(name string) (value.Value, bool) {
	v, ok := c.bound[strings.ToLower(name)]
	return v, ok
}

func (c *hcall) str(name string) string {
	v, _ := c.get(name)
	return toString(v)
}

func (c *hcall) on(name string) bool {
	v, ok := c.get(name)
	return ok && toBool(v)
}

func (c *hcall) errf(id, category, reason, format string, args ...any) *ErrorRecord {
	rec := c.m.errAt(c.cmd, id, fmt.Sprintf(format, args...), c.h.name, category, reason)
	rec.FQIDSuffix = c.h.class
	return rec
}

var commonParams = []*hparam{
	{name: "Verbose", aliases: []string{"vb"}, typ: "switch", pos: -1, common: true},
	{name: "Debug", aliases: []string{"db"}, typ: "switch", pos: -1, common: true},
	{name: "ErrorAction", aliases: []string{"ea"}, typ: "System.Management.Automation.ActionPreference", pos: -1, common: true},
	{name: "WarningAction", aliases: []string{"wa"}, typ: "System.Management.Automation.ActionPreference", pos: -1, common: true},
	{name: "InformationAction", aliases: []string{"infa"}, typ: "System.Management.Automation.ActionPreference", pos: -1, common: true},
	{name: "ErrorVariable", aliases: []string{"ev"}, typ: "System.String", pos: -1, common: true},
	{name: "WarningVariable", aliases: []string{"wv"}, typ: "System.String", pos: -1, common: true},
	{name: "InformationVariable", aliases: []string{"iv"}, typ: "System.String", pos: -1, common: true},
	{name: "OutVariable", aliases: []string{"ov"}, typ: "System.String", pos: -1, common: true},
	{name: "OutBuffer", aliases: []string{"ob"}, typ: "System.Int32", pos: -1, common: true},
	{name: "PipelineVariable", aliases: []string{"pv"}, typ: "System.String", pos: -1, common: true},
}

func named(name, typ string, aliases ...string) *hparam {
	return &hparam{name: name, typ: typ, pos: -1, aliases: aliases}
}

func positional(name, typ string, pos int, aliases ...string) *hparam {
	return &hparam{name: name, typ: typ, pos: pos, aliases: aliases}
}

func sw(name string, aliases ...string) *hparam {
	return &hparam{name: name, typ: "switch", pos: -1, aliases: aliases}
}

// helpers is keyed by lower-case name.
var helpers = map[string]*helper{}

// helperAliases maps PowerShell's built-in aliases to helper names.
var helperAliases = map[string]string{
	"fl": "Format-List", "ft": "Format-Table", "sort": "Sort-Object",
	"gci": "Get-ChildItem", "dir": "Get-ChildItem", "ls": "Get-ChildItem",
	"cls": "Clear-Host", "measure": "Measure-Object",
	"?": "Where-Object", "where": "Where-Object",
	"%": "ForEach-Object", "foreach": "ForEach-Object",
	"select": "Select-Object",
	"gc":     "Get-Content", "cat": "Get-Content", "type": "Get-Content",
	"echo": "Write-Output", "write": "Write-Output",
	"sleep": "Start-Sleep", "ipmo": "Import-Module",
}

func register(h *helper) {
	h.params = append(h.params, commonParams...)
	helpers[strings.ToLower(h.name)] = h
}

func init() {
	register(&helper{name: "Get-Credential", class: "Microsoft.PowerShell.Commands.GetCredentialCommand",
		params: []*hparam{positional("Credential", "System.Management.Automation.PSCredential", 0), named("UserName", "System.String"),
			named("Message", "System.String"), named("Title", "System.String")},
		run: getCredential})
	register(&helper{name: "ConvertTo-SecureString", class: "Microsoft.PowerShell.Commands.ConvertToSecureStringCommand",
		params: []*hparam{{name: "String", typ: "System.String", pos: 0, secret: true}, sw("AsPlainText"), sw("Force"),
			named("SecureKey", "System.Security.SecureString"), named("Key", "System.Byte[]")},
		run: convertToSecureString})
	register(&helper{name: "Read-Host", class: "Microsoft.PowerShell.Commands.ReadHostCommand",
		params: []*hparam{{name: "Prompt", typ: "System.Object", pos: 0, remaining: true}, sw("AsSecureString")},
		run:    readHost})
	register(&helper{name: "Get-Content", class: "Microsoft.PowerShell.Commands.GetContentCommand",
		params: []*hparam{positional("Path", "System.String[]", 0), named("LiteralPath", "System.String[]", "PSPath", "LP"),
			named("Encoding", "Microsoft.PowerShell.Commands.FileSystemCmdletProviderEncoding"), named("ReadCount", "System.Int64"),
			named("TotalCount", "System.Int64", "First", "Head"), named("Tail", "System.Int32", "Last"), sw("Raw"), sw("AsByteStream")},
		run: getContent})
	register(&helper{name: "Where-Object", class: "Microsoft.PowerShell.Commands.WhereObjectCommand",
		params: append([]*hparam{positional("FilterScript", "System.Management.Automation.ScriptBlock", 0),
			named("Property", "System.String"), positional("Value", "System.Object", 1),
			named("InputObject", "System.Management.Automation.PSObject")},
			whereSwitches()...),
		run: whereObject})
	register(&helper{name: "Select-Object", class: "Microsoft.PowerShell.Commands.SelectObjectCommand",
		params: []*hparam{positional("Property", "System.Object[]", 0), named("ExpandProperty", "System.String"),
			named("First", "System.Int32"), named("Last", "System.Int32"), named("Skip", "System.Int32"), sw("Unique"),
			named("InputObject", "System.Management.Automation.PSObject")},
		run: selectObject})
	register(&helper{name: "ForEach-Object", class: "Microsoft.PowerShell.Commands.ForEachObjectCommand",
		params: []*hparam{positional("Process", "System.Management.Automation.ScriptBlock[]", 0),
			{name: "RemainingScripts", typ: "System.Management.Automation.ScriptBlock[]", pos: 1, remaining: true},
			named("Begin", "System.Management.Automation.ScriptBlock"), named("End", "System.Management.Automation.ScriptBlock"),
			named("MemberName", "System.String"), named("InputObject", "System.Management.Automation.PSObject")},
		run: forEachObject})
	register(&helper{name: "Write-Host", class: "Microsoft.PowerShell.Commands.WriteHostCommand",
		params: []*hparam{{name: "Object", typ: "System.Object", pos: 0, remaining: true}, sw("NoNewline"),
			named("Separator", "System.Object"), named("ForegroundColor", "System.ConsoleColor"), named("BackgroundColor", "System.ConsoleColor")},
		run: writeHost})
	register(&helper{name: "Write-Output", class: "Microsoft.PowerShell.Commands.WriteOutputCommand",
		params: []*hparam{{name: "InputObject", typ: "System.Management.Automation.PSObject[]", pos: 0, remaining: true}, sw("NoEnumerate")},
		run:    writeOutput})
	register(&helper{name: "Write-Warning", class: "Microsoft.PowerShell.Commands.WriteWarningCommand",
		params: []*hparam{positional("Message", "System.String", 0, "Msg")},
		run:    writeWarning})
	for _, n := range []string{"Write-Verbose", "Write-Debug", "Write-Information", "Write-Progress"} {
		register(&helper{name: n, class: "Microsoft.PowerShell.Commands." + strings.ReplaceAll(n, "-", "") + "Command",
			params: []*hparam{{name: "Message", typ: "System.String", pos: 0, remaining: true, aliases: []string{"Msg", "Activity", "MessageData"}},
				named("Status", "System.String"), named("PercentComplete", "System.Int32"), named("Id", "System.Int32"), sw("Completed")},
			run: func(c *hcall) ([]value.Value, error) { return nil, nil }})
	}
	register(&helper{name: "Write-Error", class: "Microsoft.PowerShell.Commands.WriteErrorCommand",
		params: []*hparam{positional("Message", "System.String", 0, "Msg"), named("Category", "System.Management.Automation.ErrorCategory"),
			named("ErrorId", "System.String")},
		run: writeError})
	register(&helper{name: "Out-Null", class: "Microsoft.PowerShell.Commands.OutNullCommand",
		params: []*hparam{named("InputObject", "System.Management.Automation.PSObject")},
		run:    func(c *hcall) ([]value.Value, error) { return nil, nil }})
	register(&helper{name: "Out-Host", class: "Microsoft.PowerShell.Commands.OutHostCommand",
		params: []*hparam{named("InputObject", "System.Management.Automation.PSObject"), sw("Paging")},
		run:    outHost})
	register(&helper{name: "Out-Default", class: "Microsoft.PowerShell.Commands.OutDefaultCommand",
		params: []*hparam{named("InputObject", "System.Management.Automation.PSObject")},
		run:    outHost})
	for _, n := range []string{"Format-List", "Format-Table"} {
		register(&helper{name: n, class: "Microsoft.PowerShell.Commands." + strings.ReplaceAll(n, "-", "") + "Command",
			params: []*hparam{positional("Property", "System.Object[]", 0), named("InputObject", "System.Management.Automation.PSObject"),
				sw("AutoSize"), sw("Wrap"), named("GroupBy", "System.Object"), sw("Force"), sw("HideTableHeaders")},
			run: formatList})
	}
	register(&helper{name: "Sort-Object", class: "Microsoft.PowerShell.Commands.SortObjectCommand",
		params: []*hparam{positional("Property", "System.Object[]", 0), sw("Descending"), sw("Unique"), sw("CaseSensitive"),
			named("InputObject", "System.Management.Automation.PSObject")},
		run: sortObject})
	register(&helper{name: "Out-String", class: "Microsoft.PowerShell.Commands.OutStringCommand",
		params: []*hparam{named("InputObject", "System.Management.Automation.PSObject"), sw("Stream"), named("Width", "System.Int32")},
		run:    outString})
	register(&helper{name: "Get-Date", class: "Microsoft.PowerShell.Commands.GetDateCommand",
		params: []*hparam{positional("Date", "System.DateTime", 0, "LastWriteTime"), named("Format", "System.String"),
			named("UFormat", "System.String"), named("Year", "System.Int32"), named("Month", "System.Int32"), named("Day", "System.Int32"),
			named("Hour", "System.Int32"), named("Minute", "System.Int32"), named("Second", "System.Int32")},
		run: getDate})
	register(&helper{name: "Start-Sleep", class: "Microsoft.PowerShell.Commands.StartSleepCommand",
		params: []*hparam{positional("Seconds", "System.Int32", 0), named("Milliseconds", "System.Int32")},
		run:    startSleep})
	register(&helper{name: "Import-Module", class: "Microsoft.PowerShell.Commands.ImportModuleCommand",
		params: []*hparam{{name: "Name", typ: "System.String[]", pos: 0}, sw("Global"), sw("Force"), sw("DisableNameChecking"),
			named("Prefix", "System.String"), sw("PassThru"), named("MinimumVersion", "System.Version", "Version")},
		run: importModule})
	register(&helper{name: "Add-PSSnapin", class: "Microsoft.PowerShell.Commands.AddPSSnapinCommand",
		params: []*hparam{{name: "Name", typ: "System.String[]", pos: 0}, sw("PassThru")},
		run:    importModule})
	register(&helper{name: "Join-Path", class: "Microsoft.PowerShell.Commands.JoinPathCommand",
		params: []*hparam{positional("Path", "System.String[]", 0, "PSPath"), positional("ChildPath", "System.String", 1),
			{name: "AdditionalChildPath", typ: "System.String[]", pos: 2, remaining: true}, sw("Resolve")},
		run: joinPath})
	register(&helper{name: "Split-Path", class: "Microsoft.PowerShell.Commands.SplitPathCommand",
		params: []*hparam{positional("Path", "System.String[]", 0, "PSPath"), sw("Leaf"), sw("Parent"), sw("Qualifier"),
			sw("NoQualifier"), sw("IsAbsolute"), sw("Resolve")},
		run: splitPath})
	register(&helper{name: "New-Object", class: "Microsoft.PowerShell.Commands.NewObjectCommand",
		params: []*hparam{positional("TypeName", "System.String", 0), {name: "ArgumentList", typ: "System.Object[]", pos: 1, aliases: []string{"Args"}, remaining: true},
			named("Property", "System.Collections.IDictionary")},
		run: newObject})
	register(&helper{name: "Get-ChildItem", class: "Microsoft.PowerShell.Commands.GetChildItemCommand",
		params: []*hparam{positional("Path", "System.String[]", 0), named("LiteralPath", "System.String[]", "PSPath", "LP"),
			positional("Filter", "System.String", 1), sw("File"), sw("Directory"), sw("Force"), sw("Name"),
			named("Include", "System.String[]"), named("Exclude", "System.String[]"), sw("Recurse", "s")},
		run: getChildItem})
	register(&helper{name: "Get-Item", class: "Microsoft.PowerShell.Commands.GetItemCommand",
		params: []*hparam{positional("Path", "System.String[]", 0), named("LiteralPath", "System.String[]", "PSPath", "LP"), sw("Force")},
		run:    getItem})
	register(&helper{name: "Out-File", class: "Microsoft.PowerShell.Commands.OutFileCommand",
		params: []*hparam{positional("FilePath", "System.String", 0, "Path"), positional("Encoding", "System.String", 1), sw("Append"),
			sw("Force"), sw("NoClobber"), sw("NoNewline"), named("Width", "System.Int32"), named("InputObject", "System.Management.Automation.PSObject")},
		run: outFile})
	for _, n := range []string{"Set-Content", "Add-Content"} {
		register(&helper{name: n, class: "Microsoft.PowerShell.Commands." + strings.ReplaceAll(n, "-", "") + "Command",
			params: []*hparam{positional("Path", "System.String[]", 0), positional("Value", "System.Object[]", 1),
				named("LiteralPath", "System.String[]", "PSPath", "LP"), named("Encoding", "System.String"), sw("Force"), sw("NoNewline"), sw("PassThru")},
			run: setContent})
	}
	for _, n := range []string{"Start-Transcript", "Stop-Transcript"} {
		register(&helper{name: n, class: "Microsoft.PowerShell.Commands." + strings.ReplaceAll(n, "-", "") + "Command",
			params: []*hparam{positional("Path", "System.String", 0, "LiteralPath", "PSPath"), named("OutputDirectory", "System.String"),
				sw("Append"), sw("Force"), sw("NoClobber"), sw("IncludeInvocationHeader")},
			run: func(c *hcall) ([]value.Value, error) {
				c.m.note(c.cmd, "%s: certledger keeps no transcript; its events are the record", c.h.name)
				return nil, nil
			}})
	}
	// The Exchange Management Shell's own start-up, after dot-sourcing
	// RemoteExchange.ps1: certledger is that shell already.
	register(&helper{name: "Connect-ExchangeServer", class: "Connect-ExchangeServer",
		params: []*hparam{positional("ServerFqdn", "System.String", 0), sw("Auto"), sw("AllowClobber"),
			named("ClientApplication", "System.String"), named("UserName", "System.String")},
		run: func(c *hcall) ([]value.Value, error) {
			c.m.note(c.cmd, "Connect-ExchangeServer skipped: certledger is the Exchange shell")
			return nil, nil
		}})
	register(&helper{name: "Set-StrictMode", class: "Microsoft.PowerShell.Commands.SetStrictModeCommand",
		params: []*hparam{named("Version", "System.Version", "v"), sw("Off")},
		run:    setStrictMode})
	register(&helper{name: "Clear-Host", class: "Clear-Host", run: func(c *hcall) ([]value.Value, error) { return nil, nil }})
	register(&helper{name: "Pause", class: "Pause", run: pause})
	register(&helper{name: "Measure-Object", class: "Microsoft.PowerShell.Commands.MeasureObjectCommand",
		params: []*hparam{positional("Property", "System.String[]", 0), sw("Sum"), sw("Average"), sw("Maximum"), sw("Minimum"),
			named("InputObject", "System.Management.Automation.PSObject")},
		run: measureObject})
	register(&helper{name: "Test-Path", class: "Microsoft.PowerShell.Commands.TestPathCommand",
		params: []*hparam{positional("Path", "System.String[]", 0), named("LiteralPath", "System.String[]", "PSPath", "LP"),
			named("PathType", "Microsoft.PowerShell.Commands.TestPathType", "Type")},
		run: testPath})
}

// whereSwitches are Where-Object's operator switches for its simplified
// syntax: `Where-Object Thumbprint -eq $t`.
func whereSwitches() []*hparam {
	var out []*hparam
	for _, n := range []string{"EQ", "NE", "GT", "GE", "LT", "LE", "Like", "NotLike", "Match", "NotMatch",
		"Contains", "NotContains", "In", "NotIn", "Is", "IsNot",
		"CEQ", "CNE", "CGT", "CGE", "CLT", "CLE", "CLike", "CNotLike", "CMatch", "CNotMatch",
		"CContains", "CNotContains", "CIn", "CNotIn"} {
		out = append(out, sw(n))
	}
	return out
}

// ---- binding ----

// bindHelper binds arguments to a helper's parameters with the same rules
// and the same error texts as the binder: exact name, then unique prefix,
// then alias, declared parameters preferred over common ones; switches;
// MissingArgument; ParameterAlreadyBound; positional binding.
func (m *machine) bindHelper(h *helper, cmd *syntax.Command, args []bind.Arg) (*hcall, error) {
	c := &hcall{m: m, cmd: cmd, h: h, bound: map[string]value.Value{}, extents: map[string]syntax.Extent{}}
	perr := func(id string, ext syntax.Extent, format string, a ...any) *ErrorRecord {
		return m.finish(&ErrorRecord{ID: id, FQIDSuffix: h.class, Command: h.name, Message: fmt.Sprintf(format, a...),
			Category: "InvalidArgument", Reason: "ParameterBindingException", Extent: ext})
	}
	set := func(p *hparam, v value.Value, a bind.Arg) error {
		k := strings.ToLower(p.name)
		if _, dup := c.bound[k]; dup {
			return perr("ParameterAlreadyBound", a.Extent, "Cannot bind parameter because parameter '%s' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, \"-parameter value1,value2,value3\".", p.name)
		}
		if p.secret {
			for _, x := range enumerate(v) {
				if s, ok := x.(string); ok {
					m.sec.add(s)
				}
			}
		}
		c.bound[k] = v
		c.order = append(c.order, p.name)
		c.extents[k] = a.Extent
		return nil
	}
	var pos []bind.Arg
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a.Name == "" {
			pos = append(pos, a)
			continue
		}
		p, err := matchParam(h.params, a.Name)
		if err != nil {
			id, msg := err.id, err.msg
			return nil, perr(id, a.Extent, "%s", msg)
		}
		var v value.Value
		switch {
		case a.Colon:
			v = a.Value
			if p.isSwitch() {
				switch a.Value.(type) {
				case bool, value.Switch, int32, int64, float64, nil, value.Unknown:
					v = value.Switch(toBool(a.Value))
					if isUnknown(a.Value) {
						v = a.Value
					}
				default:
					return nil, perr("CannotConvertArgument", a.ValueExtent, "Cannot convert '%s' to the type 'System.Management.Automation.SwitchParameter' required by parameter '%s'. ", typeNameOf(a.Value), p.name)
				}
			}
		case p.isSwitch():
			v = value.Switch(true)
		default:
			if i+1 >= len(args) || args[i+1].Name != "" && !args[i+1].Splatted && paramMatches(h.params, args[i+1].Name) {
				return nil, perr("MissingArgument", a.Extent, "Missing an argument for parameter '%s'. Specify a parameter of type '%s' and try again.", p.name, p.typ)
			}
			next := args[i+1]
			i++
			v = next.Value
			if next.Name != "" {
				v = next.Text
			}
			if p.remaining {
				// Remaining-arguments parameters collect what follows.
				vals := []value.Value{v}
				for i+1 < len(args) && args[i+1].Name == "" {
					i++
					vals = append(vals, args[i].Value)
				}
				if len(vals) > 1 {
					v = vals
				}
			}
		}
		if err := set(p, v, a); err != nil {
			return nil, err
		}
	}
	// Positional binding in position order, to parameters not yet bound.
	for _, p := range positionalOrder(h.params) {
		if len(pos) == 0 {
			break
		}
		if _, done := c.bound[strings.ToLower(p.name)]; done {
			continue
		}
		a := pos[0]
		pos = pos[1:]
		v := a.Value
		if p.remaining && len(pos) > 0 {
			vals := []value.Value{v}
			for _, r := range pos {
				vals = append(vals, r.Value)
			}
			pos = nil
			v = vals
		}
		if err := set(p, v, a); err != nil {
			return nil, err
		}
	}
	if len(pos) > 0 {
		return nil, perr("PositionalParameterNotFound", pos[0].Extent, "A positional parameter cannot be found that accepts argument '%s'.", toString(pos[0].Value))
	}
	return c, nil
}

type matchErr struct{ id, msg string }

func positionalOrder(ps []*hparam) []*hparam {
	var out []*hparam
	for want := 0; want < 8; want++ {
		for _, p := range ps {
			if p.pos == want {
				out = append(out, p)
			}
		}
	}
	return out
}

func paramMatches(ps []*hparam, name string) bool {
	_, err := matchParam(ps, name)
	return err == nil || err.id == "AmbiguousParameter"
}

// matchParam is GetMatchingParameter (§4.4.1).
func matchParam(ps []*hparam, typed string) (*hparam, *matchErr) {
	name := strings.ToLower(typed)
	var cands []*hparam
	for _, p := range ps {
		pn := strings.ToLower(p.name)
		if pn == name {
			return p, nil
		}
		if strings.HasPrefix(pn, name) {
			cands = append(cands, p)
		}
	}
	for _, p := range ps {
		for _, al := range p.aliases {
			an := strings.ToLower(al)
			if an == name {
				return p, nil
			}
			if strings.HasPrefix(an, name) {
				dup := false
				for _, c := range cands {
					dup = dup || c == p
				}
				if !dup {
					cands = append(cands, p)
				}
			}
		}
	}
	switch len(cands) {
	case 0:
		return nil, &matchErr{"NamedParameterNotFound", fmt.Sprintf("A parameter cannot be found that matches parameter name '%s'.", typed)}
	case 1:
		return cands[0], nil
	}
	var declared []*hparam
	for _, c := range cands {
		if !c.common {
			declared = append(declared, c)
		}
	}
	if len(declared) == 1 {
		return declared[0], nil
	}
	var list strings.Builder
	for _, c := range cands {
		list.WriteString(" -")
		list.WriteString(c.name)
	}
	return nil, &matchErr{"AmbiguousParameter", fmt.Sprintf("Parameter cannot be processed because the parameter name '%s' is ambiguous. Possible matches include:%s.", typed, list.String())}
}

// runHelper binds and runs (or, in a check, binds and records) a helper.
func (m *machine) runHelper(sc *scope, cmd *syntax.Command, h *helper, args []bind.Arg, input []value.Value, hasInput bool, upstream string, unres *unresolvedSplat) ([]value.Value, error) {
	if m.static && unres != nil {
		m.chk.addCommand(m, cmd, h.name, "", nil, []checkWarning{unresolvedWarning(m, unres)})
		return []value.Value{value.Unknown{Source: m.text(cmd)}}, nil
	}
	c, err := m.bindHelper(h, cmd, args)
	if err != nil {
		if m.static {
			m.chk.addError(m, cmd, err.(*ErrorRecord))
			return []value.Value{value.Unknown{Source: m.text(cmd)}}, nil
		}
		return nil, err
	}
	c.sc, c.input, c.hasInput = sc, input, hasInput
	if h.name == "Where-Object" {
		// The first positional is the filter script or, in the simplified
		// syntax, the property name.
		if v, ok := c.bound["filterscript"]; ok {
			if _, isSB := v.(*value.ScriptBlock); !isSB && !isUnknown(v) {
				to := "Property"
				if _, named := c.bound["property"]; named {
					to = "Value"
				}
				if _, dup := c.bound[strings.ToLower(to)]; dup {
					return nil, m.finish(&ErrorRecord{ID: "AmbiguousParameterSet", FQIDSuffix: h.class, Command: h.name,
						Message:  "Parameter set cannot be resolved using the specified named parameters.",
						Category: "InvalidArgument", Reason: "ParameterBindingException", Extent: cmd.Extent})
				}
				delete(c.bound, "filterscript")
				c.bound[strings.ToLower(to)] = v
				for i, n := range c.order {
					if n == "FilterScript" {
						c.order[i] = to
					}
				}
			}
		}
	}
	if m.static {
		// Declared order, as the binder reports domain cmdlets.
		var params []checkParam
		for _, p := range h.params {
			v, ok := c.bound[strings.ToLower(p.name)]
			if !ok {
				continue
			}
			if p.secret || isSecretValue(v) {
				v = value.Redacted
			}
			params = append(params, checkParam{Name: p.name, Value: v})
		}
		m.chk.addCommand(m, cmd, h.name, "", params, nil)
		if h.name == "ConvertTo-SecureString" && c.on("AsPlainText") && !c.on("Force") {
			// A rule of Windows PowerShell 5.1 itself, certain without running.
			_, err := convertToSecureString(c)
			if rec, ok := err.(*ErrorRecord); ok {
				m.chk.addError(m, cmd, rec)
			}
		}
		if h.name == "Get-ChildItem" || h.name == "Get-Item" {
			if err := checkCertDrive(c); err != nil {
				m.chk.addError(m, cmd, err)
			}
		}
		if h.name == "Import-Module" || h.name == "Add-PSSnapin" {
			if err := checkModules(c); err != nil {
				m.chk.addError(m, cmd, err.(*ErrorRecord))
			}
		}
		return []value.Value{value.Unknown{Source: m.text(cmd)}}, nil
	}
	out, err := h.run(c)
	if err == nil {
		m.streamVariables(sc, c.get, out)
	}
	return out, err
}

// ---- the helpers ----

func getCredential(c *hcall) ([]value.Value, error) {
	m := c.m
	user := c.str("UserName")
	if v, ok := c.get("Credential"); ok {
		switch v := v.(type) {
		case *value.Credential:
			return []value.Value{v}, nil
		case nil:
		default:
			user = toString(v)
		}
	}
	if p := m.host.prompter; p != nil {
		header := "Windows PowerShell credential request.\n"
		if msg := c.str("Message"); msg != "" {
			header = msg + "\n"
		} else {
			header += "Enter your credentials.\n"
		}
		if user == "" {
			u, err := p.ReadLine(header + "User: ")
			if err != nil {
				return nil, c.errf("certledger.CredentialPromptFailed", "ReadError", "HostException", "Reading the user name failed: %v", err)
			}
			user, header = strings.TrimSpace(u), ""
		}
		pw, err := p.ReadSecret(header + "Password for user " + user + ": ")
		if err != nil {
			return nil, c.errf("certledger.CredentialPromptFailed", "ReadError", "HostException", "Reading the password failed: %v", err)
		}
		m.sec.add(pw)
		return []value.Value{&value.Credential{UserName: user, Password: value.NewSecureString(pw)}}, nil
	}
	pw, ok := m.host.lookupEnv("CERTLEDGER_CREDENTIAL_PASSWORD")
	if !ok {
		return nil, c.errf("certledger.CredentialNotAvailable", "InvalidOperation", "HostException",
			"Get-Credential needs a password: there is no terminal to prompt on, and CERTLEDGER_CREDENTIAL_PASSWORD is not set (the user name comes from CERTLEDGER_CREDENTIAL_USER or -UserName).")
	}
	m.sec.add(pw)
	if user == "" {
		user, _ = m.host.lookupEnv("CERTLEDGER_CREDENTIAL_USER")
	}
	return []value.Value{&value.Credential{UserName: user, Password: value.NewSecureString(pw)}}, nil
}

func convertToSecureString(c *hcall) ([]value.Value, error) {
	items := c.input
	if v, ok := c.get("String"); ok {
		items = []value.Value{v}
	}
	if len(items) == 0 {
		return nil, c.errf("MissingMandatoryParameter", "InvalidArgument", "ParameterBindingException",
			"Cannot process command because of one or more missing mandatory parameters: String.")
	}
	if !c.on("AsPlainText") {
		return nil, c.errf("certledger.EncryptedStandardStringNotSupported", "NotImplemented", "NotSupportedException",
			"certledger cannot decrypt an encrypted standard string (it is protected with the Windows Data Protection API of the user who made it); give the password with -AsPlainText -Force.")
	}
	if !c.on("Force") {
		return nil, c.errf("ImportSecureString_InvalidArgument", "InvalidArgument", "ArgumentException",
			"The system cannot protect plain text input. To suppress this warning and convert the plain text to a SecureString, reissue the command specifying the Force parameter. For more information ,type: get-help ConvertTo-SecureString.")
	}
	var out []value.Value
	for _, it := range items {
		if s, ok := it.(value.SecureString); ok {
			out = append(out, s)
			continue
		}
		s := toString(it)
		c.m.sec.add(s)
		out = append(out, value.NewSecureString(s))
	}
	return out, nil
}

func readHost(c *hcall) ([]value.Value, error) {
	p := c.m.host.prompter
	if p == nil {
		return nil, c.errf("certledger.ReadHostNeedsTerminal", "ResourceUnavailable", "PSInvalidOperationException",
			"Read-Host needs a terminal to prompt on. PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.")
	}
	prompt := ""
	if v, ok := c.get("Prompt"); ok {
		prompt = toString(v) + ": "
	}
	if c.on("AsSecureString") {
		s, err := p.ReadSecret(prompt)
		if err != nil {
			return nil, c.errf("certledger.ReadHostFailed", "ReadError", "HostException", "Reading from the terminal failed: %v", err)
		}
		c.m.sec.add(s)
		return []value.Value{value.NewSecureString(s)}, nil
	}
	s, err := p.ReadLine(prompt)
	if err != nil {
		return nil, c.errf("certledger.ReadHostFailed", "ReadError", "HostException", "Reading from the terminal failed: %v", err)
	}
	return []value.Value{s}, nil
}

func getContent(c *hcall) ([]value.Value, error) {
	pv, ok := c.get("Path")
	if !ok {
		pv, ok = c.get("LiteralPath")
	}
	if !ok {
		return nil, c.errf("MissingMandatoryParameter", "InvalidArgument", "ParameterBindingException",
			"Cannot process command because of one or more missing mandatory parameters: Path.")
	}
	enc := strings.ToLower(c.str("Encoding"))
	byteMode := c.on("AsByteStream") || enc == "byte"
	var out []value.Value
	for _, p := range enumerate(pv) {
		path := toString(p)
		data, _, err := c.m.readFile(path)
		if err != nil {
			rec := c.m.record(err, c.cmd)
			rec.Command, rec.FQIDSuffix, rec.Activity = c.h.name, c.h.class, c.h.name
			return nil, rec
		}
		if byteMode {
			// -ReadCount 0 writes the whole file as one byte[]; other read
			// counts write bytes one by one, which any [Byte[]] cast
			// collects back into the same array.
			out = append(out, data)
			continue
		}
		text := strings.TrimPrefix(string(data), "\ufeff")
		if c.on("Raw") {
			out = append(out, text)
			continue
		}
		text = strings.TrimSuffix(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
		for _, l := range strings.Split(text, "\n") {
			out = append(out, l)
		}
	}
	return out, nil
}

// scriptInput runs a script block for one pipeline object, with $_ set, in
// the caller's scope, as ForEach-Object and Where-Object do.
func (c *hcall) runBlock(sb *value.ScriptBlock, in value.Value) ([]value.Value, error) {
	body, ok := sb.Body.(*syntax.ScriptBlock)
	if !ok {
		return nil, nil
	}
	sc := c.sc
	prev, had := sc.vars["_"]
	sc.vars["_"] = in
	defer func() {
		if had {
			sc.vars["_"] = prev
		} else {
			delete(sc.vars, "_")
		}
	}()
	var out []value.Value
	err := c.m.execBlock(sc, body.Stmts, &out)
	if fl, ok := err.(*flow); ok && (fl.kind == "return" || fl.kind == "continue") {
		err = nil
	}
	return out, err
}

func (c *hcall) pipeInput() []value.Value {
	if v, ok := c.get("InputObject"); ok {
		return []value.Value{v}
	}
	return c.input
}

func whereObject(c *hcall) ([]value.Value, error) {
	var out []value.Value
	if f, ok := c.get("FilterScript"); ok {
		sb := f.(*value.ScriptBlock)
		for _, in := range c.pipeInput() {
			res, err := c.runBlock(sb, in)
			if err != nil {
				return nil, err
			}
			if toBool(collapse(res)) {
				out = append(out, in)
			}
		}
		return out, nil
	}
	prop, ok := c.get("Property")
	if !ok {
		return nil, c.errf("MissingMandatoryParameter", "InvalidArgument", "ParameterBindingException",
			"Cannot process command because of one or more missing mandatory parameters: FilterScript.")
	}
	op := ""
	for _, n := range c.order {
		p, _ := matchParam(c.h.params, n)
		if p != nil && p.isSwitch() && !p.common && n != "" {
			op = "-" + strings.ToLower(n)
		}
	}
	rhs, hasValue := c.get("Value")
	if op == "" && hasValue {
		return nil, c.errf("AmbiguousParameterSet", "InvalidArgument", "ParameterBindingException",
			"Parameter set cannot be resolved using the specified named parameters.")
	}
	for _, in := range c.pipeInput() {
		lhs := c.m.getMember(in, toString(prop))
		var keep bool
		switch op {
		case "":
			keep = toBool(lhs)
		case "-is", "-isnot":
			keep = isType(lhs, toString(rhs)) == (op == "-is")
		default:
			r, err := binaryOp(op, lhs, rhs, nil)
			if err != nil {
				return nil, c.m.record(err, c.cmd)
			}
			keep = toBool(r)
		}
		if keep {
			out = append(out, in)
		}
	}
	return out, nil
}

func selectObject(c *hcall) ([]value.Value, error) {
	in := c.pipeInput()
	if v, ok := c.get("Skip"); ok {
		n := argInt([]value.Value{v}, 0)
		if n > len(in) {
			n = len(in)
		}
		in = in[n:]
	}
	if v, ok := c.get("First"); ok {
		n := argInt([]value.Value{v}, 0)
		if n < len(in) {
			in = in[:max(n, 0)]
		}
	}
	if v, ok := c.get("Last"); ok {
		n := argInt([]value.Value{v}, 0)
		if n < len(in) {
			in = in[len(in)-max(n, 0):]
		}
	}
	if c.on("Unique") {
		var u []value.Value
		for _, x := range in {
			dup := false
			for _, y := range u {
				dup = dup || equal(y, x, true)
			}
			if !dup {
				u = append(u, x)
			}
		}
		in = u
	}
	props, hasProps := c.get("Property")
	exp, hasExp := c.get("ExpandProperty")
	if !hasProps && !hasExp {
		return in, nil
	}
	var out []value.Value
	for _, obj := range in {
		if hasProps {
			o := value.NewObject("Selected." + typeNameOf(obj))
			for _, p := range enumerate(props) {
				if h, ok := p.(*value.Hashtable); ok {
					name, v, err := c.calculated(h, obj)
					if err != nil {
						return nil, err
					}
					o.Props.Set(name, v)
					continue
				}
				name := toString(p)
				if strings.Contains(name, "*") {
					re, err := wildcardRegexp(name, false)
					if err != nil {
						return nil, c.m.record(err, c.cmd)
					}
					for _, k := range propNames(obj) {
						if re.MatchString(k) {
							o.Props.Set(k, c.m.getMember(obj, k))
						}
					}
					continue
				}
				o.Props.Set(name, c.m.getMember(obj, name))
			}
			if !hasExp {
				out = append(out, o)
				continue
			}
		}
		if hasExp {
			name := toString(exp)
			v, found := lookupProp(obj, name)
			if !found {
				return nil, c.errf("ExpandPropertyNotFound", "InvalidArgument", "PSArgumentException",
					"Property \"%s\" cannot be found.", name)
			}
			out = append(out, enumerate(v)...)
		}
	}
	return out, nil
}

func lookupProp(obj value.Value, name string) (value.Value, bool) {
	switch o := obj.(type) {
	case *value.Object:
		return o.Get(name)
	case *value.Hashtable:
		return o.Get(name)
	}
	return nil, false
}

func propNames(obj value.Value) []string {
	switch o := obj.(type) {
	case *value.Object:
		return o.Props.Keys()
	case *value.Hashtable:
		return o.Keys()
	}
	return nil
}

// calculated evaluates a Select-Object calculated property:
// @{Name='x'; Expression={...}} (also Label/N/L and E).
func (c *hcall) calculated(h *value.Hashtable, obj value.Value) (string, value.Value, error) {
	var name string
	var expr value.Value
	for _, k := range h.Keys() {
		v, _ := h.Get(k)
		lk := strings.ToLower(k)
		switch {
		case strings.HasPrefix("name", lk) || strings.HasPrefix("label", lk):
			name = toString(v)
		case strings.HasPrefix("expression", lk):
			expr = v
		}
	}
	switch e := expr.(type) {
	case *value.ScriptBlock:
		out, err := c.runBlock(e, obj)
		if err != nil {
			return "", nil, err
		}
		if name == "" {
			name = e.Text
		}
		return name, collapse(out), nil
	case nil:
		return name, nil, nil
	default:
		if name == "" {
			name = toString(e)
		}
		return name, c.m.getMember(obj, toString(e)), nil
	}
}

func forEachObject(c *hcall) ([]value.Value, error) {
	var begin, end *value.ScriptBlock
	var process []*value.ScriptBlock
	blocks := func(v value.Value) []*value.ScriptBlock {
		var out []*value.ScriptBlock
		for _, x := range enumerate(v) {
			if sb, ok := x.(*value.ScriptBlock); ok {
				out = append(out, sb)
			}
		}
		return out
	}
	if v, ok := c.get("Begin"); ok {
		if b := blocks(v); len(b) > 0 {
			begin = b[0]
		}
	}
	if v, ok := c.get("End"); ok {
		if b := blocks(v); len(b) > 0 {
			end = b[0]
		}
	}
	member := c.str("MemberName")
	if v, ok := c.get("Process"); ok {
		if _, isSB := v.(*value.ScriptBlock); !isSB {
			if _, isArr := v.([]value.Value); !isArr {
				member = toString(v)
			}
		}
		process = blocks(v)
	}
	if v, ok := c.get("RemainingScripts"); ok {
		all := append(process, blocks(v)...)
		// Two blocks are begin and process; three are begin, process, end.
		switch len(all) {
		case 2:
			begin, process = all[0], all[1:2]
		default:
			if len(all) >= 3 {
				begin, process, end = all[0], all[1:len(all)-1], all[len(all)-1]
			}
		}
	}
	var out []value.Value
	run := func(sb *value.ScriptBlock, in value.Value) error {
		if sb == nil {
			return nil
		}
		res, err := c.runBlock(sb, in)
		out = append(out, res...)
		return err
	}
	if err := run(begin, nil); err != nil {
		return nil, err
	}
	for _, in := range c.pipeInput() {
		if member != "" {
			if v := c.m.getMember(in, member); v != nil {
				out = append(out, enumerate(v)...)
			}
			continue
		}
		for _, p := range process {
			if err := run(p, in); err != nil {
				return nil, err
			}
		}
	}
	if err := run(end, nil); err != nil {
		return nil, err
	}
	return out, nil
}

func writeHost(c *hcall) ([]value.Value, error) {
	sep := " "
	if v, ok := c.get("Separator"); ok {
		sep = toString(v)
	}
	var parts []string
	if v, ok := c.get("Object"); ok {
		for _, x := range enumerate(v) {
			parts = append(parts, toString(x))
		}
	} else {
		for _, x := range c.input {
			parts = append(parts, toString(x))
		}
	}
	nl := "\n"
	if c.on("NoNewline") {
		nl = ""
	}
	c.m.printf(c.m.host.stdout, "%s%s", strings.Join(parts, sep), nl)
	return nil, nil
}

func writeOutput(c *hcall) ([]value.Value, error) {
	v, ok := c.get("InputObject")
	if !ok {
		return c.input, nil
	}
	if c.on("NoEnumerate") {
		return []value.Value{v}, nil
	}
	return enumerate(v), nil
}

func writeWarning(c *hcall) ([]value.Value, error) {
	msg := c.str("Message")
	if len(c.input) > 0 && msg == "" {
		msg = toString(c.input[0])
	}
	c.m.printf(c.m.host.warnings, "WARNING: %s\n", msg)
	return nil, nil
}

// writeError stops the run: a script reporting an error is a script with an
// error, and nothing it did may be committed.
func writeError(c *hcall) ([]value.Value, error) {
	msg := c.str("Message")
	id := c.str("ErrorId")
	if id == "" {
		id = "Microsoft.PowerShell.Commands.WriteErrorException"
	}
	rec := c.m.errAt(c.cmd, id, msg, "", "NotSpecified", "WriteErrorException")
	rec.FQIDSuffix = ""
	if id == "Microsoft.PowerShell.Commands.WriteErrorException" {
		rec.Category = "NotSpecified"
	}
	return nil, rec
}

func outHost(c *hcall) ([]value.Value, error) {
	for _, v := range c.pipeInput() {
		c.m.printf(c.m.host.stdout, "%s", consoleText(v))
	}
	return nil, nil
}

func outString(c *hcall) ([]value.Value, error) {
	var parts []string
	for _, v := range c.pipeInput() {
		parts = append(parts, formatObject(v))
	}
	if c.on("Stream") {
		out := make([]value.Value, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	}
	return []value.Value{strings.Join(parts, "\n") + "\n"}, nil
}

func getDate(c *hcall) ([]value.Value, error) {
	t := c.m.host.now()
	if v, ok := c.get("Date"); ok {
		switch d := v.(type) {
		case time.Time:
			t = d
		default:
			pd, ok := parseDate(toString(d))
			if !ok {
				return nil, c.errf("ParameterArgumentTransformationError", "InvalidData", "ParameterBindingArgumentTransformationException",
					"Cannot process argument transformation on parameter 'Date'. Cannot convert value \"%s\" to type \"System.DateTime\". Error: \"String was not recognized as a valid DateTime.\"", toString(d))
			}
			t = pd
		}
	}
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	pick := func(name string, cur int) int {
		if v, ok := c.get(name); ok {
			return argInt([]value.Value{v}, 0)
		}
		return cur
	}
	t = time.Date(pick("Year", y), time.Month(pick("Month", int(mo))), pick("Day", d),
		pick("Hour", h), pick("Minute", mi), pick("Second", s), t.Nanosecond(), t.Location())
	if f, ok := c.get("Format"); ok {
		return []value.Value{formatDate(t, toString(f))}, nil
	}
	return []value.Value{t}, nil
}

func startSleep(c *hcall) ([]value.Value, error) {
	what := c.str("Seconds") + " s"
	if v, ok := c.get("Milliseconds"); ok {
		what = toString(v) + " ms"
	}
	c.m.note(c.cmd, "Start-Sleep %s not waited: certledger records, it does not wait for servers", what)
	return nil, nil
}

// moduleOK reports whether a module or snap-in is one of those whose
// cmdlets certledger provides.
func moduleOK(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	n = n[strings.LastIndexAny(n, `\/`)+1:]
	for _, ext := range []string{".psd1", ".psm1", ".dll"} {
		n = strings.TrimSuffix(n, ext)
	}
	switch n {
	case "lync", "skypeforbusiness", "microsoft.rtc.management", "exchange", "exchangeonlinemanagement":
		return true
	}
	return strings.HasPrefix(n, "microsoft.exchange.management.powershell.")
}

func checkModules(c *hcall) error {
	v, _ := c.get("Name")
	for _, n := range enumerate(v) {
		if isUnknown(n) {
			continue
		}
		if !moduleOK(toString(n)) {
			return c.errf("certledger.ModuleNotSupported", "NotImplemented", "NotSupportedException",
				"The module '%s' is not supported by certledger: only the Lync/Skype for Business and Exchange management modules and snap-ins are (their certificate cmdlets are built in).", toString(n))
		}
	}
	return nil
}

func importModule(c *hcall) ([]value.Value, error) {
	if err := checkModules(c); err != nil {
		return nil, err
	}
	c.m.note(c.cmd, "%s %s: built in, nothing to load", c.h.name, c.str("Name"))
	return nil, nil
}

func testPath(c *hcall) ([]value.Value, error) {
	pv, ok := c.get("Path")
	if !ok {
		pv, _ = c.get("LiteralPath")
	}
	var out []value.Value
	kind := strings.ToLower(c.str("PathType"))
	for _, p := range enumerate(pv) {
		local, err := c.m.files.resolve(toString(p))
		ok := err == nil
		if ok && (kind == "leaf" || kind == "container") {
			st, err := os.Stat(local)
			ok = err == nil && st.IsDir() == (kind == "container")
		}
		out = append(out, ok)
	}
	return out, nil
}

func getItem(c *hcall) ([]value.Value, error) {
	pv, ok := c.get("Path")
	if !ok {
		pv, _ = c.get("LiteralPath")
	}
	if err := checkCertDrive(c); err != nil {
		return nil, err
	}
	var out []value.Value
	for _, p := range enumerate(pv) {
		path := toString(p)
		local, err := c.m.files.resolve(path)
		if err != nil {
			rec := c.m.record(err, c.cmd)
			rec.Command, rec.FQIDSuffix, rec.Activity = c.h.name, c.h.class, c.h.name
			return nil, rec
		}
		st, err := os.Stat(local)
		_, leaf := splitWinPath(path)
		out = append(out, fileInfo(path, leaf, local, err == nil && st.IsDir()))
	}
	return out, nil
}

// pendingWrite is a file the script writes. Writes wait until the whole
// script has run without error: a failed script writes nothing, its log
// files included.
type pendingWrite struct {
	path string // as the script wrote it
	data []byte
}

// runFiles is the Files a handler gets: reads see what the run has written
// so far; writes wait, like the script's own, until the run has succeeded.
type runFiles struct{ m *machine }

func (f runFiles) ReadFile(path string) ([]byte, string, error) { return f.m.readFile(path) }

func (f runFiles) WriteFile(path string, data []byte) (string, error) {
	return f.m.queueFile(path, data)
}

// pending returns the queued write to the same local file as path.
func (m *machine) pending(path string) *pendingWrite {
	local, err := m.files.localPath(path)
	if err != nil {
		return nil
	}
	for _, p := range m.writes {
		if l, _ := m.files.localPath(p.path); strings.EqualFold(l, local) {
			return p
		}
	}
	return nil
}

// readFile reads through Files, seeing this run's queued writes first.
func (m *machine) readFile(path string) ([]byte, string, error) {
	if w := m.pending(path); w != nil {
		local, _ := m.files.localPath(path)
		return append([]byte(nil), w.data...), local, nil
	}
	return m.files.ReadFile(path)
}

// queueFile queues a whole file (a handler's -Report), checking now that
// its directory exists so that the error has the command's position.
func (m *machine) queueFile(path string, data []byte) (string, error) {
	local, ferr := m.files.localPath(path)
	if ferr != nil {
		return "", ferr
	}
	if _, ok := findInsensitive(filepath.Dir(local)); !ok {
		return "", &fileError{id: "certledger.DirectoryNotFound", path: path, local: local, category: "ObjectNotFound", reason: "DirectoryNotFoundException",
			cause: fmt.Errorf("Could not find a part of the path '%s'.", path)}
	}
	if m.host.whatIf {
		return local, nil
	}
	w := m.pending(path)
	if w == nil {
		w = &pendingWrite{path: path}
		m.writes = append(m.writes, w)
	}
	w.data = append([]byte(nil), data...)
	return local, nil
}

// queueWrite records text to write to path, after what an earlier write of
// the same run (or, when appending, the file itself) holds.
func (m *machine) queueWrite(path string, text string, appendTo bool) error {
	if m.host.whatIf {
		m.printf(m.host.stdout, "What if: Performing the operation %q on target %q.\n", "Output to File", path)
		return nil
	}
	if _, ferr := m.files.localPath(path); ferr != nil {
		return ferr
	}
	w := m.pending(path)
	if w == nil {
		w = &pendingWrite{path: path}
		m.writes = append(m.writes, w)
		if appendTo {
			if old, _, err := m.files.ReadFile(path); err == nil {
				w.data = old
			}
		}
	} else if !appendTo {
		w.data = nil
	}
	if len(w.data)+len(text) > maxStringLen {
		return errTooLarge
	}
	w.data = append(w.data, text...)
	return nil
}

// flushWrites writes the files a successful script wrote.
func (m *machine) flushWrites() error {
	if m.host.discardWrites {
		return nil
	}
	for _, w := range m.writes {
		if _, err := m.files.WriteFile(w.path, w.data); err != nil {
			return m.record(err, nil)
		}
	}
	return nil
}

// contentText renders objects as Out-File and Set-Content write them: one
// line each, CRLF as on Windows.
func contentText(vals []value.Value, table bool, noNewline bool) string {
	var b strings.Builder
	for _, v := range vals {
		s := toString(v)
		if table {
			s = strings.Trim(formatObject(v), "\n")
		}
		b.WriteString(strings.ReplaceAll(s, "\n", "\r\n"))
		if !noNewline {
			b.WriteString("\r\n")
		}
	}
	return b.String()
}

func outFile(c *hcall) ([]value.Value, error) {
	path := c.str("FilePath")
	if err := c.m.queueWrite(path, contentText(c.pipeInput(), true, c.on("NoNewline")), c.on("Append")); err != nil {
		return nil, c.fileErr(err)
	}
	return nil, nil
}

func setContent(c *hcall) ([]value.Value, error) {
	pv, ok := c.get("Path")
	if !ok {
		pv, _ = c.get("LiteralPath")
	}
	vals := c.input
	if v, ok := c.get("Value"); ok {
		vals = enumerate(v)
	}
	text := contentText(vals, false, c.on("NoNewline"))
	for _, p := range enumerate(pv) {
		if err := c.m.queueWrite(toString(p), text, c.h.name == "Add-Content"); err != nil {
			return nil, c.fileErr(err)
		}
	}
	return nil, nil
}

func (c *hcall) fileErr(err error) *ErrorRecord {
	rec := c.m.record(err, c.cmd)
	rec.Command, rec.FQIDSuffix, rec.Activity = c.h.name, c.h.class, c.h.name
	return rec
}

// pathSep is the separator a path is written with: a local directory
// ($PSScriptRoot on Linux) keeps '/', a Windows path '\'.
func pathSep(p string) string {
	if strings.HasPrefix(p, "/") && !strings.Contains(p, `\`) {
		return "/"
	}
	return `\`
}

// joinPaths joins as Join-Path does: one separator between the parts.
func joinPaths(base string, parts ...string) string {
	sep := pathSep(base)
	out := base
	for _, p := range parts {
		if p == "" {
			continue
		}
		out = strings.TrimRight(out, `\/`) + sep + strings.TrimLeft(p, `\/`)
	}
	return out
}

func joinPath(c *hcall) ([]value.Value, error) {
	child := c.str("ChildPath")
	var more []string
	if v, ok := c.get("AdditionalChildPath"); ok {
		for _, x := range enumerate(v) {
			more = append(more, toString(x))
		}
	}
	var out []value.Value
	base, _ := c.get("Path")
	for _, b := range enumerate(base) {
		out = append(out, joinPaths(toString(b), append([]string{child}, more...)...))
	}
	return out, nil
}

// splitWinPath splits a path into its parent and leaf at the last
// separator of either kind.
func splitWinPath(p string) (parent, leaf string) {
	t := strings.TrimRight(p, `\/`)
	i := strings.LastIndexAny(t, `\/`)
	if i < 0 {
		if len(t) == 2 && t[1] == ':' {
			return "", t + `\`
		}
		return "", t
	}
	parent = t[:i]
	if parent == "" || len(parent) == 2 && parent[1] == ':' {
		parent += t[i : i+1]
	}
	return parent, t[i+1:]
}

func splitPath(c *hcall) ([]value.Value, error) {
	v, _ := c.get("Path")
	var out []value.Value
	for _, x := range enumerate(v) {
		p := toString(x)
		parent, leaf := splitWinPath(p)
		switch {
		case c.on("Leaf"):
			out = append(out, leaf)
		case c.on("Qualifier"):
			if len(p) >= 2 && p[1] == ':' {
				out = append(out, p[:2])
			}
		case c.on("NoQualifier"):
			if len(p) >= 2 && p[1] == ':' {
				out = append(out, p[2:])
			} else {
				out = append(out, p)
			}
		case c.on("IsAbsolute"):
			out = append(out, isWindowsAbs(p) || strings.HasPrefix(p, "/") || strings.HasPrefix(p, `\`))
		default:
			out = append(out, parent)
		}
	}
	return out, nil
}

// formatList prints objects as a property list (Format-Table too: the
// layout of a table is nothing an audit depends on), the selected
// properties only when -Property names some.
func formatList(c *hcall) ([]value.Value, error) {
	props, hasProps := c.get("Property")
	for _, obj := range c.pipeInput() {
		if hasProps && !isWildAll(props) {
			o := value.NewObject(typeNameOf(obj))
			for _, p := range enumerate(props) {
				name := toString(p)
				o.Props.Set(name, c.m.getMember(obj, name))
			}
			obj = o
		}
		c.m.printf(c.m.host.stdout, "%s", consoleText(obj))
	}
	return nil, nil
}

func isWildAll(v value.Value) bool {
	items := enumerate(v)
	return len(items) == 1 && toString(items[0]) == "*"
}

// sortObject is Sort-Object: by the named properties (or the objects
// themselves), stable, with PowerShell's comparisons.
func sortObject(c *hcall) ([]value.Value, error) {
	in := append([]value.Value(nil), c.pipeInput()...)
	props, hasProps := c.get("Property")
	key := func(v value.Value) []value.Value {
		if !hasProps {
			return []value.Value{v}
		}
		var k []value.Value
		for _, p := range enumerate(props) {
			k = append(k, c.m.getMember(v, toString(p)))
		}
		return k
	}
	desc, cs := c.on("Descending"), c.on("CaseSensitive")
	sort.SliceStable(in, func(i, j int) bool {
		a, b := key(in[i]), key(in[j])
		for n := range a {
			r, err := compare(a[n], b[n], cs)
			if err != nil {
				continue // incomparable values keep their order, as in PowerShell
			}
			if r != 0 {
				return (r < 0) != desc
			}
		}
		return false
	})
	if c.on("Unique") {
		var u []value.Value
		for _, x := range in {
			if len(u) == 0 || !equal(u[len(u)-1], x, cs) {
				u = append(u, x)
			}
		}
		in = u
	}
	return in, nil
}

// newObject is New-Object for the types certificate scripts build: a
// PSCredential from a user name and a SecureString, and property bags.
func newObject(c *hcall) ([]value.Value, error) {
	tn := c.str("TypeName")
	var args []value.Value
	if v, ok := c.get("ArgumentList"); ok {
		args = enumerate(v)
		// New-Object T (a, b) passes one array argument: its elements.
		if len(args) == 1 {
			if inner, ok := args[0].([]value.Value); ok {
				args = inner
			}
		}
	}
	switch normType(tn) {
	case "management.automation.pscredential", "pscredential":
		cred, err := newCredential(args)
		if err != nil {
			return nil, c.errf("ConstructorInvokedThrowException", "InvalidOperation", "MethodException", "%s", err.Error())
		}
		return []value.Value{cred}, nil
	case "psobject", "management.automation.psobject", "pscustomobject", "object":
		o := value.NewObject("System.Management.Automation.PSCustomObject")
		if p, ok := c.get("Property"); ok {
			if h, ok := p.(*value.Hashtable); ok {
				for _, k := range h.Keys() {
					v, _ := h.Get(k)
					o.Props.Set(k, v)
				}
			}
		}
		return []value.Value{o}, nil
	}
	return nil, c.errf("certledger.TypeNotSupported", "NotImplemented", "NotSupportedException",
		"New-Object of the .NET type [%s] is not supported by certledger.", tn)
}

// newCredential is PSCredential's constructor (string user, SecureString
// password).
func newCredential(args []value.Value) (*value.Credential, error) {
	if len(args) != 2 {
		return nil, fmt.Errorf("Cannot find an overload for \"PSCredential\" and the argument count: \"%d\".", len(args))
	}
	pw, ok := args[1].(value.SecureString)
	if !ok {
		return nil, fmt.Errorf("Cannot convert argument \"password\", with value: \"%s\", for \"PSCredential\" to type \"System.Security.SecureString\".", typeNameOf(args[1]))
	}
	return &value.Credential{UserName: toString(args[0]), Password: pw}, nil
}

// getChildItem lists files through the path map: a directory's entries, or
// those matching a wildcard in the last component (C:\\Certs\\*.pfx), as
// FileInfo objects whose FullName is the path as the script would write
// it, so that it maps back. The certificate store (Cert:) is Windows'
// alone.
func getChildItem(c *hcall) ([]value.Value, error) {
	pv, ok := c.get("Path")
	if !ok {
		pv, ok = c.get("LiteralPath")
	}
	paths := enumerate(pv)
	if !ok {
		paths = []value.Value{"."}
	}
	filter := c.str("Filter")
	var out []value.Value
	for _, p := range paths {
		path := toString(p)
		if err := checkCertDrive(c); err != nil {
			return nil, err
		}
		dir, pattern := path, ""
		if i := strings.LastIndexAny(path, `\\/`); strings.ContainsAny(path, "*?[") {
			dir, pattern = path[:max(i, 0)], path[i+1:]
			if i < 0 {
				dir = "."
			}
		}
		local, err := c.m.files.resolve(dir)
		if err != nil {
			rec := c.m.record(err, c.cmd)
			rec.Command, rec.FQIDSuffix, rec.Activity = c.h.name, c.h.class, c.h.name
			return nil, rec
		}
		entries, err := os.ReadDir(local)
		if err != nil {
			if pattern == "" {
				// A file, not a directory: Get-ChildItem gives the file itself.
				_, leaf := splitWinPath(path)
				out = append(out, fileInfo(path, leaf, local, false))
				continue
			}
			return nil, c.errf("certledger.ReadFileFailed", "ReadError", "IOException", "Cannot list '%s': %v", path, err)
		}
		sort.Slice(entries, func(i, j int) bool { return strings.ToLower(entries[i].Name()) < strings.ToLower(entries[j].Name()) })
		for _, e := range entries {
			name := e.Name()
			if !matchesWild(pattern, name) || !matchesWild(filter, name) {
				continue
			}
			if c.on("File") && e.IsDir() || c.on("Directory") && !e.IsDir() {
				continue
			}
			full := joinPaths(dir, name)
			if dir == "." || dir == "" {
				full = name
			}
			if c.on("Name") {
				out = append(out, name)
				continue
			}
			out = append(out, fileInfo(full, name, filepath.Join(local, name), e.IsDir()))
		}
	}
	return out, nil
}

func matchesWild(pattern, name string) bool {
	if pattern == "" || pattern == "*" || pattern == "*.*" {
		return true
	}
	re, err := wildcardRegexp(pattern, false)
	return err == nil && re.MatchString(name)
}

func fileInfo(full, name, local string, dir bool) *value.Object {
	typ := "System.IO.FileInfo"
	if dir {
		typ = "System.IO.DirectoryInfo"
	}
	o := value.NewObject(typ)
	ext := ""
	if i := strings.LastIndexByte(name, '.'); i > 0 && !dir {
		ext = name[i:]
	}
	parent, _ := splitWinPath(full)
	o.Props.Set("Name", name)
	o.Props.Set("FullName", full)
	o.Props.Set("BaseName", strings.TrimSuffix(name, ext))
	o.Props.Set("Extension", ext)
	o.Props.Set("DirectoryName", parent)
	o.Props.Set("PSIsContainer", dir)
	if st, err := os.Stat(local); err == nil {
		if !dir {
			o.Props.Set("Length", st.Size())
		}
		o.Props.Set("LastWriteTime", st.ModTime())
	}
	return o
}

// checkCertDrive refuses the certificate store drive, which exists only on
// Windows; a check can tell as soon as the path is a constant.
func checkCertDrive(c *hcall) *ErrorRecord {
	pv, ok := c.get("Path")
	if !ok {
		pv, _ = c.get("LiteralPath")
	}
	for _, p := range enumerate(pv) {
		path, ok := p.(string)
		if ok && len(path) >= 5 && strings.EqualFold(path[:5], "cert:") {
			return c.errf("certledger.CertificateStoreNotAvailable", "NotImplemented", "NotSupportedException",
				"The certificate store (%s) exists only on Windows; certledger knows the certificates imported from files (Get-CsCertificate, Get-ExchangeCertificate).", path)
		}
	}
	return nil
}

// setStrictMode honours the rule of strict mode scripts rely on most: an
// unset variable is an error, not $null.
func setStrictMode(c *hcall) ([]value.Value, error) {
	if c.on("Off") {
		c.m.strict = 0
		return nil, nil
	}
	v := strings.ToLower(c.str("Version"))
	switch {
	case v == "latest" || v == "":
		c.m.strict = 3
	default:
		n, ok := parseNumber(strings.SplitN(v, ".", 2)[0])
		if !ok || n.i < 1 {
			return nil, c.errf("ParameterArgumentTransformationError", "InvalidData", "ParameterBindingArgumentTransformationException",
				"Cannot process argument transformation on parameter 'Version'. Cannot convert value \"%s\" to type \"System.Version\".", c.str("Version"))
		}
		c.m.strict = int(n.i)
	}
	return nil, nil
}

// pause is PowerShell's Pause function: a prompt on a terminal, nothing
// otherwise.
func pause(c *hcall) ([]value.Value, error) {
	if p := c.m.host.prompter; p != nil {
		if _, err := p.ReadLine("Press Enter to continue...: "); err != nil {
			return nil, c.errf("certledger.ReadHostFailed", "ReadError", "HostException", "Reading from the terminal failed: %v", err)
		}
		return nil, nil
	}
	c.m.note(c.cmd, "Pause skipped: no terminal")
	return nil, nil
}

// measureObject counts the input and, for -Property, sums and extremes.
func measureObject(c *hcall) ([]value.Value, error) {
	in := c.pipeInput()
	o := value.NewObject("Microsoft.PowerShell.Commands.GenericMeasureInfo")
	o.Props.Set("Count", int32(len(in)))
	props, hasProps := c.get("Property")
	if !hasProps {
		return []value.Value{o}, nil
	}
	name := toString(enumerate(props)[0])
	var sum float64
	var minV, maxV value.Value
	for i, x := range in {
		v := c.m.getMember(x, name)
		if n, ok := toNumber(v); ok {
			sum += n.float()
		}
		if i == 0 {
			minV, maxV = v, v
			continue
		}
		if r, err := compare(v, minV, false); err == nil && r < 0 {
			minV = v
		}
		if r, err := compare(v, maxV, false); err == nil && r > 0 {
			maxV = v
		}
	}
	o.Props.Set("Property", name)
	if c.on("Sum") {
		o.Props.Set("Sum", sum)
	}
	if c.on("Average") && len(in) > 0 {
		o.Props.Set("Average", sum/float64(len(in)))
	}
	if c.on("Maximum") {
		o.Props.Set("Maximum", maxV)
	}
	if c.on("Minimum") {
		o.Props.Set("Minimum", minV)
	}
	return []value.Value{o}, nil
}
