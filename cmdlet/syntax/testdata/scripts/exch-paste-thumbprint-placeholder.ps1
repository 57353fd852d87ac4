Enable-ExchangeCertificate -Thumbprint [paste thumbprint here] -Services IIS
