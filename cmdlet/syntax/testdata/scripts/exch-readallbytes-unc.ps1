Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes('\\server\share\x.pfx')) -Password (ConvertTo-SecureString -String 'Pa$$w0rd' -AsPlainText -Force)
Import-ExchangeCertificate -FileData ([System.IO.File]::ReadAllBytes("C:\Certificates\mail.yourdomain.com.p7b"))
