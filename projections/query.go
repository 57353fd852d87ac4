package projections

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"
)

// Assignment is one row of `certledger assignments`: the certificate in
// force for a use of an identity, with what the inventory knows of it.
// The JSON names are the contract's.
type Assignment struct {
	Identity           string     `json:"Identity"`
	Use                string     `json:"Use"`
	Thumbprint         string     `json:"Thumbprint"`
	PreviousThumbprint string     `json:"PreviousThumbprint"`
	EffectiveDate      *time.Time `json:"EffectiveDate"`
	Subject            string     `json:"Subject"`
	NotAfter           *time.Time `json:"NotAfter"`
	Known              bool       `json:"Known"` // false when the thumbprint was never imported
}

// Certificate is one row of `certledger certificates`: a certificate in a
// server's store. The first eleven JSON names are the contract's.
type Certificate struct {
	Server           string     `json:"Server"`
	Thumbprint       string     `json:"Thumbprint"`
	Subject          string     `json:"Subject"`
	Issuer           string     `json:"Issuer"`
	NotBefore        *time.Time `json:"NotBefore"`
	NotAfter         *time.Time `json:"NotAfter"`
	SerialNumber     string     `json:"SerialNumber"`
	FriendlyName     string     `json:"FriendlyName"`
	HasPrivateKey    bool       `json:"HasPrivateKey"`
	AlternativeNames []string   `json:"AlternativeNames"`
	Source           string     `json:"Source"` // the file name the script imported it from
	SourceSHA256     string     `json:"SourceSHA256" table:"-"`
	Services         []string   `json:"Services"` // enabled Exchange services, in AllowedServices order
}

// View is the state of a Model at one instant (AsOf) or after one sequence
// number (AtSeq). Views read the Model; they are invalid once it changes.
type View struct {
	m     *Model
	seq   uint64 // AtSeq: records at or below seq count
	at    int64  // the instant the view is evaluated at
	bySeq bool
}

// AsOf is the state in force at instant t: every record stored by t, a roll
// counted only once its EffectiveDate ≤ t.
func (m *Model) AsOf(t time.Time) View { return View{m: m, at: nanos(t)} }

// AtSeq is the state after the record with sequence n, evaluated at instant
// now (so a roll in that prefix whose EffectiveDate has passed counts).
func (m *Model) AtSeq(n uint64, now time.Time) View {
	return View{m: m, seq: n, at: nanos(now), bySeq: true}
}

func (v View) state(s *slot) state {
	if v.bySeq {
		return s.atSeq(v.seq, v.at)
	}
	return s.asOf(v.at)
}

// known reports whether the thumbprint had been imported anywhere in the
// view, and with what subject and expiry.
func (v View) known(id uint32) (*thumbInfo, bool) {
	ti := v.m.thumbs[id]
	if ti == nil {
		return nil, false
	}
	if v.bySeq {
		return ti, ti.importedBy(v.seq, v.at)
	}
	return ti, ti.importedBy(math.MaxUint64, v.at)
}

func (v View) row(s *slot, st state) Assignment {
	var times [2]time.Time
	return v.rowInto(s, st, times[:0])
}

// rowInto builds a row whose times point into buf (capacity 2), so that a
// report of thousands of rows allocates its times once.
func (v View) rowInto(s *slot, st state, buf []time.Time) Assignment {
	a := Assignment{
		Identity:           s.identity,
		Use:                s.use,
		Thumbprint:         v.m.names[st.thumb],
		PreviousThumbprint: v.m.names[st.prev],
	}
	if st.eff != noTime {
		buf = append(buf, time.Unix(0, st.eff).UTC())
		a.EffectiveDate = &buf[len(buf)-1]
	}
	if ti, ok := v.known(st.thumb); ok {
		a.Known = true
		a.Subject = ti.subject
		buf = append(buf, ti.notAfter)
		a.NotAfter = &buf[len(buf)-1]
	}
	return a
}

// Assignments lists the assignments in force, ordered by identity (Global
// first) and use. A non-empty identity keeps only that identity's rows,
// compared case-insensitively.
func (v View) Assignments(identity string) []Assignment {
	var want string
	if identity != "" {
		want, _ = identityKey(identity, v.m.computer)
	}
	slots := v.m.sortedSlots()
	var rows []Assignment
	var times []time.Time
	if want == "" {
		rows = make([]Assignment, 0, len(slots))
		times = make([]time.Time, 0, 2*len(slots))
	} else {
		rows = make([]Assignment, 0)
	}
	for _, s := range slots {
		if want != "" && s.idKey != want {
			continue
		}
		if st := v.state(s); st.thumb != 0 {
			if cap(times)-len(times) < 2 {
				times = make([]time.Time, 0, 16)
			}
			a := v.rowInto(s, st, times[len(times):len(times):cap(times)])
			times = times[:len(times)+countTimes(a)]
			rows = append(rows, a)
		}
	}
	return rows
}

func countTimes(a Assignment) int {
	n := 0
	if a.EffectiveDate != nil {
		n++
	}
	if a.NotAfter != nil {
		n++
	}
	return n
}

// sortedSlots lists the slots in report order. The list is kept until a
// slot is added, so that repeated queries do not sort again.
func (m *Model) sortedSlots() []*slot {
	if m.sorted == nil {
		m.sorted = make([]*slot, 0, len(m.slots))
		for _, s := range m.slots {
			m.sorted = append(m.sorted, s)
		}
		slices.SortFunc(m.sorted, compareSlots)
	}
	return m.sorted
}

func compareSlots(a, b *slot) int {
	if a.idKey != b.idKey {
		if a.idKey == "global" {
			return -1
		}
		if b.idKey == "global" {
			return 1
		}
		return cmp.Compare(a.idKey, b.idKey)
	}
	return cmp.Compare(a.useKey, b.useKey)
}

// Resolve answers which certificate a computer uses for a use: its own
// assignment of that use if it has one in force, else the Global one. Sites
// and services are not consulted: the log does not say which site or pool a
// computer belongs to. An empty computer is the Model's local computer.
func (v View) Resolve(computer, use string) (Assignment, bool) {
	ck := serverKey(computer, v.m.computer)
	uk, _ := useKey(use)
	for _, idk := range []string{ck, "global"} {
		if s := v.m.slots[slotID{idk, uk}]; s != nil {
			if st := v.state(s); st.thumb != 0 {
				return v.row(s, st), true
			}
		}
	}
	return Assignment{}, false
}

// Certificates lists the inventory, by server then thumbprint; a non-empty
// server keeps only that server's certificates. The inventory is current
// state: it has no as-of view.
func (m *Model) Certificates(server string) []Certificate {
	want := ""
	if server != "" {
		want = serverKey(server, m.computer)
	}
	rows := make([]Certificate, 0)
	for _, c := range m.sortedCerts() {
		if want == "" || c.server == want {
			rows = append(rows, c.row())
		}
	}
	return rows
}

// Certificate returns the inventory row of a certificate imported on
// server, or with an empty server the first server's (in name order) that
// imported it; ok is false if none did.
func (m *Model) Certificate(server, thumbprint string) (c Certificate, ok bool) {
	thumb := normThumbprint(thumbprint)
	var found *cert
	if server != "" {
		found = m.certs[certID{serverKey(server, m.computer), thumb}]
	} else {
		found = m.findCert(thumb, "")
	}
	if found == nil || !found.imported {
		return Certificate{}, false
	}
	return found.row(), true
}

func (m *Model) sortedCerts() []*cert {
	cs := make([]*cert, 0, len(m.certs))
	for _, c := range m.certs {
		cs = append(cs, c)
	}
	slices.SortFunc(cs, func(a, b *cert) int {
		return cmp.Or(cmp.Compare(a.server, b.server), cmp.Compare(a.thumb, b.thumb))
	})
	return cs
}

func (c *cert) row() Certificate {
	r := Certificate{
		Server:           c.server,
		Thumbprint:       c.thumb,
		Subject:          c.subject,
		Issuer:           c.issuer,
		SerialNumber:     c.serial,
		FriendlyName:     c.friendlyName,
		HasPrivateKey:    c.hasKey,
		AlternativeNames: nonNil(c.altNames),
		Source:           c.source,
		SourceSHA256:     c.sourceSHA,
		Services:         c.serviceNames(),
	}
	if c.imported {
		nb, na := c.notBefore, c.notAfter
		r.NotBefore, r.NotAfter = &nb, &na
	}
	return r
}

func (c *cert) serviceNames() []string {
	out := make([]string, 0)
	for i, s := range exchangeServices {
		if c.services&(1<<i) != 0 {
			out = append(out, s)
		}
	}
	return append(out, c.otherSvc...)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// CsCertificate is what Get-CsCertificate writes for one use: its default
// display properties (Issuer, NotAfter, NotBefore, SerialNumber, Subject,
// AlternativeNames, Thumbprint, Use) and the roll properties.
type CsCertificate struct {
	Issuer             string
	NotAfter           *time.Time
	NotBefore          *time.Time
	SerialNumber       string
	Subject            string
	AlternativeNames   []string
	Thumbprint         string
	Use                string
	EffectiveDate      *time.Time
	PreviousThumbprint string
	Identity           string
}

// CsCertificates answers Get-CsCertificate [-Identity id] [-Type uses]. For
// a computer (or no identity: the local computer) each use resolves as
// Resolve does; other identities list their own assignments. Certificate
// details come from the inventory of any server that imported the
// thumbprint, the local computer's first.
func (v View) CsCertificates(identity string, uses []string) []CsCertificate {
	var rows []Assignment
	idk, _ := identityKey(identity, v.m.computer)
	if idk == "global" || strings.Contains(idk, ":") {
		rows = v.Assignments(idk)
	} else {
		// A computer sees its own uses and the Global ones it does not override.
		seen := map[string]bool{}
		for _, s := range v.m.slots {
			if (s.idKey == idk || s.idKey == "global") && !seen[s.useKey] {
				seen[s.useKey] = true
				if a, ok := v.Resolve(idk, s.useKey); ok {
					rows = append(rows, a)
				}
			}
		}
		slices.SortFunc(rows, func(a, b Assignment) int { return cmp.Compare(strings.ToLower(a.Use), strings.ToLower(b.Use)) })
	}
	var out []CsCertificate
	for _, a := range rows {
		if len(uses) > 0 && !slices.ContainsFunc(uses, func(u string) bool { return strings.EqualFold(u, a.Use) }) {
			continue
		}
		cc := CsCertificate{
			Thumbprint: a.Thumbprint, Use: a.Use, Identity: a.Identity,
			EffectiveDate: a.EffectiveDate, PreviousThumbprint: a.PreviousThumbprint,
			Subject: a.Subject, NotAfter: a.NotAfter, AlternativeNames: []string{},
		}
		if c := v.m.findCert(a.Thumbprint, idk); c != nil && c.imported {
			nb := c.notBefore
			cc.Issuer, cc.NotBefore, cc.SerialNumber = c.issuer, &nb, c.serial
			cc.AlternativeNames = nonNil(c.altNames)
		}
		out = append(out, cc)
	}
	return out
}

// findCert finds an imported certificate by thumbprint, preferring server's
// copy.
func (m *Model) findCert(thumb, server string) *cert {
	if c := m.certs[certID{server, thumb}]; c != nil && c.imported {
		return c
	}
	var best *cert
	for _, c := range m.certs {
		if c.thumb == thumb && c.imported && (best == nil || c.server < best.server) {
			best = c
		}
	}
	return best
}

// ExchangeCertificate is what Get-ExchangeCertificate writes: its default
// list view (Thumbprint, Services, Subject) and the X509Certificate2
// properties scripts read, with Identity "server\thumbprint".
type ExchangeCertificate struct {
	Identity           string
	Thumbprint         string
	Services           []string // AllowedServices names; empty is None
	Subject            string
	Issuer             string
	NotBefore          time.Time
	NotAfter           time.Time
	SerialNumber       string
	FriendlyName       string
	HasPrivateKey      bool
	CertificateDomains []string
}

// ExchangeCertificates answers Get-ExchangeCertificate [-Server server]
// [-Thumbprint thumbprint]: the certificates imported on server (empty: the
// local computer), optionally only the one thumbprint.
func (m *Model) ExchangeCertificates(server, thumbprint string) []ExchangeCertificate {
	sk := serverKey(server, m.computer)
	thumb := normThumbprint(thumbprint)
	var out []ExchangeCertificate
	for _, c := range m.sortedCerts() {
		if c.server != sk || !c.imported || (thumb != "" && c.thumb != thumb) {
			continue
		}
		out = append(out, ExchangeCertificate{
			Identity:           c.server + `\` + c.thumb,
			Thumbprint:         c.thumb,
			Services:           c.serviceNames(),
			Subject:            c.subject,
			Issuer:             c.issuer,
			NotBefore:          c.notBefore,
			NotAfter:           c.notAfter,
			SerialNumber:       c.serial,
			FriendlyName:       c.friendlyName,
			HasPrivateKey:      c.hasKey,
			CertificateDomains: nonNil(c.altNames),
		})
	}
	return out
}

// Change is one difference between two assignment lists.
type Change struct {
	Identity string      `json:"Identity"`
	Use      string      `json:"Use"`
	Change   string      `json:"Change"` // Added, Removed or Changed
	From     string      `json:"From"`   // thumbprint before ("" when added)
	To       string      `json:"To"`     // thumbprint after ("" when removed)
	Before   *Assignment `json:"Before"`
	After    *Assignment `json:"After"`
}

// Diff lists what changed from one assignment list to another (e.g. two
// AsOf views): rows added, removed, or with another thumbprint, previous
// thumbprint or effective date, in the order of the lists.
func Diff(from, to []Assignment) []Change {
	key := func(a Assignment) string {
		ik, _ := identityKey(a.Identity, "")
		uk, _ := useKey(a.Use)
		return slotKey(ik, uk)
	}
	before := make(map[string]Assignment, len(from))
	for _, a := range from {
		before[key(a)] = a
	}
	out := make([]Change, 0)
	seen := make(map[string]bool, len(to))
	for _, a := range to {
		k := key(a)
		seen[k] = true
		b, ok := before[k]
		switch {
		case !ok:
			out = append(out, Change{Identity: a.Identity, Use: a.Use, Change: "Added", To: a.Thumbprint, After: &a})
		case !sameAssignment(a, b):
			out = append(out, Change{Identity: a.Identity, Use: a.Use, Change: "Changed", From: b.Thumbprint, To: a.Thumbprint, Before: &b, After: &a})
		}
	}
	for _, b := range from {
		if !seen[key(b)] {
			out = append(out, Change{Identity: b.Identity, Use: b.Use, Change: "Removed", From: b.Thumbprint, Before: &b})
		}
	}
	return out
}

func sameAssignment(a, b Assignment) bool {
	eq := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.Thumbprint == b.Thumbprint && a.PreviousThumbprint == b.PreviousThumbprint &&
		eq(a.EffectiveDate, b.EffectiveDate) && a.Known == b.Known
}

// Diff lists what changed in the assignments in force between two instants.
func (m *Model) Diff(from, to time.Time) []Change {
	return Diff(m.AsOf(from).Assignments(""), m.AsOf(to).Assignments(""))
}
