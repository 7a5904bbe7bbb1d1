package main

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/alecthomas/kingpin/v2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

// logBuffer collects an exporter's logs for assertions (safe for concurrent writes).
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// setup builds the exporter in-process from command-line args, as main does, and returns
// its instance and its log.
func setup(t testing.TB, args ...string) (*server.Instance[Config, Target], *logBuffer) {
	t.Helper()
	inst, logs, err := trySetup(args...)
	if err != nil {
		t.Fatalf("setup %q: %v", args, err)
	}
	return inst, logs
}

func trySetup(args ...string) (*server.Instance[Config, Target], *logBuffer, error) {
	app := kingpin.New("ggzy_nginx_exporter", "test")
	e := newExporter(app)
	f := server.AddFlags(app, ":9913")
	if _, err := app.Parse(args); err != nil {
		return nil, nil, err
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	inst, err := e.Setup(f, logger)
	return inst, logs, err
}

// probe scrapes /probe?target=name in-process and returns the parsed families; the
// response must be HTTP 200 and lint-clean.
func probe(t testing.TB, inst *server.Instance[Config, Target], name string) map[string]*dto.MetricFamily {
	t.Helper()
	code, body := promtest.Do(t, inst.Handler, "GET", "/probe?target="+name, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "5"})
	if code != 200 {
		t.Fatalf("/probe?target=%s: HTTP %d: %s", name, code, body)
	}
	promtest.LintText(t, []byte(body))
	return parse(t, body)
}

func parse(t testing.TB, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse exposition: %v\n%s", err, text)
	}
	return mfs
}

// value is the value of the sample of family name whose labels include the given
// name=value pairs; the test fails when there is none.
func value(t testing.TB, mfs map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	v, ok := lookup(mfs, name, labels...)
	if !ok {
		t.Fatalf("no sample %s%v", name, labels)
	}
	return v
}

func lookup(mfs map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	mf, ok := mfs[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range mf.Metric {
		for i := 0; i+1 < len(labels); i += 2 {
			found := false
			for _, l := range m.Label {
				if l.GetName() == labels[i] && l.GetValue() == labels[i+1] {
					found = true
				}
			}
			if !found {
				continue next
			}
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

// targetsYAML renders a config with one target per name=url pair plus extra YAML per target.
func targetYAML(name, url, extra string) string {
	s := fmt.Sprintf("  - name: %s\n    url: %s\n", name, url)
	for _, l := range strings.Split(strings.TrimSpace(extra), "\n") {
		if l != "" {
			s += "    " + l + "\n"
		}
	}
	return s
}

// The binary is built once per test run (by the first test that needs it) and removed at the end.
var built struct {
	once      sync.Once
	dir, path string
	err       error
}

// exporterBinary returns the path of ggzy_nginx_exporter built from this package.
func exporterBinary(t testing.TB) string {
	t.Helper()
	built.once.Do(func() {
		built.dir, built.err = os.MkdirTemp("", "nginx-bin")
		if built.err != nil {
			return
		}
		built.path = filepath.Join(built.dir, "ggzy_nginx_exporter")
		out, err := exec.Command("go", "build", "-o", built.path, ".").CombinedOutput()
		if err != nil {
			built.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if built.err != nil {
		t.Fatal(built.err)
	}
	return built.path
}

func TestMain(m *testing.M) {
	code := m.Run()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	os.Exit(code)
}
