// Package value is the run-time value model shared by certledger's evaluator
// and parameter binder: the Go shapes PowerShell values take.
//
// A Value is one of:
//
//	nil                 $null
//	bool                $true, $false
//	int32, int64        integer literals
//	float64             real literals
//	string              strings, barewords
//	[]Value             arrays (object[])
//	[]byte              byte[] (Get-Content -Encoding Byte, [IO.File]::ReadAllBytes)
//	*Hashtable          @{ ... }, case-insensitive keys in insertion order
//	SecureString        a secret; never prints its content
//	*Credential         a PSCredential (Get-Credential)
//	*Object             a PSObject with named properties (Get-CsCertificate output)
//	time.Time           DateTime
//	Switch              a SwitchParameter value
//	Unknown             a value only a run can know (for `certledger check`)
//	*ScriptBlock        { ... } as a value (Where-Object filters)
package value

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Value is any PowerShell value; see the package documentation for the set.
type Value = any

// Redacted is what a secret prints as, everywhere.
const Redacted = "[redacted]"

// SecureString holds a secret. Its String, GoString, Format and MarshalJSON
// all yield Redacted, so that a secret cannot reach an event, a log line, an
// error message or a panic trace by accident: only Reveal gives the content.
type SecureString struct {
	secret *[]byte // a pointer so that copies share one buffer that Wipe clears
}

// NewSecureString wraps s as a secret.
func NewSecureString(s string) SecureString {
	b := []byte(s)
	return SecureString{secret: &b}
}

// Reveal returns the secret. Call it only where the secret is consumed (to
// decrypt a PKCS#12 file), never to print.
func (s SecureString) Reveal() string {
	if s.secret == nil {
		return ""
	}
	return string(*s.secret)
}

// IsZero reports whether no secret was set.
func (s SecureString) IsZero() bool { return s.secret == nil }

// Wipe overwrites the secret in memory.
func (s SecureString) Wipe() {
	if s.secret == nil {
		return
	}
	for i := range *s.secret {
		(*s.secret)[i] = 0
	}
}

func (s SecureString) String() string               { return Redacted }
func (s SecureString) GoString() string             { return Redacted }
func (s SecureString) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(Redacted)) }
func (s SecureString) MarshalJSON() ([]byte, error) { return json.Marshal(Redacted) }
func (s SecureString) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// Credential is a PSCredential: a user name and a SecureString password.
type Credential struct {
	UserName string
	Password SecureString
}

// Switch is the value of a SwitchParameter.
type Switch bool

// Unknown is a value that only running the script can know: a cmdlet call,
// a .NET call, Get-Credential, or a variable assigned from one. Source is the
// expression's text as written.
type Unknown struct {
	Source string
}

// MarshalJSON renders an Unknown as the contract's {"Expression": "..."}.
func (u Unknown) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct{ Expression string }{u.Source})
}

// ScriptBlock is a script block used as a value. Body is the AST node; it is
// typed any so that this package needs no import of the parser.
type ScriptBlock struct {
	Text string
	Body any
}

// Hashtable is PowerShell's @{}: keys compare case-insensitively and keep
// their insertion order (as [ordered] would; ordinary hashtables have no
// defined order, so insertion order is as good as any and is stable).
type Hashtable struct {
	keys  []string
	index map[string]int
	vals  []Value
}

// NewHashtable returns an empty hashtable.
func NewHashtable() *Hashtable { return &Hashtable{index: map[string]int{}} }

// Set adds or replaces key.
func (h *Hashtable) Set(key string, v Value) {
	k := strings.ToLower(key)
	if i, ok := h.index[k]; ok {
		h.vals[i] = v
		return
	}
	h.index[k] = len(h.keys)
	h.keys = append(h.keys, key)
	h.vals = append(h.vals, v)
}

// Get returns the value of key, case-insensitively.
func (h *Hashtable) Get(key string) (Value, bool) {
	i, ok := h.index[strings.ToLower(key)]
	if !ok {
		return nil, false
	}
	return h.vals[i], true
}

// Len returns the number of entries.
func (h *Hashtable) Len() int { return len(h.keys) }

// Keys returns the keys in insertion order, as first written.
func (h *Hashtable) Keys() []string { return append([]string(nil), h.keys...) }

// Object is a PSObject: a type name and ordered, case-insensitive properties.
type Object struct {
	TypeName string
	Props    *Hashtable
}

// NewObject returns an object of the given type with no properties.
func NewObject(typeName string) *Object {
	return &Object{TypeName: typeName, Props: NewHashtable()}
}

// Get returns a property, case-insensitively.
func (o *Object) Get(name string) (Value, bool) { return o.Props.Get(name) }

// TypeName is the .NET type name PowerShell shows for a value, as in
// "Cannot convert the ... value of type "System.String" ..." messages.
func TypeName(v Value) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "System.String"
	case bool:
		return "System.Boolean"
	case Switch:
		return "System.Management.Automation.SwitchParameter"
	case int32, int:
		return "System.Int32"
	case int64:
		return "System.Int64"
	case uint8:
		return "System.Byte"
	case float64:
		return "System.Double"
	case []Value:
		return "System.Object[]"
	case []byte:
		return "System.Byte[]"
	case *Hashtable:
		return "System.Collections.Hashtable"
	case SecureString:
		return "System.Security.SecureString"
	case *Credential:
		return "System.Management.Automation.PSCredential"
	case *Object:
		if x.TypeName != "" {
			return x.TypeName
		}
		return "System.Management.Automation.PSCustomObject"
	case time.Time:
		return "System.DateTime"
	case *ScriptBlock:
		return "System.Management.Automation.ScriptBlock"
	}
	return "System.Object"
}
