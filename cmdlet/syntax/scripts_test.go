package syntax

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// secretRedaction is the kind of config the binder hands the printer:
// passwords, and the plain text given to ConvertTo-SecureString.
var secretRedaction = &PrintConfig{Redact: func(cmd *Command, p *Parameter) bool {
	name := strings.ToLower(p.Name)
	if strings.HasPrefix("password", name) && len(name) >= 2 {
		return true
	}
	if s, ok := cmd.Name.(*StringLit); ok && strings.EqualFold(s.Value, "ConvertTo-SecureString") {
		return strings.HasPrefix("string", name)
	}
	return false
}}

// TestScripts parses the real-world corpus under testdata/scripts. A
// script named fail-* must be rejected and every other one accepted; the
// golden file beside each holds what users see: the canonical text with
// secrets redacted, every command with its position, and the parse error
// record.
func TestScripts(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "scripts", "*.ps1"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 40 {
		t.Fatalf("only %d scripts in the corpus", len(paths))
	}
	for _, path := range paths {
		base := filepath.Base(path)
		t.Run(base, func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			name := `C:\scripts\` + base
			f, perr := ParseFile(name, src)
			mustFail := strings.HasPrefix(base, "fail-")
			if mustFail && perr == nil {
				t.Fatalf("%s parsed, but PowerShell rejects it", base)
			}
			if !mustFail && perr != nil {
				t.Fatalf("%s: %v\n%s", base, perr, FormatErrors(perr.(ErrorList), src))
			}
			var b strings.Builder
			b.WriteString("== canonical text, secrets redacted\n")
			b.WriteString(Sprint(f, secretRedaction))
			b.WriteString("== commands\n")
			Inspect(f, func(n Node) bool {
				if c, ok := n.(*Command); ok {
					fmt.Fprintf(&b, "%s %s\n", f.Position(c.Pos()), Sprint(c, secretRedaction))
				}
				return true
			})
			if perr != nil {
				b.WriteString("== parse error record\n")
				b.WriteString(FormatErrors(perr.(ErrorList), src))
				b.WriteString("\n")
			} else {
				checkRoundTrip(t, strings.TrimSuffix(Sprint(f, nil), "\n"))
			}
			golden(t, strings.TrimSuffix(path, ".ps1")+".golden", b.String())
		})
	}
}
