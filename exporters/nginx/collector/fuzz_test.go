package collector

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParseStubStatus checks that no input panics the parser and that whatever it accepts
// survives a round trip through the server's own layout. Seeded with every fixture (the
// seeds run as a plain test under `go test`).
func FuzzParseStubStatus(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(fixtures, "*.txt"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures in %s: %v", fixtures, err)
	}
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Active connections: 1\nserver accepts handled requests request_time\n 1 1 1 1\nReading: 0 Writing: 1 Waiting: 0\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseStubStatus(b)
		if err != nil {
			if len(err.Error()) > 400 {
				t.Errorf("error is %d bytes long", len(err.Error()))
			}
			return
		}
		again, err := ParseStubStatus([]byte(format(s)))
		if err != nil {
			t.Fatalf("reparsing %+v: %v", s, err)
		}
		if again != s {
			t.Fatalf("round trip: %+v != %+v", again, s)
		}
	})
}
