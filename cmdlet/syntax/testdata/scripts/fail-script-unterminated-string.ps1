Set-CsCertificate -Type Default -Thumbprint "B142918E463981A76503828BB1278391B716280987B
Set-CsCertificate -Type Internal -Thumbprint $tp
