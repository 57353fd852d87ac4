package projections_test

import (
	"fmt"
	"os"
	"time"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/projections"
)

// A roll staged today for next year: the old certificate stays in force
// until the EffectiveDate, the new one from then, with the old one as its
// PreviousThumbprint.
func ExampleModel_AsOf() {
	today := time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC)
	nextYear := today.AddDate(1, 0, 0)
	meta := events.Meta{Actor: `LITWARE\kenmyer`, Script: "rotate.ps1", Computer: "atl-cs-001.litwareinc.com"}
	m := projections.Fold([]events.Record{
		{Seq: 1, Stored: today, Event: events.Event{Meta: meta, Data: events.CertificateAssigned{
			Identity: "global", Uses: []string{"OAuthTokenIssuer"}, Thumbprint: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678"}}},
		{Seq: 2, Stored: today.Add(time.Minute), Event: events.Event{Meta: meta, Data: events.CertificateAssigned{
			Identity: "Global", Uses: []string{"oauthtokenissuer"}, Thumbprint: "B142918E463981A76503828BB1278391B7162809",
			Roll: true, EffectiveDate: &nextYear}}},
	})
	for _, at := range []time.Time{today.Add(time.Hour), nextYear} {
		fmt.Println("as of", at.Format(time.DateOnly))
		for _, a := range m.AsOf(at).Assignments("") {
			fmt.Printf("%s %s %.8s previous %.8q\n", a.Identity, a.Use, a.Thumbprint, a.PreviousThumbprint)
		}
	}
	projections.WriteTable(os.Stdout, m.AtSeq(1, nextYear).Assignments(""))
	// Output:
	// as of 2026-11-21
	// Global OAuthTokenIssuer A1B2C3D4 previous ""
	// as of 2027-11-21
	// Global OAuthTokenIssuer B142918E previous "A1B2C3D4"
	//
	// Identity Use              Thumbprint                               PreviousThumbprint EffectiveDate Subject NotAfter Known
	// -------- ---              ----------                               ------------------ ------------- ------- -------- -----
	// Global   OAuthTokenIssuer A1B2C3D4E5F60718293A4B5C6D7E8F9012345678                                                   False
}
