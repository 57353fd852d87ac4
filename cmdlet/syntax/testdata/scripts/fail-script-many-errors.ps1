Set-CsCertificate -Type ,Default -Thumbprint $tp
Set-CsCertificate -Type:
Get-CsCertificate | | Out-Null
Import-ExchangeCertificate -FileData (Get-Content -Path $p
