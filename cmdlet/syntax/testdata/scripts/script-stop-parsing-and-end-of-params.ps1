icacls C:\certs --% /grant "Domain Admins":(OI)(CI)F
Set-CsCertificate -Type Default -Thumbprint $tp -- -NotAParameter
