$tries = 0
do {
    $tries++
    $ok = $true
    try { Enable-ExchangeCertificate -Thumbprint $tp -Services IIS -Force -ErrorAction Stop }
    catch { $ok = $false; Start-Sleep -Seconds 5 }
} until ($ok -or $tries -ge 3)
while ($false) { break }
for ($n = 0; $n -lt $servers.Count; $n++) { Write-Output $servers[$n] }
