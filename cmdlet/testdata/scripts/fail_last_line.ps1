# Two good lines, then a typo on the last line: Run must return the error.
Set-CsCertificate -Type Default -Thumbprint "B142918E463981A76503828BB1278391B716280987B"
Set-CsCertificate -Type WebServicesInternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"
Set-CsCertificate -Type WebServicesExternal -Thumbprnt "B142918E463981A76503828BB1278391B716280987B"
