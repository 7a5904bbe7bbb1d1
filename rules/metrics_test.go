package rules

import (
	"bufio"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// upstream is rules/upstream-metrics.txt: metric, exporter, where it is documented.
type upstreamMetric struct{ name, exporter, doc string }

func loadUpstream(t *testing.T) map[string]upstreamMetric {
	t.Helper()
	f, err := os.Open("upstream-metrics.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]upstreamMetric{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			t.Fatalf("upstream-metrics.txt:%d: want metric<TAB>exporter<TAB>where documented", n)
		}
		out[parts[0]] = upstreamMetric{parts[0], parts[1], parts[2]}
	}
	return out
}

type selector struct {
	name    string         // the metric name, or
	pattern *regexp.Regexp // a __name__ regexp
}

// selectors returns the metric selectors of a PromQL expression.
func selectors(t *testing.T, expr string) []selector {
	t.Helper()
	e, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		t.Fatalf("%s: %v", expr, err)
	}
	var out []selector
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		if vs.Name != "" {
			out = append(out, selector{name: vs.Name})
			return nil
		}
		for _, m := range vs.LabelMatchers {
			if m.Name == labels.MetricName && m.Type == labels.MatchRegexp {
				out = append(out, selector{pattern: regexp.MustCompile("^(?:" + m.Value + ")$")})
			}
		}
		return nil
	})
	return out
}

// Every metric a rule reads is produced by one of our exporters (it is in a golden file), by another
// rule, or by a documented upstream exporter listed in upstream-metrics.txt.
func TestEveryMetricExists(t *testing.T) {
	rules := loadRules(t)
	golden := promtest.GoldenMetrics(t, "../exporters")
	upstream := loadUpstream(t)
	recorded := map[string]bool{}
	for _, r := range rules {
		if r.Record != "" {
			recorded[r.Record] = true
		}
	}
	known := func(name string) bool { return golden[name] != "" || upstream[name].name != "" || recorded[name] }
	used := map[string]bool{}
	for _, r := range rules {
		what := r.file + ": " + r.Alert + r.Record
		for _, s := range selectors(t, r.Expr) {
			if s.pattern == nil {
				used[s.name] = true
				if !known(s.name) {
					t.Errorf("%s reads %s, which no exporter golden (exporters/*/testdata/**/*.prom), rule or upstream-metrics.txt has", what, s.name)
				}
				continue
			}
			n := 0
			for _, src := range []map[string]string{golden, upstreamNames(upstream)} {
				for name := range src {
					if s.pattern.MatchString(name) {
						n++
						used[name] = true
					}
				}
			}
			if n == 0 {
				t.Errorf("%s: the name pattern %s matches no known metric", what, s.pattern)
			}
		}
	}
	// The upstream list holds nothing the rules do not use.
	var unused []string
	for name := range upstream {
		if !used[name] {
			unused = append(unused, name)
		}
	}
	sort.Strings(unused)
	if len(unused) > 0 {
		t.Errorf("upstream-metrics.txt lists metrics no rule uses: %s", strings.Join(unused, ", "))
	}
}

func upstreamNames(u map[string]upstreamMetric) map[string]string {
	out := map[string]string{}
	for n, m := range u {
		out[n] = m.exporter
	}
	return out
}

// The node_exporter names of upstream-metrics.txt are checked against the real thing: Debian's
// prometheus-node-exporter, started on a free loopback port.
func TestUpstreamNodeExporterNames(t *testing.T) {
	bin := promtest.Need(t, "prometheus-node-exporter")
	port := promtest.FreePort(t)
	p := promtest.Start(t, bin, "--web.listen-address="+promtest.Addr(port))
	promtest.WaitPort(t, promtest.Addr(port), 15*time.Second, p)
	code, body := promtest.Get(t, "http://"+promtest.Addr(port)+"/metrics")
	if code != 200 {
		t.Fatalf("node_exporter: HTTP %d", code)
	}
	pr := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := pr.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for name, m := range loadUpstream(t) {
		if !strings.HasPrefix(m.exporter, "node_exporter") {
			continue
		}
		n++
		if _, ok := mfs[name]; !ok {
			t.Errorf("%s is listed as a node_exporter metric but the running node_exporter does not expose it", name)
		}
	}
	if n == 0 {
		t.Fatal("no node_exporter metric in upstream-metrics.txt")
	}
}
