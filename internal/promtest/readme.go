package promtest

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

const (
	metricsBegin = "<!-- metrics:begin (generated from the golden files by the tests; UPDATE_GOLDEN=1 rewrites it) -->"
	metricsEnd   = "<!-- metrics:end -->"
)

// MetricsTable renders a markdown table (metric, type, labels, help) of every family in the
// golden exposition files.
func MetricsTable(t testing.TB, goldens ...string) string {
	t.Helper()
	type row struct{ name, typ, labels, help string }
	rows := map[string]row{}
	for _, g := range goldens {
		for name, mf := range ParseFile(t, g) {
			labels := map[string]bool{}
			for _, m := range mf.Metric {
				for _, l := range m.Label {
					labels[l.GetName()] = true
				}
			}
			ls := make([]string, 0, len(labels))
			for l := range labels {
				ls = append(ls, "`"+l+"`")
			}
			sort.Strings(ls)
			rows[name] = row{name, strings.ToLower(mf.GetType().String()), strings.Join(ls, ", "), mf.GetHelp()}
		}
	}
	names := make([]string, 0, len(rows))
	for n := range rows {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("| Metric | Type | Labels | Help |\n|---|---|---|---|\n")
	for _, n := range names {
		r := rows[n]
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.name, r.typ, r.labels, strings.ReplaceAll(r.help, "|", "\\|"))
	}
	return b.String()
}

// ReadmeMetrics checks that the README's metrics section (between the markers) is the table
// generated from goldens, or rewrites it when updating.
func ReadmeMetrics(t testing.TB, readme string, goldens ...string) {
	t.Helper()
	b, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i, j := strings.Index(s, metricsBegin), strings.Index(s, metricsEnd)
	if i < 0 || j < i {
		t.Fatalf("%s: add the markers\n%s\n%s\nwhere the metrics table goes", readme, metricsBegin, metricsEnd)
	}
	want := s[:i] + metricsBegin + "\n" + MetricsTable(t, goldens...) + s[j:]
	if want == s {
		return
	}
	if Updating() {
		if err := os.WriteFile(readme, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: metrics table is out of date with the goldens (UPDATE_GOLDEN=1 rewrites it)", readme)
}
