// Package promtest holds test helpers: golden exposition files, metric lint, parsing and
// looking up scraped samples, fixture servers, throw-away certificates, binaries built
// once, real-server processes on free loopback ports, and leak checks.
package promtest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Updating reports whether golden files are being rewritten (go test -update, or UPDATE_GOLDEN=1).
func Updating() bool { return *update || os.Getenv("UPDATE_GOLDEN") == "1" }

// Volatile are families whose values change between runs; goldens keep their names and
// labels with value 0 instead.
var Volatile = regexp.MustCompile(`(_scrape_collector_duration_seconds|_duration_seconds|_uptime_seconds|_seconds_total|_timestamp_seconds)$`)

// Render gathers g and renders it as text exposition, with the values of families matching
// volatile zeroed (pass nil to keep every value).
func Render(t testing.TB, g prometheus.Gatherer, volatile *regexp.Regexp) []byte {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var buf bytes.Buffer
	enc := expfmt.NewEncoder(&buf, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if volatile != nil && volatile.MatchString(mf.GetName()) {
			zero(mf)
		}
		if err := enc.Encode(mf); err != nil {
			t.Fatalf("encode: %v", err)
		}
	}
	return buf.Bytes()
}

func zero(mf *dto.MetricFamily) {
	for _, m := range mf.Metric {
		switch {
		case m.Gauge != nil:
			m.Gauge.Value = new(float64)
		case m.Counter != nil:
			m.Counter.Value = new(float64)
			m.Counter.CreatedTimestamp = nil
		case m.Untyped != nil:
			m.Untyped.Value = new(float64)
		}
	}
}

// Golden compares got with the file at path, or rewrites the file when updating.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	if Updating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with UPDATE_GOLDEN=1 to create it)", path, err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs from the output (UPDATE_GOLDEN=1 rewrites it):\n%s", path, diff(string(want), string(got)))
	}
}

// Lint fails the test on any problem testutil.GatherAndLint finds.
func Lint(t testing.TB, g prometheus.Gatherer) {
	t.Helper()
	problems, err := testutil.GatherAndLint(g)
	if err != nil {
		t.Fatalf("lint gather: %v", err)
	}
	for _, p := range problems {
		t.Errorf("metric lint: %s: %s", p.Metric, p.Text)
	}
}

// LintText lints a text exposition (for output fetched over HTTP).
func LintText(t testing.TB, text []byte) {
	t.Helper()
	mfs := ParseText(t, string(text))
	Lint(t, prometheus.GathererFunc(func() ([]*dto.MetricFamily, error) {
		out := make([]*dto.MetricFamily, 0, len(mfs))
		for _, mf := range mfs {
			out = append(out, mf)
		}
		return out, nil
	}))
}

// diff is a small line diff: lines only in want (-) and only in got (+).
func diff(want, got string) string {
	w := strings.Split(want, "\n")
	g := strings.Split(got, "\n")
	inW := map[string]bool{}
	for _, l := range w {
		inW[l] = true
	}
	inG := map[string]bool{}
	for _, l := range g {
		inG[l] = true
	}
	var b strings.Builder
	for _, l := range w {
		if !inG[l] {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !inW[l] {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
