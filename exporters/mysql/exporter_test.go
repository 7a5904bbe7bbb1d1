package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	dto "github.com/prometheus/client_model/go"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// testExporter is the exporter wired in-process with its logs captured.
type testExporter struct {
	h    http.Handler
	logs *lockedBuffer
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
	logs := &lockedBuffer{}
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
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	return mfs, body
}

// value returns the value of the series of family name whose labels include want
// (label=value pairs); ok false when there is none.
func value(mfs map[string]*dto.MetricFamily, name string, want ...string) (float64, bool) {
	mf, ok := mfs[name]
	if !ok {
		return 0, false
	}
	for _, m := range mf.Metric {
		got := map[string]string{}
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		match := true
		for i := 0; i+1 < len(want); i += 2 {
			if got[want[i]] != want[i+1] {
				match = false
			}
		}
		if !match {
			continue
		}
		switch {
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Untyped != nil:
			return m.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// expect checks that a series exists with the value v.
func expect(t testing.TB, mfs map[string]*dto.MetricFamily, v float64, name string, labels ...string) {
	t.Helper()
	got, ok := value(mfs, name, labels...)
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
