# certledger's bundled example: a front end's certificate history, as an
# administrator pasted it over the years. `make run` executes it against a
# throw-away store, with c:\certificates mapped to freshly generated files.

# The seed lines, exactly as the cmdlet help prints them. The help's
# thumbprint was never imported here, so certledger records it as unknown.
Set-CsCertificate -Type WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"
Set-CsCertificate -Type Default, WebServicesInternal, WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"
Import-ExchangeCertificate -Path c:\certificates\import.pfx -Password:(Get-Credential).password
Import-ExchangeCertificate -Path c:\certificates\import.p7b

# Pasted from a Word document: en dashes and a backtick continuation.
$new = Import-ExchangeCertificate –Path c:\certificates\import.pfx `
    -Password:(Get-Credential).password
Set-CsCertificate –Type Default, WebServicesInternal -Thumbprint $new.Thumbprint

# The OAuth certificate is global; its successor is staged for a future date
# with -Roll: the current one stays in force until then.
Set-CsCertificate -Identity Global -Type OAuthTokenIssuer -Thumbprint $new.Thumbprint
$next = Import-ExchangeCertificate -Path c:\certificates\next\import.pfx -Password:(Get-Credential).password
Set-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $next.Thumbprint -Roll -EffectiveDate (Get-Date).AddDays(30)
