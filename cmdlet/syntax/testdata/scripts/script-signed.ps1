Set-CsCertificate -Type Default -Thumbprint $tp

# SIG # Begin signature block
# MIIbXAYJKoZIhvcNAQcCoIIbTTCCG0kCAQExCzAJBgUrDgMCGgUAMGkGCisGAQQB
# gjcCAQSgWzBZMDQGCisGAQQBgjcCAR4wJgIDAQAABBAfzDtgWUsITrck0sYpfvNR
# SIG # End signature block
