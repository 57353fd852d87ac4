package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certledger/certledger/events/certfile"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	const password = "mkcerts-canary-31f"
	t.Setenv("MKCERTS_TEST_PASSWORD", password)
	var out bytes.Buffer
	if err := run([]string{"-dir", dir, "-password-env", "MKCERTS_TEST_PASSWORD"}, &out); err != nil {
		t.Fatal(err)
	}
	const thumb = "89CDB51D72C9D21FA87FBF216025DC2479BB4869"
	want := []string{"import.pfx", "import-legacy.pfx", "import.p7b", "server.cer", "server.pem"}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != len(want) {
		t.Fatalf("output:\n%s", out.String())
	}
	for i, name := range want {
		if f := strings.Fields(lines[i]); len(f) != 2 || f[0] != name || f[1] != thumb {
			t.Errorf("line %d = %q", i, lines[i])
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		f, err := certfile.Decode(name, data, password)
		if err != nil || f.Leaf.Thumbprint != thumb {
			t.Errorf("%s: %v", name, err)
		}
		if strings.HasSuffix(name, ".pfx") {
			if _, err := certfile.Decode(name, data, "wrong"); err == nil {
				t.Errorf("%s opens with a wrong password", name)
			}
		}
	}
	if strings.Contains(out.String(), password) {
		t.Error("output shows the password")
	}
}

func TestRunErrors(t *testing.T) {
	if err := run(nil, &bytes.Buffer{}); err == nil {
		t.Error("no -dir: no error")
	}
	err := run([]string{"-dir", t.TempDir(), "-password-env", "MKCERTS_TEST_SURELY_UNSET"}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "MKCERTS_TEST_SURELY_UNSET") {
		t.Errorf("unset variable: %v", err)
	}
}

func TestRunNames(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	if err := run([]string{"-dir", dir, "-cn", "sip.fabrikam.com", "-dns", "sip.fabrikam.com,fe01.fabrikam.com"}, &out); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "server.cer"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := certfile.Decode("server.cer", data, "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Leaf.Subject != "CN=sip.fabrikam.com, O=Contoso, C=US" || strings.Join(f.Leaf.AlternativeNames, ",") != "sip.fabrikam.com,fe01.fabrikam.com" {
		t.Errorf("leaf = %+v", f.Leaf)
	}
	// No -password-env: the PFX files have an empty password.
	pfx, err := os.ReadFile(filepath.Join(dir, "import.pfx"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := certfile.Decode("import.pfx", pfx, ""); err != nil {
		t.Errorf("empty password: %v", err)
	}
}
