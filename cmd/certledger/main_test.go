package main

import (
	"encoding/json"
	"flag"
	"math/big"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"software.sslmate.com/src/go-pkcs12"

	"github.com/certledger/certledger/events/certfile/certtest"
	"github.com/certledger/certledger/events/natsstore"
)

// The end-to-end tests run the real binary (testscript re-executes this
// test binary as `certledger`) against the real embedded nats-server in a
// fresh data directory per script.

var update = flag.Bool("update", false, "rewrite the golden files in testdata/script")

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"certledger": func() { os.Exit(Main(os.Args[1:], newEnv())) },
	})
}

// canary is the PFX password of every end-to-end test; scripts assert that
// it appears in no output, error, event or data file.
const canary = "Canary-Pa55w0rd-7Q"

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("CERTLEDGER_DATA", filepath.Join(env.WorkDir, "data"))
			env.Setenv("CERTLEDGER_CREDENTIAL_USER", "pfx")
			env.Setenv("CERTLEDGER_CREDENTIAL_PASSWORD", canary)
			env.Setenv("CANARY", canary)
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("TZ", "UTC") // dates without a zone are local time
			return writeCerts(env)
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"waitserve": waitServe,
		},
	})
}

// waitServe waits for `certledger serve` to write its serve.json, then sets
// $WRITER_URL and $SUBSCRIBER_URL to its URL with each user's credentials.
func waitServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitserve SERVE.JSON")
	}
	path := ts.MkAbs(args[0])
	deadline := time.Now().Add(30 * time.Second)
	var creds natsstore.ServeCredentials
	for {
		raw, err := os.ReadFile(path)
		if err == nil && json.Unmarshal(raw, &creds) == nil && creds.URL != "" {
			break
		}
		if time.Now().After(deadline) {
			ts.Fatalf("%s did not appear: %v", path, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	withUser := func(u natsstore.UserPass) string {
		p, err := url.Parse(creds.URL)
		ts.Check(err)
		p.User = url.UserPassword(u.User, u.Password)
		return p.String()
	}
	ts.Setenv("WRITER_URL", withUser(creds.Writer))
	ts.Setenv("SUBSCRIBER_URL", withUser(creds.Subscriber))
	ts.Setenv("WRITER_PASSWORD", creds.Writer.Password)
}

// writeCerts puts real certificate files in $WORK/certs: the deterministic
// test set (so thumbprints in scripts are stable) in every format, plus a
// second certificate for rolls, and exports their thumbprints.
func writeCerts(env *testscript.Env) error {
	dir := filepath.Join(env.WorkDir, "certs")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	set, err := certtest.Generate(certtest.Options{CommonName: "fe01.contoso.com",
		DNSNames: []string{"fe01.contoso.com", "pool01.contoso.com"}, Intermediate: true, Deterministic: true})
	if err != nil {
		return err
	}
	modern, err := set.PFX(pkcs12.Modern, canary)
	if err != nil {
		return err
	}
	legacy, err := set.PFX(pkcs12.LegacyRC2, canary)
	if err != nil {
		return err
	}
	emptyPW, err := set.PFX(pkcs12.Modern, "")
	if err != nil {
		return err
	}
	p7b, err := set.P7B()
	if err != nil {
		return err
	}
	// The successor differs from the first certificate only in its serial,
	// so its thumbprint is as stable as the first's.
	next, err := certtest.Generate(certtest.Options{CommonName: "fe01.contoso.com",
		DNSNames: []string{"fe01.contoso.com", "pool01.contoso.com"}, Serial: big.NewInt(2), Deterministic: true})
	if err != nil {
		return err
	}
	nextPFX, err := next.PFX(pkcs12.Modern, canary)
	if err != nil {
		return err
	}
	files := map[string][]byte{
		"Import.pfx":        modern,
		"import-legacy.pfx": legacy,
		"no-password.pfx":   emptyPW,
		"import.p7b":        p7b,
		"server.cer":        set.DER(),
		"server.pem":        set.PEM(),
		"next.pfx":          nextPFX,
		"corrupt.pfx":       modern[:len(modern)/2],
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			return err
		}
	}
	env.Setenv("THUMB", set.Thumbprint())
	env.Setenv("NEXT", next.Thumbprint())
	return nil
}
