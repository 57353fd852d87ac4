$pfxPassword =
Import-ExchangeCertificate -FileName C:\c.pfx -Password $pfxPassword
