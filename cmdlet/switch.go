package cmdlet

import (
	"errors"
	"fmt"
	"strings"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// What a switch does after a clause body.
type switchNext int

const (
	switchGoOn     switchNext = iota // try the next clause
	switchNextItem                   // continue: the next input element
	switchStop                       // break: leave the switch
)

// execSwitch runs a switch statement as PowerShell does: the input is
// enumerated (an array element by element, anything else, $null included,
// once); for each element every clause whose condition matches runs, in
// source order, with $_ the element; the default clause runs for an element
// no other clause matched. break ends the switch, continue goes on with the
// next element.
func (m *machine) execSwitch(sc *scope, s *syntax.Switch, out *[]value.Value) error {
	if m.static {
		return m.checkSwitch(sc, s, out)
	}
	items, err := m.switchInput(sc, s)
	if err != nil {
		return err
	}
	var def *syntax.SwitchClause
	for _, c := range s.Clauses {
		if c != nil && c.Default {
			def = c // the last of several, as PowerShell's parser keeps
		}
	}
	defer keepUnderscore(sc)()
items:
	for _, item := range items {
		// Each element counts as a step, so that a loop around a switch
		// over a long range, whose clauses never match, still meets the
		// statement limit and the context.
		if err := m.switchStep(s); err != nil {
			return err
		}
		sc.vars["_"] = item
		matched := false
		for _, c := range s.Clauses {
			if c == nil || c.Default {
				continue
			}
			ok, err := m.switchMatch(sc, s, c, item)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			matched = true
			switch next, err := m.switchBody(sc, s, c.Body, out); {
			case err != nil:
				return err
			case next == switchStop:
				return nil
			case next == switchNextItem:
				continue items
			}
		}
		if !matched && def != nil {
			next, err := m.switchBody(sc, s, def.Body, out)
			if err != nil {
				return err
			}
			if next == switchStop {
				return nil
			}
		}
	}
	return nil
}

// switchBody runs a clause body; an unlabelled break or continue, or one
// naming the switch's label, is the switch's own.
func (m *machine) switchBody(sc *scope, s *syntax.Switch, body *syntax.Block, out *[]value.Value) (switchNext, error) {
	err := m.execBlock(sc, stmtsOf(body), out)
	if err == nil {
		return switchGoOn, nil
	}
	var fl *flow
	if errors.As(err, &fl) && (fl.label == "" || strings.EqualFold(fl.label, s.Label)) {
		switch fl.kind {
		case "break":
			return switchStop, nil
		case "continue":
			return switchNextItem, nil
		}
	}
	return switchStop, err
}

// keepUnderscore returns a function that puts the scope's $_ back as it is
// now: a switch, like a process block, sets $_ only for its own duration.
func keepUnderscore(sc *scope) func() {
	prev, had := sc.vars["_"]
	return func() {
		if had {
			sc.vars["_"] = prev
		} else {
			delete(sc.vars, "_")
		}
	}
}

func (m *machine) switchStep(s *syntax.Switch) error {
	if err := m.ctx.Err(); err != nil {
		return m.record(err, s)
	}
	m.steps++
	if m.steps > maxSteps {
		return m.errAt(s, "certledger.ScriptTooLong", fmt.Sprintf("The script ran more than %d statements; certledger stops it.", maxSteps), "", "LimitsExceeded", "RuntimeException")
	}
	return nil
}

// switchInput is the sequence of elements the switch tests: the enumerated
// value of its pipeline, or the lines of its -file.
func (m *machine) switchInput(sc *scope, s *syntax.Switch) ([]value.Value, error) {
	if s.File != nil {
		pv, err := m.eval(sc, s.File)
		if err != nil {
			return nil, err
		}
		data, _, err := m.readFile(toString(pv))
		if err != nil {
			return nil, m.record(err, s.File)
		}
		text := strings.TrimPrefix(string(data), "\ufeff")
		// Lines end as .NET's StreamReader.ReadLine ends them: CRLF, LF or
		// a lone CR; a final line end starts no further line.
		text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
		text = strings.TrimSuffix(text, "\n")
		if text == "" {
			return nil, nil // an empty file has no lines
		}
		var lines []value.Value
		for _, l := range strings.Split(text, "\n") {
			lines = append(lines, l)
		}
		return lines, nil
	}
	if s.Cond == nil {
		return nil, nil
	}
	var vals []value.Value
	if err := m.exec(sc, s.Cond, &vals); err != nil {
		return nil, err
	}
	if len(vals) == 1 {
		// One value is enumerated if it is a collection: switch ($array).
		// $null is one value, tested once; no output at all (@(), a command
		// that wrote nothing) is tested no time.
		return enumerate(vals[0]), nil
	}
	return vals, nil
}

// switchMatch tests one clause against the current element ($_ is set).
func (m *machine) switchMatch(sc *scope, s *syntax.Switch, c *syntax.SwitchClause, item value.Value) (bool, error) {
	if sb, ok := c.Cond.(*syntax.ScriptBlock); ok {
		return m.switchBlock(sc, sb)
	}
	cond, err := m.eval(sc, c.Cond)
	if err != nil {
		return false, err
	}
	if vb, ok := cond.(*value.ScriptBlock); ok {
		if sb, ok := vb.Body.(*syntax.ScriptBlock); ok {
			return m.switchBlock(sc, sb)
		}
	}
	if _, isVoid := cond.(void); isVoid {
		cond = nil
	}
	var op string
	switch s.Mode {
	case "regex":
		op = "-match"
	case "wildcard":
		op = "-like"
	default:
		return equal(item, cond, s.CaseSensitive), nil
	}
	ok, err := compareOp(op, s.CaseSensitive, toString(item), toString(cond), func(h *value.Hashtable) { m.setVarName(sc, "matches", h) })
	if err != nil {
		return false, m.record(err, c.Cond)
	}
	return ok, nil
}

// switchBlock evaluates a script-block condition in the switch's scope, as
// PowerShell does, and takes the truth of its output.
func (m *machine) switchBlock(sc *scope, sb *syntax.ScriptBlock) (bool, error) {
	var out []value.Value
	err := m.execBlock(sc, sb.Stmts, &out)
	if fl, ok := err.(*flow); ok && fl.kind == "return" {
		err = nil
	}
	if err != nil {
		return false, err
	}
	return toBool(collapse(out)), nil
}

// checkSwitch walks a switch for Check: the input, every condition and
// every body once, with $_ unknown (which element reaches which clause is
// known only to a run). What it writes is known only to a run too: which
// bodies run, and how often, depends on the input.
func (m *machine) checkSwitch(sc *scope, s *syntax.Switch, out *[]value.Value) error {
	*out = append(*out, value.Unknown{Source: m.text(s)})
	var discard []value.Value
	if s.File != nil {
		if _, err := m.eval(sc, s.File); err != nil {
			return err
		}
	} else if s.Cond != nil {
		if err := m.exec(sc, s.Cond, &discard); err != nil {
			return err
		}
	}
	defer keepUnderscore(sc)()
	for _, c := range s.Clauses {
		if c == nil {
			continue
		}
		sc.vars["_"] = value.Unknown{Source: "$_"}
		if !c.Default {
			if sb, ok := c.Cond.(*syntax.ScriptBlock); ok {
				for _, st := range sb.Stmts {
					m.checkStmt(sc, st)
				}
			} else if _, err := m.eval(sc, c.Cond); err != nil {
				return err
			}
		}
		if err := m.execBlock(sc, stmtsOf(c.Body), &discard); err != nil {
			return err
		}
	}
	return nil
}
