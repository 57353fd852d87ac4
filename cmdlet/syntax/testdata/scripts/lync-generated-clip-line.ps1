# Pasted from the line Update-SfbCertificate.ps1 put on the clipboard
Set-CsCertificate -type Default,WebServicesInternal,WebServicesExternal -Thumbprint 0A1B2C3D4E5F60718293A4B5C6D7E8F901234567 -confirm
