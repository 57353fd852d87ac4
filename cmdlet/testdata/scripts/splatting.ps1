# Splatting: a hashtable gives named arguments, an array positional ones.
$p = @{
    Type       = 'Default', 'WebServicesInternal'
    Thumbprint = 'B142918E463981A76503828BB1278391B716280987B'
}
Set-CsCertificate @p

$enableParams = @{
    Thumbprint = 'B142918E463981A76503828BB1278391B716280987B'
    Services   = 'IIS'
}
$enableParams.Add('Force', $true)
Enable-ExchangeCertificate @enableParams

# Changed only on some runs: check cannot bind it, a run can.
if ($env:NO_SSL) { $enableParams.Add('DoNotRequireSsl', $true) }
Enable-ExchangeCertificate @enableParams

$pos = @('global')
Get-CsCertificate @pos -Type Default | Out-Null
