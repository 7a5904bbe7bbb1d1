package main

import (
	"fmt"
	"os"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
	"github.com/ggzy/ggzy-exporters/internal/server/servertest"
)

// setup builds the exporter in-process from command-line args, as main does, and returns
// its instance and its log.
func setup(t testing.TB, args ...string) (*server.Instance[Config, Target], *promtest.LogBuffer) {
	t.Helper()
	return servertest.Setup(t, "ggzy_nginx_exporter", ":9913", newExporter, args...)
}

func trySetup(args ...string) (*server.Instance[Config, Target], *promtest.LogBuffer, error) {
	return servertest.TrySetup("ggzy_nginx_exporter", ":9913", newExporter, args...)
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
	return promtest.ParseText(t, body)
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

func TestMain(m *testing.M) {
	code := m.Run()
	promtest.RemoveBuilt()
	os.Exit(code)
}
