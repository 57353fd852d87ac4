# The Set-CsCertificate seed's examples, as pasted from TechNet.
Set-CsCertificate -Type WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"

Set-CsCertificate -Type Default, WebServicesInternal, WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"

# The -Reference description's example (en dash, closing brace restored).
$x = Get-CsCertificate | Where-Object {$_.Thumbprint –eq "B142918E463981A76503828BB1278391B716280987B"}
Set-CsCertificate -Reference $x -Type Default -Report C:\Logs\Certificates.html
