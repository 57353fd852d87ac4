# Pick a certificate object, then assign it with -Reference.
$cert = Get-CsCertificate | ?{$_.Use -eq "Default"} | Select-Object -First 1
Set-CsCertificate -Reference $cert -Type WebServicesInternal

# Simplified Where-Object, then the object flows down the pipeline.
Get-CsCertificate | Where-Object Use -eq 'OAuthTokenIssuer' | Set-CsCertificate -Type OAuthTokenIssuer -Identity global

Get-CsCertificate | Where-Object {$_.NotAfter -gt (Get-Date).AddDays(30) -and $_.Use -like 'WebServices*'} | Select-Object -ExpandProperty Thumbprint
