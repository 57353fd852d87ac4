# PowerShell 2.0 had no $PSScriptRoot: scripts asked $MyInvocation.
$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$pfx = Join-Path $here "..\certs\mail.pfx"
$bytes = [System.IO.File]::ReadAllBytes($pfx)
Import-ExchangeCertificate -FileData $bytes -Password (Get-Credential).Password | Out-Null
Write-Host "Imported $($bytes.Length) bytes from $(Split-Path $pfx -Leaf)"
