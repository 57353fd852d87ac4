$TargetServer = "cas2","cas3","cas4"
$filedata = Get-Content -Path c:\cert.pfx -Encoding Byte -ReadCount 0
$cert = Import-ExchangeCertificate -FileData ([Byte[]]$filedata) -Password $password -Server cas2
foreach($Server in $TargetServer) {
    Import-ExchangeCertificate -FileData $cert.FileData -Password $password -Server $Server
    Enable-ExchangeCertificate -Thumbprint $cert.Thumbprint -Services IIS -Server $Server -Confirm:$false -Force
}
