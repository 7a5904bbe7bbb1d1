package compose_test

import (
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/ggzy/ggzy-exporters/compose/native"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// The compose stack cannot be run here (no Docker engine), so this file checks it the way
// `docker compose config` would and more: it loads with compose-go, every bind mount and
// secret exists, the Prometheus config is the one compose/native renders (and promtool
// accepts it with the rules), every scrape address is a service listening on that port,
// the exporter configs pass the exporters' own --config.check and point at services, and
// Grafana's provisioning finds the dashboards and the wall screen.

func loadProject(t *testing.T) *types.Project {
	t.Helper()
	abs, err := filepath.Abs("docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{abs},
		cli.WithWorkingDirectory(filepath.Dir(abs)), cli.WithName("ggzy"), cli.WithResolvedPaths(true))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("compose-go: %v", err)
	}
	return p
}

func service(t *testing.T, p *types.Project, name string) types.ServiceConfig {
	t.Helper()
	s, ok := p.Services[name]
	if !ok {
		t.Fatalf("service %s is missing from docker-compose.yml", name)
	}
	return s
}

// hostPath maps a path inside a service's container to the host through its bind mounts.
func hostPath(t *testing.T, s types.ServiceConfig, inContainer string) string {
	t.Helper()
	best := ""
	var src string
	for _, v := range s.Volumes {
		if v.Type != types.VolumeTypeBind {
			continue
		}
		if (inContainer == v.Target || strings.HasPrefix(inContainer, v.Target+"/")) && len(v.Target) > len(best) {
			best, src = v.Target, v.Source
		}
	}
	if best == "" {
		t.Fatalf("service %s: %s is not in a bind mount", s.Name, inContainer)
	}
	return filepath.Join(src, strings.TrimPrefix(inContainer, best))
}

func flag(s types.ServiceConfig, name string) string {
	for _, a := range s.Command {
		if v, ok := strings.CutPrefix(a, "--"+name+"="); ok {
			return v
		}
	}
	return ""
}

// listenPort is the port a service listens on in its container: an exporter's
// --web.listen-address, or a default for the upstream images.
func listenPort(t *testing.T, s types.ServiceConfig) int {
	t.Helper()
	if a := flag(s, "web.listen-address"); a != "" {
		_, port, err := net.SplitHostPort(a)
		if err != nil {
			t.Fatalf("service %s: --web.listen-address=%s: %v", s.Name, a, err)
		}
		n, _ := strconv.Atoi(port)
		return n
	}
	defaults := map[string]int{"node-exporter": 9100, "prometheus": 9090, "alertmanager": 9093, "nginx": 80,
		"redis": 6379, "mysql-primary": 3306, "mysql-replica": 3306, "grafana": 3000}
	n, ok := defaults[s.Name]
	if !ok {
		t.Fatalf("service %s: no known listen port", s.Name)
	}
	return n
}

// checkAddr: host:port is a compose service listening on that port (localhost: the service itself).
func checkAddr(t *testing.T, p *types.Project, self, addr, what string) {
	t.Helper()
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Errorf("%s: %q is not host:port", what, addr)
		return
	}
	if host == "localhost" {
		host = self
	}
	s, ok := p.Services[host]
	if !ok {
		t.Errorf("%s: %s is not a compose service", what, host)
		return
	}
	if want := strconv.Itoa(listenPort(t, s)); port != want {
		t.Errorf("%s: %s listens on %s, not %s", what, host, want, port)
	}
}

func TestComposeLoads(t *testing.T) {
	p := loadProject(t)
	for _, name := range []string{"prometheus", "alertmanager", "grafana", "notify-relay", "node-exporter",
		"nginx-exporter", "redis-exporter", "mysql-exporter", "calendar-exporter",
		"nginx", "redis", "mysql-primary", "mysql-replica"} {
		service(t, p, name)
	}
	for name, s := range p.Services {
		for _, v := range s.Volumes {
			if v.Type != types.VolumeTypeBind {
				continue
			}
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("service %s: bind mount source %s: %v", name, v.Source, err)
			}
		}
		for _, sec := range s.Secrets {
			def, ok := p.Secrets[sec.Source]
			if !ok {
				t.Errorf("service %s: secret %s is not defined", name, sec.Source)
				continue
			}
			if _, err := os.Stat(def.File); err != nil {
				t.Errorf("secret %s: %v", sec.Source, err)
			}
		}
		// Our image: every command is a binary the Dockerfile builds.
		if s.Build != nil {
			bin := s.Command[0]
			if n, ok := strings.CutPrefix(bin, "ggzy_"); ok && strings.HasSuffix(n, "_exporter") {
				if _, err := os.Stat(filepath.Join("..", "exporters", strings.TrimSuffix(n, "_exporter"))); err != nil {
					t.Errorf("service %s runs %s, but exporters/%s does not exist", name, bin, strings.TrimSuffix(n, "_exporter"))
				}
			} else if bin != "ggzy_notify_relay" {
				t.Errorf("service %s runs %s, which compose/Dockerfile does not build", name, bin)
			}
		}
	}
	relay := service(t, p, "notify-relay")
	if relay.NetworkMode != "service:alertmanager" || flag(relay, "listen") != "127.0.0.1:9095" {
		t.Errorf("notify-relay must listen on 127.0.0.1:9095 in Alertmanager's network namespace (the placeholder address of the receivers)")
	}
}

// TestComposePrometheus: compose's prometheus.yml is rendered by compose/native (UPDATE_GOLDEN=1
// rewrites it), points at services and ports that exist, and promtool accepts it.
func TestComposePrometheus(t *testing.T) {
	promtest.Golden(t, filepath.Join("prometheus", "prometheus.yml"), native.PrometheusConfig(native.ComposeSetup()))
	p := loadProject(t)
	prom := service(t, p, "prometheus")
	cfgPath := hostPath(t, prom, flag(prom, "config.file"))
	raw, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		RuleFiles []string `yaml:"rule_files"`
		Alerting  struct {
			Alertmanagers []struct {
				StaticConfigs []struct {
					Targets []string `yaml:"targets"`
				} `yaml:"static_configs"`
			} `yaml:"alertmanagers"`
		} `yaml:"alerting"`
		ScrapeConfigs []struct {
			JobName     string `yaml:"job_name"`
			MetricsPath string `yaml:"metrics_path"`
			HTTPSD      []struct {
				URL string `yaml:"url"`
			} `yaml:"http_sd_configs"`
			Static []struct {
				Targets []string `yaml:"targets"`
			} `yaml:"static_configs"`
			Relabel []struct {
				Replacement string `yaml:"replacement"`
				TargetLabel string `yaml:"target_label"`
			} `yaml:"relabel_configs"`
		} `yaml:"scrape_configs"`
	}
	if err := yaml.Unmarshal(raw, &cfg); err != nil {
		t.Fatal(err)
	}
	probes := 0
	for _, sc := range cfg.ScrapeConfigs {
		for _, sd := range sc.HTTPSD {
			probes++
			addr := strings.TrimSuffix(strings.TrimPrefix(sd.URL, "http://"), "/sd")
			checkAddr(t, p, "prometheus", addr, "job "+sc.JobName+" http_sd_configs")
			if sc.MetricsPath != "/probe" {
				t.Errorf("job %s: metrics_path %q, want /probe", sc.JobName, sc.MetricsPath)
			}
			last := sc.Relabel[len(sc.Relabel)-1]
			if last.TargetLabel != "__address__" || last.Replacement != addr {
				t.Errorf("job %s: the last relabel must set __address__ to %s", sc.JobName, addr)
			}
		}
		for _, st := range sc.Static {
			for _, tg := range st.Targets {
				checkAddr(t, p, "prometheus", tg, "job "+sc.JobName)
			}
		}
	}
	if probes < 3 {
		t.Errorf("%d http_sd jobs, want nginx, redis and mysql", probes)
	}
	for _, am := range cfg.Alerting.Alertmanagers {
		for _, st := range am.StaticConfigs {
			for _, tg := range st.Targets {
				checkAddr(t, p, "prometheus", tg, "alerting")
			}
		}
	}
	for _, glob := range cfg.RuleFiles {
		host := hostPath(t, prom, filepath.Join(filepath.Dir(flag(prom, "config.file")), glob))
		m, _ := filepath.Glob(host)
		if len(m) == 0 {
			t.Errorf("rule_files %s: no file at %s", glob, host)
		}
	}

	// promtool, with the rules where the config expects them.
	promtool := promtest.Need(t, "promtool")
	dir := promtest.TempDir(t, "promcfg")
	if err := os.WriteFile(filepath.Join(dir, "prometheus.yml"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
	rules, _ := filepath.Abs(filepath.Join("..", "rules"))
	if err := os.Symlink(rules, filepath.Join(dir, "rules")); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool, "check", "config", filepath.Join(dir, "prometheus.yml")).CombinedOutput()
	if err != nil {
		t.Errorf("promtool check config: %v\n%s", err, out)
	}
}

// TestComposeExporterConfigs: each exporter's config passes its --config.check, and every
// target is a compose service on its port.
func TestComposeExporterConfigs(t *testing.T) {
	p := loadProject(t)
	for _, c := range []struct{ svc, pkg, field string }{
		{"nginx-exporter", "./exporters/nginx", "url"},
		{"redis-exporter", "./exporters/redis", "address"},
		{"mysql-exporter", "./exporters/mysql", "address"},
	} {
		s := service(t, p, c.svc)
		path := hostPath(t, s, flag(s, "config.file"))
		bin := promtest.BuildBinary(t, c.pkg)
		if out, err := exec.Command(bin, "--config.check", "--config.file="+path).CombinedOutput(); err != nil {
			t.Errorf("%s --config.check %s: %v\n%s", c.pkg, path, err, out)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var cfg struct {
			Targets []map[string]any `yaml:"targets"`
		}
		if err := yaml.Unmarshal(raw, &cfg); err != nil {
			t.Fatal(err)
		}
		for _, tg := range cfg.Targets {
			addr, _ := tg[c.field].(string)
			if c.field == "url" {
				addr = strings.TrimPrefix(addr, "http://")
				addr, _, _ = strings.Cut(addr, "/")
			}
			checkAddr(t, p, c.svc, addr, c.svc+" target "+tg["name"].(string))
			for _, l := range []string{"zone", "service", "platform"} {
				if tg[l] == nil {
					t.Errorf("%s target %s: no %s (the wall screen groups by it)", c.svc, tg["name"], l)
				}
			}
		}
	}
	cal := service(t, p, "calendar-exporter")
	if _, err := os.Stat(hostPath(t, cal, flag(cal, "calendar.file"))); err != nil {
		t.Errorf("calendar-exporter: %v", err)
	}
}

// TestComposeAlertmanagerAndGrafana: Alertmanager gets the generated config; Grafana gets the
// datasource, the dashboards, and the wall screen as home.
func TestComposeAlertmanagerAndGrafana(t *testing.T) {
	p := loadProject(t)
	am := service(t, p, "alertmanager")
	amCfg := hostPath(t, am, flag(am, "config.file"))
	if _, err := os.Stat(amCfg); err != nil {
		t.Errorf("alertmanager config: %v (rules/alertmanager/alertmanager.yml is generated by the rules)", err)
	} else if b, _ := os.ReadFile(amCfg); !strings.Contains(string(b), "http://127.0.0.1:9095/") {
		t.Errorf("%s has no receiver on the relay placeholder http://127.0.0.1:9095/", amCfg)
	}

	g := service(t, p, "grafana")
	prov := hostPath(t, g, "/etc/grafana/provisioning")
	var ds struct {
		Datasources []struct {
			Type, URL string
		} `yaml:"datasources"`
	}
	readYAML(t, filepath.Join(prov, "datasources", "prometheus.yml"), &ds)
	if len(ds.Datasources) != 1 || ds.Datasources[0].Type != "prometheus" {
		t.Fatalf("want one Prometheus datasource, got %+v", ds.Datasources)
	}
	checkAddr(t, p, "grafana", strings.TrimPrefix(ds.Datasources[0].URL, "http://"), "grafana datasource")

	var dp struct {
		Providers []struct {
			Options struct {
				Path string `yaml:"path"`
			} `yaml:"options"`
		} `yaml:"providers"`
	}
	readYAML(t, filepath.Join(prov, "dashboards", "ggzy.yml"), &dp)
	if len(dp.Providers) != 1 {
		t.Fatalf("want one dashboard provider, got %d", len(dp.Providers))
	}
	dir := hostPath(t, g, dp.Providers[0].Options.Path)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) < 5 {
		t.Errorf("dashboard provider path %s holds %d dashboards", dir, len(files))
	}
	home := g.Environment["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
	if home == nil || !slices.Contains(files, hostPath(t, g, *home)) || filepath.Base(*home) != "wall.json" {
		t.Errorf("the home dashboard must be the provisioned wall.json, got %v", home)
	}
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}
