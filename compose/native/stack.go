package native

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RelayPlaceholder is the address the receivers of rules/alertmanager/alertmanager.yml post
// to; a stack replaces it with Options.WebhookURL.
const RelayPlaceholder = "http://127.0.0.1:9095/"

// Binaries are the programs a stack runs. Exporters maps nginx, redis, mysql and calendar
// to built ggzy_*_exporter binaries.
type Binaries struct {
	Exporters                                      map[string]string
	Nginx, RedisServer, Mariadbd, MariadbInstallDB string
	Prometheus, Alertmanager, NodeExporter         string
}

// DebianBinaries are the Debian packages' paths (nginx-light, redis-server, mariadb-server,
// prometheus, prometheus-alertmanager, prometheus-node-exporter).
func DebianBinaries(exporters map[string]string) Binaries {
	return Binaries{
		Exporters: exporters,
		Nginx:     "/usr/sbin/nginx", RedisServer: "/usr/bin/redis-server",
		Mariadbd: "/usr/sbin/mariadbd", MariadbInstallDB: "/usr/bin/mariadb-install-db",
		Prometheus: "/usr/bin/prometheus", Alertmanager: "/usr/bin/prometheus-alertmanager",
		NodeExporter: "/usr/bin/prometheus-node-exporter",
	}
}

// Options configure a stack.
type Options struct {
	Dir  string // work directory (must exist; everything the stack writes goes here)
	Repo string // repository root: rules/ and rules/alertmanager/ are read from it
	Bin  Binaries
	// Port gives the port of a component (names as in Stack.Addr); nil picks free ports.
	Port func(component string) int
	// WebhookURL replaces RelayPlaceholder in the Alertmanager config (ends with "/").
	WebhookURL string
	// Interval is the scrape and rule evaluation interval (e2e: a few seconds).
	Interval time.Duration
	Zone     string    // zone label of every target (default "internet")
	Log      io.Writer // where the processes' output goes too (nil: kept in memory only)
}

// Stack is a running topology.
type Stack struct {
	o     Options
	procs []*proc
	named map[string]*proc
	// Addr is host:port of each component: nginx, redis, mysql-primary, mysql-replica,
	// nginx-exporter, redis-exporter, mysql-exporter, calendar-exporter, node-exporter,
	// prometheus, alertmanager.
	Addr    map[string]string
	primary *mariadb
	replica *mariadb
}

// Components in start order.
var components = []string{"nginx", "redis", "mysql-primary", "mysql-replica", "node-exporter",
	"nginx-exporter", "redis-exporter", "mysql-exporter", "calendar-exporter", "alertmanager", "prometheus"}

// Start starts everything and returns once every component listens and replication runs.
// On error, what was started is stopped.
func Start(ctx context.Context, o Options) (s *Stack, err error) {
	if o.Zone == "" {
		o.Zone = "internet"
	}
	if o.Interval == 0 {
		o.Interval = 15 * time.Second
	}
	s = &Stack{o: o, named: map[string]*proc{}, Addr: map[string]string{}}
	defer func() {
		if err != nil {
			s.Stop()
			s = nil
		}
	}()
	for _, c := range components {
		port := 0
		if o.Port != nil {
			port = o.Port(c)
		}
		if port == 0 {
			if port, err = freePort(); err != nil {
				return s, err
			}
		}
		s.Addr[c] = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	}
	steps := []func(context.Context) error{s.startNginx, s.startRedis, s.startMariaDB, s.startNodeExporter,
		s.startExporters, s.startAlertmanager, s.startPrometheus}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return s, err
		}
		if err := step(ctx); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Stop stops every process, newest first. It is safe to call more than once.
func (s *Stack) Stop() {
	if s.primary != nil {
		s.primary.close()
	}
	if s.replica != nil {
		s.replica.close()
	}
	for i := len(s.procs) - 1; i >= 0; i-- {
		s.procs[i].stop(10 * time.Second)
	}
}

// Output is what a component printed last (for failure messages).
func (s *Stack) Output(component string) string {
	if p := s.named[component]; p != nil {
		return p.out.String()
	}
	return ""
}

// URLs are the stack's web endpoints, for people.
func (s *Stack) URLs() [][2]string {
	u := func(c, path string) string { return "http://" + s.Addr[c] + path }
	return [][2]string{
		{"Prometheus", u("prometheus", "/")},
		{"Prometheus targets", u("prometheus", "/targets")},
		{"Prometheus alerts", u("prometheus", "/alerts")},
		{"Alertmanager", u("alertmanager", "/")},
		{"nginx exporter /sd", u("nginx-exporter", "/sd")},
		{"nginx exporter /probe", u("nginx-exporter", "/probe?target=demo-nginx")},
		{"redis exporter /sd", u("redis-exporter", "/sd")},
		{"redis exporter /probe", u("redis-exporter", "/probe?target=demo-redis")},
		{"mysql exporter /sd", u("mysql-exporter", "/sd")},
		{"mysql exporter /probe (primary)", u("mysql-exporter", "/probe?target=demo-mysql-primary")},
		{"mysql exporter /probe (replica)", u("mysql-exporter", "/probe?target=demo-mysql-replica")},
		{"calendar exporter", u("calendar-exporter", "/metrics")},
		{"node_exporter", u("node-exporter", "/metrics")},
		{"nginx stub_status", u("nginx", "/stub_status")},
	}
}

func (s *Stack) run(name, bin string, args ...string) (*proc, error) {
	if bin == "" {
		return nil, fmt.Errorf("%s: no binary configured", name)
	}
	p, err := startProc(name, s.o.Log, bin, args...)
	if err != nil {
		return nil, err
	}
	s.procs = append(s.procs, p)
	s.named[name] = p
	return p, nil
}

func (s *Stack) serve(name, bin string, args ...string) error {
	p, err := s.run(name, bin, args...)
	if err != nil {
		return err
	}
	return waitPort(p, s.Addr[name], 60*time.Second)
}

func (s *Stack) dir(parts ...string) (string, error) {
	d := filepath.Join(append([]string{s.o.Dir}, parts...)...)
	return d, os.MkdirAll(d, 0o755)
}

func (s *Stack) startNginx(context.Context) error {
	d, err := s.dir("nginx")
	if err != nil {
		return err
	}
	conf := fmt.Sprintf(`worker_processes 1;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/client_body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    server {
        listen %[2]s;
        location = /stub_status { stub_status; }
        location / { return 200 "ggzy demo\n"; }
    }
}
`, d, s.Addr["nginx"])
	if err := os.WriteFile(filepath.Join(d, "nginx.conf"), []byte(conf), 0o644); err != nil {
		return err
	}
	return s.serve("nginx", s.o.Bin.Nginx, "-p", d, "-e", filepath.Join(d, "error.log"), "-c", filepath.Join(d, "nginx.conf"))
}

// RedisMaxMemory is the maxmemory of the stack's Redis: small, so that FillRedis is quick.
const RedisMaxMemory = 4 << 20

func (s *Stack) startRedis(context.Context) error {
	d, err := s.dir("redis")
	if err != nil {
		return err
	}
	_, port, _ := net.SplitHostPort(s.Addr["redis"])
	return s.serve("redis", s.o.Bin.RedisServer, "--port", port, "--bind", "127.0.0.1", "--dir", d,
		"--save", "", "--appendonly", "no", "--maxmemory", strconv.Itoa(RedisMaxMemory),
		"--maxmemory-policy", "noeviction", "--protected-mode", "yes")
}

func (s *Stack) startNodeExporter(context.Context) error {
	return s.serve("node-exporter", s.o.Bin.NodeExporter, "--web.listen-address="+s.Addr["node-exporter"])
}

// exporterPassword is the MariaDB exporter user's password, written to a file of the work dir.
const exporterPassword = "e2e-exporter-pw"

func (s *Stack) startExporters(context.Context) error {
	d, err := s.dir("exporters")
	if err != nil {
		return err
	}
	meta := func(name, service string) string {
		return fmt.Sprintf("  - name: %s\n    platform: trading\n    zone: %s\n    service: %s\n", name, s.o.Zone, service)
	}
	files := map[string]string{
		"nginx.yml": "targets:\n" + meta("demo-nginx", "portal") + "    url: http://" + s.Addr["nginx"] + "/stub_status\n",
		"redis.yml": "targets:\n" + meta("demo-redis", "trading") + "    address: " + s.Addr["redis"] + "\n",
		"mysql.yml": "targets:\n" +
			meta("demo-mysql-primary", "trading-db") + "    address: " + s.Addr["mysql-primary"] + "\n    username: exporter\n    password_file: mysql.password\n    labels: {pair: demo, role: primary}\n" +
			meta("demo-mysql-replica", "trading-db") + "    address: " + s.Addr["mysql-replica"] + "\n    username: exporter\n    password_file: mysql.password\n    labels: {pair: demo, role: replica}\n",
		"mysql.password": exporterPassword + "\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(d, name), []byte(body), 0o600); err != nil {
			return err
		}
	}
	for _, e := range []string{"nginx", "redis", "mysql"} {
		if err := s.serve(e+"-exporter", s.o.Bin.Exporters[e], "--config.file="+filepath.Join(d, e+".yml"),
			"--web.listen-address="+s.Addr[e+"-exporter"]); err != nil {
			return err
		}
	}
	return s.serve("calendar-exporter", s.o.Bin.Exporters["calendar"],
		"--calendar.file="+filepath.Join(s.o.Repo, "rules", "calendar", "calendar.yml"),
		"--web.listen-address="+s.Addr["calendar-exporter"])
}

func (s *Stack) startAlertmanager(context.Context) error {
	d, err := s.dir("alertmanager")
	if err != nil {
		return err
	}
	src := filepath.Join(s.o.Repo, "rules", "alertmanager")
	if err := copyTree(src, filepath.Join(d, "config")); err != nil {
		return err
	}
	cfgPath := filepath.Join(d, "config", "alertmanager.yml")
	b, err := os.ReadFile(cfgPath)
	if err != nil {
		return fmt.Errorf("alertmanager config (generated by the rules, rules/alertmanager/alertmanager.yml): %w", err)
	}
	if !strings.Contains(string(b), RelayPlaceholder) {
		return fmt.Errorf("%s has no receiver URL %s to point at the webhook sink", cfgPath, RelayPlaceholder)
	}
	if s.o.WebhookURL != "" {
		b = []byte(strings.ReplaceAll(string(b), RelayPlaceholder, s.o.WebhookURL))
	}
	if err := os.WriteFile(cfgPath, b, 0o644); err != nil {
		return err
	}
	if err := s.serve("alertmanager", s.o.Bin.Alertmanager, "--config.file="+cfgPath,
		"--storage.path="+filepath.Join(d, "data"), "--web.listen-address="+s.Addr["alertmanager"],
		"--cluster.listen-address="); err != nil {
		return err
	}
	return s.waitReady("alertmanager")
}

// Setup is the Prometheus setup of this stack (the same shape as compose's).
func (s *Stack) Setup() PromSetup {
	iv := s.o.Interval.String()
	return PromSetup{
		ScrapeInterval: iv, EvaluationInterval: iv,
		Probes: []Probe{
			{Job: "ggzy-nginx", Addr: s.Addr["nginx-exporter"]},
			{Job: "ggzy-redis", Addr: s.Addr["redis-exporter"]},
			{Job: "ggzy-mysql", Addr: s.Addr["mysql-exporter"]},
		},
		Calendar: s.Addr["calendar-exporter"], Node: s.Addr["node-exporter"], Zone: s.o.Zone,
		Self:       []string{s.Addr["nginx-exporter"], s.Addr["redis-exporter"], s.Addr["mysql-exporter"]},
		Prometheus: s.Addr["prometheus"], Alertmanager: s.Addr["alertmanager"],
		RuleFiles: []string{"rules/*.yml"},
	}
}

func (s *Stack) startPrometheus(context.Context) error {
	d, err := s.dir("prometheus")
	if err != nil {
		return err
	}
	rules, _ := filepath.Glob(filepath.Join(s.o.Repo, "rules", "*.yml"))
	if len(rules) == 0 {
		return errors.New("no rules/*.yml in the repository")
	}
	if err := os.MkdirAll(filepath.Join(d, "rules"), 0o755); err != nil {
		return err
	}
	for _, r := range rules {
		if err := copyFile(r, filepath.Join(d, "rules", filepath.Base(r))); err != nil {
			return err
		}
	}
	cfg := filepath.Join(d, "prometheus.yml")
	if err := os.WriteFile(cfg, PrometheusConfig(s.Setup()), 0o644); err != nil {
		return err
	}
	if err := s.serve("prometheus", s.o.Bin.Prometheus, "--config.file="+cfg,
		"--storage.tsdb.path="+filepath.Join(d, "data"), "--web.listen-address="+s.Addr["prometheus"],
		"--rules.alert.resend-delay=5s", "--rules.alert.for-grace-period=1s"); err != nil {
		return err
	}
	return s.waitReady("prometheus")
}

// waitReady waits until a Prometheus-style /-/ready answers 200.
func (s *Stack) waitReady(name string) error {
	c := http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := c.Get("http://" + s.Addr[name] + "/-/ready")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready within a minute\n%s", name, s.Output(name))
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		return copyFile(path, filepath.Join(dst, rel))
	})
}
