# Import-ExchangeCertificate -FileData <Byte[]> [-Password (...)] [-PrivateKeyExportable <$true or $false>]
<#
  Import-ExchangeCertificate -FileName <path> -Password <SecureString>
#>
Get-ExchangeCertificate | Format-List
