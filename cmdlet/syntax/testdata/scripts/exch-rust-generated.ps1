Import-ExchangeCertificate -FileName 'C:\Temp\x.pfx' -Password (ConvertTo-SecureString 'It''s-secret' -AsPlainText -Force) -PrivateKeyExportable $true
