New-ExchangeCertificate –generaterequest –subjectname "c=US, o=Contoso, cn=mail.contoso.com" –privatekeyexportable:1 -keysize 2048 –path c:\certrequest.txt
