# The handler refuses the password; the error names the command.
$pw = ConvertTo-SecureString -String 'not-the-password' -AsPlainText -Force
Import-ExchangeCertificate -FileName C:\Certs\mail.pfx -Password $pw
