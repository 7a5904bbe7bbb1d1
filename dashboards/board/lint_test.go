package board

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/units"
	"github.com/prometheus/prometheus/promql/parser"
)

// knownUnits are Grafana unit ids (from the SDK's units package) the boards may use.
var knownUnits = map[string]bool{
	units.NoUnit: true, units.Short: true, units.PercentUnit: true, units.BytesIEC: true,
	units.BytesPerSecondSI: true, units.Seconds: true, units.DurationSeconds: true, units.Days: true,
	units.RequestsPerSecond: true, units.OpsPerSecond: true, units.CountsPerSecond: true,
	units.IOOpsPerSecond: true, units.RowsPerSecond: true,
}

// rateFuncs take a range of a counter.
var rateFuncs = map[string]bool{"rate": true, "irate": true, "increase": true, "resets": true}

// TestLint re-implements the grafana/dashboard-linter rules that matter here (the linter
// itself is not installable: its module has a replace directive), plus the suite's own:
//   - template-datasource-rule: a Prometheus datasource variable named "datasource";
//   - panel-datasource-rule: every panel and query uses ${datasource};
//   - template-on-time-change-reload-rule: query variables refresh on time range change;
//   - panel-title-description-rule: every panel has a title (unique in its dashboard) and
//     a description;
//   - panel-units-rule: every panel has a known unit id;
//   - panel-no-targets-rule: every data panel has queries;
//   - target-promql-rule: every query parses (TestPromQL);
//   - target-rate-interval-rule: rate()/irate()/increase() use [$__rate_interval], except
//     inside a subquery, whose step fixes the window (capacity board);
//   - target-counter-agg-rule: a *_total counter is only used through rate()-like functions;
//   - suite: stable uid ggzy-*, Chinese title first, timezone Asia/Shanghai, panels inside
//     the 24-column grid, the wall screens fit one 1080p screen (27 grid rows).
func TestLint(t *testing.T) {
	uids := map[string]string{}
	for _, b := range All() {
		d, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range lintDashboard(d) {
			t.Errorf("%s: %s", b.File, p)
		}
		if prev, dup := uids[*d.Uid]; dup {
			t.Errorf("%s: uid %s already used by %s", b.File, *d.Uid, prev)
		}
		uids[*d.Uid] = b.File
	}
}

// TestLintCatches: the lint rules find what they are for.
func TestLintCatches(t *testing.T) {
	for _, c := range []struct{ expr, want string }{
		{`rate(nginx_http_requests_total[5m])`, "$__rate_interval"},
		{`nginx_http_requests_total`, "counter"},
		{`sum(nginx_connections_accepted_total)`, "counter"},
		{`rate(nginx_http_requests_total[$__rate_interval]`, "parse"},
	} {
		p := newPage("ggzy-test", "测试", "测试")
		p.add(ts("面板", "说明", units.Short, 12, 8, q(c.expr, "")))
		d, err := p.build()
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(lintDashboard(d), "\n")
		if !strings.Contains(got, c.want) {
			t.Errorf("%s: want a problem mentioning %q, got %q", c.expr, c.want, got)
		}
	}
	p := newPage("ggzy-test", "test", "")
	p.add(ts("", "", "furlongs", 12, 8).GridPos(dashboard.GridPos{X: 20, Y: 0, W: 12, H: 8}))
	d, err := p.build()
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(lintDashboard(d), "\n")
	for _, want := range []string{"Chinese", "description", "title", "unit", "no queries", "grid"} {
		if !strings.Contains(got, want) {
			t.Errorf("want a problem mentioning %q, got:\n%s", want, got)
		}
	}
}

var uidRe = regexp.MustCompile(`^ggzy-[a-z0-9-]{1,30}$`)

func lintDashboard(d dashboard.Dashboard) []string {
	var out []string
	bad := func(f string, a ...any) { out = append(out, fmt.Sprintf(f, a...)) }
	if d.Uid == nil || !uidRe.MatchString(*d.Uid) {
		bad("uid must be stable and match %s", uidRe)
	}
	if d.Title == nil || !startsHan(*d.Title) {
		bad("title must start in Chinese")
	}
	if d.Timezone == nil || *d.Timezone != Timezone {
		bad("timezone must be %s", Timezone)
	}
	hasDS := false
	for _, v := range d.Templating.List {
		switch v.Type {
		case "datasource":
			if v.Name == DatasourceVar && v.Query != nil && v.Query.String != nil && *v.Query.String == "prometheus" {
				hasDS = true
			}
		case "query":
			if v.Refresh == nil || *v.Refresh != dashboard.VariableRefreshOnTimeRangeChanged {
				bad("variable %s: must refresh on time range change", v.Name)
			}
			if v.Datasource == nil || v.Datasource.Uid == nil || *v.Datasource.Uid != "${"+DatasourceVar+"}" {
				bad("variable %s: must use the datasource variable", v.Name)
			}
		}
	}
	if !hasDS {
		bad("no Prometheus datasource variable named %q", DatasourceVar)
	}
	bottom := uint32(0)
	titles := map[string]bool{}
	for _, p := range Panels(d) {
		title := deref(p.Title)
		if titles[title] && p.Type != "row" {
			bad("panel title %q is used twice (titles name panels in links, exports and test reports)", title)
		}
		titles[title] = true
		if p.GridPos != nil {
			if p.GridPos.X+p.GridPos.W > 24 {
				bad("panel %q: outside the 24-column grid", title)
			}
			bottom = max(bottom, p.GridPos.Y+p.GridPos.H)
		}
		if p.Type == "row" {
			continue
		}
		if strings.TrimSpace(title) == "" {
			bad("panel %d: no title", deref32(p.Id))
		}
		if p.Description == nil || strings.TrimSpace(*p.Description) == "" {
			bad("panel %q: no description", title)
		}
		unit := ""
		if p.FieldConfig != nil && p.FieldConfig.Defaults.Unit != nil {
			unit = *p.FieldConfig.Defaults.Unit
		}
		if !knownUnits[unit] {
			bad("panel %q: unit %q is not a known Grafana unit id", title, unit)
		}
		if p.Datasource == nil || p.Datasource.Uid == nil || *p.Datasource.Uid != "${"+DatasourceVar+"}" {
			bad("panel %q: must use the datasource variable", title)
		}
		if len(p.Targets) == 0 {
			bad("panel %q: no queries", title)
		}
		for _, tg := range p.Targets {
			pq, ok := tg.(prometheus.Dataquery)
			if !ok {
				if pp, ok2 := tg.(*prometheus.Dataquery); ok2 {
					pq, ok = *pp, true
				}
			}
			if !ok {
				bad("panel %q: a query that is not a Prometheus query", title)
				continue
			}
			if pq.Datasource == nil || pq.Datasource.Uid == nil || *pq.Datasource.Uid != "${"+DatasourceVar+"}" {
				bad("panel %q: query %s must use the datasource variable", title, deref(pq.RefId))
			}
			for _, pr := range lintExpr(pq.Expr) {
				bad("panel %q: %s", title, pr)
			}
		}
	}
	if strings.HasPrefix(deref(d.Uid), "ggzy-wall") && bottom > 27 {
		bad("wall screen is %d grid rows high: more than one 1080p screen (27)", bottom)
	}
	return out
}

// lintExpr applies the query rules to one expression.
func lintExpr(expr string) []string {
	e, err := Parse(Query{Expr: expr})
	if err != nil {
		return []string{fmt.Sprintf("does not parse: %v", err)}
	}
	var out []string
	parser.Inspect(e, func(n parser.Node, path []parser.Node) error {
		switch n := n.(type) {
		case *parser.Call:
			if !rateFuncs[n.Func.Name] || inSubquery(path) {
				return nil
			}
			for _, a := range n.Args {
				if ms, ok := a.(*parser.MatrixSelector); ok && !strings.Contains(expr, "[$__rate_interval]") {
					out = append(out, fmt.Sprintf("%s() over [%s]: use [$__rate_interval]", n.Func.Name, ms.Range))
				}
			}
		case *parser.VectorSelector:
			if !strings.HasSuffix(n.Name, "_total") {
				return nil
			}
			if len(path) < 2 {
				out = append(out, fmt.Sprintf("counter %s used raw: wrap it in rate()", n.Name))
				return nil
			}
			if agg, ok := path[len(path)-1].(*parser.AggregateExpr); ok && (agg.Op == parser.COUNT || agg.Op == parser.GROUP) {
				return nil // counting series, not using values
			}
			_, isRange := path[len(path)-1].(*parser.MatrixSelector)
			call, isCall := path[len(path)-2].(*parser.Call)
			if !isRange || !isCall || !rateFuncs[call.Func.Name] {
				out = append(out, fmt.Sprintf("counter %s used without rate()/increase()", n.Name))
			}
		}
		return nil
	})
	return out
}

func inSubquery(path []parser.Node) bool {
	for _, n := range path {
		if _, ok := n.(*parser.SubqueryExpr); ok {
			return true
		}
	}
	return false
}

func startsHan(s string) bool {
	for _, r := range s {
		return unicode.Is(unicode.Han, r)
	}
	return false
}

func deref32(p *uint32) uint32 {
	if p == nil {
		return 0
	}
	return *p
}
