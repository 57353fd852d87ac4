# A PFX that is not there: PowerShell's error, with the position.
$bytes = Get-Content -Path C:\Certs\nothere.pfx -Encoding Byte -ReadCount 0
Import-ExchangeCertificate -FileData ([Byte[]]$bytes)
