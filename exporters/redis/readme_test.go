package main

import (
	"path/filepath"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestReadmeMetrics keeps the README's metrics table equal to the goldens (UPDATE_GOLDEN=1
// rewrites it).
func TestReadmeMetrics(t *testing.T) {
	goldens, err := filepath.Glob("testdata/info/*.prom")
	if err != nil || len(goldens) < 4 {
		t.Fatalf("goldens: %v %v", goldens, err)
	}
	promtest.ReadmeMetrics(t, "README.md", goldens...)
}
