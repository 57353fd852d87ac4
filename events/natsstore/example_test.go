package natsstore_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/events/natsstore"
)

func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "certledger-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	log, err := natsstore.Open(ctx, natsstore.Config{DataDir: dir})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer log.Close()
	meta := events.Meta{Actor: "admin", Host: "adminbox", Time: time.Now(), Script: "exec", Producer: "certledger/example",
		Command: "Set-CsCertificate -Type Default -Thumbprint B1429"}
	res, err := log.Append(ctx, events.Batch{
		RunID:  "run-1",
		Events: []events.Event{{Meta: meta, Data: events.CertificateAssigned{Identity: "global", Uses: []string{"Default"}, Thumbprint: "B1429"}}},
		Expect: map[events.Aggregate]uint64{{Kind: "assignment", ID: "global"}: 0}, // nothing assigned yet
	})
	fmt.Println(res.FirstSeq, res.LastSeq, err)
	log.Read(ctx, 1, func(r events.Record) error {
		a := r.Event.Data.(events.CertificateAssigned)
		fmt.Println(r.Seq, r.Event.Meta.EventID, a.Identity, a.Uses, a.Thumbprint)
		return nil
	})
	// Output:
	// 1 1 <nil>
	// 1 run-1.0.0 global [Default] B1429
}
