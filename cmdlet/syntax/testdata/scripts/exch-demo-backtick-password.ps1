$password = ConvertTo-SecureString -String P@ssword `
-AsPlainText `
-Force
Export-ExchangeCertificate –BinaryEncoded:$true -Thumbprint $tp -FileName "C:\export.pfx" -Password $password
