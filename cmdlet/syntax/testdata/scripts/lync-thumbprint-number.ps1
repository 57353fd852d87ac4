# a digit-only or exponent-looking thumbprint is read as a number
Set-CsCertificate -Type Default -Thumbprint 1E10
Set-CsCertificate -Type Default -Thumbprint 1234567890
