# Staging an OAuth and A/V certificate roll-over (Lync 2013 / SfB docs).
Import-Module Lync
$x = (Get-CsCertificate -Type Default).Thumbprint
Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x

$when = "7/22/2015 6:00:00 AM"
Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveDate $when
Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveTime "7/21/2015 1:00:00 PM" -identity Global
Remove-CsCertificate -Type AudioVideoAuthentication -Previous
Write-Host "Staged; old certificates removed after $when"
