// Package ledger carries out the certificate cmdlets for the script host:
// each bound Set-CsCertificate, Import-ExchangeCertificate, ... becomes
// events, checked against the read model and against the events the same
// run has produced so far. Nothing is stored here: the caller commits the
// run's Batch, all of it or none.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/certledger/certledger/cmdlet"
	"github.com/certledger/certledger/cmdlet/bind"
	"github.com/certledger/certledger/cmdlet/value"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/projections"
)

// Config tunes a Ledger.
type Config struct {
	Computer string // the local computer: the default -Identity and -Server
	// Strict refuses to assign a certificate that was never imported, as
	// Lync does ("you can only assign certificates that have already been
	// configured"); otherwise it is recorded with Known false and a warning.
	Strict bool
	Now    time.Time
}

// Ledger is the cmdlet.Handler for one run.
type Ledger struct {
	cfg     Config
	model   *projections.Model
	base    uint64 // the model's last sequence before the run
	pending []events.Event
}

// New returns a ledger for one run over model, which it updates with the
// run's own events as they are produced (so a later statement sees an
// earlier import) — pass a model the caller does not share.
func New(cfg Config, model *projections.Model) *Ledger {
	if cfg.Now.IsZero() {
		cfg.Now = time.Now()
	}
	return &Ledger{cfg: cfg, model: model, base: model.LastSeq()}
}

var handled = []string{
	"Set-CsCertificate", "Import-CsCertificate", "Remove-CsCertificate", "Get-CsCertificate",
	"Import-ExchangeCertificate", "Enable-ExchangeCertificate", "Get-ExchangeCertificate",
}

// Handles reports whether the ledger carries out the cmdlet.
func (l *Ledger) Handles(command string) bool {
	return slices.ContainsFunc(handled, func(h string) bool { return strings.EqualFold(h, command) })
}

// Invoke carries out one bound cmdlet call.
func (l *Ledger) Invoke(ctx context.Context, inv *cmdlet.Invocation) ([]value.Value, error) {
	c := call{Ledger: l, inv: inv, b: inv.Bound}
	switch inv.Bound.Command {
	case "Set-CsCertificate":
		return nil, c.setCs()
	case "Import-CsCertificate":
		return c.importCs()
	case "Remove-CsCertificate":
		return nil, c.removeCs()
	case "Get-CsCertificate":
		return c.getCs(), nil
	case "Import-ExchangeCertificate":
		return c.importExchange()
	case "Enable-ExchangeCertificate":
		return nil, c.enableExchange()
	case "Get-ExchangeCertificate":
		return c.getExchange(), nil
	}
	return nil, fmt.Errorf("certledger does not carry out %s", inv.Bound.Command)
}

// Events returns the events the run produced, in order.
func (l *Ledger) Events() []events.Event { return l.pending }

// Base is the last log sequence the run's checks were made against.
func (l *Ledger) Base() uint64 { return l.base }

// call is one invocation being carried out.
type call struct {
	*Ledger
	inv *cmdlet.Invocation
	b   *bind.Bound
}

func (c call) str(name string) string {
	v, _ := c.b.Get(name)
	switch x := v.(type) {
	case string:
		return x
	case *value.Object:
		if id, ok := x.Get("Identity"); ok {
			if s, ok := id.(string); ok {
				return s
			}
		}
	}
	return ""
}

func (c call) strs(name string) []string {
	v, _ := c.b.Get(name)
	switch x := v.(type) {
	case string:
		if x == "" {
			return nil
		}
		return []string{x}
	case []string:
		return x
	case []value.Value:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (c call) flag(name string) bool {
	v, _ := c.b.Get(name)
	switch x := v.(type) {
	case value.Switch:
		return bool(x)
	case bool:
		return x
	}
	return false
}

func (c call) date(name string) *time.Time {
	if t, ok := c.b.Get(name); ok {
		if tm, ok := t.(time.Time); ok {
			return &tm
		}
	}
	return nil
}

func (c call) secret(name string) string {
	v, _ := c.b.Get(name)
	switch x := v.(type) {
	case value.SecureString:
		return x.Reveal()
	case string: // Lync's -Password is a plain String parameter
		return x
	}
	return ""
}

// emit records an event produced by this invocation and applies it to the
// model so that later statements of the run see it.
func (c call) emit(d events.Data) {
	meta := events.Meta{
		Line:         c.inv.Line,
		Char:         c.inv.Char,
		Statement:    c.inv.Index,
		Command:      c.inv.Text,
		ParameterSet: c.b.ParameterSet,
		Computer:     c.cfg.Computer,
	}
	c.pending = append(c.pending, events.Event{Meta: meta, Data: d})
	c.model.Apply(events.Record{
		Seq:    c.base + uint64(len(c.pending)),
		Stored: c.cfg.Now,
		Event:  events.Event{Meta: meta, Data: d},
	})
}

func (c call) view() projections.View { return c.model.AsOf(c.cfg.Now) }

// identity resolves -Identity (absent: the local computer) to the
// canonical spelling events record. Lync compares identities
// case-insensitively, and the log's aggregate of an identity is its exact
// spelling, so "global" and "Global" must become one.
func (c call) identity() string {
	id := c.str("Identity")
	if id == "" {
		id = c.cfg.Computer
	}
	return canonical(id)
}

// server resolves -Server (absent: the local computer), canonically.
func (c call) server() string {
	if s := c.str("Server"); s != "" {
		return canonical(s)
	}
	return canonical(c.cfg.Computer)
}

func canonical(name string) string {
	name = strings.TrimSpace(name)
	if strings.EqualFold(name, "global") {
		return "Global"
	}
	return strings.ToLower(name)
}

// thumbprintOf takes -Thumbprint, or the Thumbprint of a -Reference object.
func (c call) thumbprintOf() string {
	if t := c.str("Thumbprint"); t != "" {
		return t
	}
	if v, ok := c.b.Get("Reference"); ok {
		if o, ok := v.(*value.Object); ok {
			if t, ok := o.Get("Thumbprint"); ok {
				if s, ok := t.(string); ok {
					return strings.ToUpper(s)
				}
			}
		}
	}
	return ""
}

// ---- Lync / Skype for Business ----

func (c call) setCs() error {
	identity := c.identity()
	uses := c.strs("Type")
	var thumb string
	if p := c.str("Path"); p != "" { // the Path set imports and assigns in one go
		f, err := c.decode(p, nil)
		if err != nil {
			return err
		}
		thumb = f.Leaf.Thumbprint
		if ok, err := c.inv.ShouldProcess(identity, "Set-CsCertificate"); err != nil || !ok {
			return err
		}
		imp := f.Imported(canonical(c.cfg.Computer))
		imp.SourceFile = p
		c.emit(imp)
	} else {
		thumb = c.thumbprintOf()
		if ok, err := c.inv.ShouldProcess(identity, "Set-CsCertificate"); err != nil || !ok {
			return err
		}
	}
	known, cert := c.known(thumb)
	if !known {
		if c.cfg.Strict {
			return fmt.Errorf("Command execution failed: The certificate with thumbprint %q has not been configured for use with Lync Server. You can only assign certificates that have already been configured (--strict).", thumb)
		}
		c.inv.Warn(fmt.Sprintf("The certificate with thumbprint %q has never been imported in this ledger; it is recorded as unknown.", thumb))
	} else {
		c.warnValidity(cert, identity, c.date("EffectiveDate"))
	}
	c.emit(events.CertificateAssigned{
		Identity:      identity,
		Uses:          uses,
		Thumbprint:    thumb,
		Roll:          c.flag("Roll"),
		EffectiveDate: c.date("EffectiveDate"),
		Known:         known,
	})
	return c.report("Set-CsCertificate", identity, uses, thumb)
}

func (c call) importCs() ([]value.Value, error) {
	p := c.str("Path")
	f, err := c.decode(p, nil)
	if err != nil {
		return nil, err
	}
	if ok, err := c.inv.ShouldProcess(p, "Import-CsCertificate"); err != nil || !ok {
		return nil, err
	}
	imp := f.Imported(canonical(c.cfg.Computer))
	imp.SourceFile = p
	imp.PrivateKeyExportable = c.flag("PrivateKeyExportable")
	c.emit(imp)
	if uses := c.strs("Type"); len(uses) > 0 { // the CMS set assigns too
		c.emit(events.CertificateAssigned{
			Identity: c.identity(), Uses: uses, Thumbprint: imp.Thumbprint,
			Roll: c.flag("Roll"), EffectiveDate: c.date("EffectiveDate"), Known: true,
		})
	}
	return nil, c.report("Import-CsCertificate", c.identity(), c.strs("Type"), imp.Thumbprint)
}

func (c call) removeCs() error {
	identity := c.identity()
	if ok, err := c.inv.ShouldProcess(identity, "Remove-CsCertificate"); err != nil || !ok {
		return err
	}
	uses := c.strs("Type")
	if len(uses) == 0 { // no -Type removes every use the identity has
		for _, a := range c.view().Assignments(identity) {
			uses = append(uses, a.Use)
		}
	}
	c.emit(events.CertificateRemoved{Identity: identity, Uses: uses, Previous: c.flag("Previous")})
	return c.report("Remove-CsCertificate", identity, uses, "")
}

func (c call) getCs() []value.Value {
	var out []value.Value
	for _, r := range c.view().CsCertificates(c.str("Identity"), c.strs("Type")) {
		o := value.NewObject("Microsoft.Rtc.Management.Deployment.CertificateReference")
		o.Props.Set("Issuer", r.Issuer)
		o.Props.Set("NotAfter", timeValue(r.NotAfter))
		o.Props.Set("NotBefore", timeValue(r.NotBefore))
		o.Props.Set("SerialNumber", r.SerialNumber)
		o.Props.Set("Subject", r.Subject)
		o.Props.Set("AlternativeNames", stringValues(r.AlternativeNames))
		o.Props.Set("Thumbprint", r.Thumbprint)
		o.Props.Set("Use", r.Use)
		o.Props.Set("EffectiveDate", timeValue(r.EffectiveDate))
		o.Props.Set("PreviousThumbprint", r.PreviousThumbprint)
		o.Props.Set("Identity", r.Identity)
		out = append(out, o)
	}
	return out
}

// ---- Exchange ----

func (c call) importExchange() ([]value.Value, error) {
	server := c.server()
	var (
		f    *certfile.File
		name string
		err  error
	)
	switch {
	case c.str("Path") != "" || c.str("FileName") != "":
		name = c.str("Path") + c.str("FileName")
		f, err = c.decode(name, nil)
	default:
		data, ok := c.b.Get("FileData")
		if !ok {
			data, _ = c.b.Get("Instance")
		}
		raw, err2 := bytesOf(data)
		if err2 != nil {
			return nil, err2
		}
		name = "FileData"
		f, err = c.decode(name, raw)
	}
	if err != nil {
		return nil, err
	}
	if ok, err := c.inv.ShouldProcess(server, "Import-ExchangeCertificate"); err != nil || !ok {
		return nil, err
	}
	imp := f.Imported(server)
	imp.SourceFile = name
	imp.FriendlyName = c.friendlyName(imp.FriendlyName)
	imp.PrivateKeyExportable = c.flag("PrivateKeyExportable")
	c.emit(imp)
	return []value.Value{exchangeObject(imp, "None")}, nil
}

// friendlyName is what Exchange names an imported certificate: the
// -FriendlyName given, else the file's, else Exchange's default.
func (c call) friendlyName(fromFile string) string {
	if n := c.str("FriendlyName"); n != "" {
		return n
	}
	if fromFile != "" {
		return fromFile
	}
	return "Microsoft Exchange"
}

func (c call) enableExchange() error {
	server := c.server()
	if c.str("Server") == "" {
		// A certificate object piped in (Get-ExchangeCertificate -Server X |
		// Enable-ExchangeCertificate, or from Import-ExchangeCertificate)
		// names its server in its Identity, as Exchange's does.
		if s := pipedServer(c.inv); s != "" {
			server = s
		}
	}
	thumb := c.thumbprintOf()
	if thumb == "" { // the Identity set: server\thumbprint
		if id := c.str("Identity"); id != "" {
			if i := strings.LastIndexByte(id, '\\'); i >= 0 {
				server, thumb = canonical(id[:i]), strings.ToUpper(id[i+1:])
			} else {
				thumb = strings.ToUpper(id)
			}
		}
	}
	if ok, err := c.inv.ShouldProcess(thumb, "Enable-ExchangeCertificate"); err != nil || !ok {
		return err
	}
	if !c.onServer(server, thumb) {
		msg := fmt.Sprintf("The certificate with thumbprint %s was not found on server '%s'.", thumb, server)
		if c.cfg.Strict {
			return errors.New(msg)
		}
		c.inv.Warn(msg + " The services are recorded for it all the same.")
	}
	c.emit(events.ServicesEnabled{Server: server, Thumbprint: thumb, Services: splitServices(c.strs("Services"))})
	return nil
}

// pipedServer is the server of an ExchangeCertificate object the
// invocation received from the pipeline, if any.
func pipedServer(inv *cmdlet.Invocation) string {
	o, ok := inv.Input.(*value.Object)
	if !inv.HasInput || !ok {
		return ""
	}
	if s, ok := o.Get("Server"); ok {
		if name, ok := s.(string); ok && name != "" {
			return canonical(name)
		}
	}
	return ""
}

func (c call) getExchange() []value.Value {
	server := c.server()
	thumb := strings.ToUpper(c.str("Thumbprint"))
	var out []value.Value
	for _, r := range c.model.Certificates(server) {
		if thumb != "" && r.Thumbprint != thumb {
			continue
		}
		imp := events.CertificateImported{
			Server: r.Server, Thumbprint: r.Thumbprint, Subject: r.Subject, Issuer: r.Issuer,
			SerialNumber: r.SerialNumber, FriendlyName: r.FriendlyName, HasPrivateKey: r.HasPrivateKey,
			AlternativeNames: r.AlternativeNames,
		}
		if r.NotBefore != nil {
			imp.NotBefore = *r.NotBefore
		}
		if r.NotAfter != nil {
			imp.NotAfter = *r.NotAfter
		}
		services := strings.Join(r.Services, ", ")
		if services == "" {
			services = "None"
		}
		out = append(out, exchangeObject(imp, services))
	}
	return out
}

// ---- shared ----

// decode reads a certificate file through the host's path mapping (or the
// bytes given) and decodes it with the call's password.
func (c call) decode(name string, data []byte) (*certfile.File, error) {
	if data == nil {
		raw, _, err := c.inv.Files.ReadFile(name)
		if err != nil {
			return nil, err
		}
		data = raw
	}
	f, err := certfile.Decode(path.Base(strings.ReplaceAll(name, `\`, "/")), data, c.secret("Password"))
	if err != nil {
		return nil, err
	}
	return f, nil
}

// known reports whether a thumbprint was imported anywhere in the ledger
// (before the run, or earlier in it).
func (c call) known(thumb string) (bool, *projections.Certificate) {
	cert, ok := c.model.Certificate("", thumb)
	return ok, &cert
}

func (c call) onServer(server, thumb string) bool {
	_, ok := c.model.Certificate(server, thumb)
	return ok
}

// warnValidity warns about assigning a certificate that is expired, not yet
// valid when it takes effect, or whose names do not cover the identity.
func (c call) warnValidity(cert *projections.Certificate, identity string, effective *time.Time) {
	at := c.cfg.Now
	if effective != nil {
		at = *effective
	}
	if cert.NotAfter != nil && at.After(*cert.NotAfter) {
		c.inv.Warn(fmt.Sprintf("The certificate %s expired on %s, before it takes effect.", cert.Thumbprint, cert.NotAfter.UTC().Format(time.RFC3339)))
	}
	if cert.NotBefore != nil && at.Before(*cert.NotBefore) {
		c.inv.Warn(fmt.Sprintf("The certificate %s is not valid until %s, after it takes effect.", cert.Thumbprint, cert.NotBefore.UTC().Format(time.RFC3339)))
	}
	if strings.Contains(identity, ".") && !strings.Contains(identity, ":") && !covers(cert, identity) {
		c.inv.Warn(fmt.Sprintf("The certificate %s (%s) does not name %s in its subject or alternative names.", cert.Thumbprint, cert.Subject, identity))
	}
}

// covers reports whether a certificate's names cover an FQDN, with the
// usual one-label wildcard.
func covers(cert *projections.Certificate, fqdn string) bool {
	names := slices.Clone(cert.AlternativeNames)
	if cn, ok := strings.CutPrefix(cert.Subject, "CN="); ok {
		names = append(names, strings.SplitN(cn, ",", 2)[0])
	}
	fqdn = strings.ToLower(fqdn)
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == fqdn {
			return true
		}
		if rest, ok := strings.CutPrefix(n, "*."); ok {
			if i := strings.IndexByte(fqdn, '.'); i > 0 && fqdn[i+1:] == rest {
				return true
			}
		}
	}
	return false
}

// splitServices turns AllowedServices as bound ("IMAP, POP, IIS") into names.
func splitServices(in []string) []string {
	var out []string
	for _, s := range in {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" && !strings.EqualFold(p, "None") {
				out = append(out, p)
			}
		}
	}
	return out
}

func bytesOf(v value.Value) ([]byte, error) {
	switch x := v.(type) {
	case []byte:
		return x, nil
	case string:
		return []byte(x), nil
	case []string:
		return []byte(strings.Join(x, "\n")), nil
	case []value.Value:
		var sb strings.Builder
		for _, e := range x {
			if s, ok := e.(string); ok {
				sb.WriteString(s)
				sb.WriteByte('\n')
			}
		}
		return []byte(sb.String()), nil
	}
	return nil, errors.New("no certificate data was given")
}

func exchangeObject(imp events.CertificateImported, services string) *value.Object {
	o := value.NewObject("Microsoft.Exchange.Management.SystemConfigurationTasks.ExchangeCertificate")
	o.Props.Set("Thumbprint", imp.Thumbprint)
	o.Props.Set("Services", services)
	o.Props.Set("Subject", imp.Subject)
	o.Props.Set("Issuer", imp.Issuer)
	o.Props.Set("NotBefore", imp.NotBefore)
	o.Props.Set("NotAfter", imp.NotAfter)
	o.Props.Set("SerialNumber", imp.SerialNumber)
	o.Props.Set("FriendlyName", imp.FriendlyName)
	o.Props.Set("HasPrivateKey", imp.HasPrivateKey)
	o.Props.Set("CertificateDomains", stringValues(imp.AlternativeNames))
	o.Props.Set("Identity", imp.Server+`\`+imp.Thumbprint)
	o.Props.Set("Server", imp.Server)
	return o
}

func timeValue(t *time.Time) value.Value {
	if t == nil {
		return nil
	}
	return *t
}

func stringValues(s []string) []value.Value {
	out := make([]value.Value, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
