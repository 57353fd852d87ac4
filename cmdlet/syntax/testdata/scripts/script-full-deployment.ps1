#requires -Version 3.0
<#
.SYNOPSIS
  Rolls the Edge A/V certificate on every pool.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory=$true)]
    [string]$Thumbprint,
    [string[]]$Pools = @("pool01", "pool02"),
    [datetime]$Effective = (Get-Date).AddHours(8)
)

function Write-Step([string]$Text) {
    Write-Host ("[{0:HH:mm}] {1}" -f (Get-Date), $Text)
}

$i = 0
foreach ($pool in $Pools) {
    $i++
    Write-Step "Pool $i of $($Pools.Count): $pool"
    try {
        Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint $Thumbprint -Roll -EffectiveDate $Effective.ToString('M/d/yyyy h:mm:ss tt')
    } catch [System.Management.Automation.ParameterBindingException] {
        Write-Warning $_.Exception.Message
        continue
    } finally {
        Write-Step "done"
    }
}
