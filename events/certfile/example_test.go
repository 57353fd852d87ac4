package certfile_test

import (
	"errors"
	"fmt"

	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/events/certfile/certtest"
	"software.sslmate.com/src/go-pkcs12"
)

func ExampleDecode() {
	// Deterministic test material: the same certificate on every run.
	set, err := certtest.Generate(certtest.Options{Deterministic: true, Intermediate: true})
	if err != nil {
		panic(err)
	}
	pfx, err := set.PFX(pkcs12.Modern, "example-only")
	if err != nil {
		panic(err)
	}

	f, err := certfile.Decode(`c:\certificates\import.pfx`, pfx, "example-only")
	if err != nil {
		panic(err)
	}
	fmt.Println(f.Format, f.HasPrivateKey)
	fmt.Println(f.Leaf.Thumbprint)
	fmt.Println(f.Leaf.Subject)
	fmt.Println(f.Leaf.Issuer)
	fmt.Println(f.Leaf.SerialNumber, f.Leaf.NotAfter.Format("2006-01-02"))
	fmt.Println(f.Leaf.AlternativeNames)
	for _, c := range f.Chain {
		fmt.Println("chain:", c.Subject)
	}

	_, err = certfile.Decode(`c:\certificates\import.pfx`, pfx, "wrong")
	fmt.Println(err)
	fmt.Println(errors.Is(err, certfile.ErrWrongPassword))
	// Output:
	// Pfx true
	// 89CDB51D72C9D21FA87FBF216025DC2479BB4869
	// CN=mail.contoso.com, O=Contoso, C=US
	// CN=Contoso Test Issuing CA, O=Contoso, C=US
	// 008A3F00C0FFEE 2045-01-01
	// [mail.contoso.com autodiscover.contoso.com]
	// chain: CN=Contoso Test Issuing CA, O=Contoso, C=US
	// chain: CN=Contoso Test Root CA, O=Contoso, C=US
	// c:\certificates\import.pfx: PKCS#12 file: the password is not correct
	// true
}

func ExampleFile_Imported() {
	set, err := certtest.Generate(certtest.Options{Deterministic: true})
	if err != nil {
		panic(err)
	}
	p7b, err := set.P7B()
	if err != nil {
		panic(err)
	}
	f, err := certfile.Decode("import.p7b", p7b, "")
	if err != nil {
		panic(err)
	}
	e := f.Imported("ex01.contoso.com")
	fmt.Println(e.EventType(), e.Aggregate().ID)
	fmt.Println(e.HasPrivateKey, e.Chain)
	// Output:
	// certificate.imported ex01.contoso.com\532E440346B195A6B083546B6B2917CA8775C85D
	// false [EE6C8121712C3A362F4715E5C30FD5181E66078B]
}
