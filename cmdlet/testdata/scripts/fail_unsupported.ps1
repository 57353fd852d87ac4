# A command certledger does not run stops the script: never skipped.
Set-CsCertificate -Type Default -Thumbprint "B142918E463981A76503828BB1278391B716280987B"
Export-ExchangeCertificate -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -BinaryEncoded:$true
