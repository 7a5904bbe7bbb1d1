package main

import (
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/alecthomas/kingpin/v2"
	dto "github.com/prometheus/client_model/go"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

// testExporter is the exporter wired in-process with its logs captured.
type testExporter struct {
	h    http.Handler
	logs *promtest.LogBuffer
}

// newTestExporter parses args (plus --config.file when cfg is not empty; cfg is written to
// a temp dir where files maps names to contents, e.g. password files).
func newTestExporter(t testing.TB, cfg string, files map[string]string, args ...string) *testExporter {
	t.Helper()
	if cfg != "" {
		dir := promtest.TempDir(t, "cfg")
		for name, content := range files {
			promtest.WriteFile(t, dir, name, content)
		}
		args = append(args, "--config.file="+promtest.WriteFile(t, dir, "mysql.yml", cfg))
	}
	app := kingpin.New("test", "")
	logs := &promtest.LogBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newExporter(app, logger)
	f := server.AddFlags(app, ":0")
	if _, err := app.Parse(args); err != nil {
		t.Fatal(err)
	}
	inst, err := e.Setup(f, logger)
	if err != nil {
		t.Fatal(err)
	}
	return &testExporter{h: inst.Handler, logs: logs}
}

// probe scrapes /probe?target=name and returns the parsed families and the raw body.
func (e *testExporter) probe(t testing.TB, name string, header map[string]string) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	code, body := promtest.Do(t, e.h, "GET", "/probe?target="+name, header)
	if code != http.StatusOK {
		t.Fatalf("probe %s: HTTP %d: %s", name, code, body)
	}
	return promtest.ParseText(t, body), body
}

// expect checks that a series exists with the value v.
func expect(t testing.TB, mfs map[string]*dto.MetricFamily, v float64, name string, labels ...string) {
	t.Helper()
	got, ok := promtest.Lookup(mfs, name, labels...)
	if !ok {
		t.Errorf("%s%v: missing", name, labels)
		return
	}
	if got != v {
		t.Errorf("%s%v = %v, want %v", name, labels, got, v)
	}
}

// targetYAML is one target entry.
func targetYAML(name, addr, user, pwFile string, extra ...string) string {
	s := fmt.Sprintf("  - name: %s\n    address: %s\n    username: %s\n    password_file: %s\n", name, addr, user, pwFile)
	for _, e := range extra {
		s += "    " + e + "\n"
	}
	return s
}
