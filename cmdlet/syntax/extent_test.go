package syntax

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// Every node of every tree the corpus produces has a valid extent inside
// the source; line and column agree with the byte offset.
func TestEveryNodeHasAnExtent(t *testing.T) {
	var sources []string
	for _, tt := range parseTests {
		sources = append(sources, tt.src)
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "scripts", "*.ps1"))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, string(b))
	}
	for _, src := range sources {
		f, _ := ParseFile("", []byte(src))
		Inspect(f, func(n Node) bool {
			e := n.Span()
			name := reflect.TypeOf(n).Elem().Name()
			switch {
			case !e.From.IsValid() || !e.To.IsValid():
				t.Errorf("%q: %s has no position: %+v", src, name, e)
			case e.To < e.From || e.To.Offset() > len(src):
				t.Errorf("%q: %s extent out of order or range: %+v", src, name, e)
			default:
				for _, p := range []Pos{e.From, e.To} {
					got := f.Position(p)
					if line, col := posOf(src, p.Offset()); got.Line != line || got.Col != col {
						t.Errorf("%q: %s position %+v, want %d:%d", src, name, got, line, col)
					}
				}
			}
			return true
		})
	}
}

// posOf computes the line and column of a byte offset the slow way.
func posOf(src string, off int) (line, col int) {
	line, lineStart := 1, 0
	if len(src) >= 3 && src[:3] == "\ufeff" {
		lineStart = min(3, off)
	}
	for i := 0; i < off; i++ {
		if src[i] == '\n' || src[i] == '\r' && !(i+1 < len(src) && src[i+1] == '\n') {
			line, lineStart = line+1, i+1
		}
	}
	return line, 1 + utf16Len([]byte(src[lineStart:off]))
}
