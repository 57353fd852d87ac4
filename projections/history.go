package projections

import (
	"slices"
	"strings"
	"time"

	"github.com/certledger/certledger/events"
)

// HistoryEntry is one change in the audit trail (`certledger history`): what
// the event did, who did it, when, and from which script line, with the
// command text as recorded (secrets already redacted by the writer).
type HistoryEntry struct {
	Seq           uint64     `json:"Seq"`
	Stored        time.Time  `json:"Stored" table:"-"` // when the log stored it
	Time          time.Time  `json:"Time"`             // when the run committed
	Actor         string     `json:"Actor"`
	Host          string     `json:"Host" table:"-"`
	Event         string     `json:"Event"` // the event type, e.g. "certificate.assigned"
	Identity      string     `json:"Identity"`
	Server        string     `json:"Server" table:"-"`
	Uses          []string   `json:"Uses"`
	Thumbprint    string     `json:"Thumbprint"`
	Roll          bool       `json:"Roll" table:"-"`
	EffectiveDate *time.Time `json:"EffectiveDate" table:"-"`
	Previous      bool       `json:"Previous" table:"-"`
	// PreviousThumbprint is, for a roll, the certificate it keeps as the
	// previous one; Removed lists the thumbprints the event took out of the
	// configuration of these uses (replaced, rolled out, or removed).
	PreviousThumbprint string   `json:"PreviousThumbprint" table:"-"`
	Removed            []string `json:"Removed" table:"-"`
	Services           []string `json:"Services" table:"-"`
	Script             string   `json:"Script"`
	Line               int      `json:"Line"`
	Char               int      `json:"Char" table:"-"`
	Command            string   `json:"Command"`
	RunID              string   `json:"RunID" table:"-"`
	EventID            string   `json:"EventID" table:"-"`
}

// HistoryFilter selects entries: those naming a thumbprint (imported,
// assigned, removed or given services) and those of an identity or server.
// Empty fields select everything.
type HistoryFilter struct {
	Thumbprint string
	Identity   string
}

// Historian folds records into history entries one at a time, so that a
// history of any length streams in constant memory beyond what the
// configuration itself holds.
type Historian struct {
	filter  HistoryFilter
	thumb   string
	idKey   string
	current map[string][2]string // slot key → {thumbprint, previous} as configured
}

// NewHistorian returns a Historian for the filter.
func NewHistorian(f HistoryFilter) *Historian {
	h := &Historian{filter: f, thumb: normThumbprint(f.Thumbprint), current: make(map[string][2]string)}
	if f.Identity != "" {
		h.idKey, _ = identityKey(f.Identity, "")
	}
	return h
}

// Next returns the entry for a record and whether the filter selects it.
// Records must come in sequence order.
func (h *Historian) Next(r events.Record) (HistoryEntry, bool) {
	mt := r.Event.Meta
	e := HistoryEntry{
		Seq: r.Seq, Stored: r.Stored.UTC(), Time: mt.Time.UTC(), Actor: mt.Actor, Host: mt.Host,
		Script: mt.Script, Line: mt.Line, Char: mt.Char, Command: mt.Command,
		RunID: mt.RunID, EventID: mt.EventID, Uses: []string{}, Removed: []string{}, Services: []string{},
	}
	if r.Event.Data != nil {
		e.Event = r.Event.Data.EventType()
	}
	var ids []string // identity keys the event concerns
	switch d := deref(r.Event.Data).(type) {
	case events.CertificateImported:
		e.Server = serverKey(d.Server, mt.Computer)
		e.Identity = e.Server
		e.Thumbprint = normThumbprint(d.Thumbprint)
		ids = []string{e.Server}
	case events.ServicesEnabled:
		e.Server = serverKey(d.Server, mt.Computer)
		e.Identity = e.Server
		e.Thumbprint = normThumbprint(d.Thumbprint)
		e.Services = slices.Clone(d.Services)
		ids = []string{e.Server}
	case events.CertificateAssigned:
		k, disp := identityKey(d.Identity, mt.Computer)
		e.Identity = displayOr(disp, d.Identity)
		e.Uses = canonicalUses(d.Uses)
		e.Thumbprint = normThumbprint(d.Thumbprint)
		e.Roll = d.Roll
		if d.EffectiveDate != nil {
			t := d.EffectiveDate.UTC()
			e.EffectiveDate = &t
		}
		for _, u := range e.Uses {
			sk := slotKey(k, strings.ToLower(u))
			before := h.current[sk]
			after := [2]string{e.Thumbprint, ""}
			if d.Roll {
				after[1] = before[0]
				e.PreviousThumbprint = before[0]
			}
			for _, t := range before {
				if t != "" && t != after[0] && t != after[1] {
					e.Removed = appendNew(e.Removed, t)
				}
			}
			h.current[sk] = after
		}
		ids = []string{k}
	case events.CertificateRemoved:
		k, disp := identityKey(d.Identity, mt.Computer)
		e.Identity = displayOr(disp, d.Identity)
		e.Uses = canonicalUses(d.Uses)
		e.Previous = d.Previous
		for _, u := range e.Uses {
			sk := slotKey(k, strings.ToLower(u))
			cur, ok := h.current[sk]
			if !ok {
				continue
			}
			if d.Previous {
				if cur[1] != "" {
					e.Removed = appendNew(e.Removed, cur[1])
				}
				h.current[sk] = [2]string{cur[0], ""}
			} else {
				e.Removed = appendNew(e.Removed, cur[0])
				delete(h.current, sk)
			}
		}
		ids = []string{k}
	}
	if h.thumb != "" && e.Thumbprint != h.thumb && e.PreviousThumbprint != h.thumb && !slices.Contains(e.Removed, h.thumb) {
		return e, false
	}
	if h.idKey != "" && !slices.Contains(ids, h.idKey) {
		return e, false
	}
	return e, true
}

// History is the pure form of the Historian: the selected entries of
// records, oldest first.
func History(records []events.Record, f HistoryFilter) []HistoryEntry {
	h := NewHistorian(f)
	out := make([]HistoryEntry, 0)
	for _, r := range records {
		if e, ok := h.Next(r); ok {
			out = append(out, e)
		}
	}
	return out
}

func deref(d events.Data) events.Data {
	switch d := d.(type) {
	case *events.CertificateImported:
		return *d
	case *events.CertificateAssigned:
		return *d
	case *events.CertificateRemoved:
		return *d
	case *events.ServicesEnabled:
		return *d
	}
	return d
}

func displayOr(display, given string) string {
	if display != "" {
		return display
	}
	return strings.TrimSpace(given)
}

func canonicalUses(uses []string) []string {
	out := make([]string, 0, len(uses))
	for _, u := range uniqueUses(uses) {
		_, d := useKey(u)
		out = append(out, d)
	}
	return out
}

func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}
