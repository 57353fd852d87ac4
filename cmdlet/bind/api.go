// Package bind holds the metadata of the cmdlets certledger understands and
// a parameter binder that binds, and fails, as PowerShell 5.1 does: name
// matching by exact name, unique prefix and alias; switches; parameter-set
// resolution; conversions; and PowerShell's error records.
package bind

import (
	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// Arg is one command element after evaluation, in source order. A parameter
// token has Name set; a value without a parameter token has Name "" and
// Text "". The evaluator (or check's constant resolver) produces Args from a
// *syntax.Command, expanding splats (Splatted set on what they produce).
type Arg struct {
	Name        string        // parameter name without the dash; "" for a value
	Text        string        // the parameter token as written ("–thumb"), for errors
	Colon       bool          // -Name:value; Value is the argument
	Value       value.Value   // the argument (Colon form or a plain value)
	Extent      syntax.Extent // the parameter token, or the value
	ValueExtent syntax.Extent // the value's extent when Colon
	Source      string        // the value's source text, for Unknown and messages
	Splatted    bool
}

// BoundParam is one parameter with its converted value.
type BoundParam struct {
	Name   string      // declared spelling: "Thumbprint"
	Value  value.Value // converted: string, []string, bool, time.Time, []byte, value.SecureString, ...
	Extent syntax.Extent
	Source string // the argument's source text
}

// Bound is a command whose parameters bound.
type Bound struct {
	Command      string // declared spelling: "Set-CsCertificate"
	ParameterSet string
	Params       []BoundParam // in declared parameter order
	Warnings     []*Error     // non-fatal findings (thumbprint normalised, ...)
}

// Get returns the bound value of a parameter by declared name.
func (b *Bound) Get(name string) (value.Value, bool) {
	for _, p := range b.Params {
		if p.Name == name {
			return p.Value, true
		}
	}
	return nil, false
}

// Error is a parameter-binding error record (or, in Bound.Warnings, a
// warning) in PowerShell's shape.
type Error struct {
	ID       string        // head of the FullyQualifiedErrorId: "NamedParameterNotFound"
	Message  string        // PowerShell's exact English text
	Command  string        // the command name, for the "<Command> : " prefix and CategoryInfo
	Extent   syntax.Extent // the parameter token, or the argument
	Category string        // "InvalidArgument"
	Reason   string        // "ParameterBindingException"
	// Class is the FullyQualifiedErrorId's suffix: the cmdlet's .NET class
	// (or its name where the class is not known).
	Class string
}

func (e *Error) Error() string { return e.Message }
