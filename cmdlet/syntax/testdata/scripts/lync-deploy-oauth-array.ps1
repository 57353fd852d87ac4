[array]$Uses = "OAuthTokenIssuer"
$cert = Get-ChildItem Cert:\LocalMachine\My | Where-Object FriendlyName -match $Name
Set-CsCertificate -Identity Global -Type $Uses -Thumbprint $cert.Thumbprint -Confirm:$false | Out-Null
Request-CsCertificate -List | Where-Object CertificateUses -match $Name
