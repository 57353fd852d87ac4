$pltIpExCert=@{
    FileData = ([Byte[]]$(Get-Content -Path $pfx -Encoding byte -ReadCount 0))
    Password = (Read-Host "Enter Certificate Password" -AsSecureString)
    PrivateKeyExportable = $true
}
Import-ExchangeCertificate @pltIpExCert
Import-ExchangeCertificate -FileName $pfx -Password (get-credential -Credential dummy).password
