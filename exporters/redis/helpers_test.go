package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/redis/go-redis/v9"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
	"github.com/ggzy/ggzy-exporters/internal/server/servertest"
)

// setup builds the exporter in-process from command-line args, as main does.
func setup(t testing.TB, args ...string) (*server.Instance[Config, Target], *promtest.LogBuffer) {
	t.Helper()
	return servertest.Setup(t, "ggzy_redis_exporter", ":9921", newExporter, args...)
}

func trySetup(args ...string) (*server.Instance[Config, Target], *promtest.LogBuffer, error) {
	return servertest.TrySetup("ggzy_redis_exporter", ":9921", newExporter, args...)
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
	return promtest.ParseText(t, probeText(t, inst, name, "5"))
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

// collectorsOK checks that every collector reported success 1.
func collectorsOK(t testing.TB, mfs map[string]*dto.MetricFamily, names ...string) {
	t.Helper()
	for _, n := range names {
		if v := promtest.Value(t, mfs, "redis_scrape_collector_success", "collector", n); v != 1 {
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
