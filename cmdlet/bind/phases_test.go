package bind

import (
	"strings"
	"testing"
	"time"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

const thumbSet = `Thumbprint {"Thumbprint":"AB","Type":["Default"]`

// Pairing parameter tokens with their arguments: switches, colon forms,
// values that must follow, MissingArgument.
func TestPairing(t *testing.T) {
	runBindCases(t, []bindCase{
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Force`, want: `Thumbprint {"Force":true,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Force:$false`, want: `Thumbprint {"Force":false,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Confirm:$false`, want: `Thumbprint {"Confirm":false,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Confirm:0`, want: `Thumbprint {"Confirm":false,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -confirm`, want: `Thumbprint {"Confirm":true,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type:Default,Internal -Thumbprint:AB`, want: `Thumbprint {"Thumbprint":"AB","Type":["Default","Internal"]}`},
		// -Force $false: the $false is a positional argument.
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Force $false`, errID: PositionalParameterNotFound, errAt: "$false",
			errMsg: "A positional parameter cannot be found that accepts argument 'False'."},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Force:'false'`, errID: CannotConvertArgument, errAt: "'false'",
			// The binder's Boolean check passes an empty second argument:
			// the message ends in ". " (ParameterBinderBase.CoerceTypeAsNeeded).
			errMsg: "Cannot convert 'System.String' to the type 'System.Management.Automation.SwitchParameter' required by parameter 'Force'. "},
		// A null makes a switch present, and is refused by a Boolean.
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Force:$null`, want: `Thumbprint {"Force":true,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Import-ExchangeCertificate -FileData $d -PrivateKeyExportable $null`, errID: ParameterArgumentValidationErrorNullNotAllowed,
			errMsg: "Cannot bind argument to parameter 'PrivateKeyExportable' because it is null."},
		{src: `Import-ExchangeCertificate -FileData $d -PrivateKeyExportable:$true,$false`, errID: CannotConvertArgument,
			errMsg: "Cannot convert 'System.Object[]' to the type 'System.Boolean' required by parameter 'PrivateKeyExportable'. "},
		// A parameter that is not a switch takes the next element.
		{src: `Set-CsCertificate -Type Default -Thumbprint`, errID: MissingArgument, errAt: "-Thumbprint",
			errMsg: "Missing an argument for parameter 'Thumbprint'. Specify a parameter of type 'System.String' and try again."},
		{src: `Set-CsCertificate -Type -Thumbprint AB`, errID: MissingArgument, errAt: "-Type",
			errMsg: "Missing an argument for parameter 'Type'. Specify a parameter of type 'Microsoft.Rtc.Management.Deployment.CertType[]' and try again."},
		{src: `Set-CsCertificate -Thumbprint -T`, errID: AmbiguousParameter, errAt: "-T"},
		{src: `Set-CsCertificate -Type Default -Thumbprint -abc:x`, errID: MissingArgument, errAt: "-Thumbprint"},
		// A -Name:value is matched only at named binding, after pairing.
		{src: `Set-CsCertificate -T:Default -Thumbprint`, errID: MissingArgument},
		{src: `Set-CsCertificate -T:Default -Thumbprint AB`, errID: AmbiguousParameter, errAt: "-T:"},
		{src: `Set-CsCertificate -Type Default -Thumbprint -abc`, want: `Thumbprint {"Thumbprint":"-abc","Type":["Default"]}`, errID: ThumbprintNotHex},
		{src: `Set-CsCertificate -Type Default -Report -abc -Thumbprint AB`, want: `Thumbprint {"Report":"-abc","Thumbprint":"AB","Type":["Default"]}`},
		{src: `Import-ExchangeCertificate -FileData $d -PrivateKeyExportable`, errID: MissingArgument,
			errMsg: "Missing an argument for parameter 'PrivateKeyExportable'. Specify a parameter of type 'System.Boolean' and try again."},
		{src: `Import-ExchangeCertificate -FileData $d -PrivateKeyExportable $true`, want: `FileData {"FileData":{"Expression":"$d"},"PrivateKeyExportable":true}`},
		{src: `Import-ExchangeCertificate -FileData $d -PrivateKeyExportable:1`, want: `FileData {"FileData":{"Expression":"$d"},"PrivateKeyExportable":true}`},
		{src: `Import-ExchangeCertificate -FileData $d -PrivateKeyExportable true`, errID: CannotConvertArgument, errAt: "true",
			errMsg: "Cannot convert 'System.String' to the type 'System.Boolean' required by parameter 'PrivateKeyExportable'. "},
		// Ambiguity fails before an unknown name that comes first.
		{src: `Set-CsCertificate -Foo x -T y`, errID: AmbiguousParameter},
		{src: `Set-CsCertificate -Foo x -Type`, errID: MissingArgument},
	})
}

// Named binding: duplicates (explicit and splatted), set narrowing.
func TestNamedBinding(t *testing.T) {
	runBindCases(t, []bindCase{
		// The extent of a parameter with an argument is the argument's.
		{src: `Set-CsCertificate -Type Default -Type Internal -Thumbprint AB`, errID: ParameterAlreadyBound, errAt: "Internal",
			errMsg: `Cannot bind parameter because parameter 'Type' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`},
		// Pairing renames a parameter to its declared name; a switch or a
		// -Name:value keeps the name as typed.
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate 1/1/2020 -EffectiveTime 1/2/2020`, errID: ParameterAlreadyBound,
			errMsg: `Cannot bind parameter because parameter 'EffectiveDate' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate 1/1/2020 -EffectiveTime:1/2/2020`, errID: ParameterAlreadyBound,
			errMsg: `Cannot bind parameter because parameter 'EffectiveTime' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`},
		{src: `Set-CsCertificate -Thumb AB -Type Default -thumbprint CD`, errID: ParameterAlreadyBound, errAt: "CD"},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Force -f`, errID: ParameterAlreadyBound, errAt: "-f",
			errMsg: `Cannot bind parameter because parameter 'f' is specified more than once. To provide multiple values to parameters that can accept multiple values, use the array syntax. For example, "-parameter value1,value2,value3".`},
		{src: `Set-CsCertificate -Thumbprint AB -Path x -Type Default -Identity global`, errID: AmbiguousParameterSet,
			errAt:  `Set-CsCertificate -Thumbprint AB -Path x -Type Default -Identity global`,
			errMsg: "Parameter set cannot be resolved using the specified named parameters."},
		{src: `Set-CsCertificate -Reference $r -Thumbprint AB`, errID: AmbiguousParameterSet},
		{src: `Set-CsCertificate -Identity global -Path C:\certs\a.pfx -Type Default -Password "P@ssw0rd"`,
			want: `Path {"Identity":"global","Password":"[redacted]","Path":"C:\\certs\\a.pfx","Type":["Default"]}`},
		{src: `Set-CsCertificate -Thumbprint AB -Password x -Type Default`, want: `Path {"Password":"[redacted]","Thumbprint":"AB","Type":["Default"]}`, errID: AmbiguousParameterSet},
	})
}

// Splatted arguments arrive as colon-form parameter tokens; in Windows
// PowerShell 5.1 a key that repeats an explicit parameter is
// ParameterAlreadyBound, wherever the splat stands.
func TestSplatting(t *testing.T) {
	c, _ := Lookup("Enable-ExchangeCertificate", "")
	splat := func(name string, v value.Value) Arg {
		return Arg{Name: name, Text: "-" + name + ":", Colon: true, Value: v, Splatted: true}
	}
	explicit := Arg{Name: "Force", Text: "-Force"}
	for _, tc := range []struct {
		name  string
		args  []Arg
		errID string
		want  string
	}{
		{"splat only", []Arg{splat("Thumbprint", "AB"), splat("Services", "IIS"), splat("Force", true)}, "", `Thumbprint {"Force":true,"Services":"IIS","Thumbprint":"AB"}`},
		{"explicit then splat", []Arg{explicit, splat("Thumbprint", "AB"), splat("Services", "IIS"), splat("Force", true)}, ParameterAlreadyBound, ""},
		{"splat then explicit", []Arg{splat("Thumbprint", "AB"), splat("Services", "IIS"), splat("Force", true), explicit}, ParameterAlreadyBound, ""},
		{"splat prefix", []Arg{splat("thumb", "AB"), splat("servi", "SMTP,IIS")}, "", `Thumbprint {"Services":"IIS, SMTP","Thumbprint":"AB"}`},
		{"splat unknown key", []Arg{splat("Thumbprint", "AB"), splat("Services", "IIS"), splat("DoNotRequireSSL", true), splat("Nope", 1)}, NamedParameterNotFound, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Bind(c, tc.args, Options{})
			if tc.errID != "" {
				if e, ok := err.(*Error); !ok || e.ID != tc.errID {
					t.Fatalf("err %v, want %s", err, tc.errID)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, b); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// The order in which PowerShell reports: pairing errors, then named
// binding (duplicates, conversions) in source order, then a set conflict,
// then the first argument left over (an unknown name or a stray value),
// then set resolution and mandatory parameters.
func TestErrorOrder(t *testing.T) {
	runBindCases(t, []bindCase{
		{src: `Set-CsCertificate -Foo x -Type Bad -Thumbprint AB`, errID: CannotConvertArgumentNoMessage, errAt: "Bad"},
		{src: `Set-CsCertificate -Foo x -Thumbprint AB -Path y`, errID: AmbiguousParameterSet},
		{src: `Set-CsCertificate -Thumbprint AB -Path x -Type Web`, errID: CannotConvertArgumentNoMessage},
		{src: `Set-CsCertificate -Thumbprint AB -Path x stray`, errID: AmbiguousParameterSet},
		{src: `Set-CsCertificate stray -Foo -Type Default -Thumbprint AB`, errID: PositionalParameterNotFound, errAt: "stray"},
		{src: `Set-CsCertificate -Foo -Type Default -Thumbprint AB stray`, errID: NamedParameterNotFound, errAt: "-Foo"},
		{src: `Set-CsCertificate -Foo:bar -Type Default -Thumbprint AB`, errID: NamedParameterNotFound, errAt: "bar"},
		{src: `Set-CsCertificate -Foo x`, errID: NamedParameterNotFound, errAt: "-Foo"},
		{src: `Set-CsCertificate -Type Default extra`, errID: PositionalParameterNotFound},
		{src: `Import-ExchangeCertificate -Foo x`, errID: NamedParameterNotFound},
		{src: `Import-ExchangeCertificate -FriendlyName x -Type y`, errID: NamedParameterNotFound},
		{src: `Get-CsCertificate x y`, errID: PositionalParameterNotFound, errAt: "y"},
		{src: `Remove-CsCertificate -Type Nope global extra`, errID: CannotConvertArgumentNoMessage},
	})
}

// Positional binding.
func TestPositional(t *testing.T) {
	runBindCases(t, []bindCase{
		{src: `Get-CsCertificate global`, want: `__AllParameterSets {"Identity":"global"}`},
		{src: `Get-CsCertificate global extra`, errID: PositionalParameterNotFound, errAt: "extra",
			errMsg: "A positional parameter cannot be found that accepts argument 'extra'."},
		{src: `Get-CsCertificate global`, profile: Lync2010, errID: PositionalParameterNotFound},
		{src: `Remove-CsCertificate global -Type OAuthTokenIssuer -Previous`, want: `__AllParameterSets {"Identity":"global","Previous":true,"Type":["OAuthTokenIssuer"]}`},
		{src: `Set-CsCertificate -Type Default AB`, errID: PositionalParameterNotFound, errAt: "AB"},
		{src: `Set-CsCertificate $null -Type Default -Thumbprint AB`, errID: PositionalParameterNotFound, errMsg: "A positional parameter cannot be found that accepts argument '$null'."},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB a,b`, errID: PositionalParameterNotFound, errMsg: "A positional parameter cannot be found that accepts argument 'System.Object[]'."},
		{src: `Get-ExchangeCertificate 0A1B2C`, want: `Thumbprint {"Thumbprint":"0A1B2C"}`},
		{src: `Enable-ExchangeCertificate 0A1B2C -Services IIS`, want: `Thumbprint {"Services":"IIS","Thumbprint":"0A1B2C"}`},
		{src: `Enable-ExchangeCertificate -Identity "EX01\0A1B" -Services IIS`, want: `Identity {"Identity":"EX01\\0A1B","Services":"IIS"}`},
		{src: `Import-CsCertificate global -Path C:\x.pfx -Type OAuthTokenIssuer`, want: `CMS {"Identity":"global","Path":"C:\\x.pfx","Type":["OAuthTokenIssuer"]}`},
		// The doc's buggy -FileName"…" is one bareword argument.
		{src: `Import-ExchangeCertificate -Server Mailbox01 '-FileName \\FileServer01\Data\Exported Fabrikam Cert.pfx' -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)`,
			errID: PositionalParameterNotFound, errMsg: `A positional parameter cannot be found that accepts argument '-FileName \\FileServer01\Data\Exported Fabrikam Cert.pfx'.`},
	})
}

// Parameter-set resolution and mandatory parameters.
func TestParameterSets(t *testing.T) {
	runBindCases(t, []bindCase{
		{src: `Set-CsCertificate -Type Default`, errID: AmbiguousParameterSet, errAt: `Set-CsCertificate -Type Default`},
		{src: `Set-CsCertificate -Identity global -Type Default`, errID: AmbiguousParameterSet},
		{src: `Set-CsCertificate -Identity global -Type Default -Path C:\a.pfx`, want: `Path {"Identity":"global","Path":"C:\\a.pfx","Type":["Default"]}`},
		{src: `Set-CsCertificate -Path C:\a.pfx`, errID: MissingMandatoryParameter, errAt: `Set-CsCertificate -Path C:\a.pfx`,
			errMsg: "Cannot process command because of one or more missing mandatory parameters: Identity Type."},
		{src: `Import-ExchangeCertificate -Password $p`, errID: MissingMandatoryParameter,
			errMsg: "Cannot process command because of one or more missing mandatory parameters: FileData."},
		{src: `Import-ExchangeCertificate -FriendlyName x`, profile: Exchange2007, want: `Instance {"FriendlyName":"x"}`},
		{src: `Import-ExchangeCertificate -Instance $i -FriendlyName x`, profile: Exchange2013, want: `Instance {"FriendlyName":"x","Instance":{"Expression":"$i"}}`},
		{src: `Import-ExchangeCertificate -FileName C:\a.pfx`, profile: Exchange2013, want: `FileName {"FileName":"C:\\a.pfx"}`},
		{src: `Import-ExchangeCertificate -FileName C:\a.pfx`, profile: Exchange2016, errID: NamedParameterNotFound},
		{src: `Import-ExchangeCertificate -FileName C:\a.pfx`, profile: Exchange2010, errID: NamedParameterNotFound},
		{src: `Enable-ExchangeCertificate -Thumbprint AB`, errID: MissingMandatoryParameter, errMsg: "Cannot process command because of one or more missing mandatory parameters: Services."},
		{src: `Enable-ExchangeCertificate -Services IIS`, errID: MissingMandatoryParameter, errMsg: "Cannot process command because of one or more missing mandatory parameters: Thumbprint."},
		{src: `Enable-ExchangeCertificate -Identity x -Server y -Services IIS`, errID: AmbiguousParameterSet},
		{src: `Get-ExchangeCertificate -Server EX01`, want: `Thumbprint {"Server":"EX01"}`},
		{src: `Get-ExchangeCertificate`, want: `Thumbprint {}`},
		{src: `Get-CsCertificate`, want: `__AllParameterSets {}`},
		{src: `Import-CsCertificate -Path C:\x.pfx -PrivateKeyExportable $True`, want: `Local {"Path":"C:\\x.pfx","PrivateKeyExportable":true}`},
		{src: `Import-CsCertificate -Path C:\x.pfx -Type Default`, errID: MissingMandatoryParameter, errMsg: "Cannot process command because of one or more missing mandatory parameters: Identity."},
		// A mandatory parameter refuses $null and "".
		{src: `Set-CsCertificate -Type Default -Thumbprint $null`, errID: ParameterArgumentValidationErrorNullNotAllowed, errAt: "$null",
			errMsg: "Cannot bind argument to parameter 'Thumbprint' because it is null."},
		{src: `Set-CsCertificate -Type Default -Thumbprint ""`, errID: ParameterArgumentValidationErrorEmptyStringNotAllowed, errAt: `""`,
			errMsg: "Cannot bind argument to parameter 'Thumbprint' because it is an empty string."},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Report $null`, want: `Thumbprint {"Report":null,"Thumbprint":"AB","Type":["Default"]}`},
	})
}

// Pipeline input: ByValue, then ByPropertyName.
func TestPipeline(t *testing.T) {
	cert := value.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate")
	cert.Props.Set("Thumbprint", "0A1B2C")
	cert.Props.Set("Services", "IIS")
	nullThumb := value.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate")
	nullThumb.Props.Set("Thumbprint", nil)
	noThumb := value.NewObject("System.Management.Automation.PSCustomObject")
	noThumb.Props.Set("Subject", "CN=x")
	ref := value.NewObject("Microsoft.Rtc.Management.Deployment.CertificateReference")
	ref.Props.Set("Thumbprint", "0A1B2C")
	for _, tc := range []struct {
		src   string
		in    value.Value
		want  string
		errID string
	}{
		{`Enable-ExchangeCertificate -Services "SMTP, IMAP, POP, IIS"`, cert, `Thumbprint {"Services":"IMAP, POP, IIS, SMTP","Thumbprint":"0A1B2C"}`, ""},
		{`Enable-ExchangeCertificate -Services IIS -Force`, "0A1B2C", `Thumbprint {"Force":true,"Services":"IIS","Thumbprint":"0A1B2C"}`, ""},
		{`Enable-ExchangeCertificate -Services IIS`, value.Unknown{Source: "Get-ExchangeCertificate"}, `Thumbprint {"Services":"IIS","Thumbprint":{"Expression":"Get-ExchangeCertificate"}}`, ""},
		{`Set-CsCertificate -Type Default`, ref, `CertificateReference {"Reference":{"TypeName":"Microsoft.Rtc.Management.Deployment.CertificateReference","Props":{}},"Type":["Default"]}`, ""},
		{`Set-CsCertificate -Type Default`, "just a string", "", "InputObjectNotBound"},
		{`Get-CsCertificate`, "x", "", "InputObjectNotBound"},
		// A string binds every parameter that takes it: Instance as it is,
		// then Server by conversion.
		{`Import-ExchangeCertificate`, "EX01", `Instance {"Instance":["EX01"],"Server":"EX01"}`, ""},
		{`Enable-ExchangeCertificate`, cert, "", MissingMandatoryParameter},
		{`Enable-ExchangeCertificate -Services IIS`, nullThumb, "", ParameterArgumentValidationErrorNullNotAllowed},
		// Any object converts to a String: its text binds, and fails the
		// thumbprint check.
		{`Enable-ExchangeCertificate -Services IIS`, noThumb, "", ThumbprintNotHex},
		{`Get-ExchangeCertificate`, cert, `Instance {"Instance":{"TypeName":"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate","Props":{}}}`, ""},
	} {
		t.Run(tc.src, func(t *testing.T) {
			b, e, _ := bindLine(t, tc.src, Options{Input: tc.in, HasInput: true})
			if tc.errID != "" {
				if e == nil || e.ID != tc.errID {
					t.Fatalf("got %v, want %s", e, tc.errID)
				}
				return
			}
			if e != nil {
				t.Fatalf("%s: %s", e.ID, e.Message)
			}
			if got := render(t, b); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// InputObjectMissingMandatory needs a mandatory pipeline parameter the
// input leaves unbound while binding another; none of the certificate
// cmdlets has that shape, so a cmdlet made for the test does.
func TestInputObjectMissingMandatory(t *testing.T) {
	c := &Cmdlet{
		Name: "Test-Pipeline",
		Sets: []ParameterSet{{Name: "A"}},
		Params: []*Parameter{
			{Name: "Reference", Type: tCertRef, In: []SetMembership{{Set: "A", Mandatory: true, ByValue: true}}},
			{Name: "Label", Type: tString, In: []SetMembership{{Set: "A", ByPropertyName: true}}},
		},
	}
	in := value.NewObject("System.Management.Automation.PSCustomObject")
	in.Props.Set("Label", "x")
	_, err := Bind(c, nil, Options{Input: in, HasInput: true})
	e, ok := err.(*Error)
	if !ok || e.ID != InputObjectMissingMandatory ||
		e.Message != "The input object cannot be bound because it did not contain the information required to bind all mandatory parameters:  Reference" {
		t.Fatalf("got %v", err)
	}
	b, err := Bind(c, nil, Options{Input: value.Unknown{Source: "$r"}, HasInput: true})
	if err != nil || render(t, b) != `A {"Reference":{"Expression":"$r"}}` {
		t.Fatalf("unknown input: %v %v", b, err)
	}
}

// Conversions.
func TestConversions(t *testing.T) {
	certTypes := "AccessEdgeExternal, AudioVideoAuthentication, DataEdgeExternal, Default, External, Internal, iPadAPNService, iPhoneAPNService, LogRetentionService, MPNService, OAuthTokenIssuer, PICWebService, ProvisionService, SMPDNSWebService, TenantAdmin, UpgradeEngineService, UserDefined, WebServicesExternal, WebServicesInternal, WsFedTokenTransfer, XMPPServer"
	runBindCases(t, []bindCase{
		// Enums: case-insensitive, unique prefix, canonical spelling.
		{src: `Set-CsCertificate -Type default,WEBSERVICESINTERNAL -Thumbprint AB`, want: `Thumbprint {"Thumbprint":"AB","Type":["Default","WebServicesInternal"]}`},
		{src: `Set-CsCertificate -Type OAuth -Thumbprint AB`, want: `Thumbprint {"Thumbprint":"AB","Type":["OAuthTokenIssuer"]}`},
		{src: `Set-CsCertificate -Type Web -Thumbprint AB`, errID: CannotConvertArgumentNoMessage, errAt: "Web",
			errMsg: `Cannot bind parameter 'Type'. Cannot convert value "Web" to type "Microsoft.Rtc.Management.Deployment.CertType". Error: "The identifier name Web cannot be processed because it is either too similar or identical to the following enumerator names: WebServicesExternal, WebServicesInternal. Use a more specific identifier name."`},
		{src: `Set-CsCertificate -Type Foo -Thumbprint AB`, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Type'. Cannot convert value "Foo" to type "Microsoft.Rtc.Management.Deployment.CertType". Error: "Unable to match the identifier name Foo to a valid enumerator name. Specify one of the following enumerator names and try again:` + "\n" + certTypes + `"`},
		{src: `Set-CsCertificate -Type Default,Foo -Thumbprint AB`, errID: CannotConvertArgumentNoMessage, errAt: "Default,Foo"},
		{src: `Set-CsCertificate -Type UserDefined -Thumbprint AB`, profile: Lync2010, want: `Thumbprint {"Thumbprint":"AB","Type":["UserDefined"]}`},
		{src: `Set-CsCertificate -Type UserDefined -Thumbprint AB`, profile: SfB2019, errID: CannotConvertArgumentNoMessage},
		{src: `Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint AB`, profile: Lync2010, errID: CannotConvertArgumentNoMessage},
		{src: `Set-CsCertificate -Type "Default,Internal" -Thumbprint AB`, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Type'. Cannot convert value "Default,Internal" to type "Microsoft.Rtc.Management.Deployment.CertType" due to enumeration values that are not valid. Specify one of the following enumeration values and try again. The possible enumeration values are "` + strings.ReplaceAll(certTypes, ", ", ",") + `".`},
		{src: `Set-CsCertificate -Type $true -Thumbprint AB`, errID: CannotConvertArgumentNoMessage},
		// [Flags] AllowedServices: arrays and quoted comma lists.
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services POP,IMAP,IIS,SMTP`, want: `Thumbprint {"Services":"IMAP, POP, IIS, SMTP","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services "SMTP,IMAP,POP,IIS"`, want: `Thumbprint {"Services":"IMAP, POP, IIS, SMTP","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services "smtp, iis"`, want: `Thumbprint {"Services":"IIS, SMTP","Thumbprint":"AB"}`},
		// A prefix is resolved only for the whole text, never inside a list.
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services "smtp, ii"`, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Services'. Cannot convert value "smtp, ii" to type "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedServices". Error: "Unable to match the identifier name smtp, ii to a valid enumerator name. Specify one of the following enumerator names and try again:` + "\nNone, IMAP, POP, UM, IIS, SMTP, Federation, UMCallRouter\""},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services IMAP,I`, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Services'. Cannot convert value "IMAP,I" to type "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedServices". Error: "Unable to match the identifier name IMAP,I to a valid enumerator name. Specify one of the following enumerator names and try again:` + "\nNone, IMAP, POP, UM, IIS, SMTP, Federation, UMCallRouter\""},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services smt`, want: `Thumbprint {"Services":"SMTP","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services 8,16`, want: `Thumbprint {"Services":"IIS, SMTP","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services 24`, want: `Thumbprint {"Services":"IIS, SMTP","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services UM`, want: `Thumbprint {"Services":"UM","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services U`, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Services'. Cannot convert value "U" to type "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedServices". Error: "The identifier name U cannot be processed because it is either too similar or identical to the following enumerator names: UM, UMCallRouter. Use a more specific identifier name."`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services U`, profile: Exchange2010, want: `Thumbprint {"Services":"UM","Thumbprint":"AB"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services Federation`, profile: Exchange2007, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Services'. Cannot convert value "Federation" to type "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedServices". Error: "Unable to match the identifier name Federation to a valid enumerator name. Specify one of the following enumerator names and try again:` + "\nNone, IMAP, POP, UM, IIS, SMTP\""},
		{src: `Enable-ExchangeCertificate -Thumbprint AB -Services 128`, errID: CannotConvertArgumentNoMessage},
		// Strings: numbers bind as their text; an array is refused by any
		// scalar parameter but an enum.
		{src: `Set-CsCertificate -Type Default -Thumbprint 1234`, want: `Thumbprint {"Thumbprint":"1234","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -Report a,b`, errID: CannotConvertArgument, errAt: "a,b",
			errMsg: "Cannot convert 'System.Object[]' to the type 'System.String' required by parameter 'Report'. Specified method is not supported."},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB,CD`, errID: CannotConvertArgument},
		{src: `Import-ExchangeCertificate -FileData $d -Password $p,$q`, errID: CannotConvertArgument,
			errMsg: "Cannot convert 'System.Object[]' to the type 'System.Security.SecureString' required by parameter 'Password'. Specified method is not supported."},
		{src: `Get-ExchangeCertificate -DomainName a.example,b.example`, want: `Thumbprint {"DomainName":["a.example","b.example"]}`},
		{src: `Import-ExchangeCertificate -Instance abc`, want: `Instance {"Instance":["abc"]}`},
		{src: `Import-ExchangeCertificate -FileData $d -Server cas2,cas3`, errID: CannotConvertArgument,
			errMsg: "Cannot convert 'System.Object[]' to the type 'Microsoft.Exchange.Configuration.Tasks.ServerIdParameter' required by parameter 'Server'. Specified method is not supported."},
		{src: `Import-ExchangeCertificate -FileData $d -DomainController dc01.contoso.com`, want: `FileData {"DomainController":"dc01.contoso.com","FileData":{"Expression":"$d"}}`},
		// Byte[]: a path is not file data.
		{src: `Import-ExchangeCertificate -FileData C:\a.pfx`, errID: CannotConvertArgumentNoMessage, errAt: `C:\a.pfx`,
			errMsg: `Cannot bind parameter 'FileData'. Cannot convert value "C:\a.pfx" to type "System.Byte". Error: "Input string was not in a correct format."`},
		{src: `Import-ExchangeCertificate -FileData 1,2,255`, want: `FileData {"FileData":"AQL/"}`},
		{src: `Import-ExchangeCertificate -FileData 1,2,256`, errID: CannotConvertArgumentNoMessage},
		{src: `Import-ExchangeCertificate -File C:\a.pfx`, profile: Exchange2016, errID: CannotConvertArgumentNoMessage},
		{src: `Import-ExchangeCertificate -File C:\a.pfx`, profile: Exchange2013, errID: AmbiguousParameter},
		// SecureString only from a secure source; the value never prints.
		{src: `Import-ExchangeCertificate -FileData $d -Password "P@ssw0rd1"`, errID: CannotConvertArgumentNoMessage, errAt: `"P@ssw0rd1"`,
			errMsg: `Cannot bind parameter 'Password'. Cannot convert the "[redacted]" value of type "System.String" to type "System.Security.SecureString".`},
		{src: `Import-ExchangeCertificate -FileData $d -Password (Get-Credential).password`, want: `FileData {"FileData":{"Expression":"$d"},"Password":{"Expression":"(Get-Credential).password"}}`},
		// DateTime in the culture.
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate "7/22/2015 6:00:00 AM"`, want: `Thumbprint {"EffectiveDate":"` + local(2015, 7, 22, 6, 0) + `","Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate "31/7/2012"`, errID: CannotConvertArgumentNoMessage, errAt: `"31/7/2012"`,
			errMsg: `Cannot bind parameter 'EffectiveDate'. Cannot convert value "31/7/2012" to type "System.DateTime". Error: "String was not recognized as a valid DateTime."`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate tomorrow`, errID: CannotConvertArgumentNoMessage},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate a,b`, errID: CannotConvertArgument},
		// Identities take any string.
		{src: `Set-CsCertificate -Identity service:WebServer:atl-cs-001.litwareinc.com -Type Default -Thumbprint AB`, want: `Thumbprint {"Identity":"service:WebServer:atl-cs-001.litwareinc.com","Thumbprint":"AB","Type":["Default"]}`},
		// An object type only a cmdlet makes.
		{src: `Set-CsCertificate -Reference B142 -Type Default`, errID: CannotConvertArgumentNoMessage,
			errMsg: `Cannot bind parameter 'Reference'. Cannot convert the "B142" value of type "System.String" to type "Microsoft.Rtc.Management.Deployment.CertificateReference".`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -ErrorAction Stopp`, errID: CannotConvertArgumentNoMessage},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -OutBuffer 10`, want: `Thumbprint {"OutBuffer":10,"Thumbprint":"AB","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint AB -OutBuffer x`, errID: CannotConvertArgumentNoMessage},
	})
}

func TestCultures(t *testing.T) {
	for _, tc := range []struct {
		culture, in string
		want        string // "" for a failure
	}{
		{"", "7/31/2012 8:00 AM", local(2012, 7, 31, 8, 0)},
		{"en-US", "7/21/2015 1:00:00 PM", local(2015, 7, 21, 13, 0)},
		{"en-US", "9/1/2018", local(2018, 9, 1, 0, 0)},
		{"en-US", "July 31, 2012 8:00", local(2012, 7, 31, 8, 0)},
		{"en-US", "12:30 AM 1/2/2020", local(2020, 1, 2, 0, 30)},
		{"en-US", "2015-07-22T06:00:00", local(2015, 7, 22, 6, 0)},
		{"en-US", "2015-07-22 06:00", local(2015, 7, 22, 6, 0)},
		{"en-US", "13/1/2020", ""},
		{"en-US", "2/30/2020", ""},
		{"en-US", "13:00 PM", ""},
		{"en-GB", "31/07/2012 08:00", local(2012, 7, 31, 8, 0)},
		{"en-GB", "7/31/2012", ""},
		{"de-DE", "31.07.2012 08:00:00", local(2012, 7, 31, 8, 0)},
		{"de-DE", "31. Juli 2012", local(2012, 7, 31, 0, 0)},
		{"de-DE", "1. März 2015 13:05", local(2015, 3, 1, 13, 5)},
		{"fr-FR", "31/07/2012 08:00", local(2012, 7, 31, 8, 0)},
		{"fr-FR", "1 août 2015", local(2015, 8, 1, 0, 0)},
		{"invariant", "07/31/2012 08:00:00", local(2012, 7, 31, 8, 0)},
		{"iv", "31/07/2012", ""},
		{"en-US", "1/2/99", local(1999, 1, 2, 0, 0)},
		{"en-US", "1/2/29", local(2029, 1, 2, 0, 0)},
	} {
		t.Run(tc.culture+" "+tc.in, func(t *testing.T) {
			cl := line(t, `Set-CsCertificate -Type Default -Thumbprint AB -EffectiveDate "`+tc.in+`"`)
			c, _ := Lookup(cl.name, "")
			b, err := Bind(c, cl.args, Options{Culture: tc.culture, Command: cl.ext})
			if tc.want == "" {
				if err == nil {
					v, _ := b.Get("EffectiveDate")
					t.Fatalf("parsed as %v", v)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := render(t, b); !strings.Contains(got, `"EffectiveDate":"`+tc.want+`"`) {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	c, _ := Lookup("Get-CsCertificate", "")
	if _, err := Bind(c, nil, Options{Culture: "xx-XX"}); err == nil || err.(*Error).ID != UnknownCulture {
		t.Errorf("unknown culture: %v", err)
	}
}

var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.Local)

// A date with a zone is that instant.
func TestDateTimeZone(t *testing.T) {
	tm, ok := cultures["en-US"].parse("2015-07-22T06:00:00Z", testNow)
	if !ok || tm.UTC().Format("2006-01-02T15:04:05") != "2015-07-22T06:00:00" {
		t.Errorf("got %v %v", tm, ok)
	}
	tm, ok = cultures["en-US"].parse("8:00 AM", testNow)
	if !ok || tm.Hour() != 8 || tm.YearDay() != testNow.YearDay() {
		t.Errorf("time only: %v %v", tm, ok)
	}
}

// The checks the cmdlets make, with certledger's own ids.
func TestChecks(t *testing.T) {
	runBindCases(t, []bindCase{
		{src: `Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint AB -Roll`, errID: RollWithoutEffectiveDate, errAt: "-Roll"},
		{src: `Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint AB -Roll:$false`, want: `Thumbprint {"Roll":false,"Thumbprint":"AB","Type":["AudioVideoAuthentication"]}`},
		{src: `Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\a.pfx -Roll`, errID: RollWithoutEffectiveDate},
		{src: `Import-ExchangeCertificate -FileData $d -FriendlyName "` + strings.Repeat("x", 64) + `"`, errID: FriendlyNameTooLong, errAt: `"` + strings.Repeat("x", 64) + `"`},
		{src: `Import-ExchangeCertificate -FileData $d -FriendlyName "` + strings.Repeat("x", 63) + `"`, want: `FileData {"FileData":{"Expression":"$d"},"FriendlyName":"` + strings.Repeat("x", 63) + `"}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint "B1 42 XX"`, errID: ThumbprintNotHex, errAt: `"B1 42 XX"`},
		{src: `Enable-ExchangeCertificate -Thumbprint "0a1b-2c" -Services IIS`, errID: ThumbprintNotHex},
	})
	for _, tc := range []struct {
		src, want string
		warnings  []string
	}{
		{`Set-CsCertificate -Type Default -Thumbprint "` + tp43 + `"`, tp43, []string{ThumbprintLength}},
		{`Set-CsCertificate -Type Default -Thumbprint "‎b1 42 91 8e 46 39 81 a7 65 03 82 8b b1 27 83 91 b7 16 28 09"`, "B142918E463981A76503828BB1278391B7162809", []string{ThumbprintNormalized}},
		{`Enable-ExchangeCertificate -Thumbprint "` + "\ufeff" + `0a1b2c3d4e5f60718293a4b5c6d7e8f901234567` + "\u200f" + `" -Services IIS`, "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567", []string{ThumbprintNormalized}},
		{`Set-CsCertificate -Thumbprint B142918E463981A76503828BB1278391B7162809`, "B142918E463981A76503828BB1278391B7162809", []string{TypeNotSpecified}},
	} {
		t.Run(tc.src, func(t *testing.T) {
			b, e, _ := bindLine(t, tc.src, Options{})
			if e != nil {
				t.Fatalf("%s: %s", e.ID, e.Message)
			}
			if v, _ := b.Get("Thumbprint"); v != tc.want {
				t.Errorf("thumbprint %q, want %q", v, tc.want)
			}
			var ids []string
			for _, w := range b.Warnings {
				ids = append(ids, w.ID)
			}
			if strings.Join(ids, " ") != strings.Join(tc.warnings, " ") {
				t.Errorf("warnings %v, want %v", ids, tc.warnings)
			}
		})
	}
}

// A secret never appears in an error message, and binds as a SecureString
// even where the cmdlet takes a plain String.
func TestSecrets(t *testing.T) {
	b, e, _ := bindLine(t, `Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\Certificates\ServerToServerAuth.pfx  -Password "P@ssw0rd"`, Options{})
	if e != nil {
		t.Fatal(e)
	}
	v, _ := b.Get("Password")
	s, ok := v.(value.SecureString)
	if !ok || s.Reveal() != "P@ssw0rd" {
		t.Fatalf("Password bound as %T", v)
	}
	_, e, cl := bindLine(t, `Import-ExchangeCertificate -FileData $d -Password "hunter2"`, Options{})
	if e == nil || strings.Contains(e.Message, "hunter2") || strings.Contains(e.Format("", []byte(cl.src)), "hunter2 ") {
		t.Errorf("secret in error: %v", e)
	}
	_, e, _ = bindLine(t, `Import-ExchangeCertificate -FileData $d -Password hunter2,x`, Options{})
	if e == nil || strings.Contains(e.Message, "hunter2") {
		t.Errorf("secret in error: %v", e)
	}
	// A SecureString given to Lync's String -Password binds as its type name.
	c, _ := Lookup("Set-CsCertificate", "")
	bd, err := Bind(c, []Arg{
		{Name: "Identity", Text: "-Identity"}, {Value: "global"},
		{Name: "Path", Text: "-Path"}, {Value: `C:\a.pfx`},
		{Name: "Type", Text: "-Type"}, {Value: "Default"},
		{Name: "Password", Text: "-Password"}, {Value: value.NewSecureString("pw")},
	}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	pv, _ := bd.Get("Password")
	if pv.(value.SecureString).Reveal() != "System.Security.SecureString" || len(bd.Warnings) != 1 || bd.Warnings[0].ID != SecureStringAsText {
		t.Errorf("got %v, warnings %v", pv, bd.Warnings)
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		file, src, want string
	}{
		{"", `Set-CsCertificate -Foo bar`, "Set-CsCertificate : A parameter cannot be found that matches parameter name 'Foo'.\n" +
			"At line:1 char:19\n+ Set-CsCertificate -Foo bar\n+                   ~~~~\n" +
			"    + CategoryInfo          : InvalidArgument: (:) [Set-CsCertificate], ParameterBindingException\n" +
			"    + FullyQualifiedErrorId : NamedParameterNotFound,Set-CsCertificate"},
		{`C:\s.ps1`, `Import-ExchangeCertificate -Path c:\certificates\import.pfx`, "Import-ExchangeCertificate : A parameter cannot be found that matches parameter name 'Path'.\n" +
			"At C:\\s.ps1:1 char:28\n+ Import-ExchangeCertificate -Path c:\\certificates\\import.pfx\n+                            ~~~~~\n" +
			"    + CategoryInfo          : InvalidArgument: (:) [Import-ExchangeCertificate], ParameterBindingException\n" +
			"    + FullyQualifiedErrorId : NamedParameterNotFound,Microsoft.Exchange.Management.SystemConfigurationTasks.ImportExchangeCertificate"},
		{"", `Set-CsCertificate -Type Default -Thumbprint AB -Roll`, "Set-CsCertificate : The Roll parameter requires the EffectiveDate parameter: give the date and time from which the new certificate is to be used (-EffectiveDate).\n" +
			"At line:1 char:48\n+ Set-CsCertificate -Type Default -Thumbprint AB -Roll\n+                                                ~~~~~\n" +
			"    + CategoryInfo          : InvalidArgument: (:) [Set-CsCertificate], CertledgerCheck\n" +
			"    + FullyQualifiedErrorId : certledger.RollWithoutEffectiveDate,Set-CsCertificate"},
	} {
		_, e, cl := bindLine(t, tc.src, Options{Profile: profileFor(tc.src)})
		if e == nil {
			t.Fatalf("%s bound", tc.src)
		}
		if got := e.Format(tc.file, []byte(cl.src)); got != tc.want {
			t.Errorf("got\n%s\nwant\n%s", got, tc.want)
		}
	}
}

func profileFor(src string) Profile {
	if strings.Contains(src, "-Path c:") {
		return Exchange2016
	}
	return ""
}

// Extents are taken from the Args, never computed from text.
func TestExtentsFromArgs(t *testing.T) {
	c, _ := Lookup("Set-CsCertificate", "")
	ext := syntax.Extent{From: syntax.OffsetPos(5), To: syntax.OffsetPos(9)}
	_, err := Bind(c, []Arg{{Name: "Foo", Text: "-Foo", Extent: ext}}, Options{})
	if e := err.(*Error); e.Extent != ext {
		t.Errorf("extent %v", e.Extent)
	}
}
