Remove-CsCertificate -Type AudioVideoAuthentication -Previous
Remove-CsCertificate -Type OAuthTokenIssuer -Previous
