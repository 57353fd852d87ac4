package syntax

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func errorKeys(err error) []string {
	var list ErrorList
	if !errors.As(err, &list) {
		return nil
	}
	keys := make([]string, len(list))
	for i, e := range list {
		keys[i] = fmt.Sprintf("%s %s", e.Position, e.ID)
	}
	return keys
}

func TestParseTable(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := ParseFile("", []byte(tt.src))
			if f == nil {
				t.Fatal("nil File")
			}
			if got := errorKeys(err); strings.Join(got, ", ") != strings.Join(tt.errs, ", ") {
				t.Errorf("errors:\n got %q\nwant %q", got, tt.errs)
				if err != nil {
					t.Log("\n" + FormatErrors(err.(ErrorList), []byte(tt.src)))
				}
			}
			if tt.errs != nil {
				return
			}
			want := tt.print
			if want == "" {
				want = tt.src
			}
			got := strings.TrimSuffix(Sprint(f, nil), "\n")
			if got != want {
				t.Errorf("print:\n got %s\nwant %s", got, want)
			}
			checkRoundTrip(t, got)
		})
	}
}

// checkRoundTrip asserts that canonical text parses cleanly and prints
// back to itself.
func checkRoundTrip(t *testing.T, printed string) {
	t.Helper()
	f2, err := ParseFile("", []byte(printed))
	if err != nil {
		t.Errorf("canonical text %q does not parse: %v", printed, err)
		return
	}
	if again := strings.TrimSuffix(Sprint(f2, nil), "\n"); again != printed {
		t.Errorf("print is not stable:\nfirst  %s\nsecond %s", printed, again)
	}
}

func TestGoldenAST(t *testing.T) {
	var b strings.Builder
	for _, tt := range parseTests {
		f, err := ParseFile("", []byte(tt.src))
		fmt.Fprintf(&b, "=== %s\n%s", tt.name, dump(f))
		for _, k := range errorKeys(err) {
			fmt.Fprintf(&b, "error %s\n", k)
		}
	}
	golden(t, filepath.Join("testdata", "table.golden"), b.String())
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) || i < len(wl); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("%s differs at line %d:\n got %s\nwant %s\n(run go test -update after checking the change)", path, i+1, g, w)
			}
		}
	}
}
