package bind

import (
	"strings"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// Options tune a binding.
type Options struct {
	// Profile restricts binding to one release. "" keeps the profile c was
	// looked up with.
	Profile Profile
	Culture string // DateTime parsing culture; "" is en-US
	// Input is the pipeline input object when the command runs downstream of
	// a pipe (nil otherwise); it binds ByValue, then ByPropertyName.
	Input    any
	HasInput bool
	// Command is the whole command's extent (name to last argument): the
	// extent of errors about the command as a whole (AmbiguousParameterSet,
	// MissingMandatoryParameter, InputObjectNotBound). When unset, the
	// span of the arguments is used.
	Command syntax.Extent
}

// element is one parameter token with its argument, after pairing.
type element struct {
	idx      int        // index of the element's first Arg, for source order
	arg      *Arg       // the parameter token (or the value, for a positional one)
	param    *Parameter // nil: no parameter matched (NamedParameterNotFound when bound)
	value    value.Value
	valueExt syntax.Extent // the argument's extent; zero for a switch without one
	source   string
	hasValue bool
	// paired is set when pairing gave the parameter the next element as
	// its argument; PowerShell then renames it to the declared name, which
	// is what ParameterAlreadyBound quotes.
	paired bool
	cands  []*Parameter // an ambiguous -Name:value, reported at named binding
}

type binder struct {
	c       *Cmdlet
	opts    Options
	culture *culture
	sets    setMask
	bound   map[*Parameter]int // index into vals
	vals    []BoundParam
	warns   []*Error
}

// Bind binds args to c's parameters as Windows PowerShell 5.1 does, phase
// by phase: pairing parameter tokens with their arguments (ambiguity,
// missing arguments), named binding (unknown names, duplicates,
// conversions, parameter-set narrowing), positional binding, pipeline
// input, parameter-set resolution, mandatory parameters; then the checks
// the cmdlet itself makes. A failure is a *Error: the first error
// PowerShell would report.
func Bind(c *Cmdlet, args []Arg, opts Options) (*Bound, error) {
	if c == nil {
		return nil, &Error{ID: "CommandNotFoundException", Message: "bind: no cmdlet", Category: "ObjectNotFound", Reason: "CommandNotFoundException"}
	}
	if opts.Profile != "" && opts.Profile != c.profile {
		base := c
		if c.base != nil {
			base = c.base
		}
		if !opts.Profile.Valid() {
			return nil, checkError(c, UnknownProfile, opts.Command, "Unknown version profile %q.", string(opts.Profile))
		}
		if !base.Versions.Has(opts.Profile) {
			return nil, &Error{ID: "CommandNotFoundException", Command: c.Name, Extent: opts.Command,
				Category: "ObjectNotFound", Reason: "CommandNotFoundException", Class: "CommandNotFoundException",
				Message: "The term '" + c.Name + "' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again."}
		}
		c = view(base, opts.Profile)
	} else if c.base == nil {
		c = view(c, c.profile)
	}
	cul, ok := lookupCulture(opts.Culture)
	if !ok {
		return nil, checkError(c, UnknownCulture, opts.Command, "Unknown culture %q; certledger knows %s.", opts.Culture, strings.Join(Cultures(), ", "))
	}
	if !opts.Command.From.IsValid() {
		opts.Command = spanOf(args)
	}
	b := &binder{c: c, opts: opts, culture: cul, sets: c.allSets(), bound: make(map[*Parameter]int, len(args))}
	b.vals = make([]BoundParam, 0, len(args)+1)
	named, positional, err := b.pair(args)
	if err != nil {
		return nil, err
	}
	var leftover []element
	for _, el := range named {
		if el.cands != nil {
			return nil, b.ambiguous(el.arg, el.cands)
		}
		if el.param == nil {
			leftover = append(leftover, el)
			continue
		}
		if err := b.bindNamed(el); err != nil {
			return nil, err
		}
	}
	left, posErr, fatal := b.bindPositional(positional)
	if fatal != nil {
		return nil, fatal
	}
	leftover = append(leftover, left...)
	if err := b.validateSets(); err != nil {
		return nil, err
	}
	if err := b.verifyProcessed(leftover, posErr); err != nil {
		return nil, err
	}
	if opts.HasInput {
		if err := b.bindPipeline(opts.Input); err != nil {
			return nil, err
		}
	}
	set, err := b.resolveSet()
	if err != nil {
		return nil, err
	}
	if err := b.checkMandatory(set, opts.HasInput); err != nil {
		return nil, err
	}
	out := &Bound{Command: c.Name, ParameterSet: "__AllParameterSets"}
	if set >= 0 {
		out.ParameterSet = c.Sets[set].Name
	}
	for _, p := range c.Params {
		if i, ok := b.bound[p]; ok {
			out.Params = append(out.Params, b.vals[i])
		}
	}
	out.Warnings = b.warns
	for _, chk := range c.checks {
		if err := chk(c, out, opts.Command); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// spanOf is the extent from the first argument to the last.
func spanOf(args []Arg) syntax.Extent {
	var ext syntax.Extent
	for _, a := range args {
		for _, e := range []syntax.Extent{a.Extent, a.ValueExtent} {
			if !e.From.IsValid() {
				continue
			}
			if !ext.From.IsValid() || e.From < ext.From {
				ext.From = e.From
			}
			if e.To > ext.To || !ext.To.IsValid() {
				ext.To = e.To
			}
		}
	}
	return ext
}

// pair walks the arguments as PowerShell's ReparseUnboundArguments does:
// each parameter token that is not a switch takes the next element as its
// argument. Ambiguous names and missing arguments fail here, before any
// binding; unknown names fail later, in order, during named binding.
func (b *binder) pair(args []Arg) (named, positional []element, err *Error) {
	named = make([]element, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := &args[i]
		if a.Name == "" {
			positional = append(positional, element{idx: i, arg: a, value: a.Value, valueExt: a.Extent, source: a.Source, hasValue: true})
			continue
		}
		p, cands := b.c.match(a.Name)
		el := element{idx: i, arg: a, param: p}
		switch {
		case a.Colon:
			// ReparseUnboundArguments leaves -Name:value alone: its name
			// is matched (and may be ambiguous) only at named binding.
			el.cands = cands
			el.value, el.valueExt, el.source, el.hasValue = a.Value, a.ValueExtent, a.Source, true
			if !el.valueExt.From.IsValid() {
				el.valueExt = a.Extent
			}
		case cands != nil:
			return nil, nil, b.ambiguous(a, cands)
		case p == nil:
			// Unknown: its would-be argument stays positional.
		case p.Type.Kind == KindSwitch:
			el.value = value.Switch(true)
		default:
			if i+1 >= len(args) {
				return nil, nil, b.missingArgument(a, p)
			}
			next := &args[i+1]
			if next.Name != "" {
				q, qc := b.c.match(next.Name)
				if qc != nil {
					return nil, nil, b.ambiguous(next, qc)
				}
				if q != nil || next.Colon {
					return nil, nil, b.missingArgument(a, p)
				}
				// A parameter-looking token that names nothing is the
				// argument itself, as written.
				el.value, el.valueExt, el.source, el.hasValue = next.Text, next.Extent, next.Text, true
				if el.value == "" {
					el.value = "-" + next.Name
				}
				el.paired = true
				i++
				break
			}
			el.paired = true
			el.value, el.valueExt, el.source, el.hasValue = next.Value, next.Extent, next.Source, true
			i++
		}
		named = append(named, el)
	}
	return named, positional, nil
}

func (b *binder) ambiguous(a *Arg, cands []*Parameter) *Error {
	var list strings.Builder
	for _, p := range cands {
		list.WriteString(" -")
		list.WriteString(p.Name)
	}
	return newError(b.c, AmbiguousParameter, a.Extent, msgAmbiguousParameter, a.Name, list.String())
}

func (b *binder) missingArgument(a *Arg, p *Parameter) *Error {
	return newError(b.c, MissingArgument, a.Extent, msgMissingArgument, p.Name, p.Type.Name)
}

// bindNamed binds one parameter given by name. A parameter of no set
// still possible narrows the sets to none; that is reported only after
// positional binding, as PowerShell's ValidateParameterSets does.
func (b *binder) bindNamed(el element) *Error {
	a := el.arg
	p := el.param
	ext := el.valueExt
	if !el.hasValue || !ext.From.IsValid() {
		ext = a.Extent
	}
	if _, dup := b.bound[p]; dup {
		// PowerShell's error extent of a parameter with an argument is
		// the argument's.
		name := a.Name
		if el.paired {
			name = p.Name
		}
		return newError(b.c, ParameterAlreadyBound, ext, msgParameterAlreadyBound, name)
	}
	sets, ok := b.narrow(p)
	check := sets
	if !ok {
		check = b.c.sets(p)
	}
	v, err := b.convert(p, el.value, ext, check)
	if err != nil {
		return err
	}
	b.sets = sets
	b.set(p, v, ext, el.source)
	return nil
}

// validateSets is PowerShell's ValidateParameterSets before pipeline
// input: no set left is AmbiguousParameterSet; several left, none the
// default and none able to take pipeline input, must resolve by their
// mandatory parameters.
func (b *binder) validateSets() *Error {
	if len(b.c.Sets) == 0 {
		return nil
	}
	if b.sets == 0 {
		return newError(b.c, AmbiguousParameterSet, b.opts.Command, msgAmbiguousParameterSet)
	}
	var buf [8]int
	left := b.appendSets(buf[:0])
	if len(left) == 1 {
		return nil
	}
	if d := b.c.setIndex(b.c.DefaultSet); d >= 0 && b.sets&(1<<d) != 0 {
		return nil
	}
	for _, p := range b.c.Params {
		if _, ok := b.bound[p]; !ok && (b.takesPipeline(p, true, b.sets) || b.takesPipeline(p, false, b.sets)) {
			return nil
		}
	}
	complete := 0
	for _, i := range left {
		if len(b.missingIn(i)) == 0 {
			complete++
		}
	}
	if complete != 1 {
		return newError(b.c, AmbiguousParameterSet, b.opts.Command, msgAmbiguousParameterSet)
	}
	return nil
}

// verifyProcessed is PowerShell's VerifyArgumentsProcessed: the first
// argument left over, in source order, decides the error: an unknown name
// is NamedParameterNotFound; a positional argument is the conversion error
// positional binding met, else PositionalParameterNotFound.
func (b *binder) verifyProcessed(leftover []element, posErr *Error) *Error {
	if len(leftover) == 0 {
		return nil
	}
	first := leftover[0]
	for _, el := range leftover[1:] {
		if el.idx < first.idx {
			first = el
		}
	}
	if first.param == nil && first.arg.Name != "" {
		ext := first.arg.Extent
		if first.hasValue && first.valueExt.From.IsValid() {
			ext = first.valueExt
		}
		return newError(b.c, NamedParameterNotFound, ext, msgNamedParameterNotFound, first.arg.Name)
	}
	if posErr != nil {
		return posErr
	}
	return newError(b.c, PositionalParameterNotFound, first.valueExt, msgPositionalParameterNotFound, argText(first.value, first.source))
}

// narrow returns the sets still possible once p is bound; ok is false
// when none is (a cmdlet without sets always has its one).
func (b *binder) narrow(p *Parameter) (setMask, bool) {
	if len(b.c.Sets) == 0 {
		return 0, true
	}
	m := b.sets & b.c.sets(p)
	return m, m != 0
}

func (b *binder) set(p *Parameter, v value.Value, ext syntax.Extent, source string) {
	b.bound[p] = len(b.vals)
	b.vals = append(b.vals, BoundParam{Name: p.Name, Value: v, Extent: ext, Source: source})
}

// bindPositional binds the arguments without a parameter name to the
// positional parameters of the sets still possible, lowest position first,
// one argument per position (PowerShell's BindPositionalParameters): at
// each position it tries the default set's parameter, then any, without
// conversion; then the same with conversion. An argument that binds nowhere
// is left over (with the conversion error met, if any) and the next
// argument goes on to the next position.
func (b *binder) bindPositional(args []element) (leftover []element, lastErr *Error, fatal *Error) {
	for i, el := range args {
		group := b.nextPositional()
		if group == nil {
			return append(leftover, args[i:]...), lastErr, nil
		}
		p, v, err := b.bindAtPosition(group, el)
		if err != nil && isValidation(err) {
			return nil, nil, err
		}
		// Each attempt resets PowerShell's outgoing exception, so what is
		// reported is the last position's.
		lastErr = err
		if p == nil {
			leftover = append(leftover, el)
			continue
		}
		sets, _ := b.narrow(p)
		b.sets = sets
		b.set(p, v, el.valueExt, el.source)
	}
	return leftover, lastErr, nil
}

// isValidation reports a ParameterBindingValidationException, which
// positional and pipeline binding do not swallow.
func isValidation(e *Error) bool {
	return e.ID == ParameterArgumentValidationErrorNullNotAllowed || e.ID == ParameterArgumentValidationErrorEmptyStringNotAllowed
}

// nextPositional returns the unbound parameters at the lowest position of
// the sets still possible.
func (b *binder) nextPositional() []*Parameter {
	best := 0
	var group []*Parameter
	for _, p := range b.c.Params {
		if _, ok := b.bound[p]; ok {
			continue
		}
		pos := b.position(p)
		switch {
		case pos == 0:
		case best == 0 || pos < best:
			best, group = pos, []*Parameter{p}
		case pos == best:
			group = append(group, p)
		}
	}
	return group
}

func (b *binder) bindAtPosition(group []*Parameter, el element) (*Parameter, value.Value, *Error) {
	d := b.c.setIndex(b.c.DefaultSet)
	inDefault := func(p *Parameter) bool {
		return d >= 0 && b.sets&(1<<d) != 0 && b.c.sets(p)&(1<<d) != 0
	}
	var attemptErr *Error
	for _, coerce := range []bool{false, true} {
		for _, defaultOnly := range []bool{true, false} {
			if defaultOnly && (d < 0 || b.sets&(1<<d) == 0) {
				continue
			}
			attemptErr = nil
			for _, p := range group {
				if defaultOnly && !inDefault(p) {
					continue
				}
				if !coerce && !exactType(p.Type, el.value) {
					continue
				}
				sets, _ := b.narrow(p)
				v, err := b.convert(p, el.value, el.valueExt, sets)
				if err != nil {
					if isValidation(err) {
						return nil, nil, err
					}
					attemptErr = err
					continue
				}
				return p, v, nil
			}
		}
	}
	return nil, nil, attemptErr
}

// position returns p's lowest position in the sets still possible (0:
// named only there).
func (b *binder) position(p *Parameter) int {
	pos := 0
	var buf [8]int
	for _, i := range b.appendSets(buf[:0]) {
		if m, ok := b.c.membership(p, i); ok && m.Position > 0 && (pos == 0 || m.Position < pos) {
			pos = m.Position
		}
	}
	return pos
}

// appendSets appends the indexes of the sets still possible to dst; a
// cmdlet without sets yields the single index -1.
func (b *binder) appendSets(dst []int) []int {
	if len(b.c.Sets) == 0 {
		return append(dst, -1)
	}
	for i := range b.c.Sets {
		if b.sets&(1<<i) != 0 {
			dst = append(dst, i)
		}
	}
	return dst
}

// pipelineParams returns the unbound parameters that take pipeline input
// in a still-possible set, the default set's first.
func (b *binder) pipelineParams(byValue bool) []*Parameter {
	var first, rest []*Parameter
	d := b.c.setIndex(b.c.DefaultSet)
	for _, p := range b.c.Params {
		if _, ok := b.bound[p]; ok {
			continue
		}
		inDefault, takes := false, false
		var buf [8]int
		for _, i := range b.appendSets(buf[:0]) {
			m, ok := b.c.membership(p, i)
			if !ok || !(byValue && m.ByValue || !byValue && m.ByPropertyName) {
				continue
			}
			takes = true
			if i == d {
				inDefault = true
			}
		}
		switch {
		case inDefault:
			first = append(first, p)
		case takes:
			rest = append(rest, p)
		}
	}
	return append(first, rest...)
}

// bindPipeline binds the pipeline input object as PowerShell's
// BindPipelineParametersPrivate does: four passes (ByValue as it is,
// ByPropertyName as it is, ByValue converted, ByPropertyName converted);
// each binds every eligible unbound parameter, trying the default set's
// first, and narrows the sets. Nothing bound is InputObjectNotBound. An
// input only a run can know binds to the first parameter that could take
// it, mandatory ones first, and stays Unknown.
func (b *binder) bindPipeline(in value.Value) *Error {
	ext := b.opts.Command
	if u, ok := in.(value.Unknown); ok {
		ps := b.pipelineParams(true)
		ps = append(ps, b.pipelineParams(false)...)
		for _, mandatoryOnly := range []bool{true, false} {
			for _, p := range ps {
				if mandatoryOnly && !b.mandatoryInSomeSet(p) {
					continue
				}
				if sets, ok := b.narrow(p); ok {
					b.sets = sets
				}
				b.set(p, u, ext, u.Source)
				return nil
			}
		}
		return nil
	}
	any := false
	for pass := 0; pass < 4; pass++ {
		byValue, coerce := pass%2 == 0, pass >= 2
		d := b.c.setIndex(b.c.DefaultSet)
		bound := false
		rest := b.sets
		if d >= 0 && b.sets&(1<<d) != 0 {
			var err *Error
			if bound, err = b.pipelinePass(in, byValue, coerce, 1<<d); err != nil {
				return err
			}
			rest &^= 1 << d
		}
		if !bound {
			var err *Error
			if bound, err = b.pipelinePass(in, byValue, coerce, rest); err != nil {
				return err
			}
		}
		any = any || bound
	}
	if !any {
		return newError(b.c, "InputObjectNotBound", ext, msgInputObjectNotBound)
	}
	return nil
}

// pipelinePass binds the input to every unbound parameter that takes it
// in one of the sets in mask, last declared first as PowerShell walks
// them. A validation failure (null or empty for a mandatory parameter)
// is an error; a conversion failure only means "not this parameter".
func (b *binder) pipelinePass(in value.Value, byValue, coerce bool, mask setMask) (bool, *Error) {
	bound := false
	obj, _ := in.(*value.Object)
	for i := len(b.c.Params) - 1; i >= 0; i-- {
		p := b.c.Params[i]
		if _, ok := b.bound[p]; ok || !b.takesPipeline(p, byValue, mask) {
			continue
		}
		v := in
		if !byValue {
			if obj == nil {
				continue
			}
			pv, ok := property(obj, p)
			if !ok {
				continue
			}
			v = pv
		}
		if !coerce && v != nil && !exactType(p.Type, v) {
			continue
		}
		sets, ok := b.narrow(p)
		if !ok {
			continue
		}
		cv, err := b.convert(p, v, b.opts.Command, sets)
		if err != nil {
			if isValidation(err) {
				return false, err
			}
			continue
		}
		b.sets = sets
		b.set(p, cv, b.opts.Command, "")
		bound = true
	}
	return bound, nil
}

// takesPipeline reports whether p takes pipeline input (by value or by
// property name) in one of the sets in mask.
func (b *binder) takesPipeline(p *Parameter, byValue bool, mask setMask) bool {
	if len(b.c.Sets) == 0 {
		m, _ := b.c.membership(p, -1)
		return byValue && m.ByValue || !byValue && m.ByPropertyName
	}
	for i := range b.c.Sets {
		if mask&(1<<i) == 0 {
			continue
		}
		if m, ok := b.c.membership(p, i); ok && (byValue && m.ByValue || !byValue && m.ByPropertyName) {
			return true
		}
	}
	return false
}

// property finds the property of obj that p binds from by name: its name
// or one of its aliases.
func property(obj *value.Object, p *Parameter) (value.Value, bool) {
	if obj.Props == nil {
		return nil, false
	}
	if v, ok := obj.Get(p.Name); ok {
		return v, true
	}
	for _, a := range p.Aliases {
		if v, ok := obj.Get(a); ok {
			return v, true
		}
	}
	return nil, false
}

func (b *binder) mandatoryInSomeSet(p *Parameter) bool {
	var buf [8]int
	for _, i := range b.appendSets(buf[:0]) {
		if m, ok := b.c.membership(p, i); ok && m.Mandatory {
			return true
		}
	}
	return false
}

// resolveSet picks the parameter set (PowerShell's
// VerifyParameterSetSelected and
// ResolveParameterSetAmbiguityBasedOnMandatoryParameters): the only one
// left; else the default set if still possible; else the one set whose
// mandatory parameters are all bound. It returns -1 for a cmdlet without
// sets.
func (b *binder) resolveSet() (int, *Error) {
	if len(b.c.Sets) == 0 {
		return -1, nil
	}
	var left []int
	for i := range b.c.Sets {
		if b.sets&(1<<i) != 0 {
			left = append(left, i)
		}
	}
	if len(left) == 1 {
		return left[0], nil
	}
	if d := b.c.setIndex(b.c.DefaultSet); d >= 0 && b.sets&(1<<d) != 0 {
		return d, nil
	}
	var complete []int
	for _, i := range left {
		if len(b.missingIn(i)) == 0 {
			complete = append(complete, i)
		}
	}
	if len(complete) == 1 {
		return complete[0], nil
	}
	return 0, newError(b.c, AmbiguousParameterSet, b.opts.Command, msgAmbiguousParameterSet)
}

// missingIn lists the mandatory parameters of set i that are not bound, in
// declared order.
func (b *binder) missingIn(i int) []*Parameter {
	var out []*Parameter
	for _, p := range b.c.Params {
		if _, ok := b.bound[p]; ok {
			continue
		}
		if m, ok := b.c.membership(p, i); ok && m.Mandatory {
			out = append(out, p)
		}
	}
	return out
}

// checkMandatory fails as a host that cannot prompt does; after pipeline
// input, as PowerShell reports an input object that left a mandatory
// parameter unbound.
func (b *binder) checkMandatory(set int, fromPipeline bool) *Error {
	missing := b.missingIn(set)
	if len(missing) == 0 {
		return nil
	}
	var list strings.Builder
	for _, p := range missing {
		list.WriteByte(' ')
		list.WriteString(p.Name)
	}
	if fromPipeline {
		// Mandatory parameters no input could bind were already missing
		// before the pipeline ran: PowerShell reports those alone, as on
		// the command line.
		var mask setMask
		if set >= 0 {
			mask = 1 << set
		}
		var noPipe strings.Builder
		for _, p := range missing {
			if !b.takesPipeline(p, true, mask) && !b.takesPipeline(p, false, mask) {
				noPipe.WriteByte(' ')
				noPipe.WriteString(p.Name)
			}
		}
		if noPipe.Len() > 0 {
			return newError(b.c, MissingMandatoryParameter, b.opts.Command, msgMissingMandatoryParameter, noPipe.String())
		}
		return newError(b.c, InputObjectMissingMandatory, b.opts.Command, msgInputObjectMissingMandatory, list.String())
	}
	return newError(b.c, MissingMandatoryParameter, b.opts.Command, msgMissingMandatoryParameter, list.String())
}
