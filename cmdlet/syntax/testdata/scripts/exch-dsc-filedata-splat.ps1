$cert = Import-ExchangeCertificate -FileData ([Byte[]] $(Get-Content -Path "$($CertFilePath)" -Encoding Byte -ReadCount 0)) -Password:$CertCreds.Password -Server $env:COMPUTERNAME
$enableParams = @{
    Server     = $env:COMPUTERNAME
    Services   = $Services
    Thumbprint = $cert.Thumbprint
    Force      = $true
}
if ($DoNotRequireSsl) {
    $enableParams.Add('DoNotRequireSsl', $true)
}
Enable-ExchangeCertificate @enableParams
