# Exchange: import a PFX and enable it, written the way real scripts are:
# backtick continuations, en dashes pasted from Word, FileData from Get-Content.
Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn
$password = ConvertTo-SecureString -String "Canary-Pa55w0rd!" `
  -AsPlainText `
  –Force
$fileData = [Byte[]](Get-Content -Path C:\Certs\mail.pfx -Encoding Byte -ReadCount 0)
Import-ExchangeCertificate -FileData $fileData `
    -Password $password `
    -PrivateKeyExportable $true `
    -Server $env:COMPUTERNAME

Import-ExchangeCertificate –FileName C:\Certs\mail.pfx -Password $password -PrivateKeyExportable:$true -Confirm:$false | Enable-ExchangeCertificate -Services IIS,SMTP –force

$cert = Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('\\FileServer01\Data\Exported Fabrikam Cert.pfx')) -Password (Get-Credential -UserName 'pfx' -Message 'PFX password').Password
Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services "SMTP, IMAP, POP, IIS" -Force
