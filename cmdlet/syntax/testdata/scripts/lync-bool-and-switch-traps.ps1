# -Force $false leaves $false positional; the binder reports it
Set-CsCertificate -Type Default -Thumbprint $tp -Force $false
Import-CsCertificate -Path C:\c.pfx -PrivateKeyExportable true
