package bind

import "strings"

// Kind is how the binder converts an argument to a parameter's type.
type Kind int

const (
	KindString       Kind = iota // System.String: numbers bind as their text, arrays join with a space
	KindStringArray              // System.String[] (and MultiValuedProperty)
	KindSwitch                   // SwitchParameter: takes no value unless written -Name:value
	KindBool                     // System.Boolean: takes the next element, like any non-switch
	KindDateTime                 // System.DateTime: strings parse in the current culture
	KindSecureString             // System.Security.SecureString: only from a secure source
	KindBytes                    // System.Byte[]
	KindEnum                     // one enum value ([Flags] enums take comma lists)
	KindEnumArray                // an array of enum values, converted one by one
	KindIdentity                 // an identity parameter type built from a string (XdsIdentity, Fqdn, ...)
	KindObject                   // an object that only a cmdlet produces (CertificateReference, X509Certificate2)
)

// Type is a parameter's .NET type.
type Type struct {
	Name string // full .NET name as PowerShell prints it in messages
	Kind Kind
	Enum *Enum // KindEnum, KindEnumArray
	// Accepts lists the object type names (value.Object.TypeName, full or
	// last segment) a KindObject parameter takes without conversion.
	Accepts []string
}

// Enum is an enum type's metadata. Values are in declaration order, which
// is the order PowerShell lists them in NoEnumNameMatch.
type Enum struct {
	Name   string
	Flags  bool
	Values []EnumValue
}

// EnumValue is one named value of an enum.
type EnumValue struct {
	Name     string
	Value    int64
	Versions Versions // 0: every version of the cmdlet
}

// Versions is a set of profiles; the zero value means "every release the
// cmdlet exists in".
type Versions uint16

// Has reports whether v includes p; the union profile "" is in every set.
func (v Versions) Has(p Profile) bool {
	if v == 0 || p == "" {
		return true
	}
	b, ok := profileBits[p]
	return ok && v&b != 0
}

// SetMembership is one [Parameter] attribute: the parameter's role in one
// parameter set.
type SetMembership struct {
	Set       string // "" is every set of the cmdlet (__AllParameterSets)
	Mandatory bool
	// Position orders positional binding: 0 is named-only; n > 0 binds the
	// n-th positional argument (PowerShell's Position n-1).
	Position       int
	ByValue        bool     // ValueFromPipeline
	ByPropertyName bool     // ValueFromPipelineByPropertyName
	Versions       Versions // 0: every release the parameter exists in
}

// Origin says who declares a parameter; name matching prefers the cmdlet's
// own parameters over the others when a prefix is ambiguous.
type Origin int

const (
	Declared      Origin = iota // declared by the cmdlet
	Common                      // -Verbose, -ErrorAction, ...
	ShouldProcess               // -WhatIf, -Confirm
)

// Parameter is one parameter's metadata.
type Parameter struct {
	Name     string
	Type     *Type
	Aliases  []string
	In       []SetMembership // one entry per set; empty means every set, optional, named
	Versions Versions
	Origin   Origin
	// Secret marks a parameter whose value must never be printed (it
	// binds as a value.SecureString even where the cmdlet takes a plain
	// String, so that it can reach only the code that reveals it).
	Secret bool
}

// ParameterSet is a named parameter set of a cmdlet.
type ParameterSet struct {
	Name     string
	Versions Versions
}

// Cmdlet is one cmdlet's metadata. Lookup returns a view restricted to one
// profile; the package-level declarations hold every release at once.
type Cmdlet struct {
	Name       string
	Family     Family
	Class      string // .NET class full name: the FullyQualifiedErrorId suffix
	DefaultSet string // "" when the cmdlet declares none
	Sets       []ParameterSet
	Params     []*Parameter // declared, then common, then ShouldProcess parameters
	Versions   Versions
	// SupportsShouldProcess adds -WhatIf and -Confirm.
	SupportsShouldProcess bool

	profile Profile
	checks  []check
	base    *Cmdlet
}

// Profile returns the release this view of the metadata is restricted to
// ("" is the union of all releases).
func (c *Cmdlet) Profile() Profile { return c.profile }

// Parameter returns the parameter with the declared name (case-insensitive),
// without prefix or alias matching.
func (c *Cmdlet) Parameter(name string) (*Parameter, bool) {
	for _, p := range c.Params {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return nil, false
}

// Family is the product line a cmdlet belongs to.
type Family int

const (
	Lync     Family = iota // Lync Server 2010/2013, Skype for Business Server 2015/2019
	Exchange               // Exchange Server 2007 to 2019
)

// Profile restricts the metadata to one product release; "" is the union.
type Profile string

// The profiles: one per release whose metadata differs.
const (
	Lync2010     Profile = "lync2010"
	Lync2013     Profile = "lync2013"
	SfB2015      Profile = "sfb2015"
	SfB2019      Profile = "sfb2019"
	Exchange2007 Profile = "exchange2007"
	Exchange2010 Profile = "exchange2010"
	Exchange2013 Profile = "exchange2013"
	Exchange2016 Profile = "exchange2016"
	Exchange2019 Profile = "exchange2019"
)

var profileList = []Profile{Lync2010, Lync2013, SfB2015, SfB2019,
	Exchange2007, Exchange2010, Exchange2013, Exchange2016, Exchange2019}

var profileBits = func() map[Profile]Versions {
	m := map[Profile]Versions{}
	for i, p := range profileList {
		m[p] = 1 << i
	}
	return m
}()

// Profiles returns the valid non-empty profiles, oldest release first per
// product family.
func Profiles() []Profile { return append([]Profile(nil), profileList...) }

// Valid reports whether p is "" (the union) or one of Profiles().
func (p Profile) Valid() bool {
	_, ok := profileBits[p]
	return p == "" || ok
}

// only builds a Versions set from profiles.
func only(ps ...Profile) Versions {
	var v Versions
	for _, p := range ps {
		v |= profileBits[p]
	}
	return v
}

// Version sets used by the declarations below.
var (
	allLync     = only(Lync2010, Lync2013, SfB2015, SfB2019)
	lync2013Up  = only(Lync2013, SfB2015, SfB2019)
	lync2010    = only(Lync2010)
	allExchange = only(Exchange2007, Exchange2010, Exchange2013, Exchange2016, Exchange2019)
	exch2010Up  = only(Exchange2010, Exchange2013, Exchange2016, Exchange2019)
	exch2013Up  = only(Exchange2013, Exchange2016, Exchange2019)
	exch2007    = only(Exchange2007)
	exch2013    = only(Exchange2013)

	// PowerShell versions behind the releases (reference §4.7): 1.0 for
	// Exchange 2007; 2.0 for Lync 2010 and Exchange 2010; 3.0/4.0 for the
	// 2013 releases; 5.1 from SfB 2015 and Exchange 2016 on.
	ps2Up = only(Lync2010, Lync2013, SfB2015, SfB2019, Exchange2010, Exchange2013, Exchange2016, Exchange2019)
	ps4Up = only(Lync2013, SfB2015, SfB2019, Exchange2013, Exchange2016, Exchange2019)
	ps5Up = only(SfB2015, SfB2019, Exchange2016, Exchange2019)
)
