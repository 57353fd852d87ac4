Import-ExchangeCertificate -Path "C:\certificates\mail.contoso.com.cer" | Enable-ExchangeCertificate -Services "SMTP, IMAP, POP, IIS"
Import-ExchangeCertificate -path C:\Certificate\x.pfx | Enable-ExchangeCertificate -Services IMAP, POP, UM, IIS, SMTP
