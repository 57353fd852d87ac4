package bind

// The metadata of the cmdlets certledger binds. Sources and the choices
// made where they are silent are in docs/binding.md; the reference is
// ../shared/reference/powershell-and-cmdlets.md §1–§3.

// Types.
var (
	tString       = &Type{Name: "System.String", Kind: KindString}
	tStringArray  = &Type{Name: "System.String[]", Kind: KindStringArray}
	tMultiValued  = &Type{Name: "Microsoft.Exchange.Data.MultiValuedProperty`1[Microsoft.Exchange.Data.SmtpDomainWithSubdomains]", Kind: KindStringArray}
	tSwitch       = &Type{Name: "System.Management.Automation.SwitchParameter", Kind: KindSwitch}
	tBool         = &Type{Name: "System.Boolean", Kind: KindBool}
	tDateTime     = &Type{Name: "System.DateTime", Kind: KindDateTime}
	tSecureString = &Type{Name: "System.Security.SecureString", Kind: KindSecureString}
	tBytes        = &Type{Name: "System.Byte[]", Kind: KindBytes}
	tInt32        = &Type{Name: "System.Int32", Kind: KindString} // only OutBuffer; see convert.go
	tFqdn         = &Type{Name: "Microsoft.Exchange.Data.Fqdn", Kind: KindIdentity}
	tXdsIdentity  = &Type{Name: "Microsoft.Rtc.Management.Xds.XdsIdentity", Kind: KindIdentity}
	tServerID     = &Type{Name: "Microsoft.Exchange.Configuration.Tasks.ServerIdParameter", Kind: KindIdentity}
	tExchCertID   = &Type{Name: "Microsoft.Exchange.Configuration.Tasks.ExchangeCertificateIdParameter", Kind: KindIdentity}
	tActionPref   = &Type{Name: "System.Management.Automation.ActionPreference", Kind: KindEnum, Enum: actionPreference}
	tCertRef      = &Type{Name: "Microsoft.Rtc.Management.Deployment.CertificateReference", Kind: KindObject,
		Accepts: []string{"Microsoft.Rtc.Management.Deployment.CertificateReference"}}
	tX509 = &Type{Name: "System.Security.Cryptography.X509Certificates.X509Certificate2", Kind: KindObject,
		Accepts: []string{"System.Security.Cryptography.X509Certificates.X509Certificate2",
			"Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate"}}
	tCertTypes       = &Type{Name: "Microsoft.Rtc.Management.Deployment.CertType[]", Kind: KindEnumArray, Enum: certType}
	tAllowedServices = &Type{Name: "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedServices", Kind: KindEnum, Enum: allowedServices}
)

// certType is Microsoft.Rtc.Management.Deployment.CertType: the 21-name
// union of every release's documentation. Neither its declaration order nor
// its numeric values are published; the order here is alphabetical (as the
// current Import-CsCertificate help lists them) and the values are that
// order's indexes. Whether it is [Flags] is unknown; it is taken as not.
var certType = &Enum{
	Name: "Microsoft.Rtc.Management.Deployment.CertType",
	Values: []EnumValue{
		{Name: "AccessEdgeExternal", Value: 0},
		{Name: "AudioVideoAuthentication", Value: 1},
		{Name: "DataEdgeExternal", Value: 2},
		{Name: "Default", Value: 3},
		{Name: "External", Value: 4},
		{Name: "Internal", Value: 5},
		{Name: "iPadAPNService", Value: 6, Versions: lync2013Up},
		{Name: "iPhoneAPNService", Value: 7, Versions: lync2013Up},
		{Name: "LogRetentionService", Value: 8, Versions: lync2013Up},
		{Name: "MPNService", Value: 9, Versions: lync2013Up},
		{Name: "OAuthTokenIssuer", Value: 10, Versions: lync2013Up},
		{Name: "PICWebService", Value: 11},
		{Name: "ProvisionService", Value: 12},
		{Name: "SMPDNSWebService", Value: 13, Versions: lync2013Up},
		{Name: "TenantAdmin", Value: 14, Versions: lync2013Up},
		{Name: "UpgradeEngineService", Value: 15, Versions: lync2013Up},
		{Name: "UserDefined", Value: 16, Versions: lync2010},
		{Name: "WebServicesExternal", Value: 17},
		{Name: "WebServicesInternal", Value: 18},
		{Name: "WsFedTokenTransfer", Value: 19},
		{Name: "XMPPServer", Value: 20, Versions: lync2013Up},
	},
}

// allowedServices is Exchange's [Flags] AllowedServices (decompiled 2013
// CU23). Federation arrived with 2010 and UMCallRouter with 2013.
var allowedServices = &Enum{
	Name:  "Microsoft.Exchange.Data.Directory.SystemConfiguration.AllowedServices",
	Flags: true,
	Values: []EnumValue{
		{Name: "None", Value: 0},
		{Name: "IMAP", Value: 1},
		{Name: "POP", Value: 2},
		{Name: "UM", Value: 4},
		{Name: "IIS", Value: 8},
		{Name: "SMTP", Value: 16},
		{Name: "Federation", Value: 32, Versions: exch2010Up},
		{Name: "UMCallRouter", Value: 64, Versions: exch2013Up},
	},
}

// actionPreference is System.Management.Automation.ActionPreference as of
// PowerShell 5.1 (Suspend is 3.0+, Ignore 3.0+).
var actionPreference = &Enum{
	Name: "System.Management.Automation.ActionPreference",
	Values: []EnumValue{
		{Name: "SilentlyContinue", Value: 0},
		{Name: "Stop", Value: 1},
		{Name: "Continue", Value: 2},
		{Name: "Inquire", Value: 3},
		{Name: "Ignore", Value: 4, Versions: ps4Up},
		{Name: "Suspend", Value: 5, Versions: ps4Up},
	},
}

// commonParameters are the CommonParameters class's, in its declaration
// order (which is the order AmbiguousParameter lists them in).
var commonParameters = []*Parameter{
	{Name: "Verbose", Type: tSwitch, Aliases: []string{"vb"}, Origin: Common},
	{Name: "Debug", Type: tSwitch, Aliases: []string{"db"}, Origin: Common},
	{Name: "ErrorAction", Type: tActionPref, Aliases: []string{"ea"}, Origin: Common},
	{Name: "WarningAction", Type: tActionPref, Aliases: []string{"wa"}, Origin: Common, Versions: ps2Up},
	{Name: "InformationAction", Type: tActionPref, Aliases: []string{"infa"}, Origin: Common, Versions: ps5Up},
	{Name: "ErrorVariable", Type: tString, Aliases: []string{"ev"}, Origin: Common},
	{Name: "WarningVariable", Type: tString, Aliases: []string{"wv"}, Origin: Common, Versions: ps2Up},
	{Name: "InformationVariable", Type: tString, Aliases: []string{"iv"}, Origin: Common, Versions: ps5Up},
	{Name: "OutVariable", Type: tString, Aliases: []string{"ov"}, Origin: Common},
	{Name: "OutBuffer", Type: tInt32, Aliases: []string{"ob"}, Origin: Common},
	{Name: "PipelineVariable", Type: tString, Aliases: []string{"pv"}, Origin: Common, Versions: ps4Up},
}

var shouldProcessParameters = []*Parameter{
	{Name: "WhatIf", Type: tSwitch, Aliases: []string{"wi"}, Origin: ShouldProcess},
	{Name: "Confirm", Type: tSwitch, Aliases: []string{"cf"}, Origin: ShouldProcess},
}

// Set-CsCertificate. The declaration order of the class is not public; the
// order below reproduces the candidate lists of the reference's prefix
// table (-T: Thumbprint, Type; -R: Reference, Report, Roll; -P: Path,
// Password). -Type is optional in the Reference and Thumbprint sets as the
// platyPS help says (a missing one is a warning, see checks.go) and
// mandatory in the Path set. No default set is documented.
var setCsCertificate = &Cmdlet{
	Name:                  "Set-CsCertificate",
	Family:                Lync,
	Versions:              allLync,
	SupportsShouldProcess: true,
	Sets: []ParameterSet{
		{Name: "CertificateReference"},
		{Name: "Thumbprint"},
		{Name: "Path", Versions: lync2013Up},
	},
	Params: []*Parameter{
		{Name: "Reference", Type: tCertRef, In: []SetMembership{{Set: "CertificateReference", Mandatory: true, ByValue: true}}},
		{Name: "Thumbprint", Type: tString, In: []SetMembership{{Set: "Thumbprint", Mandatory: true}}},
		{Name: "Path", Type: tString, Versions: lync2013Up, In: []SetMembership{{Set: "Path", Mandatory: true}}},
		{Name: "Identity", Type: tXdsIdentity, Versions: lync2013Up, In: []SetMembership{
			{Set: "CertificateReference"}, {Set: "Thumbprint"}, {Set: "Path", Mandatory: true}}},
		{Name: "Type", Type: tCertTypes, In: []SetMembership{
			{Set: "CertificateReference"}, {Set: "Thumbprint"}, {Set: "Path", Mandatory: true}}},
		{Name: "Password", Type: tString, Versions: lync2013Up, Secret: true, In: []SetMembership{{Set: "Path"}}},
		{Name: "EffectiveDate", Type: tDateTime, Aliases: []string{"EffectiveTime"}, Versions: lync2013Up},
		{Name: "Force", Type: tSwitch},
		{Name: "Report", Type: tString},
		{Name: "Roll", Type: tSwitch, Versions: lync2013Up},
		{Name: "NetportId", Type: tString, Versions: lync2010, In: []SetMembership{{Set: "CertificateReference"}, {Set: "Thumbprint"}}},
	},
	checks: []check{checkThumbprint("Thumbprint"), checkRoll, checkTypeGiven},
}

var getCsCertificate = &Cmdlet{
	Name:     "Get-CsCertificate",
	Family:   Lync,
	Versions: allLync,
	Params: []*Parameter{
		{Name: "Type", Type: tCertTypes},
		{Name: "NetportId", Type: tString, Versions: lync2010},
		{Name: "Report", Type: tString},
		{Name: "Identity", Type: tXdsIdentity, Versions: lync2013Up, In: []SetMembership{{Position: 1}}},
	},
}

// Import-CsCertificate: Local (the documented default) and CMS (2013+).
var importCsCertificate = &Cmdlet{
	Name:                  "Import-CsCertificate",
	Family:                Lync,
	Versions:              allLync,
	SupportsShouldProcess: true,
	DefaultSet:            "Local",
	Sets: []ParameterSet{
		{Name: "Local"},
		{Name: "CMS", Versions: lync2013Up},
	},
	Params: []*Parameter{
		{Name: "Identity", Type: tXdsIdentity, Versions: lync2013Up, In: []SetMembership{{Set: "CMS", Mandatory: true, Position: 1}}},
		{Name: "Path", Type: tString, In: []SetMembership{{Set: "Local", Mandatory: true}, {Set: "CMS", Mandatory: true}}},
		{Name: "Password", Type: tString, Secret: true},
		{Name: "PrivateKeyExportable", Type: tBool, In: []SetMembership{{Set: "Local"}}},
		{Name: "Type", Type: tCertTypes, Versions: lync2013Up, In: []SetMembership{{Set: "CMS", Mandatory: true}}},
		{Name: "EffectiveDate", Type: tDateTime, Aliases: []string{"EffectiveTime"}, Versions: lync2013Up},
		{Name: "Roll", Type: tSwitch, Versions: lync2013Up},
		{Name: "Force", Type: tSwitch},
		{Name: "Report", Type: tString},
	},
	checks: []check{checkRoll},
}

var removeCsCertificate = &Cmdlet{
	Name:                  "Remove-CsCertificate",
	Family:                Lync,
	Versions:              allLync,
	SupportsShouldProcess: true,
	Params: []*Parameter{
		{Name: "Type", Type: tCertTypes},
		{Name: "NetportId", Type: tString, Versions: lync2010},
		{Name: "Force", Type: tSwitch},
		{Name: "Report", Type: tString},
		{Name: "Identity", Type: tXdsIdentity, Versions: lync2013Up, In: []SetMembership{{Position: 1}}},
		{Name: "Previous", Type: tSwitch, Versions: lync2013Up},
	},
}

// Import-ExchangeCertificate. 2007 has the Path and Instance sets (names
// taken from their parameters; Instance is optional there); 2010 has
// FileData (the default from 2010 on) and Instance; 2013 adds FileName,
// which the 2022 H1 CUs of 2016/2019 removed, so the 2016/2019 profiles
// model the current CUs without it. Parameter order is the decompiled
// 2013 class's.
var importExchangeCertificate = &Cmdlet{
	Name:                  "Import-ExchangeCertificate",
	Family:                Exchange,
	Class:                 "Microsoft.Exchange.Management.SystemConfigurationTasks.ImportExchangeCertificate",
	Versions:              allExchange,
	SupportsShouldProcess: true,
	DefaultSet:            "FileData",
	Sets: []ParameterSet{
		{Name: "FileData", Versions: exch2010Up},
		{Name: "FileName", Versions: exch2013},
		{Name: "Instance"},
		{Name: "Path", Versions: exch2007},
	},
	Params: []*Parameter{
		{Name: "FileData", Type: tBytes, Versions: exch2010Up, In: []SetMembership{{Set: "FileData", Mandatory: true}}},
		{Name: "FileName", Type: tString, Versions: exch2013, In: []SetMembership{{Set: "FileName", Mandatory: true}}},
		{Name: "Path", Type: tString, Versions: exch2007, In: []SetMembership{{Set: "Path", Mandatory: true}}},
		{Name: "Instance", Type: tStringArray, In: []SetMembership{
			{Set: "Instance", Mandatory: true, ByValue: true, Versions: exch2010Up},
			{Set: "Instance", ByValue: true, Versions: exch2007}}},
		{Name: "Server", Type: tServerID, Versions: exch2010Up, In: []SetMembership{{ByValue: true}}},
		{Name: "DomainController", Type: tFqdn},
		{Name: "Password", Type: tSecureString, Secret: true},
		{Name: "PrivateKeyExportable", Type: tBool, Versions: exch2010Up},
		{Name: "FriendlyName", Type: tString},
	},
	checks: []check{checkFriendlyName},
}

// Enable-ExchangeCertificate: Thumbprint (default) and Identity sets.
var enableExchangeCertificate = &Cmdlet{
	Name:                  "Enable-ExchangeCertificate",
	Family:                Exchange,
	Class:                 "Microsoft.Exchange.Management.SystemConfigurationTasks.EnableExchangeCertificate",
	Versions:              allExchange,
	SupportsShouldProcess: true,
	DefaultSet:            "Thumbprint",
	Sets: []ParameterSet{
		{Name: "Thumbprint"},
		{Name: "Identity", Versions: exch2010Up},
	},
	Params: []*Parameter{
		{Name: "Identity", Type: tExchCertID, Versions: exch2010Up, In: []SetMembership{{Set: "Identity", Position: 1, ByValue: true}}},
		{Name: "Thumbprint", Type: tString, In: []SetMembership{{Set: "Thumbprint", Mandatory: true, Position: 1, ByValue: true, ByPropertyName: true}}},
		{Name: "Server", Type: tServerID, In: []SetMembership{{Set: "Thumbprint"}}},
		{Name: "Services", Type: tAllowedServices, In: []SetMembership{{Mandatory: true}}},
		{Name: "DoNotRequireSsl", Type: tSwitch},
		{Name: "Force", Type: tSwitch},
		{Name: "NetworkServiceAllowed", Type: tSwitch},
		{Name: "DomainController", Type: tFqdn},
	},
	checks: []check{checkThumbprint("Thumbprint")},
}

// Get-ExchangeCertificate: Thumbprint (default), Identity and Instance.
var getExchangeCertificate = &Cmdlet{
	Name:       "Get-ExchangeCertificate",
	Family:     Exchange,
	Class:      "Microsoft.Exchange.Management.SystemConfigurationTasks.GetExchangeCertificate",
	Versions:   allExchange,
	DefaultSet: "Thumbprint",
	Sets: []ParameterSet{
		{Name: "Thumbprint"},
		{Name: "Identity"},
		{Name: "Instance"},
	},
	Params: []*Parameter{
		{Name: "Identity", Type: tExchCertID, In: []SetMembership{{Set: "Identity", Position: 1, ByValue: true}}},
		{Name: "Thumbprint", Type: tString, In: []SetMembership{{Set: "Thumbprint", Position: 1, ByValue: true}}},
		{Name: "Instance", Type: tX509, In: []SetMembership{{Set: "Instance", Mandatory: true, ByValue: true}}},
		{Name: "Server", Type: tServerID, In: []SetMembership{{Set: "Instance"}, {Set: "Thumbprint"}}},
		{Name: "DomainController", Type: tFqdn},
		{Name: "DomainName", Type: tMultiValued},
	},
	checks: []check{checkThumbprint("Thumbprint")},
}

// cmdlets is every cmdlet certledger knows, for Lookup.
var cmdlets = []*Cmdlet{
	setCsCertificate, getCsCertificate, importCsCertificate, removeCsCertificate,
	importExchangeCertificate, enableExchangeCertificate, getExchangeCertificate,
}
