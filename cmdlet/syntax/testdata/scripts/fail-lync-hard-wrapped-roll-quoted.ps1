Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint
"B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveDate "7/22/2015 6:00:00 AM"
