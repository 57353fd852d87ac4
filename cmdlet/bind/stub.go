package bind

import "errors"

// Profile restricts the metadata to one product release; "" is the union.
type Profile string

// Options tune a binding.
type Options struct {
	Profile Profile
	Culture string // DateTime parsing culture; "" is en-US
	// Input is the pipeline input object when the command runs downstream of
	// a pipe (nil otherwise); it binds ByValue, then ByPropertyName.
	Input    any
	HasInput bool
}

// Cmdlet is one cmdlet's metadata.
type Cmdlet struct {
	Name string
}

// Lookup finds a cmdlet by name, case-insensitively, in a profile.
func Lookup(name string, p Profile) (*Cmdlet, bool) { return nil, false }

// Bind binds args to c's parameters. A failure is a *Error.
func Bind(c *Cmdlet, args []Arg, opts Options) (*Bound, error) {
	return nil, errors.New("bind: not implemented")
}
