package server

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

type tTarget struct {
	config.TargetMeta `yaml:",inline"`
	Value             float64 `yaml:"value"`
}

type tConfig struct {
	Targets []tTarget `yaml:"targets"`
}

func (c *tConfig) Validate(string) error { return config.ValidateTargets("targets", c.Targets) }

var vDesc = prometheus.NewDesc("toy_value", "Configured value.", nil, nil)

func toy(app *kingpin.Application) (*Exporter[tConfig, tTarget], *Flags) {
	f := AddFlags(app, ":0")
	single := app.Flag("toy.value", "single target value").Float64()
	return &Exporter[tConfig, tTarget]{
		Name: "ggzy_toy_exporter", Namespace: "toy",
		Load:    config.Load[tConfig],
		Targets: func(c *tConfig) []tTarget { return c.Targets },
		FlagTarget: func() (tTarget, bool, error) {
			return tTarget{TargetMeta: config.TargetMeta{Name: "default"}, Value: *single}, *single != 0, nil
		},
		Build: func(_ context.Context, l *slog.Logger, t tTarget) collector.Scrape {
			return collector.Scrape{Namespace: "toy", Logger: l, Collectors: map[string]collector.Collector{
				"v": collector.Func(func(_ context.Context, ch chan<- prometheus.Metric) error {
					ch <- prometheus.MustNewConstMetric(vDesc, prometheus.GaugeValue, t.Value)
					return nil
				}),
			}}
		},
		Describe: func(t tTarget) any { return t },
	}, f
}

func setup(t *testing.T, args ...string) (*Instance[tConfig, tTarget], error) {
	app := kingpin.New("toy", "")
	e, f := toy(app)
	if _, err := app.Parse(args); err != nil {
		t.Fatal(err)
	}
	return e.Setup(f, slog.New(slog.DiscardHandler))
}

func TestSetupNeedsSomethingToScrape(t *testing.T) {
	if _, err := setup(t); err == nil || !strings.Contains(err.Error(), "nothing to scrape") {
		t.Fatalf("got %v", err)
	}
	if _, err := setup(t, "--config.file", filepath.Join(t.TempDir(), "absent.yml")); err == nil {
		t.Fatal("missing config file accepted at start")
	}
}

func TestEndpoints(t *testing.T) {
	dir := t.TempDir()
	cfg := promtest.WriteFile(t, dir, "toy.yml", "targets:\n  - name: a\n    value: 3\n    zone: internet\n")
	inst, err := setup(t, "--config.file", cfg)
	if err != nil {
		t.Fatal(err)
	}
	h := inst.Handler
	if code, body := promtest.Do(t, h, http.MethodGet, "/probe?target=a", nil); code != 200 || !strings.Contains(body, "toy_value 3") {
		t.Fatalf("probe: %d %s", code, body)
	}
	if code, body := promtest.Do(t, h, http.MethodGet, "/sd", nil); code != 200 || !strings.Contains(body, `"zone": "internet"`) {
		t.Fatalf("sd: %d %s", code, body)
	}
	if code, _ := promtest.Do(t, h, http.MethodGet, "/-/healthy", nil); code != 200 {
		t.Fatal("healthy")
	}
	if code, body := promtest.Do(t, h, http.MethodGet, "/", nil); code != 200 || !strings.Contains(body, "ggzy_toy_exporter") {
		t.Fatalf("landing: %d", code)
	}
	code, body := promtest.Do(t, h, http.MethodGet, "/metrics", nil)
	if code != 200 || !strings.Contains(body, "ggzy_toy_exporter_build_info") || !strings.Contains(body, "toy_exporter_config_last_reload_successful 1") {
		t.Fatalf("metrics: %d %s", code, body)
	}
	if strings.Contains(body, "toy_value") || strings.Contains(body, "toy_up") {
		t.Error("/metrics must not scrape configured targets (that is /probe's job)")
	}

	// Reload: GET is refused, a bad file keeps the running config, a good one replaces it.
	if code, _ := promtest.Do(t, h, http.MethodGet, "/-/reload", nil); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /-/reload: %d", code)
	}
	if err := os.WriteFile(cfg, []byte("targets:\n  - name: a\n    valu: 4\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, body := promtest.Do(t, h, http.MethodPost, "/-/reload", nil); code != 500 || !strings.Contains(body, "toy.yml:3: field valu not found") {
		t.Fatalf("bad reload: %d %s", code, body)
	}
	if _, body := promtest.Do(t, h, http.MethodGet, "/probe?target=a", nil); !strings.Contains(body, "toy_value 3") {
		t.Fatal("old config not kept after a bad reload")
	}
	if _, body := promtest.Do(t, h, http.MethodGet, "/metrics", nil); !strings.Contains(body, "toy_exporter_config_last_reload_successful 0") {
		t.Error("reload gauge not 0 after a failed reload")
	}
	if err := os.WriteFile(cfg, []byte("targets:\n  - name: b\n    value: 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _ := promtest.Do(t, h, http.MethodPost, "/-/reload", nil); code != 200 {
		t.Fatalf("good reload: %d", code)
	}
	if code, _ := promtest.Do(t, h, http.MethodGet, "/probe?target=a", nil); code != 400 {
		t.Fatal("removed target still probed")
	}
	if _, body := promtest.Do(t, h, http.MethodGet, "/probe?target=b", nil); !strings.Contains(body, "toy_value 5") {
		t.Fatal("new target not probed")
	}
}

func TestSingleTargetOnMetrics(t *testing.T) {
	inst, err := setup(t, "--toy.value", "9")
	if err != nil {
		t.Fatal(err)
	}
	_, body := promtest.Do(t, inst.Handler, http.MethodGet, "/metrics", nil)
	for _, want := range []string{"toy_value 9", "toy_up 1", "ggzy_toy_exporter_build_info"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	promtest.LintText(t, []byte(body))
	if code, _ := promtest.Do(t, inst.Handler, http.MethodPost, "/-/reload", nil); code != 400 {
		t.Errorf("reload without config file: %d", code)
	}
}

func TestConfigCheck(t *testing.T) {
	dir := t.TempDir()
	good := promtest.WriteFile(t, dir, "good.yml", "targets:\n  - name: a\n")
	bad := promtest.WriteFile(t, dir, "bad.yml", "targets:\n  - name: a\n  - name: a\n")
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--config.file", good, "--config.check"}, 0},
		{[]string{"--config.file", bad, "--config.check"}, 1},
		{[]string{"--config.check"}, 1},
		{[]string{"--no-such-flag"}, 2},
	} {
		app := kingpin.New("toy", "")
		app.Terminate(nil)
		e, f := toy(app)
		if got := e.Main(app, f, tc.args); got != tc.want {
			t.Errorf("%v: exit %d, want %d", tc.args, got, tc.want)
		}
	}
}

func TestCollectorFlags(t *testing.T) {
	app := kingpin.New("toy", "")
	s := &collector.Set{}
	s.Register("a", true, "A")
	s.Register("b", false, "B")
	s.BindFlags(app)
	if _, err := app.Parse([]string{"--no-collector.a", "--collector.b"}); err != nil {
		t.Fatal(err)
	}
	if s.Enabled("a") || !s.Enabled("b") {
		t.Fatal(fmt.Sprint("flags not applied: a=", s.Enabled("a"), " b=", s.Enabled("b")))
	}
}
