package cmdlet_test

import (
	"context"
	"fmt"
	"os"

	"github.com/certledger/certledger/cmdlet"
	"github.com/certledger/certledger/cmdlet/value"
)

// printHandler carries out nothing: it prints what it is handed.
type printHandler struct{}

func (printHandler) Handles(command string) bool { return command == "Set-CsCertificate" }

func (printHandler) Invoke(_ context.Context, inv *cmdlet.Invocation) ([]value.Value, error) {
	fmt.Printf("#%d line %d: %s [%s]\n", inv.Index, inv.Line, inv.Text, inv.Bound.ParameterSet)
	return nil, nil
}

func ExampleHost_RunSource() {
	script := `$types = 'Default', 'WebServicesInternal'
foreach ($t in $types) {
    Set-CsCertificate –Type $t -Thumbprint "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567" -Confirm:$false
}
Set-CsCertificate -Type Default -Thumbprnt 0A1B`
	h := cmdlet.New(printHandler{})
	err := h.RunSource(context.Background(), "", []byte(script))
	if err != nil {
		fmt.Println(cmdlet.FormatError(err))
	}
	// Output:
	// #0 line 3: Set-CsCertificate -Type $t -Thumbprint "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567" -Confirm:$false [Thumbprint]
	// #1 line 3: Set-CsCertificate -Type $t -Thumbprint "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567" -Confirm:$false [Thumbprint]
	// Set-CsCertificate : A parameter cannot be found that matches parameter name 'Thumbprnt'.
	// At line:5 char:33
	// + Set-CsCertificate -Type Default -Thumbprnt 0A1B
	// +                                 ~~~~~~~~~~
	//     + CategoryInfo          : InvalidArgument: (:) [Set-CsCertificate], ParameterBindingException
	//     + FullyQualifiedErrorId : NamedParameterNotFound,Set-CsCertificate
}

func ExampleCheck() {
	script := `$p = @{ Type = 'default'; Thumbprint = '0A1B2C3D4E5F60718293A4B5C6D7E8F901234567' }
Set-CsCertificate @p
Import-ExchangeCertificate -FileName C:\Certs\mail.pfx -Password (Get-Credential).Password`
	items := cmdlet.CheckSource("a.ps1", []byte(script), cmdlet.CheckOptions{})
	_ = cmdlet.WriteCheckJSON(os.Stdout, items)
	// Output:
	// {"File":"a.ps1","Line":1,"Statement":"Assignment"}
	// {"File":"a.ps1","Line":2,"Command":"Set-CsCertificate","ParameterSet":"Thumbprint","Parameters":{"Thumbprint":"0A1B2C3D4E5F60718293A4B5C6D7E8F901234567","Type":["Default"]}}
	// {"File":"a.ps1","Line":3,"Command":"Import-ExchangeCertificate","ParameterSet":"FileName","Parameters":{"FileName":"C:\\Certs\\mail.pfx","Password":"[redacted]"}}
	// {"File":"a.ps1","Line":3,"Command":"Get-Credential","Parameters":{}}
}
