$report = @"
Certificate report for $env:COMPUTERNAME
Thumbprint: $($cert.Thumbprint)
Use: "$($cert.Use)"
"@
$template = @'
Set-CsCertificate -Type $Type -Thumbprint $Thumb
'@
$report | Out-File -FilePath C:\Logs\report.txt -Append
