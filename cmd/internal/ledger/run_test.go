package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"software.sslmate.com/src/go-pkcs12"

	"github.com/certledger/certledger/cmdlet"
	"github.com/certledger/certledger/events"
	"github.com/certledger/certledger/events/certfile/certtest"
	"github.com/certledger/certledger/events/natsstore"
	"github.com/certledger/certledger/projections"
)

// These tests run the real embedded nats-server on a temporary directory.

const canary = "Ledger-Canary-91x"

func openStore(t *testing.T) *natsstore.Store { return openStoreTB(t) }

func openStoreTB(t testing.TB) *natsstore.Store {
	t.Helper()
	st, err := natsstore.Open(context.Background(), natsstore.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newRun(st *natsstore.Store, certs string, host func(cmdlet.Handler) *cmdlet.Host) *Run {
	if host == nil {
		host = func(h cmdlet.Handler) *cmdlet.Host {
			var pm cmdlet.PathMap
			_ = pm.Set(`C:\Certs=` + certs)
			return cmdlet.New(h, cmdlet.WithPathMap(pm), cmdlet.WithComputerName("fe01.contoso.com"),
				cmdlet.WithEnv(func(k string) (string, bool) {
					if k == "CERTLEDGER_CREDENTIAL_PASSWORD" {
						return canary, true
					}
					return "", false
				}))
		}
	}
	return &Run{
		Store:       st,
		Projections: projections.Open(st, st, projections.WithComputer("fe01.contoso.com")),
		Host:        host,
		Computer:    "FE01.contoso.com",
		Actor:       "alice",
		HostName:    "admin01",
		Now:         time.Now,
	}
}

func records(t *testing.T, st events.Store) []events.Record {
	t.Helper()
	var out []events.Record
	if err := st.Read(context.Background(), 1, func(r events.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func writePFX(t *testing.T) (dir, thumb string) {
	t.Helper()
	set := certtest.New(t, certtest.Options{CommonName: "fe01.contoso.com", Deterministic: true})
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "fe01.pfx"), set.MustPFX(t, pkcs12.Modern, canary), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, set.Thumbprint()
}

func TestRunCommitsWholeScriptWithAudit(t *testing.T) {
	st := openStore(t)
	dir, thumb := writePFX(t)
	src := []byte("$pw = ConvertTo-SecureString -String $env:CERTLEDGER_CREDENTIAL_PASSWORD -AsPlainText -Force\n" +
		"$c = Import-ExchangeCertificate -FileName C:\\Certs\\FE01.PFX -Password $pw\n" +
		"Set-CsCertificate -Identity GLOBAL -Type OAuthTokenIssuer -Thumbprint $c.Thumbprint\n")
	res, err := newRun(st, dir, nil).Execute(context.Background(), Script{Name: "stage.ps1", Audit: "stage.ps1", Src: src})
	if err != nil {
		t.Fatal(cmdlet.FormatError(err))
	}
	if res.Events != 2 || res.FirstSeq != 1 || res.LastSeq != 2 {
		t.Fatalf("result = %+v, want 2 events at 1-2", res)
	}
	recs := records(t, st)
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	imp, ok := recs[0].Event.Data.(events.CertificateImported)
	if !ok || imp.Thumbprint != thumb || imp.Server != "fe01.contoso.com" || !imp.HasPrivateKey {
		t.Errorf("first event = %#v", recs[0].Event.Data)
	}
	as, ok := recs[1].Event.Data.(events.CertificateAssigned)
	if !ok || as.Identity != "Global" || as.Thumbprint != thumb || !as.Known {
		t.Errorf("second event = %#v", recs[1].Event.Data)
	}
	m := recs[1].Event.Meta
	if m.Actor != "alice" || m.Host != "admin01" || m.Script != "stage.ps1" || m.Line != 3 || m.Char != 1 ||
		m.RunID != res.RunID || len(m.ScriptSHA256) != 64 || m.Producer == "" {
		t.Errorf("audit metadata = %+v", m)
	}
	if !strings.HasPrefix(m.Command, "Set-CsCertificate -Identity GLOBAL -Type OAuthTokenIssuer -Thumbprint") {
		t.Errorf("command text = %q", m.Command)
	}
	for _, r := range recs {
		raw, err := events.Encode(r.Event)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(raw, []byte(canary)) {
			t.Errorf("event %d holds the password: %s", r.Seq, raw)
		}
	}
}

func TestRunWithErrorCommitsNothing(t *testing.T) {
	st := openStore(t)
	src := []byte("Set-CsCertificate -Type Default -Thumbprint AB12\n" +
		"Set-CsCertificate -Type Internal -Thumbprint AB12\n" +
		"Set-CsCertificate -Type Nope -Thumbprint AB12\n")
	_, err := newRun(st, t.TempDir(), nil).Execute(context.Background(), Script{Name: "x.ps1", Audit: "x.ps1", Src: src})
	if err == nil {
		t.Fatal("a script failing on its last line ran without error")
	}
	if got := cmdlet.FormatError(err); !strings.Contains(got, "At x.ps1:3 char:25") {
		t.Errorf("error record:\n%s", got)
	}
	if n := len(records(t, st)); n != 0 {
		t.Fatalf("%d events committed, want none", n)
	}
}

func TestRunWhatIfCommitsNothing(t *testing.T) {
	st := openStore(t)
	r := newRun(st, t.TempDir(), nil)
	r.WhatIf = true
	res, err := r.Execute(context.Background(), Script{Name: "", Audit: "exec", Src: []byte("Set-CsCertificate -Type Default -Thumbprint AB12")})
	if err != nil {
		t.Fatal(err)
	}
	if !res.WhatIf || len(records(t, st)) != 0 {
		t.Fatalf("result %+v; want a -WhatIf run that commits nothing", res)
	}
}

// TestConcurrentWritersRevalidate has two runs validate against the same
// state and commit one after the other: the second's check fails, it is
// validated again on the new state, and both changes are in the log —
// neither is lost, and the second saw the first.
func TestConcurrentWritersRevalidate(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	firstValidated := make(chan struct{})
	firstCommitted := make(chan struct{})
	var attempts sync.Map

	makeHost := func(name string, wait <-chan struct{}, signal chan<- struct{}) func(cmdlet.Handler) *cmdlet.Host {
		n := 0
		return func(h cmdlet.Handler) *cmdlet.Host {
			n++
			attempts.Store(name, n)
			if n == 1 && signal != nil {
				close(signal)
			}
			if n == 1 && wait != nil {
				<-wait // validate on the state from before the other run committed
			}
			return cmdlet.New(h, cmdlet.WithComputerName("fe01.contoso.com"))
		}
	}
	a := newRun(st, "", makeHost("a", nil, nil))
	b := newRun(st, "", makeHost("b", firstCommitted, firstValidated))

	var wg sync.WaitGroup
	var resB Result
	var errB error
	wg.Add(1)
	go func() {
		defer wg.Done()
		resB, errB = b.Execute(ctx, Script{Name: "b.ps1", Audit: "b.ps1", Src: []byte("Set-CsCertificate -Identity Global -Type Default -Thumbprint BB22")})
	}()
	<-firstValidated
	if _, err := a.Execute(ctx, Script{Name: "a.ps1", Audit: "a.ps1", Src: []byte("Set-CsCertificate -Identity Global -Type Default -Thumbprint AA11")}); err != nil {
		t.Fatal(err)
	}
	close(firstCommitted)
	wg.Wait()
	if errB != nil {
		t.Fatal(errB)
	}
	if n, _ := attempts.Load("b"); n.(int) != 2 {
		t.Errorf("the second writer was validated %v times, want 2", n)
	}
	recs := records(t, st)
	if len(recs) != 2 || resB.FirstSeq != 2 {
		t.Fatalf("%d records (second run at %d), want both runs", len(recs), resB.FirstSeq)
	}
	m, err := projections.Open(st, st).Catchup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rows := m.AsOf(time.Now()).Assignments("Global")
	if len(rows) != 1 || rows[0].Thumbprint != "BB22" || rows[0].PreviousThumbprint != "" {
		t.Fatalf("Global assignments = %+v", rows)
	}
}

// TestRunReadsUTF16Scripts runs a script saved as Windows PowerShell's
// Out-File saves it (UTF-16 LE with a byte order mark); the audit hash is
// of the file as it is.
func TestRunReadsUTF16Scripts(t *testing.T) {
	st := openStore(t)
	line := "Set-CsCertificate -Identity Global -Type Default -Thumbprint AB12\r\n"
	src := []byte{0xFF, 0xFE}
	for _, r := range line {
		src = append(src, byte(r), 0)
	}
	if _, err := newRun(st, t.TempDir(), nil).Execute(context.Background(), Script{Name: "u16.ps1", Audit: "u16.ps1", Src: src}); err != nil {
		t.Fatal(cmdlet.FormatError(err))
	}
	recs := records(t, st)
	if len(recs) != 1 {
		t.Fatalf("%d events, want 1", len(recs))
	}
	sum := sha256.Sum256(src)
	if got := recs[0].Event.Meta.ScriptSHA256; got != hex.EncodeToString(sum[:]) {
		t.Errorf("script hash %s is not the file's", got)
	}
}
