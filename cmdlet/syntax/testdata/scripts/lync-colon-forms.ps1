Set-CsCertificate -Type:Default,Internal -Thumbprint: $tp -Confirm:$false -WhatIf:$true -Verbose:$VerbosePreference
