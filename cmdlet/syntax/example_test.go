package syntax_test

import (
	"errors"
	"fmt"
	"strings"

	"github.com/certledger/certledger/cmdlet/syntax"
)

func ExampleParseFile() {
	// Pasted from Word: an en dash and smart quotes.
	src := "Set-CsCertificate \u2013Type Default, WebServicesInternal -Thumbprint \u201cB142918E\u201d -Confirm:$false"
	f, err := syntax.ParseFile("", []byte(src))
	if err != nil {
		fmt.Println(err)
		return
	}
	cmd := f.Statements[0].(*syntax.Pipeline).Elements[0].(*syntax.Command)
	for _, el := range cmd.Elements {
		switch el := el.(type) {
		case *syntax.Parameter:
			fmt.Printf("parameter %s (written %s) at char %d\n", el.Name, el.Text, f.Position(el.Pos()).Col)
		case *syntax.ArrayLit:
			fmt.Printf("array of %d\n", len(el.Elems))
		case *syntax.StringLit:
			fmt.Printf("string %q\n", el.Value)
		}
	}
	// Output:
	// parameter Type (written –Type) at char 19
	// array of 2
	// parameter Thumbprint (written -Thumbprint) at char 54
	// string "B142918E"
	// parameter Confirm (written -Confirm) at char 77
}

func ExampleFormatErrors() {
	src := []byte(`Set-CsCertificate -Type Default -Thumbprint <Thumbprint of certificate to use>`)
	_, err := syntax.ParseFile("", src)
	var list syntax.ErrorList
	if errors.As(err, &list) {
		fmt.Println(syntax.FormatErrors(list, src))
	}
	// Output:
	// At line:1 char:45
	// + ... -Thumbprint <Thumbpri ...
	// +                 ~
	// The '<' operator is reserved for future use.
	//     + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException
	//     + FullyQualifiedErrorId : RedirectionNotSupported
}

func ExamplePositionMessage() {
	src := []byte("Set-CsCertificate -Foo bar")
	// -Foo: bytes 18 to 22.
	ext := syntax.Extent{From: syntax.OffsetPos(18), To: syntax.OffsetPos(22)}
	fmt.Println(syntax.PositionMessage("", src, ext))
	// Output:
	// At line:1 char:19
	// + Set-CsCertificate -Foo bar
	// +                   ~~~~
}

func ExampleSprint() {
	src := "Import-ExchangeCertificate \u2013FileName \\\\FS01\\certs\\mail.pfx -Password (ConvertTo-SecureString 'P@ss' -AsPlainText -Force) -FileName\" x\""
	f, _ := syntax.ParseFile("", []byte(src))
	cfg := &syntax.PrintConfig{Redact: func(_ *syntax.Command, p *syntax.Parameter) bool {
		return strings.EqualFold(p.Name, "Password")
	}}
	fmt.Print(syntax.Sprint(f, cfg))
	// Output:
	// Import-ExchangeCertificate -FileName \\FS01\certs\mail.pfx -Password '[redacted]' '-FileName x'
}

// A node stores only byte offsets; the file resolves them to the line and
// column PowerShell would report (UTF-16 units: the emoji counts two).
func ExampleFile_Position() {
	src := []byte("# rotate\r\nWrite-Host '😀' -Foo\nSet-CsCertificate -Type Default\n")
	f, err := syntax.ParseFile("rotate.ps1", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	syntax.Inspect(f, func(n syntax.Node) bool {
		if p, ok := n.(*syntax.Parameter); ok {
			pos := f.Position(p.Pos())
			fmt.Printf("%s at %s (byte %d)\n", p.Text, pos, pos.Offset)
		}
		return true
	})
	// Output:
	// -Foo at 2:17 (byte 28)
	// -Type at 3:19 (byte 51)
}
