Set-CsCertificate -Identity Global -Type OAuthTokenIssuer -Thumbprint
B142918E463981A76503828BB1278391B716280987B -Roll -EffectiveDate "7/21/2015 1:00:00 PM"
