Import-ExchangeCertificate -FileName $pfx -Password $pw -Server $ComputerName | `
 Exchange-Certificate -Services IIS
