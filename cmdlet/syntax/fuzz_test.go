package syntax

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// FuzzParse: no input panics the parser or the printer (partial trees of
// erroneous input included), and for input that parses cleanly the
// canonical print parses cleanly too and prints to itself.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.src)
	}
	scripts, _ := filepath.Glob(filepath.Join("testdata", "scripts", "*.ps1"))
	for _, s := range scripts {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		// A hang is a failure too (the nesting limit once let a loop spin):
		// report the input instead of stalling the fuzzer.
		var file *File
		var err error
		done := make(chan struct{})
		go func() {
			defer close(done)
			file, err = ParseFile("fuzz.ps1", []byte(src))
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("ParseFile did not return within 10s on %q", src)
		}
		if file == nil {
			t.Fatal("nil File")
		}
		if err != nil {
			_ = err.Error()
			_ = FormatErrors(err.(ErrorList), []byte(src))
		}
		p1 := Sprint(file, &PrintConfig{Redact: func(*Command, *Parameter) bool { return true }})
		p1 = Sprint(file, nil)
		if err != nil {
			return
		}
		f2, err := ParseFile("", []byte(p1))
		if err != nil {
			t.Fatalf("print of %q does not parse: %q: %v", src, p1, err)
		}
		if p2 := Sprint(f2, nil); p2 != p1 {
			t.Fatalf("print not stable for %q:\nfirst  %q\nsecond %q", src, p1, p2)
		}
	})
}
