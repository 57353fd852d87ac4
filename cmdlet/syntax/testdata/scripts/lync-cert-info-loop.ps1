foreach ($cert in (Get-CsCertificate | ?{$_.Use -eq "Default"})) {
    "{0} {1} {2}" -f $cert.Use, $cert.NotAfter, $cert.Thumbprint
    if ($cert.NotAfter -lt (Get-Date).AddDays(30)) { Write-Warning "$($cert.Subject) expires soon" }
}
