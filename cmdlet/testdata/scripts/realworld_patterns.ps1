# Patterns from real certificate scripts (reference §5: L1-L6, E1-E8).
$ErrorActionPreference = "Stop"
Import-Module "C:\Program Files\Common Files\Microsoft Lync Server 2013\Modules\Lync\Lync.psd1"

# L1/L5: the thumbprint of the Default certificate, then a paste-ready line.
$Type = @("Default", "WebServicesInternal", "WebServicesExternal")
$Thumbprint = (Get-CsCertificate -Type Default -Verbose:$false).Thumbprint
Set-CsCertificate -type $Type -Thumbprint $Thumbprint -confirm:$false | Out-Null
Write-Host "Set-CsCertificate -type $($Type -Join ',') -Thumbprint $Thumbprint -confirm"

# L6 and the SfB docs: listing certificates.
Get-CsCertificate | ?{$_.Use -eq "Default"} | ForEach-Object { Write-Host "$($_.Use): $($_.SerialNumber)" }
Get-CsCertificate | Select-Object Use, SerialNumber | Sort-Object Use -Descending | Format-Table
Get-CsCertificate -Type Default | Select-Object -ExpandProperty AlternativeNames

# E1: FileName with an en dash, colon-bound switches, ErrorVariable.
$PFXPath = "C:\Certs\mail.pfx"
$secPFXPassword = (Get-Credential -UserName pfx -Message "PFX password").Password
$cert = Import-ExchangeCertificate –FileName $PFXPath -PrivateKeyExportable:$true -Password $secPFXPassword -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable ImportError
if ($ImportError) { throw "Import failed: $ImportError" }
Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services "SMTP,IMAP,POP,IIS" -Force

# E4: services from a list, -EA alias.
$ExchangeServices = ('IIS, SMTP' -split ', ')
Enable-ExchangeCertificate -Services $ExchangeServices -Thumbprint $cert.Thumbprint -Force -EA Stop -Verbose:$false

# E2/E5: FileData from Get-Content, the password from a credential, ';' chaining.
Import-ExchangeCertificate -FileData ([Byte[]]$(Get-Content -Path "$($PFXPath)" -Encoding Byte -ReadCount 0)) -Password:$secPFXPassword -Server $env:COMPUTERNAME ;Start-Sleep -Seconds 2
