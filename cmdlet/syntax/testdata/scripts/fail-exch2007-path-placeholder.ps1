import-exchangecertificate -path <path>
