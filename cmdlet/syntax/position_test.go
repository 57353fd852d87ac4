package syntax

import (
	"testing"
	"unicode/utf8"
)

// lineCol is an extent written as PowerShell reports it.
type lineCol struct{ line, col, endLine, endCol int }

func ext(line, col, endLine, endCol int) lineCol { return lineCol{line, col, endLine, endCol} }

// offsetOf is the inverse of Lines.Position, the slow way: the byte offset
// of a 1-based line and UTF-16 column.
func offsetOf(src string, line, col int) Pos {
	off := 0
	for l := 1; l < line; l++ {
		for off < len(src) && src[off] != '\n' && src[off] != '\r' {
			off++
		}
		if off+1 < len(src) && src[off] == '\r' && src[off+1] == '\n' {
			off++
		}
		off++
	}
	for c := 1; c < col && off < len(src); {
		r, n := utf8.DecodeRuneInString(src[off:])
		c += len(string(utf16Units(r)))
		off += n
	}
	return OffsetPos(off)
}

func utf16Units(r rune) []byte {
	if r >= 0x10000 {
		return []byte{0, 0}
	}
	return []byte{0}
}

func (lc lineCol) in(src string) Extent {
	return Extent{offsetOf(src, lc.line, lc.col), offsetOf(src, lc.endLine, lc.endCol)}
}

func TestLinesPosition(t *testing.T) {
	srcs := []string{
		"", "a", "\ufeffab\ncd", "a\r\nb\rc\nd\n\n", "\t\u00e4\U0001F600x\r\n\xffy", "x\r",
	}
	for _, src := range srcs {
		lines := NewLines([]byte(src))
		// Forwards, backwards and out of order: Lines counts on from the
		// last position it resolved when it can.
		var offs []int
		for off := 0; off <= len(src); off++ {
			offs = append(offs, off)
		}
		for off := len(src); off >= 0; off-- {
			offs = append(offs, off)
		}
		for off := 0; off <= len(src); off++ {
			offs = append(offs, off*7%(len(src)+1))
		}
		for _, off := range offs {
			got := lines.Position(OffsetPos(off))
			line, col := posOf(src, off)
			if got.Offset != off || got.Line != line || got.Col != col {
				t.Errorf("%q @%d: got %+v, want %d:%d", src, off, got, line, col)
			}
		}
	}
	if p := NewLines(nil).Position(NoPos); p.IsValid() || p.String() != "-" {
		t.Errorf("NoPos resolved to %+v", p)
	}
}

func TestPositionMessage(t *testing.T) {
	long := "Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint B142918E463981A76503828BB1278391B716280987B -Foo bar"
	tests := []struct {
		name, file, src string
		ext             lineCol
		want            string
	}{
		{"interactive", "", "Set-CsCertificate -Foo bar", ext(1, 19, 1, 23),
			"At line:1 char:19\n+ Set-CsCertificate -Foo bar\n+                   ~~~~"},
		{"file and second line", `C:\x.ps1`, "# c\r\nSet-CsCertificate -Foo bar  \r\n", ext(2, 19, 2, 23),
			"At C:\\x.ps1:2 char:19\n+ Set-CsCertificate -Foo bar\n+                   ~~~~"},
		{"extent to end of input", "", `Set-CsCertificate -Thumbprint "ABC` + "\n", ext(1, 31, 2, 1),
			"At line:1 char:31\n+ Set-CsCertificate -Thumbprint \"ABC\n+                               ~~~~"},
		{"tabs expand to four", "", "\tfoo\t-Bar", ext(1, 6, 1, 10),
			"At line:1 char:6\n+     foo    -Bar\n+            ~~~~"},
		{"empty extent gets one caret", "", "a b", ext(1, 3, 1, 3),
			"At line:1 char:3\n+ a b\n+   ~"},
		{"long line windowed", "", long, ext(1, 129, 1, 133),
			"At line:1 char:129\n+ ... B716280987B -Foo bar\n+                 ~~~~"},
		{"long line, error at start", "", long, ext(1, 1, 1, 18),
			"At line:1 char:1\n+ Set-CsCertificate -Type D ...\n+ ~~~~~~~~~~~~~~~~~"},
		{"utf16 columns", "", "'😀' -x", ext(1, 6, 1, 8),
			"At line:1 char:6\n+ '😀' -x\n+      ~~"},
		{"empty line", "", "a\n\nb", ext(2, 1, 2, 1),
			"At line:2 char:1\n+ "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PositionMessage(tt.file, []byte(tt.src), tt.ext.in(tt.src))
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// Tools may resolve positions of one file from several goroutines.
func TestLinesConcurrent(t *testing.T) {
	src := "a\n\u00e4b\r\ncd\U0001F600e\n"
	lines := NewLines([]byte(src))
	done := make(chan bool)
	for g := 0; g < 4; g++ {
		go func() {
			defer func() { done <- true }()
			for i := 0; i < 200; i++ {
				off := (i*(g+3) + g) % (len(src) + 1)
				line, col := posOf(src, off)
				if p := lines.Position(OffsetPos(off)); p.Line != line || p.Col != col {
					t.Errorf("@%d: got %v, want %d:%d", off, p, line, col)
					return
				}
			}
		}()
	}
	for g := 0; g < 4; g++ {
		<-done
	}
}
