package board

import (
	"bufio"
	"bytes"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

const repoRoot = "../.."

// TestPromQL: every query of every board parses with Prometheus' own PromQL parser
// (Grafana variables expanded), variable queries included.
func TestPromQL(t *testing.T) {
	n := 0
	for _, b := range All() {
		d, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range Queries(d) {
			n++
			if _, err := Parse(q); err != nil {
				t.Errorf("%s / %s: %v\n%s", b.File, q.Panel, err, q.Expr)
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d queries: Queries() is missing some", n)
	}
}

// TestMetricsExist: every metric a board uses exists in an exporter golden
// (exporters/*/testdata/**/*.prom), is recorded by a rule (rules/**/*.yml), or is in a
// documented upstream list (dashboards/upstream/*.txt).
func TestMetricsExist(t *testing.T) {
	known := map[string]string{}
	for name, src := range promtest.GoldenMetrics(t, filepath.Join(repoRoot, "exporters")) {
		known[name] = src
	}
	for name, src := range recordedMetrics(t) {
		known[name] = src
	}
	for name, src := range upstreamMetrics(t) {
		known[name] = src
	}
	missing := map[string][]string{}
	for _, b := range All() {
		d, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range Queries(d) {
			e, err := Parse(q)
			if err != nil {
				continue // TestPromQL reports it
			}
			for _, m := range MetricNames(e) {
				if _, ok := known[m]; !ok {
					missing[m] = append(missing[m], b.File+" / "+q.Panel)
				}
			}
		}
	}
	names := make([]string, 0, len(missing))
	for m := range missing {
		names = append(names, m)
	}
	sort.Strings(names)
	for _, m := range names {
		t.Errorf("metric %s is in no exporter golden, recording rule or upstream list; used by %s", m, strings.Join(uniq(missing[m]), "; "))
	}
}

// recordedMetrics are the names recorded by the rules (groups[].rules[].record).
func recordedMetrics(t *testing.T) map[string]string {
	out := map[string]string{}
	_ = filepath.WalkDir(filepath.Join(repoRoot, "rules"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".yml") || strings.HasSuffix(path, ".yaml")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Groups []struct {
				Rules []struct {
					Record string `yaml:"record"`
				} `yaml:"rules"`
			} `yaml:"groups"`
		}
		if yaml.Unmarshal(b, &f) != nil {
			return nil // not a rule file (Alertmanager config, promtool tests)
		}
		for _, g := range f.Groups {
			for _, r := range g.Rules {
				if r.Record != "" {
					out[r.Record] = path
				}
			}
		}
		return nil
	})
	return out
}

// upstreamMetrics are the documented lists of upstream exporters and Prometheus itself.
func upstreamMetrics(t *testing.T) map[string]string {
	out := map[string]string{}
	files, _ := filepath.Glob(filepath.Join("..", "upstream", "*.txt"))
	if len(files) == 0 {
		t.Fatal("no dashboards/upstream/*.txt")
	}
	for _, f := range files {
		for _, name := range readList(t, f) {
			out[name] = f
		}
	}
	return out
}

func readList(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// TestUpstreamNodeExporter: the node_exporter list is real: Debian's node_exporter,
// started on a free loopback port, exposes every name of it.
func TestUpstreamNodeExporter(t *testing.T) {
	bin := promtest.Need(t, "prometheus-node-exporter")
	port := promtest.FreePort(t)
	addr := promtest.Addr(port)
	p := promtest.Start(t, bin, "--web.listen-address="+addr)
	promtest.WaitPort(t, addr, 10*time.Second, p)
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range readList(t, filepath.Join("..", "upstream", "node_exporter.txt")) {
		if _, ok := mfs[name]; !ok {
			t.Errorf("node_exporter does not expose %s", name)
		}
	}
}

func uniq(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
