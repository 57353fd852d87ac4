# Paths relative to the script, built the way scripts build them.
param(
    [string]$Pfx = 'mail.pfx',
    [string[]]$Services = @('IIS', 'SMTP')
)
$path = Join-Path $PSScriptRoot "..\certs\$Pfx"
if (-not (Test-Path $path)) { throw "missing $path" }
$data = [System.IO.File]::ReadAllBytes($path)
Import-ExchangeCertificate -FileData $data -Password (Get-Credential).Password -OutVariable imported | Out-Null
Enable-ExchangeCertificate -Thumbprint $imported[0].Thumbprint -Services $Services
$other = Get-Content ..\CERTS\IssuedCert.P7B -Encoding Byte -ReadCount 0
Import-ExchangeCertificate -FileData ([Byte[]]$other)
