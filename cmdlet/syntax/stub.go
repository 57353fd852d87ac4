package syntax

import "errors"

// ParseFile parses a whole script. name is used in error positions
// ("At C:\x.ps1:3 char:5"; "" prints "At line:3 char:5"). On errors it
// returns the partial *File and an ErrorList of every error found.
func ParseFile(name string, src []byte) (*File, error) {
	return nil, errors.New("syntax: not implemented")
}
