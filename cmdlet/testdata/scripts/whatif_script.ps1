# Run with the host's WhatIf: nothing is carried out.
Set-CsCertificate -Type Default -Thumbprint "B142918E463981A76503828BB1278391B716280987B"
Set-CsCertificate -Type Internal -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -WhatIf
