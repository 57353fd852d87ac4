package bind

import (
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// check is a check the cmdlet itself makes once its parameters are bound
// (or one an auditor wants): it may rewrite a bound value and add warnings
// to b.Warnings, and returns an error when the cmdlet would refuse to run.
type check func(c *Cmdlet, b *Bound, cmd syntax.Extent) *Error

var sprintf = fmt.Sprintf

func (b *Bound) param(name string) *BoundParam {
	for i := range b.Params {
		if b.Params[i].Name == name {
			return &b.Params[i]
		}
	}
	return nil
}

// checkRoll: Set-/Import-CsCertificate "will fail if you specify the Roll
// parameter without including the EffectiveDate parameter" (the help).
func checkRoll(c *Cmdlet, b *Bound, _ syntax.Extent) *Error {
	r := b.param("Roll")
	if r == nil {
		return nil
	}
	if s, ok := r.Value.(value.Switch); ok && !bool(s) {
		return nil
	}
	if b.param("EffectiveDate") != nil {
		return nil
	}
	return checkError(c, RollWithoutEffectiveDate, r.Extent,
		"The Roll parameter requires the EffectiveDate parameter: give the date and time from which the new certificate is to be used (-EffectiveDate).")
}

// checkTypeGiven: TechNet's Lync 2013 help has -Type mandatory in every set
// of Set-CsCertificate while platyPS has it optional in two; binding
// follows platyPS and warns.
func checkTypeGiven(c *Cmdlet, b *Bound, cmd syntax.Extent) *Error {
	if b.param("Type") != nil {
		return nil
	}
	e := checkError(c, TypeNotSpecified, cmd,
		"Set-CsCertificate without -Type: the Lync Server 2013 help documents -Type as required in every parameter set.")
	b.Warnings = append(b.Warnings, e)
	return nil
}

// checkFriendlyName: Exchange refuses a friendly name of 64 characters or
// more ("The friendly name must be less than 64 characters").
func checkFriendlyName(c *Cmdlet, b *Bound, _ syntax.Extent) *Error {
	f := b.param("FriendlyName")
	if f == nil {
		return nil
	}
	s, ok := f.Value.(string)
	if !ok {
		return nil
	}
	if n := len(utf16.Encode([]rune(s))); n >= 64 {
		return checkError(c, FriendlyNameTooLong, f.Extent,
			"The friendly name must be less than 64 characters; this one has %d.", n)
	}
	return nil
}

// checkThumbprint cleans a pasted thumbprint: the Windows certificate
// dialog copies invisible direction and byte-order marks, people paste
// with spaces or in lower case. Those are normalised to upper-case hex with
// a warning; anything else that is not hex is an error. A length other
// than 40 (SHA-1) is only a warning: the Lync help's own example has 43.
func checkThumbprint(name string) check {
	return func(c *Cmdlet, b *Bound, _ syntax.Extent) *Error {
		p := b.param(name)
		if p == nil {
			return nil
		}
		s, ok := p.Value.(string)
		if !ok {
			return nil
		}
		clean, fixes, bad := cleanThumbprint(s)
		if bad != "" {
			return checkError(c, ThumbprintNotHex, p.Extent,
				"The thumbprint %q is not hexadecimal: it contains %s.", s, bad)
		}
		if len(fixes) > 0 {
			p.Value = clean
			b.Warnings = append(b.Warnings, checkError(c, ThumbprintNormalized, p.Extent,
				"The thumbprint was normalised to %s (%s).", clean, strings.Join(fixes, ", ")))
		}
		if len(clean) != 40 {
			b.Warnings = append(b.Warnings, checkError(c, ThumbprintLength, p.Extent,
				"The thumbprint %s has %d hexadecimal digits; a SHA-1 thumbprint has 40.", clean, len(clean)))
		}
		return nil
	}
}

// cleanThumbprint returns s as upper-case hex, what it removed or changed,
// and a description of the first character that cannot be in a thumbprint.
func cleanThumbprint(s string) (clean string, fixes []string, bad string) {
	var out strings.Builder
	var spaces, marks, lower bool
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= 'A' && r <= 'F':
			out.WriteRune(r)
		case r >= 'a' && r <= 'f':
			lower = true
			out.WriteRune(r - 'a' + 'A')
		case r == ' ' || r == '\t' || r == '\u00a0':
			spaces = true
		case r == '\u200e' || r == '\u200f' || r == '\ufeff':
			marks = true
		default:
			return "", nil, fmt.Sprintf("%q", r)
		}
	}
	if out.Len() == 0 {
		return "", nil, "no hexadecimal digits"
	}
	if marks {
		fixes = append(fixes, "invisible U+200E/U+200F/U+FEFF marks removed")
	}
	if spaces {
		fixes = append(fixes, "spaces removed")
	}
	if lower {
		fixes = append(fixes, "lower case raised")
	}
	return out.String(), fixes, ""
}
