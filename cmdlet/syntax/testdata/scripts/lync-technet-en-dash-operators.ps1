$x = Get-CsCertificate | Where-Object {$_.Thumbprint –eq "B142918E463981A76503828BB1278391B716280987B"}
Get-CsCertificate | Where-Object {$_.Use –match "WebServices"}
