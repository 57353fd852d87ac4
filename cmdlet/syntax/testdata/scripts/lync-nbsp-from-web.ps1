Set-CsCertificate -Type Internal,External -Thumbprint $tp
