package board

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/parser"
)

// DefaultVars are the values Expand gives Grafana's variables when a caller gives none:
// every multi-value variable "All" (regex .*), $__rate_interval one minute.
var defaultVars = map[string]string{
	"__rate_interval": "1m",
	"__interval":      "1m",
	"__range":         "1h",
	"zone":            ".*",
	"instance":        ".*",
	"linux":           ".*",
	"windows":         ".*",
}

var varRe = regexp.MustCompile(`\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?`)

// Expand substitutes Grafana variables in expr: vars first, then the defaults above.
// Unknown variables are left as they are (and then fail to parse).
func Expand(expr string, vars map[string]string) string {
	return varRe.ReplaceAllStringFunc(expr, func(m string) string {
		name := varRe.FindStringSubmatch(m)[1]
		if v, ok := vars[name]; ok {
			return v
		}
		if v, ok := defaultVars[name]; ok {
			return v
		}
		return m
	})
}

// Parse parses a query of a dashboard (variables expanded with the defaults) with the
// PromQL parser of Prometheus, no experimental functions.
func Parse(q Query) (parser.Expr, error) {
	p := parser.NewParser(parser.Options{})
	if q.Variable {
		sel, ok := labelValuesSelector(q.Expr)
		if !ok {
			return nil, fmt.Errorf("variable query %q is not label_values(<selector>, <label>)", q.Expr)
		}
		return p.ParseExpr(Expand(sel, nil))
	}
	return p.ParseExpr(Expand(q.Expr, nil))
}

var labelValuesRe = regexp.MustCompile(`^label_values\((.+),\s*([A-Za-z_][A-Za-z0-9_]*)\)$`)

func labelValuesSelector(s string) (string, bool) {
	m := labelValuesRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return "", false
	}
	return m[1], true
}

// MetricNames are the metric names an expression selects, sorted.
func MetricNames(e parser.Expr) []string {
	set := map[string]bool{}
	parser.Inspect(e, func(n parser.Node, _ []parser.Node) error {
		vs, ok := n.(*parser.VectorSelector)
		if !ok {
			return nil
		}
		if vs.Name != "" {
			set[vs.Name] = true
		}
		for _, m := range vs.LabelMatchers {
			if m.Name == labels.MetricName && m.Type == labels.MatchEqual {
				set[m.Value] = true
			}
		}
		return nil
	})
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
