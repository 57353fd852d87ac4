package bind

import (
	"strings"
	"sync"
)

type viewKey struct {
	name    string
	profile Profile
}

var views sync.Map // viewKey -> *Cmdlet

// Lookup finds a cmdlet by name, case-insensitively, in a profile. The
// result is the metadata as that release has it (the union for ""):
// parameters, sets and enum values the release lacks are absent, and the
// common parameters of its PowerShell version are added. An unknown profile
// finds nothing.
func Lookup(name string, p Profile) (*Cmdlet, bool) {
	if !p.Valid() {
		return nil, false
	}
	for _, c := range cmdlets {
		if strings.EqualFold(c.Name, name) {
			if !c.Versions.Has(p) {
				return nil, false
			}
			return view(c, p), true
		}
	}
	return nil, false
}

// Names returns the declared names of every cmdlet known in profile p.
func Names(p Profile) []string {
	var out []string
	for _, c := range cmdlets {
		if c.Versions.Has(p) {
			out = append(out, c.Name)
		}
	}
	return out
}

func view(c *Cmdlet, p Profile) *Cmdlet {
	k := viewKey{c.Name, p}
	if v, ok := views.Load(k); ok {
		return v.(*Cmdlet)
	}
	v := &Cmdlet{
		Name:                  c.Name,
		Family:                c.Family,
		Class:                 c.Class,
		DefaultSet:            c.DefaultSet,
		Versions:              c.Versions,
		SupportsShouldProcess: c.SupportsShouldProcess,
		profile:               p,
		checks:                c.checks,
		base:                  c,
	}
	for _, s := range c.Sets {
		if s.Versions.Has(p) {
			v.Sets = append(v.Sets, s)
		}
	}
	if v.DefaultSet != "" && v.setIndex(v.DefaultSet) < 0 {
		v.DefaultSet = ""
	}
	add := func(ps []*Parameter) {
		for _, prm := range ps {
			if prm.Versions.Has(p) {
				v.Params = append(v.Params, restrictMembership(prm, p))
			}
		}
	}
	add(c.Params)
	add(commonParameters)
	if c.SupportsShouldProcess {
		add(shouldProcessParameters)
	}
	actual, _ := views.LoadOrStore(k, v)
	return actual.(*Cmdlet)
}

// restrictMembership returns prm, or a copy without the [Parameter]
// attributes release p lacks.
func restrictMembership(prm *Parameter, p Profile) *Parameter {
	keep := prm.In[:0:0]
	changed := false
	for _, in := range prm.In {
		if in.Versions.Has(p) {
			keep = append(keep, in)
		} else {
			changed = true
		}
	}
	if !changed {
		return prm
	}
	cp := *prm
	cp.In = keep
	return &cp
}

// setIndex returns the index of the named set in c.Sets, or -1.
func (c *Cmdlet) setIndex(name string) int {
	for i, s := range c.Sets {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// setMask is a bit set over c.Sets.
type setMask uint32

func (c *Cmdlet) allSets() setMask { return setMask(1)<<len(c.Sets) - 1 }

// sets returns the sets p belongs to; a parameter in every set (or a
// cmdlet without sets) yields allSets.
func (c *Cmdlet) sets(p *Parameter) setMask {
	if len(p.In) == 0 {
		return c.allSets()
	}
	var m setMask
	for _, in := range p.In {
		if in.Set == "" {
			return c.allSets()
		}
		if i := c.setIndex(in.Set); i >= 0 {
			m |= 1 << i
		}
	}
	return m
}

// membership returns p's [Parameter] attribute for set index i (i < 0: the
// cmdlet has no sets). ok is false when p is not in that set.
func (c *Cmdlet) membership(p *Parameter, i int) (SetMembership, bool) {
	if len(p.In) == 0 {
		return SetMembership{}, true
	}
	for _, in := range p.In {
		if in.Set == "" || i < 0 || (i < len(c.Sets) && in.Set == c.Sets[i].Name) {
			return in, true
		}
	}
	return SetMembership{}, false
}

// match finds the parameter a typed name means (PowerShell's
// GetMatchingParameter): an exact name, then an exact alias, else the
// unique parameter whose name or alias the text prefixes; among several,
// the one the cmdlet itself declares if exactly one is. The second result
// lists every candidate when the name is ambiguous.
func (c *Cmdlet) match(name string) (*Parameter, []*Parameter) {
	var cands []*Parameter
	for _, p := range c.Params {
		if hasPrefixFold(p.Name, name) {
			if len(p.Name) == len(name) {
				return p, nil
			}
			cands = append(cands, p)
		}
	}
	for _, p := range c.Params {
		for _, a := range p.Aliases {
			if hasPrefixFold(a, name) {
				if len(a) == len(name) {
					return p, nil
				}
				if !containsParam(cands, p) {
					cands = append(cands, p)
				}
			}
		}
	}
	switch len(cands) {
	case 0:
		return nil, nil
	case 1:
		return cands[0], nil
	}
	var declared *Parameter
	n := 0
	for _, p := range cands {
		if p.Origin == Declared {
			declared = p
			n++
		}
	}
	if n == 1 {
		return declared, nil
	}
	return nil, cands
}

func containsParam(ps []*Parameter, p *Parameter) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// hasPrefixFold reports whether s starts with prefix, ignoring case.
// Parameter names are ASCII; a non-ASCII typed name simply never matches.
func hasPrefixFold(s, prefix string) bool {
	return len(prefix) > 0 && len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// IsSecret reports whether a parameter of a cmdlet holds a secret. param is
// the name as typed (without the dash): a declared name, an alias or a
// prefix. It answers over every release, and an ambiguous prefix that could
// mean a secret parameter counts as secret, so that a printer that redacts
// by it never shows a password.
func IsSecret(cmdlet, param string) bool {
	param = strings.TrimLeft(param, "-\u2013\u2014\u2015")
	if i := strings.IndexByte(param, ':'); i >= 0 {
		param = param[:i]
	}
	c, ok := Lookup(cmdlet, "")
	if !ok || param == "" {
		return false
	}
	p, cands := c.match(param)
	if p != nil {
		return p.Secret
	}
	for _, q := range cands {
		if q.Secret {
			return true
		}
	}
	return false
}
