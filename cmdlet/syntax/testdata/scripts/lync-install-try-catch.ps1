$Thumbprint = (Get-ChildItem -Path $CertStore | Where-Object {$_.Subject -contains "CN=$SubjectID"}).Thumbprint
try {
    Set-CsCertificate -type $CertType -thumbprint $Thumbprint -Report $AssignCertLogFile
}
catch {
    Write-Error "Assignment failed: $_"
    exit 1
}
