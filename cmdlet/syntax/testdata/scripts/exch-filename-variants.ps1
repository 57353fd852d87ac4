$cert = Import-ExchangeCertificate -FileName "c:\automation\cert.pfx" -PrivateKeyExportable $true
Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services SMTP -Force
Import-ExchangeCertificate -FileName '\\EX01\C$\Working\exch-mail.cer' -Password (ConvertTo-SecureString -String "!Qaz@Wsx" -AsPlainText -Force)
Import-ExchangeCertificate -FileName 'C:\certs\certificat.pfx' -PrivateKeyExportable $true `
  -Password (Get-Credential -UserName 'pfx' -Message 'PFX password').Password
