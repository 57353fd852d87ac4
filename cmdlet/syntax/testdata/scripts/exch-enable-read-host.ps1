$varsub = Read-Host "Enter the subject"
$thumbprint = Get-ChildItem -Recurse Cert:\LocalMachine\My | Where { $_.subject -eq $varsub -and $_.NotAfter -gt (Get-Date).AddDays(0) } | Select Thumbprint
Enable-ExchangeCertificate -Thumbprint $thumbprint -Services POP,IMAP,IIS,SMTP
