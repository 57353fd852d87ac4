# Import the same PFX on every CAS and enable it (a loop over servers).
$TargetServer = "cas2","cas3","cas4"
$password = (Get-Credential -UserName pfx).Password
$filedata = Get-Content -Path C:\Certs\mail.pfx -Encoding Byte -ReadCount 0
foreach ($Server in $TargetServer) {
    $c = Import-ExchangeCertificate -FileData ([Byte[]]$filedata) -Password $password -Server $Server
    Enable-ExchangeCertificate -Thumbprint $c.Thumbprint -Services IIS -Server $Server -Confirm:$false -Force
    Write-Host "Enabled $($c.Thumbprint) on $Server"
}
