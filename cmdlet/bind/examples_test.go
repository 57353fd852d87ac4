package bind

import (
	"testing"

	"github.com/certledger/certledger/cmdlet/value"
)

// importedCert is what Import-ExchangeCertificate writes to the pipeline.
func importedCert() *value.Object {
	o := value.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate")
	o.Props.Set("Thumbprint", "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567")
	o.Props.Set("Identity", `EX01\0A1B2C3D4E5F60718293A4B5C6D7E8F901234567`)
	o.Props.Set("Services", "None")
	return o
}

// Every command line of the two seed documents and of the reference binds
// (or fails) as documented. $variables and (…) are values only a run can
// know; the evaluator supplies those.
func TestSeedAndReferenceExamples(t *testing.T) {
	runBindCases(t, []bindCase{
		// Seed 000 (Set-CsCertificate, TechNet Lync 2013): examples 1 and 2.
		{src: `Set-CsCertificate -Type WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`,
			want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["WebServicesExternal"]}`},
		{src: `Set-CsCertificate -Type Default, WebServicesInternal, WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`,
			want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["Default","WebServicesInternal","WebServicesExternal"]}`},
		{src: `Set-CsCertificate -Type WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`, profile: Lync2013,
			want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["WebServicesExternal"]}`},
		{src: `Set-CsCertificate -Type WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`, profile: Lync2010,
			want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["WebServicesExternal"]}`},
		// Seed 000: the fragments of the parameter table.
		{src: `Set-CsCertificate -Type Internal,External,Default -Thumbprint ` + tp43,
			want: `Thumbprint {"Thumbprint":"` + tp43 + `","Type":["Internal","External","Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint ` + tp43 + ` -EffectiveTime "7/31/2012 8:00 AM"`,
			want: `Thumbprint {"EffectiveDate":"` + local(2012, 7, 31, 8, 0) + `","Thumbprint":"` + tp43 + `","Type":["Default"]}`},
		{src: `Set-CsCertificate -Type Default -Thumbprint ` + tp43 + ` -EffectiveTime "7/31/2012 8:00 AM"`, profile: Lync2010, errID: NamedParameterNotFound},
		{src: `Set-CsCertificate -Type Default -Thumbprint ` + tp43 + ` -Report C:\Logs\Certificates.html`,
			want: `Thumbprint {"Report":"C:\\Logs\\Certificates.html","Thumbprint":"` + tp43 + `","Type":["Default"]}`},
		{src: `Set-CsCertificate -Reference $x -Type Default`,
			want: `CertificateReference {"Reference":{"Expression":"$x"},"Type":["Default"]}`},

		// Seed 003 (Import-ExchangeCertificate, Exchange 2007 SP1–SP3).
		{src: `Import-ExchangeCertificate -Path c:\certificates\import.pfx -Password:(Get-Credential).password`, profile: Exchange2007,
			want: `Path {"Password":{"Expression":"(Get-Credential).password"},"Path":"c:\\certificates\\import.pfx"}`},
		{src: `Import-ExchangeCertificate -Path c:\certificates\import.p7b`, profile: Exchange2007,
			want: `Path {"Path":"c:\\certificates\\import.p7b"}`},
		{src: `Import-ExchangeCertificate -Path c:\certificates\import.p7b`,
			want: `Path {"Path":"c:\\certificates\\import.p7b"}`},
		{src: `Import-ExchangeCertificate -Path c:\certificates\import.p7b`, profile: Exchange2010, errID: NamedParameterNotFound, errAt: "-Path"},
		{src: `Import-ExchangeCertificate -Path c:\certificates\import.p7b`, profile: Exchange2019, errID: NamedParameterNotFound, errAt: "-Path"},

		// Reference §1.5: OAuth and staging.
		{src: `Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x`,
			want: `Thumbprint {"Identity":"global","Thumbprint":{"Expression":"$x"},"Type":["OAuthTokenIssuer"]}`},
		{src: `Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveDate "7/22/2015 6:00:00 AM"`,
			want: `Thumbprint {"EffectiveDate":"` + local(2015, 7, 22, 6, 0) + `","Roll":true,"Thumbprint":"` + tp43 + `","Type":["AudioVideoAuthentication"]}`},
		{src: `Set-CsCertificate -identity Global -Type OAuthTokenIssuer -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveDate "7/21/2015 1:00:00 PM"`,
			want: `Thumbprint {"EffectiveDate":"` + local(2015, 7, 21, 13, 0) + `","Identity":"Global","Roll":true,"Thumbprint":"` + tp43 + `","Type":["OAuthTokenIssuer"]}`},
		{src: `Remove-CsCertificate -Type AudioVideoAuthentication -Previous`,
			want: `__AllParameterSets {"Previous":true,"Type":["AudioVideoAuthentication"]}`},
		{src: `Remove-CsCertificate -Type OAuthTokenIssuer -Previous`,
			want: `__AllParameterSets {"Previous":true,"Type":["OAuthTokenIssuer"]}`},
		{src: `Remove-CsCertificate -Type OAuthTokenIssuer -Previous`, profile: Lync2010, errID: CannotConvertArgumentNoMessage},
		// The hard-wrapped doc line, pasted as is: its first line alone.
		{src: `Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint`, errID: MissingArgument, errAt: "-Thumbprint"},
		{src: `Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint $thumb`,
			want: `Thumbprint {"Thumbprint":{"Expression":"$thumb"},"Type":["Default","WebServicesInternal","WebServicesExternal"]}`},

		// Reference §1.8: prefixes (the ambiguous ones are in TestNameMatching).
		{src: `Set-CsCertificate -N reserved -Type Default -Thumbprint AB`, profile: Lync2010,
			want: `Thumbprint {"NetportId":"reserved","Thumbprint":"AB","Type":["Default"]}`},

		// Reference §2.1–§2.3.
		{src: `Get-CsCertificate`, want: `__AllParameterSets {}`},
		{src: `Get-CsCertificate -Type WebServicesInternal`, want: `__AllParameterSets {"Type":["WebServicesInternal"]}`},
		{src: `Get-CsCertificate -Identity "global"`, want: `__AllParameterSets {"Identity":"global"}`},
		{src: `Get-CsCertificate -Type Default`, want: `__AllParameterSets {"Type":["Default"]}`},
		{src: `Get-CsCertificate -Type $Type -verbose:$false`, want: `__AllParameterSets {"Type":{"Expression":"$Type"},"Verbose":false}`},
		{src: `Import-CsCertificate -Path "C:\Certificates\WebServer.pfx" -PrivateKeyExportable $True`,
			want: `Local {"Path":"C:\\Certificates\\WebServer.pfx","PrivateKeyExportable":true}`},
		{src: `Import-CsCertificate -Identity global -Type OAuthTokenIssuer -Path C:\Certificates\ServerToServerAuth.pfx  -Password "P@ssw0rd"`,
			want: `CMS {"Identity":"global","Password":"[redacted]","Path":"C:\\Certificates\\ServerToServerAuth.pfx","Type":["OAuthTokenIssuer"]}`},
		{src: `Remove-CsCertificate -Type WebServicesExternal`, want: `__AllParameterSets {"Type":["WebServicesExternal"]}`},
		{src: `Remove-CsCertificate -Type WebServicesExternal -Force`, want: `__AllParameterSets {"Force":true,"Type":["WebServicesExternal"]}`},

		// Reference §3.3: Import-ExchangeCertificate over the years.
		{src: `Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path c:\certificates\ExportedCert.pfx -Encoding byte -ReadCount 0)) -Password:(Get-Credential).password`, profile: Exchange2010,
			want: `FileData {"FileData":{"Expression":"([Byte[]]$(Get-Content -Path c:\\certificates\\ExportedCert.pfx -Encoding byte -ReadCount 0))"},"Password":{"Expression":"(Get-Credential).password"}}`},
		{src: `Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path c:\certificates\IssuedCert.p7b -Encoding byte -ReadCount 0))`,
			want: `FileData {"FileData":{"Expression":"([Byte[]]$(Get-Content -Path c:\\certificates\\IssuedCert.p7b -Encoding byte -ReadCount 0))"}}`},
		{src: `Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path c:\certificates\IssuedCert.p7b -Encoding byte -ReadCount 0))`, profile: Exchange2007, errID: NamedParameterNotFound},
		{src: `Import-ExchangeCertificate -Server Mailbox01 -FileName "\\FileServer01\Data\Exported Fabrikam Cert.pfx" -Password (ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)`, profile: Exchange2013,
			want: `FileName {"FileName":"\\\\FileServer01\\Data\\Exported Fabrikam Cert.pfx","Password":{"Expression":"(ConvertTo-SecureString -String 'P@ssw0rd1' -AsPlainText -Force)"},"Server":"Mailbox01"}`},
		{src: `Import-ExchangeCertificate -Server Mailbox01 -FileName "\\FileServer01\Data\Exported Fabrikam Cert.pfx" -Password (Get-Credential).password`, profile: Exchange2019, errID: NamedParameterNotFound, errAt: "-FileName"},
		{src: `Import-ExchangeCertificate -Server Mailbox01 -FileData ([System.IO.File]::ReadAllBytes('\\FileServer01\Data\Exported Fabrikam Cert.pfx')) -Password (Get-Credential).password`, profile: Exchange2019,
			want: `FileData {"FileData":{"Expression":"([System.IO.File]::ReadAllBytes('\\\\FileServer01\\Data\\Exported Fabrikam Cert.pfx'))"},"Password":{"Expression":"(Get-Credential).password"},"Server":"Mailbox01"}`},
		{src: `Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('C:\Certificates\Fabrikam IssuedCert.p7b'))`, profile: Exchange2016,
			want: `FileData {"FileData":{"Expression":"([System.IO.File]::ReadAllBytes('C:\\Certificates\\Fabrikam IssuedCert.p7b'))"}}`},

		// Reference §5: real scripts.
		{src: `Import-ExchangeCertificate –FileName $PFXPath -PrivateKeyExportable:$true -Password $secPFXPassword -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable ImportError`, profile: Exchange2013,
			want: `FileName {"Confirm":false,"ErrorAction":"SilentlyContinue","ErrorVariable":"ImportError","FileName":{"Expression":"$PFXPath"},"Password":{"Expression":"$secPFXPassword"},"PrivateKeyExportable":true}`},
		{src: `Enable-ExchangeCertificate -Thumbprint $newThumbprint -Services "SMTP,IMAP,POP,IIS" -Force`,
			want: `Thumbprint {"Force":true,"Services":"IMAP, POP, IIS, SMTP","Thumbprint":{"Expression":"$newThumbprint"}}`},
		{src: `Import-ExchangeCertificate -FileData ([Byte[]] $(Get-Content -Path "$($CertFilePath)" -Encoding Byte -ReadCount 0)) -Password:$CertCreds.Password -Server $env:COMPUTERNAME`,
			want: `FileData {"FileData":{"Expression":"([Byte[]] $(Get-Content -Path \"$($CertFilePath)\" -Encoding Byte -ReadCount 0))"},"Password":{"Expression":"$CertCreds.Password"},"Server":{"Expression":"$env:COMPUTERNAME"}}`},
		{src: `Enable-ExchangeCertificate -Thumbprint $thumbprint -Services POP,IMAP,IIS,SMTP`,
			want: `Thumbprint {"Services":"IMAP, POP, IIS, SMTP","Thumbprint":{"Expression":"$thumbprint"}}`},
		{src: `Enable-ExchangeCertificate -Services $ExchangeServices -Thumbprint $CertThumbprint -Force -EA Stop -Verbose:$false`,
			want: `Thumbprint {"ErrorAction":"Stop","Force":true,"Services":{"Expression":"$ExchangeServices"},"Thumbprint":{"Expression":"$CertThumbprint"},"Verbose":false}`},
		{src: `Import-ExchangeCertificate -FileData $cert.FileData -Password $password -Server cas2`,
			want: `FileData {"FileData":{"Expression":"$cert.FileData"},"Password":{"Expression":"$password"},"Server":"cas2"}`},
		{src: `Enable-ExchangeCertificate -Thumbprint $t -Services IIS -Confirm:$false -Force`,
			want: `Thumbprint {"Confirm":false,"Force":true,"Services":"IIS","Thumbprint":{"Expression":"$t"}}`},
		{src: `Import-ExchangeCertificate -FileName "c:\automation\cert.pfx" -PrivateKeyExportable $true`, profile: Exchange2013,
			want: `FileName {"FileName":"c:\\automation\\cert.pfx","PrivateKeyExportable":true}`},
		{src: `Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services SMTP -Force`,
			want: `Thumbprint {"Force":true,"Services":"SMTP","Thumbprint":{"Expression":"$cert.Thumbprint"}}`},
		{src: `Import-ExchangeCertificate -FileName '\\EX01\C$\Working\exch-mail.cer' -Password (ConvertTo-SecureString -String "!Qaz@Wsx" -AsPlainText -Force)`, profile: Exchange2013,
			want: `FileName {"FileName":"\\\\EX01\\C$\\Working\\exch-mail.cer","Password":{"Expression":"(ConvertTo-SecureString -String \"!Qaz@Wsx\" -AsPlainText -Force)"}}`},
		{src: `Import-ExchangeCertificate -FileName $CertPath -FriendlyName $ExchangeSubject -Password $ImportPassword -PrivateKeyExportable:$true`, profile: Exchange2013,
			want: `FileName {"FileName":{"Expression":"$CertPath"},"FriendlyName":{"Expression":"$ExchangeSubject"},"Password":{"Expression":"$ImportPassword"},"PrivateKeyExportable":true}`},
		{src: `import-exchangecertificate -path c:\<certificate_file_name>.cer -friendlyname "Contoso CAS01"`, profile: Exchange2007,
			want: `Path {"FriendlyName":"Contoso CAS01","Path":"c:\\<certificate_file_name>.cer"}`},
		{src: `Import-ExchangeCertificate -Path "C:\certificates\mail.contoso.com.cer"`, profile: Exchange2007,
			want: `Path {"Path":"C:\\certificates\\mail.contoso.com.cer"}`},
		{src: `Import-ExchangeCertificate -Path $pfxpath -Password:$password.password -Server $servername`, profile: Exchange2007, errID: NamedParameterNotFound, errAt: "-Server"},
		{src: `Import-ExchangeCertificate -Path $pfxpath -Password:$password.password -Server $servername`,
			want: `Path {"Password":{"Expression":"$password.password"},"Path":{"Expression":"$pfxpath"},"Server":{"Expression":"$servername"}}`},
		{src: `Set-CsCertificate -type Default,WebServicesInternal,WebServicesExternal -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -confirm`,
			want: `Thumbprint {"Confirm":true,"Thumbprint":"0A1B2C3D4E5F60718293A4B5C6D7E8F901234567","Type":["Default","WebServicesInternal","WebServicesExternal"]}`},
		{src: `Set-CsCertificate -Identity Global -Type $Uses -Thumbprint $cert.Thumbprint -Confirm:$false`,
			want: `Thumbprint {"Confirm":false,"Identity":"Global","Thumbprint":{"Expression":"$cert.Thumbprint"},"Type":{"Expression":"$Uses"}}`},
		{src: `Set-CsCertificate -type $CertType -thumbprint $Thumbprint -Report $AssignCertLogFile`,
			want: `Thumbprint {"Report":{"Expression":"$AssignCertLogFile"},"Thumbprint":{"Expression":"$Thumbprint"},"Type":{"Expression":"$CertType"}}`},
	})
}

// The 2007 pipeline idiom and the 2013+ one: Import-ExchangeCertificate's
// output object feeds Enable-ExchangeCertificate -Thumbprint by property
// name.
func TestPipelineIdioms(t *testing.T) {
	for _, src := range []string{
		`Enable-ExchangeCertificate -Services IMAP, POP, UM, IIS, SMTP`,
		`Enable-ExchangeCertificate -Services "SMTP, IMAP, POP, IIS" –force`,
	} {
		b, e, _ := bindLine(t, src, Options{Input: importedCert(), HasInput: true})
		if e != nil {
			t.Fatalf("%s: %s: %s", src, e.ID, e.Message)
		}
		if v, _ := b.Get("Thumbprint"); v != "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567" || b.ParameterSet != "Thumbprint" {
			t.Errorf("%s: %s", src, render(t, b))
		}
	}
}
