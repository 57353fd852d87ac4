package bind_test

import (
	"fmt"

	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/syntax"
)

func ExampleLookup() {
	c, ok := bind.Lookup("import-exchangecertificate", bind.Exchange2007)
	fmt.Println(ok, c.Name, c.Profile())
	for _, s := range c.Sets {
		fmt.Println(s.Name)
	}
	_, ok = bind.Lookup("Set-CsCertificate", bind.Exchange2010)
	fmt.Println(ok)
	// Output:
	// true Import-ExchangeCertificate exchange2007
	// Instance
	// Path
	// false
}

func ExampleBind() {
	// Set-CsCertificate -type default,webservicesinternal -thumb "b142 918e…" -Confirm:$false
	c, _ := bind.Lookup("Set-CsCertificate", "")
	b, err := bind.Bind(c, []bind.Arg{
		{Name: "type", Text: "-type"},
		{Value: []any{"default", "webservicesinternal"}},
		{Name: "thumb", Text: "-thumb"},
		{Value: "b142 918e 4639 81a7 6503 828b b127 8391 b716 2809"},
		{Name: "Confirm", Text: "-Confirm:", Colon: true, Value: false},
	}, bind.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b.ParameterSet)
	for _, p := range b.Params {
		fmt.Printf("%s=%v\n", p.Name, p.Value)
	}
	for _, w := range b.Warnings {
		fmt.Println(w.ID)
	}
	// Output:
	// Thumbprint
	// Thumbprint=B142918E463981A76503828BB1278391B7162809
	// Type=[Default WebServicesInternal]
	// Confirm=false
	// certledger.ThumbprintNormalized
}

func ExampleError_Format() {
	src := []byte("Set-CsCertificate -T Default -Thumbprint AB")
	c, _ := bind.Lookup("Set-CsCertificate", "")
	at := func(from, to int) syntax.Extent {
		return syntax.Extent{From: syntax.OffsetPos(from), To: syntax.OffsetPos(to)}
	}
	_, err := bind.Bind(c, []bind.Arg{
		{Name: "T", Text: "-T", Extent: at(18, 20)},
		{Value: "Default", Extent: at(21, 28)},
		{Name: "Thumbprint", Text: "-Thumbprint", Extent: at(29, 40)},
		{Value: "AB", Extent: at(41, 43)},
	}, bind.Options{})
	fmt.Println(err.(*bind.Error).Format("", src))
	// Output:
	// Set-CsCertificate : Parameter cannot be processed because the parameter name 'T' is ambiguous. Possible matches include: -Thumbprint -Type.
	// At line:1 char:19
	// + Set-CsCertificate -T Default -Thumbprint AB
	// +                   ~~
	//     + CategoryInfo          : InvalidArgument: (:) [Set-CsCertificate], ParameterBindingException
	//     + FullyQualifiedErrorId : AmbiguousParameter,Set-CsCertificate
}
