package promtest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// ParseText parses a text exposition into its families by name; the test fails when it
// does not parse.
func ParseText(t testing.TB, text string) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(strings.NewReader(text))
	if err != nil {
		t.Fatalf("parse exposition: %v\n%s", err, text)
	}
	return mfs
}

// ParseFile parses the text exposition in the file at path (e.g. a golden file).
func ParseFile(t testing.TB, path string) map[string]*dto.MetricFamily {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return mfs
}

// Value is the value of the first sample of family name whose labels match the
// name=value pairs in labels (see Lookup); the test fails when there is none.
func Value(t testing.TB, mfs map[string]*dto.MetricFamily, name string, labels ...string) float64 {
	t.Helper()
	v, ok := Lookup(mfs, name, labels...)
	if !ok {
		t.Fatalf("no sample %s%v", name, labels)
	}
	return v
}

// Lookup is the value of the first gauge, counter or untyped sample of family name whose
// labels match the name=value pairs in labels; ok is false when there is none. As in
// Prometheus, a label the sample does not have matches the value "".
func Lookup(mfs map[string]*dto.MetricFamily, name string, labels ...string) (float64, bool) {
	mf, ok := mfs[name]
	if !ok {
		return 0, false
	}
next:
	for _, m := range mf.Metric {
		got := make(map[string]string, len(m.Label))
		for _, l := range m.Label {
			got[l.GetName()] = l.GetValue()
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if got[labels[i]] != labels[i+1] {
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

// GoldenMetrics maps every metric name of the exporters' golden files (any .prom under a
// testdata/ folder below exportersDir) to the file it is in, with the _bucket/_sum/_count
// series of histograms and summaries. Rules and dashboards check their metrics against it.
func GoldenMetrics(t testing.TB, exportersDir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(exportersDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".prom") || !strings.Contains(filepath.ToSlash(path), "/testdata/") {
			return err
		}
		for name, mf := range ParseFile(t, path) {
			out[name] = path
			switch mf.GetType() {
			case dto.MetricType_HISTOGRAM:
				out[name+"_bucket"], out[name+"_sum"], out[name+"_count"] = path, path, path
			case dto.MetricType_SUMMARY:
				out[name+"_sum"], out[name+"_count"] = path, path
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) == 0 {
		t.Fatalf("no golden files under %s", exportersDir)
	}
	return out
}
