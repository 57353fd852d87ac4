import-exchangecertificate -path c:\<certificate_file_name>.cer -friendlyname "Contoso CAS01"
