package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

// TestReadmeMetrics: the README's metrics table is the one generated from the goldens.
func TestReadmeMetrics(t *testing.T) {
	goldens, _ := filepath.Glob("testdata/stub_status/*.prom")
	if len(goldens) == 0 {
		t.Fatal("no goldens")
	}
	promtest.ReadmeMetrics(t, "README.md", goldens...)
}

// TestReadmeFlags: every flag of the binary is in the README's flags table.
func TestReadmeFlags(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	app := kingpin.New("ggzy_nginx_exporter", "")
	newExporter(app)
	server.AddFlags(app, ":9913")
	for _, f := range app.Model().Flags {
		if f.Hidden || f.Name == "help" || f.Name == "help-long" || f.Name == "help-man" {
			continue
		}
		if !strings.Contains(string(b), "--"+f.Name+"`") && !strings.Contains(string(b), "--[no-]"+f.Name+"`") {
			t.Errorf("README.md flags table lacks --%s", f.Name)
		}
	}
}
