ConvertTo-SecureString -String 'x' ` 
    -AsPlainText `
    -Force
