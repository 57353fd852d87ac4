Import-ExchangeCertificate -Path $pfxpath -Password:$password.password -Server $servername ;start-Sleep -Seconds $startsleep
