package projections

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/certledger/certledger/events"
)

// t0 is the instant the test logs start at.
var t0 = time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)

// logBuilder writes records the way the store would: increasing sequence
// numbers, a stored time, and audit metadata.
type logBuilder struct {
	recs []events.Record
	now  time.Time
	line int
}

func newLog() *logBuilder { return &logBuilder{now: t0} }

func (b *logBuilder) at(t time.Time) *logBuilder { b.now = t; return b }

func (b *logBuilder) add(cmd string, d events.Data) *logBuilder {
	b.line++
	seq := uint64(len(b.recs) + 1)
	b.recs = append(b.recs, events.Record{
		Seq:    seq,
		Stored: b.now,
		Event: events.Event{
			Meta: events.Meta{
				EventID: fmt.Sprintf("ev-%d", seq), RunID: fmt.Sprintf("run-%d", seq),
				Actor: "LITWARE\\kenmyer", Host: "admin-ws", Time: b.now, Script: "rotate.ps1",
				ScriptSHA256: "00", Line: b.line, Char: 1, Statement: b.line - 1,
				Producer: "certledger/test", Command: cmd, Computer: "atl-cs-001.litwareinc.com",
				SchemaVersion: 1,
			},
			Data: d,
		},
	})
	return b
}

func (b *logBuilder) importCert(server, thumb, subject string, notAfter time.Time) *logBuilder {
	return b.add(`Import-CsCertificate -Path C:\certs\`+thumb[:4]+`.pfx -Password [redacted]`, events.CertificateImported{
		Server: server, Thumbprint: thumb, Subject: subject, Issuer: "CN=LitwareCA",
		NotBefore: notAfter.AddDate(-1, 0, 0), NotAfter: notAfter, SerialNumber: "611BB012" + thumb[:4],
		FriendlyName: "Lync " + thumb[:4], HasPrivateKey: true, AlternativeNames: []string{"sip.litwareinc.com", "atl-cs-001.litwareinc.com"},
		SourceFile: `C:\certs\` + thumb[:4] + `.pfx`, SourceSHA256: "ab" + thumb[:6],
	})
}

func (b *logBuilder) assign(identity, thumb string, uses ...string) *logBuilder {
	return b.add(fmt.Sprintf("Set-CsCertificate -Identity %s -Type %v -Thumbprint %s", identity, uses, thumb),
		events.CertificateAssigned{Identity: identity, Uses: uses, Thumbprint: thumb})
}

func (b *logBuilder) roll(identity, thumb string, eff *time.Time, uses ...string) *logBuilder {
	return b.add(fmt.Sprintf("Set-CsCertificate -Identity %s -Type %v -Thumbprint %s -Roll", identity, uses, thumb),
		events.CertificateAssigned{Identity: identity, Uses: uses, Thumbprint: thumb, Roll: true, EffectiveDate: eff})
}

func (b *logBuilder) remove(identity string, previous bool, uses ...string) *logBuilder {
	return b.add(fmt.Sprintf("Remove-CsCertificate -Identity %s -Type %v", identity, uses),
		events.CertificateRemoved{Identity: identity, Uses: uses, Previous: previous})
}

func (b *logBuilder) enable(server, thumb string, services ...string) *logBuilder {
	return b.add(fmt.Sprintf("Enable-ExchangeCertificate -Server %s -Thumbprint %s -Services %v", server, thumb, services),
		events.ServicesEnabled{Server: server, Thumbprint: thumb, Services: services})
}

func ptr[T any](v T) *T { return &v }

// genLog makes a random but plausible log of n events from a seed: few
// identities written in several spellings, few uses and thumbprints, so that
// events collide on the same slots; rolls with effective dates in the past,
// the near future and far future, or none; stored times that mostly
// increase but sometimes repeat or step back (a cluster's clocks).
func genLog(seed uint64, n int) []events.Record {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ids := []string{"Global", "global", "GLOBAL", "atl-cs-001.litwareinc.com", "ATL-CS-001.LitwareInc.com.", "site:Redmond", "SITE:redmond", "service:WebServer:atl-pool.litwareinc.com", ""}
	uses := []string{"Default", "default", "WebServicesInternal", "WebServicesExternal", "OAuthTokenIssuer", "AudioVideoAuthentication"}
	thumbs := []string{"A1B2C3D4E5F60718293A4B5C6D7E8F9012345678", "b142918e463981a76503828bb1278391b7162809", "C0FFEE00C0FFEE00C0FFEE00C0FFEE00C0FFEE00", "DEADBEEF00112233445566778899AABBCCDDEEFF", "0123456789ABCDEF0123456789ABCDEF01234567", "feedface typed by hand"}
	servers := []string{"atl-cs-001.litwareinc.com", "EX01.litwareinc.com", ""}
	b := newLog()
	for range n {
		switch k := rng.IntN(20); {
		case k < 1:
			b.at(b.now) // same instant as the previous record
		case k < 2:
			b.at(b.now.Add(-time.Duration(rng.IntN(3600)) * time.Second))
		default:
			b.at(b.now.Add(time.Duration(rng.IntN(72*3600)) * time.Second))
		}
		id := ids[rng.IntN(len(ids))]
		th := thumbs[rng.IntN(len(thumbs))]
		us := []string{uses[rng.IntN(len(uses))]}
		if rng.IntN(3) == 0 {
			us = append(us, uses[rng.IntN(len(uses))])
		}
		switch k := rng.IntN(16); {
		case k < 3:
			b.importCert(servers[rng.IntN(len(servers))], th, "CN="+th[:6], t0.AddDate(1, 0, int(th[0])))
			if rng.IntN(3) == 0 {
				// A .cer or a request's .p7b: no key, which must not take
				// away a key imported before.
				r := &b.recs[len(b.recs)-1]
				d := r.Event.Data.(events.CertificateImported)
				d.HasPrivateKey = false
				r.Event.Data = d
			}
		case k < 8:
			b.assign(id, th, us...)
		case k < 12:
			var eff *time.Time
			switch rng.IntN(4) {
			case 0:
				eff = ptr(b.now.Add(-time.Duration(rng.IntN(48)) * time.Hour))
			case 1:
				eff = ptr(b.now.Add(time.Duration(rng.IntN(96)) * time.Hour))
			case 2:
				eff = ptr(b.now.AddDate(1, 0, 0))
			}
			b.roll(id, th, eff, us...)
		case k < 14:
			b.remove(id, rng.IntN(2) == 0, us...)
		default:
			b.enable(servers[rng.IntN(len(servers))], th, []string{"IIS", "smtp", "IMAP, POP", "Custom"}[rng.IntN(4)])
		}
	}
	return b.recs
}

func eventsRemoved(identity string, uses ...string) events.CertificateRemoved {
	return events.CertificateRemoved{Identity: identity, Uses: uses}
}

// rebuildRead rebuilds, then reads the new generation back, segments and
// shards, as the next read command does: the whole model the rebuild wrote.
func rebuildRead(ctx context.Context, p *Projections, until Until) (*Model, error) {
	r, err := p.Rebuild(ctx, until)
	if err != nil {
		return nil, err
	}
	return r.Model(ctx)
}
