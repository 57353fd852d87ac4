Set-CsCertificate	-Type Default `
	-Thumbprint $tp
Get-CsCertificate	|	Format-Table
