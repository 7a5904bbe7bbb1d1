package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/kingpin/v2"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/redis/go-redis/v9"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

// logBuffer collects an exporter's logs (safe for concurrent writes).
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

// setup builds the exporter in-process from command-line args, as main does.
func setup(t testing.TB, args ...string) (*server.Instance[Config, Target], *logBuffer) {
	t.Helper()
	inst, logs, err := trySetup(args...)
	if err != nil {
		t.Fatalf("setup %q: %v", args, err)
	}
	return inst, logs
}

func trySetup(args ...string) (*server.Instance[Config, Target], *logBuffer, error) {
	app := kingpin.New("ggzy_redis_exporter", "test")
	e := newExporter(app)
	f := server.AddFlags(app, ":9921")
	if _, err := app.Parse(args); err != nil {
		return nil, nil, err
	}
	logs := &logBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	inst, err := e.Setup(f, logger)
	return inst, logs, err
}

// writeConfig writes a config file of the given targets (YAML list items) into dir.
func writeConfig(t testing.TB, dir string, targets ...string) string {
	t.Helper()
	return promtest.WriteFile(t, dir, "redis.yml", "targets:\n"+strings.Join(targets, ""))
}

// target renders one target list item; extra lines are indented under it.
func target(name, addr string, extra ...string) string {
	s := fmt.Sprintf("  - name: %s\n    address: %s\n", name, addr)
	for _, l := range extra {
		s += "    " + l + "\n"
	}
	return s
}

// probe scrapes /probe?target=name in-process; the answer must be HTTP 200 and lint-clean.
func probe(t testing.TB, inst *server.Instance[Config, Target], name string) map[string]*dto.MetricFamily {
	t.Helper()
	return parse(t, probeText(t, inst, name, "5"))
}

func probeText(t testing.TB, inst *server.Instance[Config, Target], name, timeout string) string {
	t.Helper()
	code, body := promtest.Do(t, inst.Handler, "GET", "/probe?target="+name, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": timeout})
	if code != 200 {
		t.Fatalf("/probe?target=%s: HTTP %d: %s", name, code, body)
	}
	promtest.LintText(t, []byte(body))
	return body
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

// value is the value of family name's sample whose labels include the name=value pairs.
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

// collectorsOK checks that every collector reported success 1.
func collectorsOK(t testing.TB, mfs map[string]*dto.MetricFamily, names ...string) {
	t.Helper()
	for _, n := range names {
		if v := value(t, mfs, "redis_scrape_collector_success", "collector", n); v != 1 {
			t.Errorf("collector %s: success %v", n, v)
		}
	}
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestMain(m *testing.M) {
	redis.SetLogger(quiet{}) // as main does
	os.Exit(m.Run())
}
