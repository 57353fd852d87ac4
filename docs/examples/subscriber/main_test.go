package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/events/natsstore"
)

// TestFollow serves a real log, writes a run as the writer user, and reads
// it back with the example as the read-only subscriber.
func TestFollow(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ready := make(chan natsstore.ServeInfo, 1)
	done := make(chan error, 1)
	go func() {
		done <- natsstore.Serve(ctx, natsstore.ServeConfig{DataDir: dir, Listen: "127.0.0.1:0",
			Ready: func(i natsstore.ServeInfo) { ready <- i }})
	}()
	var info natsstore.ServeInfo
	select {
	case info = <-ready:
	case err := <-done:
		t.Fatalf("serve: %v", err)
	}
	raw, err := os.ReadFile(info.CredentialsFile)
	if err != nil {
		t.Fatal(err)
	}
	var creds natsstore.ServeCredentials
	if err := json.Unmarshal(raw, &creds); err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(info.URL)
	u.User = url.UserPassword(creds.Writer.User, creds.Writer.Password)
	st, err := natsstore.Open(ctx, natsstore.Config{ServerURL: u.String()})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now().UTC()
	meta := func(i int) events.Meta {
		return events.Meta{EventID: "run1-" + string(rune('0'+i)), RunID: "run1", Actor: "alice", Host: "h",
			Time: now, Script: "roll.ps1", Line: i, Char: 1, Producer: "test",
			Command: "Set-CsCertificate -Type Default -Thumbprint A1"}
	}
	_, err = st.Append(ctx, events.Batch{RunID: "run1", Events: []events.Event{
		{Meta: meta(1), Data: events.CertificateAssigned{Identity: "Global", Uses: []string{"Default"}, Thumbprint: "A1"}},
		{Meta: meta(2), Data: events.CertificateAssigned{Identity: "fe01.contoso.com", Uses: []string{"Internal"}, Thumbprint: "A1"}},
	}})
	if err != nil {
		t.Fatal(err)
	}

	var out bytes.Buffer
	if err := follow(ctx, info.CredentialsFile, 1, 2, &out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"1 certificate.assigned Global by alice at roll.ps1:1: Set-CsCertificate -Type Default -Thumbprint A1\n",
		"2 certificate.assigned fe01.contoso.com by alice at roll.ps1:2:",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	cancel()
	<-done
}
