Import-ExchangeCertificate -FileName C:\c.pfx -PrivateKeyExportable <$true | $false>
