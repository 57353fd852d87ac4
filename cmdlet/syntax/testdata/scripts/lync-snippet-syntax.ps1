Set-CsCertificate -Type Internal,External,Default -Thumbprint $tp -Report C:\Logs\Certificates.html
Set-CsCertificate -Type Default -Thumbprint $tp -EffectiveTime "7/31/2012 8:00 AM"
