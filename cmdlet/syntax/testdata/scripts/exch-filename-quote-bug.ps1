Import-ExchangeCertificate -FileName" \\FileServer01\Data\Exported Fabrikam Cert.pfx" -Password:(Get-Credential).password
