package bind

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certledger/certledger/cmdlet/syntax"
	"github.com/certledger/certledger/cmdlet/value"
)

// argsFromAST turns a parsed command's elements into Args the way the
// evaluator does for constants; anything else is a value only a run can
// know. It lets the tests run real parser output through the binder, next
// to the hand-built tables.
func argsFromAST(src []byte, cmd *syntax.Command) []Arg {
	text := func(n syntax.Node) string { return string(src[n.Pos().Offset():n.End().Offset()]) }
	var eval func(e syntax.Expr) value.Value
	eval = func(e syntax.Expr) value.Value {
		switch x := e.(type) {
		case *syntax.StringLit:
			return x.Value
		case *syntax.Number:
			return x.Value
		case *syntax.ArrayLit:
			out := make([]value.Value, len(x.Elems))
			for i, el := range x.Elems {
				out[i] = eval(el)
			}
			return out
		case *syntax.Variable:
			switch strings.ToLower(x.Name) {
			case "true":
				return true
			case "false":
				return false
			case "null":
				return nil
			}
		}
		return value.Unknown{Source: text(e)}
	}
	var args []Arg
	for _, el := range cmd.Elements {
		switch x := el.(type) {
		case *syntax.Parameter:
			a := Arg{Name: x.Name, Text: x.Text, Colon: x.Colon, Extent: x.Extent}
			if x.Colon && x.Arg != nil {
				a.Value, a.ValueExtent, a.Source = eval(x.Arg), x.Arg.Span(), text(x.Arg)
			}
			args = append(args, a)
		case syntax.Expr:
			args = append(args, Arg{Value: eval(x), Extent: x.Span(), Source: text(x)})
		}
	}
	return args
}

// seedCommands returns the command lines of a seed document that invoke
// one of our cmdlets (not the syntax lines with <placeholders>).
func seedCommands(t *testing.T, name string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "seeds", name))
	if err != nil {
		t.Skipf("seed not available: %v", err)
	}
	var out []string
	for _, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, "<") {
			continue
		}
		if _, ok := Lookup(strings.Fields(l + " x")[0], ""); ok {
			out = append(out, l)
		}
	}
	return out
}

// The seeds' example lines, parsed by package syntax, bind in the seed's
// release exactly as the hand-built reading of the same line does.
func TestSeedsParsed(t *testing.T) {
	for _, seed := range []struct {
		file    string
		profile Profile
		want    int
	}{
		{"000_bdc5e584bd06a1b5.txt", Lync2013, 2},
		{"003_343d0cee1676390c.txt", Exchange2007, 2},
	} {
		lines := seedCommands(t, seed.file)
		if len(lines) != seed.want {
			t.Fatalf("%s: %d command lines, want %d: %q", seed.file, len(lines), seed.want, lines)
		}
		for _, l := range lines {
			t.Run(l, func(t *testing.T) {
				f, err := syntax.ParseFile("", []byte(l))
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				cmd := f.Statements[0].(*syntax.Pipeline).Elements[0].(*syntax.Command)
				c, _ := Lookup(cmd.Name.(*syntax.StringLit).Value, seed.profile)
				parsed, err := Bind(c, argsFromAST(f.Src, cmd), Options{Command: cmd.Extent})
				if err != nil {
					t.Fatalf("bind: %v", err)
				}
				hand, e, _ := bindLine(t, l, Options{Profile: seed.profile})
				if e != nil {
					t.Fatalf("hand-built: %v", e)
				}
				if a, b := render(t, parsed), render(t, hand); a != b {
					t.Errorf("parsed %s\n  hand %s", a, b)
				}
			})
		}
	}
}

// Error extents from real parser output point where PowerShell points.
func TestParsedErrorRecords(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"Set-CsCertificate –Type Default -Thumbprint AB -Foo bar",
			"Set-CsCertificate : A parameter cannot be found that matches parameter name 'Foo'.\n" +
				"At line:1 char:48\n+ Set-CsCertificate –Type Default -Thumbprint AB -Foo bar\n+                                                ~~~~"},
		{"Set-CsCertificate -Type Web -Thumbprint AB",
			"Set-CsCertificate : Cannot bind parameter 'Type'. Cannot convert value \"Web\" to type \"Microsoft.Rtc.Management.Deployment.CertType\". Error: \"The identifier name Web cannot be processed because it is either too similar or identical to the following enumerator names: WebServicesExternal, WebServicesInternal. Use a more specific identifier name.\"\n" +
				"At line:1 char:25\n+ Set-CsCertificate -Type Web -Thumbprint AB\n+                         ~~~"},
		{"Set-CsCertificate -Type Default\n",
			"Set-CsCertificate : Parameter set cannot be resolved using the specified named parameters.\n" +
				"At line:1 char:1\n+ Set-CsCertificate -Type Default\n+ ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~"},
	} {
		f, err := syntax.ParseFile("", []byte(tc.src))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		cmd := f.Statements[0].(*syntax.Pipeline).Elements[0].(*syntax.Command)
		c, _ := Lookup("Set-CsCertificate", "")
		_, err = Bind(c, argsFromAST(f.Src, cmd), Options{Command: cmd.Extent})
		if err == nil {
			t.Fatalf("%s bound", tc.src)
		}
		got := err.(*Error).Format("", f.Src)
		if !strings.HasPrefix(got, tc.want+"\n") {
			t.Errorf("got\n%s\nwant prefix\n%s", got, tc.want)
		}
	}
}
