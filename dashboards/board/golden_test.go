package board

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

const jsonDir = "../json"

// TestGenerated: the committed JSON is what the code generates, byte for byte
// (UPDATE_GOLDEN=1 rewrites it; so does go run ./dashboards/gen).
func TestGenerated(t *testing.T) {
	want := map[string]bool{}
	for _, b := range All() {
		js, err := Render(b)
		if err != nil {
			t.Fatal(err)
		}
		promtest.Golden(t, filepath.Join(jsonDir, b.File), js)
		want[b.File] = true
		again, _ := Render(b)
		if string(again) != string(js) {
			t.Errorf("%s: two renders differ (map order or other nondeterminism)", b.File)
		}
	}
	ents, err := os.ReadDir(jsonDir)
	if err != nil {
		t.Fatal(err)
	}
	var stray []string
	for _, e := range ents {
		if !want[e.Name()] {
			stray = append(stray, e.Name())
		}
	}
	sort.Strings(stray)
	if len(stray) > 0 {
		t.Errorf("%s holds files no board generates: %v", jsonDir, stray)
	}
}
