# Import every PFX of a folder and enable each on IIS.
$password = (Get-Credential -UserName pfx).Password
Get-ChildItem -Path C:\Certs\bulk -Filter *.pfx | ForEach-Object {
    $data = [System.IO.File]::ReadAllBytes($_.FullName)
    $c = Import-ExchangeCertificate -FileData $data -Password $password -FriendlyName $_.BaseName
    Enable-ExchangeCertificate -Thumbprint $c.Thumbprint -Services IIS -Force
}
foreach ($f in (dir C:\Certs\bulk\*.pfx)) { Import-ExchangeCertificate -FileName $f.FullName -Password $password | Out-Null }
