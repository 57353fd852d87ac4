package projections

import "strings"

// Lync compares XdsIdentity values case-insensitively, so the models key
// every identity, server and use by a folded form and keep a display
// spelling beside it. The display spelling is canonical where one exists
// (Global, lower-case computer FQDNs, the CertType names) and otherwise the
// first spelling the log used, so that a later `SITE:redmond` does not
// rename `site:Redmond` in every report.

// identityKey returns the comparison key of an XdsIdentity and its canonical
// display spelling ("" where the first spelling seen should be kept). An
// empty identity means the local computer.
func identityKey(id, computer string) (key, display string) {
	id = strings.TrimSpace(id)
	if id == "" {
		id = computer
	}
	lower := strings.ToLower(id)
	switch {
	case lower == "global":
		return "global", "Global"
	case strings.HasPrefix(lower, "site:"), strings.HasPrefix(lower, "service:"):
		return lower, ""
	default:
		// A computer FQDN: DNS names are case-insensitive and written
		// lower-case; a trailing root dot names the same host.
		host := strings.TrimSuffix(lower, ".")
		return host, host
	}
}

// serverKey normalises a server (computer) name the way identityKey does for
// a computer identity; an empty name is the local computer.
func serverKey(server, computer string) string {
	k, _ := identityKey(server, computer)
	return k
}

// certTypes are the CertType (-Type, "Use") names Lync and Skype for Business
// document, in their declared spelling.
var certTypes = func() map[string]string {
	m := make(map[string]string)
	for _, n := range []string{
		"AccessEdgeExternal", "AudioVideoAuthentication", "DataEdgeExternal",
		"Default", "External", "Internal", "iPadAPNService", "iPhoneAPNService",
		"LogRetentionService", "MPNService", "OAuthTokenIssuer", "PICWebService",
		"ProvisionService", "SMPDNSWebService", "TenantAdmin",
		"UpgradeEngineService", "UserDefined", "WebServicesExternal",
		"WebServicesInternal", "WsFedTokenTransfer", "XMPPServer",
	} {
		m[strings.ToLower(n)] = n
	}
	return m
}()

// useKey returns the comparison key and display spelling of a Use.
func useKey(use string) (key, display string) {
	use = strings.TrimSpace(use)
	key = strings.ToLower(use)
	if d, ok := certTypes[key]; ok {
		return key, d
	}
	return key, use
}

// normThumbprint writes a thumbprint the way the contract shows them:
// upper-case hex, without the spaces the certificate MMC snap-in puts in.
func normThumbprint(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	if strings.ContainsAny(t, " \t:") {
		t = strings.NewReplacer(" ", "", "\t", "", ":", "").Replace(t)
	}
	return t
}

// exchangeServices are the AllowedServices flags in their numeric order,
// which is the order Exchange prints them in.
var exchangeServices = []string{"IMAP", "POP", "UM", "IIS", "SMTP", "Federation", "UMCallRouter"}

// serviceBit returns the flag of an AllowedServices name (case-insensitive);
// ok is false for names Exchange does not have, which are kept as given.
func serviceBit(name string) (bit uint8, ok bool) {
	for i, s := range exchangeServices {
		if strings.EqualFold(s, strings.TrimSpace(name)) {
			return 1 << i, true
		}
	}
	return 0, false
}
