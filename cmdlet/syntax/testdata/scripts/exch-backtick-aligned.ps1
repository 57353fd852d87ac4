$fileData = [Byte[]](Get-Content -Path $pfxPath -Encoding Byte -ReadCount 0)
Import-ExchangeCertificate `
    -Server $ComputerName `
    -FileData $fileData `
    -Password $pfxPassword `
    -PrivateKeyExportable $true
