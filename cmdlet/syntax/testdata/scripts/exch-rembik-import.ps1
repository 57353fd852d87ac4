$secPFXPassword = ConvertTo-SecureString -String $PFXPassword -AsPlainText -Force
Import-ExchangeCertificate –FileName $PFXPath -PrivateKeyExportable:$true -Password $secPFXPassword -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable ImportError
Enable-ExchangeCertificate -Thumbprint $newThumbprint -Services "SMTP,IMAP,POP,IIS" -Force
