package cmdlet

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// benchScript is the Exchange golden script repeated to about 100 lines of
// realistic statements (imports, pipelines, splats, .NET calls).
func benchScript(b *testing.B) []byte {
	var src bytes.Buffer
	for _, name := range []string{"exchange_import_enable", "lync_rollover", "splatting", "where_reference"} {
		data, err := os.ReadFile("testdata/scripts/" + name + ".ps1")
		if err != nil {
			b.Fatal(err)
		}
		src.Write(data)
		src.WriteByte('\n')
	}
	return src.Bytes()
}

func BenchmarkRun(b *testing.B) {
	src := benchScript(b)
	lines := strings.Count(string(src), "\n")
	pm := PathMap{{Windows: `C:\Certs`, Local: "testdata/certs"}, {Windows: `\\FileServer01\Data`, Local: "testdata/certs/share"},
		{Windows: `C:\Logs`, Local: b.TempDir()}}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		h := New(newRecorder(""), WithEnv(testEnv(nil)), WithPathMap(pm))
		if err := h.RunSource(context.Background(), "bench.ps1", src); err != nil {
			b.Fatal(FormatError(err))
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

func BenchmarkCheck(b *testing.B) {
	src := benchScript(b)
	lines := strings.Count(string(src), "\n")
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		items := CheckSource("bench.ps1", src, CheckOptions{})
		if HasErrors(items) {
			b.Fatal("errors in the bench script")
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
