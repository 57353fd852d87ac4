// Command mkcerts writes an example set of certificate files — test-only
// material for certledger's examples and end-to-end tests:
//
//	import.pfx         PKCS#12, modern AES-256/PBKDF2 encryption
//	import-legacy.pfx  PKCS#12, legacy 3DES encryption
//	import.p7b         PKCS#7 certificates-only bundle (leaf, intermediate, root)
//	server.cer         the leaf alone, DER
//	server.pem         the leaf and its chain, PEM
//
// Both PFX files are protected by the password in the environment variable
// named by -password-env (an empty value means an empty password; an unset
// variable is an error). Without -password-env the password is empty. The
// password is never printed.
//
// By default the set is deterministic (certtest's embedded test-only keys),
// so every run prints the same thumbprint; -random makes fresh keys. For
// each file mkcerts prints its name and the thumbprint certfile reads back.
//
// Usage:
//
//	mkcerts -dir DIR [-password-env NAME] [-cn NAME] [-dns NAME,...] [-random]
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/certledger/certledger/events/certfile"
	"github.com/certledger/certledger/events/certfile/certtest"
	"software.sslmate.com/src/go-pkcs12"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "mkcerts:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("mkcerts", flag.ContinueOnError)
	dir := fs.String("dir", "", "directory to write the files into (created if missing)")
	pwEnv := fs.String("password-env", "", "name of the environment variable holding the PFX password")
	cn := fs.String("cn", certtest.DefaultCommonName, "the leaf's common name")
	dns := fs.String("dns", "", "the leaf's DNS names, comma-separated (default: the common name and autodiscover.contoso.com)")
	random := fs.Bool("random", false, "fresh random keys instead of the deterministic test-only ones")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || fs.NArg() > 0 {
		return errors.New("usage: mkcerts -dir DIR [-password-env NAME] [-cn NAME] [-dns NAME,...] [-random]")
	}
	password := ""
	if *pwEnv != "" {
		// An unset variable is a mistake worth stopping for: the files
		// would get an empty password while the reader uses another.
		var ok bool
		if password, ok = os.LookupEnv(*pwEnv); !ok {
			return fmt.Errorf("-password-env %s: the environment variable is not set (set it, even to an empty value)", *pwEnv)
		}
	}

	opts := certtest.Options{CommonName: *cn, Intermediate: true, Deterministic: !*random}
	if *dns != "" {
		opts.DNSNames = strings.Split(*dns, ",")
	}
	set, err := certtest.Generate(opts)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return err
	}

	files := []struct {
		name   string
		encode func() ([]byte, error)
	}{
		{"import.pfx", func() ([]byte, error) { return set.PFX(pkcs12.Modern, password) }},
		{"import-legacy.pfx", func() ([]byte, error) { return set.PFX(pkcs12.LegacyDES, password) }},
		{"import.p7b", set.P7B},
		{"server.cer", func() ([]byte, error) { return set.DER(), nil }},
		{"server.pem", func() ([]byte, error) { return set.PEM(), nil }},
	}
	for _, f := range files {
		data, err := f.encode()
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		// Read it back: the printed thumbprint is what certledger will see.
		decoded, err := certfile.Decode(f.name, data, password)
		if err != nil {
			return err
		}
		mode := os.FileMode(0o644)
		if strings.HasSuffix(f.name, ".pfx") {
			mode = 0o600 // holds a private key, even a test-only one
		}
		if err := os.WriteFile(filepath.Join(*dir, f.name), data, mode); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%-18s %s\n", f.name, decoded.Leaf.Thumbprint)
	}
	return nil
}
