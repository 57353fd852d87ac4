# L2/E3: picking a certificate from the Windows certificate store.
$Name = 'mail'
$cert = Get-ChildItem Cert:\LocalMachine\My | Where-Object FriendlyName -match $Name
Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services IIS
