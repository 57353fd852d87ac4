# Assign certificates per server role: a legacy admin script built on switch.
$Servers = @(
    @{ Name = 'atl-edge-001.litwareinc.com'; Role = 'Edge' },
    @{ Name = 'atl-fe-001.litwareinc.com';   Role = 'FrontEnd' },
    @{ Name = 'atl-med-001.litwareinc.com';  Role = 'Mediation' },
    @{ Name = 'atl-dir-001.litwareinc.com';  Role = 'Director' }
)
$Thumbprint = "0A1B2C3D4E5F60718293A4B5C6D7E8F901234567"

foreach ($Server in $Servers) {
    $Types = switch –Wildcard ($Server.Role) {
        'Edge'       { 'AccessEdgeExternal', 'DataEdgeExternal', 'AudioVideoAuthentication'; break }
        'FrontEnd'   { 'Default', 'WebServicesInternal', 'WebServicesExternal' }
        'Front*'     { 'OAuthTokenIssuer' }
        'Director'   { continue }
        default      { 'Default' }
    }
    if ($Types -eq $null) {
        Write-Host "Skipping $($Server.Name)"
        continue
    }
    Set-CsCertificate -Identity $Server.Name -Type $Types -Thumbprint $Thumbprint -Confirm:$false
    Write-Host "$($Server.Role): $($Types -join ', ')"
}

# One switch over a list: each matching clause runs for each element.
switch -Regex ('WebServicesInternal', 'OAuthTokenIssuer') {
    '^WebServices' { Set-CsCertificate -Type $_ -Thumbprint $Thumbprint -Roll -EffectiveDate "7/22/2015 6:00:00 AM" }
    'Token'        { Set-CsCertificate -Type $_ -Thumbprint $Thumbprint -Roll -EffectiveDate "7/23/2015 6:00:00 AM" }
}
