package syntax

import "testing"

func ext(line, col, endLine, endCol int32) Extent {
	return Extent{From: Pos{Line: line, Col: col}, To: Pos{Line: endLine, Col: endCol}}
}

func TestPositionMessage(t *testing.T) {
	long := "Set-CsCertificate -Type Default,WebServicesInternal,WebServicesExternal -Thumbprint B142918E463981A76503828BB1278391B716280987B -Foo bar"
	tests := []struct {
		name, file, src string
		ext             Extent
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
			got := PositionMessage(tt.file, []byte(tt.src), tt.ext)
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}
