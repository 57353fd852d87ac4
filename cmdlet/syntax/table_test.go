package syntax

// parseTests is the master table: each source is parsed, its errors
// compared, its canonical print compared, the print re-parsed and
// re-printed (it must not change), and the sources seed FuzzParse.
// print "" means the canonical print is the source itself (plus "\n").
var parseTests = []struct {
	name  string
	src   string
	print string
	errs  []string // "line:col ID" of every error, in order
}{
	// ---- the seed documents' example lines ----
	{"doc set type", `Set-CsCertificate -Type WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`, "", nil},
	{"doc set type list spaces", `Set-CsCertificate -Type Default, WebServicesInternal, WebServicesExternal -Thumbprint "B142918E463981A76503828BB1278391B716280987B"`, "", nil},
	{"doc roll", `Set-CsCertificate -Type AudioVideoAuthentication -Thumbprint "B142918E463981A76503828BB1278391B716280987B" -Roll -EffectiveDate "7/22/2015 6:00:00 AM"`, "", nil},
	{"doc oauth", "$x = (Get-CsCertificate -Type Default).Thumbprint\nSet-CsCertificate -Identity global -Type OAuthTokenIssuer -Thumbprint $x", "", nil},

	// ---- dashes, quotes and white space from Word ----
	{"en dash parameter", "Import-ExchangeCertificate \u2013FileName $PFXPath", "Import-ExchangeCertificate -FileName $PFXPath", nil},
	{"em dash and horizontal bar", "Get-X \u2014Name a \u2015Force", "Get-X -Name a -Force", nil},
	{"minus sign is not a dash", "Get-X \u2212Name", "", nil},
	{"smart double quotes", "Set-CsCertificate -Thumbprint \u201cAB CD\u201d", `Set-CsCertificate -Thumbprint "AB CD"`, nil},
	{"smart single quotes", "Get-X -Name \u2018it\u2019\u2019s\u2019", "Get-X -Name 'it\u2019\u2019s'", nil},
	{"mismatched smart quotes close", "Get-X \u201ea\u201c", `Get-X "a"`, nil},
	{"nbsp separates", "Get-X\u00a0-Name\u00a0a", "Get-X -Name a", nil},
	{"em space and ideographic space", "Get-X\u2003-Name\u3000a", "Get-X -Name a", nil},
	{"en dash operator", "$a \u2013eq $b \u2013AND $c \u2013MATCH 'x'", "$a -eq $b -and $c -match 'x'", nil},
	{"tab separators", "Get-X\t-Name\ta", "Get-X -Name a", nil},

	// ---- barewords ----
	{"local path", `Import-X -Path c:\certs\a.pfx`, "", nil},
	{"unc path", `Import-X -Path \\srv\share\x.pfx`, "", nil},
	{"unc admin share", `Import-X -FileName '\\EX01\C$\Working\exch-mail.cer'`, "", nil},
	{"cert provider", `Get-ChildItem Cert:\LocalMachine\My`, "", nil},
	{"date bareword", `Set-X -EffectiveDate 7/31/2012`, "", nil},
	{"password bareword", `ConvertTo-SecureString -String P@ssw0rd -AsPlainText -Force`, "", nil},
	{"hash mid bareword", `Get-X a#b #comment`, `Get-X a#b`, nil},
	{"lt mid bareword", `Import-X -path c:\<certificate_file_name>.cer -friendlyname "Contoso CAS01"`, `Import-X -path 'c:\<certificate_file_name>.cer' -friendlyname "Contoso CAS01"`, nil},
	{"bracket bareword", `Enable-ExchangeCertificate -Thumbprint [paste thumbprint here] -Services IIS`, "", nil},
	{"expandable bareword", `Import-X -Path C:\certs\$name.pfx`, `Import-X -Path "C:\certs\$name.pfx"`, nil},
	{"quoted runs join", `Get-X a'b c'"d"`, `Get-X 'ab cd'`, nil},
	{"escaped space", "Get-X a` b", `Get-X 'a b'`, nil},
	{"number bareword", `Set-X -Thumbprint 1E10 -Count 77 -Name 77z -Size 1kb -Hex 0x1F -Neg -5`, "", nil},
	{"dollar alone", `Get-X $ a`, `Get-X '$' a`, nil},

	// ---- parameters ----
	{"colon value", `Set-X -Confirm:$false -PrivateKeyExportable:$true -privatekeyexportable:1`, "", nil},
	{"colon then space", `Set-X -Type: Default`, `Set-X -Type:Default`, nil},
	{"colon array", `Set-X -Type:Default,Internal`, `Set-X -Type:Default, Internal`, nil},
	{"quote inside parameter", `Import-ExchangeCertificate -FileName" \\FileServer01\Data\x.pfx"`, `Import-ExchangeCertificate '-FileName \\FileServer01\Data\x.pfx'`, nil},
	{"equals inside parameter name", `Set-X -Thumbprint=ABC`, "", nil},
	{"parameter with digits", `Get-Content -ReadCount0`, "", nil},
	{"switch then positional", `Set-X -Force $false`, "", nil},
	{"end of parameters", `Set-X -Name a -- -Foo –Bar`, "Set-X -Name a '-Foo' '\u2013Bar'", nil},
	{"second double dash is an argument", `Set-X -- -- -a`, `Set-X '--' '-a'`, nil},
	{"stop parsing", `icacls X:\VMS --% /grant Dom\HVAdmin:(CI)(OI)F | Out-Null`, "", nil},
	{"splat", `Enable-ExchangeCertificate @enableParams -Force`, "", nil},

	// ---- arrays ----
	{"comma list forms", `Set-X -Type Default,WebServicesInternal -T2 Default ,Internal -T3 a , b`, `Set-X -Type Default, WebServicesInternal -T2 Default, Internal -T3 a, b`, nil},
	{"comma newline continues", "Set-X -Type Default,\n  WebServicesInternal -Thumbprint ab", "Set-X -Type Default, WebServicesInternal -Thumbprint ab", nil},
	{"quoted list", `Enable-ExchangeCertificate -Services "SMTP, IMAP, POP, IIS"`, "", nil},
	{"array subexpression", `Set-X -Type @('Default','Internal')`, `Set-X -Type @('Default', 'Internal')`, nil},
	{"expression array", `$servers = "cas2", "cas3"`, "", nil},

	// ---- strings ----
	{"double quote escapes", "Get-X \"a``b `$c `\"d\"\" `t\"", "Get-X \"a``b `$c `\"d`\" `t\"", nil},
	{"single quote no escapes", "Get-X 'a`b $c'", "", nil},
	{"expand variable", `Get-X "CN=$SubjectID"`, "", nil},
	{"expand braced and scoped", `Get-X "${a b}-$env:COMPUTERNAME-$script:x"`, "", nil},
	{"expand subexpression", `Get-X "Set-CsCertificate -type $($Type -Join ',') -Thumbprint $($NewCert.Thumbprint)"`, `Get-X "Set-CsCertificate -type $($Type -join ',') -Thumbprint $($NewCert.Thumbprint)"`, nil},
	{"member not expanded in string", `Get-X "$cert.Thumbprint"`, "", nil},
	{"here-string literal", "$s = @'\nline 1\n'quoted' $x\n'@\nGet-X", "$s = \"line 1`n'quoted' `$x\"\nGet-X", nil},
	{"here-string expandable", "$s = @\"\nHello $name\n\"@", "$s = \"Hello $name\"", nil},
	{"empty here-string", "$s = @'\n'@", "$s = ''", nil},
	{"here-string smart quotes", "$s = @\u201c\nx\n\u201d@", "$s = \"x\"", nil},
	{"string with newline", "Get-X 'a\nb'", "Get-X \"a`nb\"", nil},

	// ---- comments ----
	{"line comment", "# Assign the certificate\nGet-X # trailing", "Get-X", nil},
	{"block comment", "<# multi\nline #>Get-X <# inline #> -Name a", "Get-X -Name a", nil},
	{"requires", "#requires -Version 3.0\nGet-X", "Get-X", nil},
	{"signature block", "Get-X\n# SIG # Begin signature block\n# MIIa\n# SIG # End signature block\n", "Get-X", nil},

	// ---- continuation ----
	{"backtick continuation", "ConvertTo-SecureString -String P@ssword `\n-AsPlainText `\r\n-Force", "ConvertTo-SecureString -String P@ssword -AsPlainText -Force", nil},
	{"backtick after pipe", "Get-X -Server $c | `\n  Enable-Y", "Get-X -Server $c | Enable-Y", nil},
	{"natural continuation after pipe", "Get-X |\n\n  Enable-Y", "Get-X | Enable-Y", nil},
	{"trailing space breaks continuation", "Get-X -Name a ` \n-Force", "Get-X -Name a\n& '-Force'", nil},
	{"semicolons", "Get-X -Path $p ;start-Sleep -Seconds 5; ;", "Get-X -Path $p\nstart-Sleep -Seconds 5", nil},
	{"crlf lines", "Get-X\r\nGet-Y\r\n", "Get-X\nGet-Y", nil},

	// ---- expressions ----
	{"paren member", `Import-X -Password (Get-Credential).password`, "", nil},
	{"paren pipeline member", `$t = (Get-ChildItem -Path $CertStore | Where-Object {$_.Subject -contains "CN=$SubjectID"}).Thumbprint`, `$t = (Get-ChildItem -Path $CertStore | Where-Object { $_.Subject -contains "CN=$SubjectID" }).Thumbprint`, nil},
	{"static call", `Import-X -FileData ([System.IO.File]::ReadAllBytes('C:\a.pfx'))`, "", nil},
	{"cast subexpression", `Import-X -FileData ([Byte[]] $(Get-Content -Path "$($CertFilePath)" -Encoding Byte -ReadCount 0))`, `Import-X -FileData ([Byte[]]$(Get-Content -Path "$($CertFilePath)" -Encoding Byte -ReadCount 0))`, nil},
	{"method call", `$d = (Get-Date).AddDays(-30)`, "", nil},
	{"method call args newline", "$x.Replace(\n 'a',\n 'b')", "$x.Replace('a', 'b')", nil},
	{"index", `$a[0] = $b[-1]`, "", nil},
	{"hashtable", "$p = @{\n  Force = $true\n  'Do Not' = 1; Path = \"x\"\n}", `$p = @{Force = $true; 'Do Not' = 1; Path = "x"}`, nil},
	{"hashtable add", `$enableParams.Add('DoNotRequireSsl', $true)`, "", nil},
	{"precedence", `$a = 1 + 2 * 3 -gt 4 -and -not $b`, "", nil},
	{"range and format", `$a = 1..10; "{0}" -f $a`, "$a = 1..10\n\"{0}\" -f $a", nil},
	{"unary minus", `$a = - -1`, "", nil},
	{"increment", `$i++; ++$j; $k--`, "$i++\n++$j\n$k--", nil},
	{"script block argument", `Get-X | % { $_.Name }`, "", nil},
	{"where alias", `Get-CsCertificate | ?{$_.Use -eq "Default"}`, `Get-CsCertificate | ? { $_.Use -eq "Default" }`, nil},
	{"not operator forms", `!$a; -not $b`, "!$a\n-not $b", nil},
	{"assignment ops", `$a += 1; $b -= 2`, "$a += 1\n$b -= 2", nil},
	{"redirection", `Get-X > out.txt 2>&1`, "", nil},
	{"call operator", `& $cmd -Name a; & "C:\Program Files\x.exe" /q`, "& $cmd -Name a\n& \"C:\\Program Files\\x.exe\" /q", nil},
	{"dot source", `. .\helpers.ps1`, "", nil},
	{"relative script", `.\Update-Cert.ps1 -Pool pool01; ..\x.ps1`, ".\\Update-Cert.ps1 -Pool pool01\n..\\x.ps1", nil},
	{"script block attributes", "function Foo {\n  [CmdletBinding()]\n  param($a)\n  $a\n}", "function Foo { [CmdletBinding()]param($a) $a }", nil},
	{"type literal alone", `[CmdletBinding()]
param($a)
$a`, "[CmdletBinding()]param($a)\n$a", nil},
	{"split join", `$s = $x -split ', '; -join $a`, "$s = $x -split ', '\n-join $a", nil},

	// ---- control flow ----
	{"foreach", "foreach($Server in $TargetServer) {\n  Import-X -Server $Server\n}", "foreach ($Server in $TargetServer) { Import-X -Server $Server }", nil},
	{"if elseif else across lines", "if ($a) {\n 1\n}\nelseif ($b) { 2 }\nelse\n{ 3 }", "if ($a) { 1 } elseif ($b) { 2 } else { 3 }", nil},
	{"try catch finally", "try { Set-X } catch [System.Management.Automation.ParameterBindingException], [System.Exception] { $_ }\nfinally { Y }", "try { Set-X } catch [System.Management.Automation.ParameterBindingException], [System.Exception] { $_ } finally { Y }", nil},
	{"function params", "function Update-Cert([string]$Type, $Thumb) {\n Set-CsCertificate -Type $Type -Thumbprint $Thumb\n}", "function Update-Cert { param([string]$Type, $Thumb) Set-CsCertificate -Type $Type -Thumbprint $Thumb }", nil},
	{"for while do", "for ($i=0; $i -lt 3; $i++) { $i }\nwhile ($true) { break }\ndo { $n-- } until ($n -le 0)", "for ($i = 0; $i -lt 3; $i++) { $i }\nwhile ($true) { break }\ndo { $n-- } until ($n -le 0)", nil},
	{"return throw exit", "function f { return 1 }\nthrow \"bad\"\nexit", "function f { return 1 }\nthrow \"bad\"\nexit", nil},
	{"ForEach-Object", "$servers | ForEach-Object { Enable-X -Server $_ -Force }", "", nil},
	{"keyword after pipe is a command", "$a | foreach { $_ }", "", nil},
	{"file param block", "param(\n  [Parameter(Mandatory=$true)]\n  [string]$Thumbprint,\n  $Type = 'Default'\n)\nSet-CsCertificate -Type $Type -Thumbprint $Thumbprint", "param([Parameter(Mandatory=$true)][string]$Thumbprint, $Type = 'Default')\nSet-CsCertificate -Type $Type -Thumbprint $Thumbprint", nil},

	// ---- errors: PowerShell's ids at PowerShell's positions ----
	{"unterminated double", `Set-CsCertificate -Thumbprint "ABC`, "", []string{"1:31 TerminatorExpectedAtEndOfString"}},
	{"unterminated single", `Set-X -Name 'abc`, "", []string{"1:13 TerminatorExpectedAtEndOfString"}},
	{"missing close brace", "$x = Get-CsCertificate | Where-Object {$_.Thumbprint \u2013eq \"B142\"", "", []string{"1:39 MissingEndCurlyBrace"}},
	{"missing close paren", "Set-X -Password (Get-Credential", "", []string{"1:32 MissingEndParenthesisInExpression"}},
	{"missing close subexpression", `$a = $(Get-X`, "", []string{"1:13 MissingEndParenthesisInSubexpression"}},
	{"placeholder lt", `Set-CsCertificate -Type Default -Thumbprint <Thumbprint of certificate to use>`, "", []string{"1:45 RedirectionNotSupported"}},
	{"placeholder path", `import-exchangecertificate -path <path>`, "", []string{"1:34 RedirectionNotSupported"}},
	{"comma after parameter", `Set-X -Type ,Default`, "", []string{"1:13 MissingArgument"}},
	{"colon without value", "Set-X -Type:\nGet-Y", "", []string{"1:7 ParameterRequiresArgument"}},
	{"trailing comma", "Set-X -Type Default,", "", []string{"1:21 MissingExpression"}},
	{"empty pipe element", "Get-X | | Set-Y", "", []string{"1:9 EmptyPipeElement"}},
	{"pipe at end", "Get-X |", "", []string{"1:8 EmptyPipeElement"}},
	{"unterminated block comment", "Get-X <# never closed", "", []string{"1:7 MissingTerminatorMultiLineComment"}},
	{"here-string header junk", "$s = @\" junk\nx\n\"@", "", []string{"1:9 UnexpectedCharactersAfterHereStringHeader"}},
	{"here-string indented footer", "$s = @'\nx\n  '@", "", []string{"1:6 WhitespaceBeforeHereStringFooter"}},
	{"here-string unterminated", "$s = @'\nx", "", []string{"1:6 TerminatorExpectedAtEndOfString"}},
	{"backtick at end", "Get-X `", "", []string{"1:7 IncompleteString"}},
	{"bad variable", "$a = $ + 1", "", []string{"1:6 InvalidVariableReference"}},
	{"unexpected token", `$x = 1 2`, "", []string{"1:8 UnexpectedToken"}},
	{"wrapped doc line", "Set-CsCertificate -Type OAuthTokenIssuer -Thumbprint\n\"B142\" -Roll -EffectiveDate \"7/21/2015 1:00:00 PM\"", "", []string{"2:8 UnexpectedToken"}},
	{"unexpected close", "Get-X }\n)", "", []string{"1:7 UnexpectedToken", "2:1 UnexpectedToken"}},
	{"every error in one pass", "Set-X -Type ,a\nGet-Y 'x\n", "", []string{"1:13 MissingArgument", "2:7 TerminatorExpectedAtEndOfString"}},
	{"pipeline chain not in 5.1", "Get-X && Get-Y", "", []string{"1:7 InvalidEndOfLine"}},
	{"ampersand argument", "Get-X a & b", "", []string{"1:9 AmpersandNotAllowed"}},
	{"call with nothing", "&", "", []string{"1:2 MissingExpression"}},
	{"expression after pipe", "Get-X | $a", "", []string{"1:9 ExpressionsMustBeFirstInPipeline"}},
	{"splat in expression", "$a = @b", "", []string{"1:6 SplattingNotPermitted"}},
	{"missing operand", "$a -eq", "", []string{"1:7 ExpectedValueExpression"}},
	{"missing file after redirect", "Get-X >", "", []string{"1:8 MissingFileSpecification"}},
	{"try without catch", "try { x }", "", []string{"1:10 MissingCatchOrFinally"}},
	{"if without block", "if ($a) Get-X", "", []string{"1:8 MissingStatementBlock", "1:9 UnexpectedToken"}},
	{"quote in a type name", "{A([(')])$}", "", []string{"1:1 MissingEndCurlyBrace", "1:5 MissingTypename", "1:5 UnexpectedToken", "1:6 TerminatorExpectedAtEndOfString", "1:12 MissingEndParenthesisInExpression"}},
	{"unterminated attribute argument", "function f { param([Parameter(HelpMessage='x)]$a) }", "", []string{"1:12 MissingEndCurlyBrace", "1:20 TerminatorExpectedAtEndOfString", "1:52 UnexpectedToken", "1:52 MissingEndParenthesisInFunctionParameterList"}},
	{"attribute argument with bracket", "function f { param([Parameter(HelpMessage='a ] b')]$a) $a }", "", nil},
	{"hashtable missing equals", "$h = @{ a 1 }", "", []string{"1:10 MissingEqualsInHashLiteral"}},
}
