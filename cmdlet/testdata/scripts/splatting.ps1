# Splatting: a hashtable gives named arguments, an array positional ones.
$p = @{
    Type       = 'Default', 'WebServicesInternal'
    Thumbprint = 'B142918E463981A76503828BB1278391B716280987B'
}
Set-CsCertificate @p

$enableParams = @{
    Thumbprint = 'B142918E463981A76503828BB1278391B716280987B'
    Services   = 'IIS'
    Force      = $true
}
if ($true) { $enableParams.Add('DoNotRequireSsl', $true) }
Enable-ExchangeCertificate @enableParams

$pos = @('global')
Get-CsCertificate @pos -Type Default | Out-Null
