param([string[]]$Type = @('Default'), $NewCert)
$old = (get-cscertificate -Type $Type -verbose:$false).Thumbprint
$line = "Set-CsCertificate -type $($Type -Join ',') -Thumbprint $($NewCert.Thumbprint) -confirm"
$line | Clip
Write-Host "Old: $old`nNew: $($NewCert.Thumbprint)"
