package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

// exampleDir copies example.yml into a temp dir next to the files it names.
func exampleDir(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile("example.yml")
	if err != nil {
		t.Fatal(err)
	}
	dir := promtest.TempDir(t, "example")
	for _, sub := range []string{"secrets", "certs"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"secrets/trade-redis.pw", "secrets/gov-redis.pw", "certs/redis-ca.pem", "certs/exporter.pem", "certs/exporter.key"} {
		promtest.WriteFile(t, dir, f, "x")
	}
	promtest.WriteFile(t, dir, "redis.yml", string(raw))
	return dir
}

func TestExampleConfig(t *testing.T) {
	dir := exampleDir(t)
	c, err := config.Load[Config](filepath.Join(dir, "redis.yml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets) != 4 {
		t.Fatalf("%d targets", len(c.Targets))
	}
	t0, t1, t2, t3 := c.Targets[0], c.Targets[1], c.Targets[2], c.Targets[3]
	if t0.PasswordFile != filepath.Join(dir, "secrets/trade-redis.pw") || t0.Meta().SDLabels()["role_hint"] != "primary" {
		t.Errorf("target 0: %+v", t0)
	}
	if t1.Username != "ggzy_exporter" || t1.PasswordEnv != "TRADE_REDIS_02_PASSWORD" {
		t.Errorf("target 1: %+v", t1)
	}
	if !t2.TLS.Enabled || t2.TLS.CAFile != filepath.Join(dir, "certs/redis-ca.pem") || t2.TLS.ServerName != "redis.gov.internal" {
		t.Errorf("target 2: %+v", t2.TLS)
	}
	if t3.Address != "/run/redis/redis-server.sock" {
		t.Errorf("target 3: %+v", t3)
	}
}

func TestBadConfig(t *testing.T) {
	dir := promtest.TempDir(t, "bad")
	promtest.WriteFile(t, dir, "pw", "x")
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"unknown field", "targets:\n  - name: a\n    address: h:1\n    pasword_file: pw\n", "redis.yml:4: field pasword_file not found"},
		{"no address", "targets:\n  - name: a\n    service: x\n", "redis.yml:2: targets[0].address: address is required"},
		{"url address", "targets:\n  - name: a\n    address: redis://:pw@h:6379\n", "redis.yml:3: targets[0].address: \"redis://:pw@h:6379\": give host:port"},
		{"no port", "targets:\n  - name: a\n    address: redis.local\n", "targets[0].address: \"redis.local\" is not host:port"},
		{"bad port", "targets:\n  - name: a\n    address: h:99999\n", "targets[0].address: \"h:99999\" is not host:port"},
		{"relative socket", "targets:\n  - name: a\n    address: /run/../x.sock\n", "not a clean absolute socket path"},
		{"username alone", "targets:\n  - name: a\n    address: h:1\n    username: u\n", "redis.yml:4: targets[0].username: username needs password_file or password_env"},
		{"file and env", "targets:\n  - name: a\n    address: h:1\n    password_file: pw\n    password_env: PW\n", "redis.yml:4: targets[0].password_file: password_file and password_env are exclusive"},
		{"missing password file", "targets:\n  - name: a\n    address: h:1\n    password_file: nope.pw\n", "redis.yml:4: targets[0].password_file: " + filepath.Join(dir, "nope.pw") + ": no such file or directory"},
		{"tls options without tls", "targets:\n  - name: a\n    address: h:1\n    tls: {ca_file: pw}\n", "redis.yml:4: targets[0].tls: TLS options are set but tls.enabled is false"},
		{"tls cert without key", "targets:\n  - name: a\n    address: h:1\n    tls: {enabled: true, cert_file: pw}\n", "targets[0].tls: cert_file and key_file go together"},
		{"duplicate name", "targets:\n  - name: a\n    address: h:1\n  - name: a\n    address: h:2\n", "redis.yml:4: targets[1].name: \"a\" is already the name of targets[0]"},
		{"bad name", "targets:\n  - name: a b\n    address: h:1\n", "targets[0].name: \"a b\" is not a valid target name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := promtest.WriteFile(t, dir, "redis.yml", tc.yaml)
			_, err := config.Load[Config](path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

// TestConfigCheck runs --config.check as main does.
func TestConfigCheck(t *testing.T) {
	dir := exampleDir(t)
	bad := promtest.WriteFile(t, dir, "bad.yml", "targets:\n  - name: a\n")
	for path, want := range map[string]int{filepath.Join(dir, "redis.yml"): 0, bad: 1} {
		app := kingpin.New("ggzy_redis_exporter", "test")
		e := newExporter(app)
		if code := e.Main(app, server.AddFlags(app, ":9921"), []string{"--config.check", "--config.file", path}); code != want {
			t.Errorf("--config.check %s: exit %d, want %d", path, code, want)
		}
	}
}

// TestFlagTarget covers single-target mode on /metrics: password from env or file, the
// collector flags, and bad flags.
func TestFlagTarget(t *testing.T) {
	srv := startRedis(t, "flag-pw")
	dir := promtest.TempDir(t, "flags")
	pwFile := promtest.WriteFile(t, dir, "pw", "flag-pw\n")

	t.Setenv("REDIS_PASSWORD", "flag-pw")
	inst, logs := setup(t, "--redis.addr", srv.Addr, "--no-collector.slowlog", "--no-collector.ping")
	code, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil)
	m := promtest.ParseText(t, body)
	if code != 200 || promtest.Value(t, m, "redis_up") != 1 {
		t.Fatalf("env password: HTTP %d\n%s\n%s", code, body, logs)
	}
	collectorsOK(t, m, "info", "keyspace")
	for _, absent := range []string{"redis_slowlog_length", "redis_ping_duration_seconds"} {
		if _, ok := m[absent]; ok {
			t.Errorf("%s present with its collector off", absent)
		}
	}
	if _, ok := promtest.Lookup(m, "redis_scrape_collector_success", "collector", "slowlog"); ok {
		t.Error("disabled collector reported")
	}
	if _, ok := m["go_goroutines"]; !ok {
		t.Error("self-metrics missing on /metrics")
	}

	os.Unsetenv("REDIS_PASSWORD")
	inst, _ = setup(t, "--redis.addr", srv.Addr, "--redis.password-file", pwFile)
	_, body = promtest.Do(t, inst.Handler, "GET", "/metrics", nil)
	if v := promtest.Value(t, promtest.ParseText(t, body), "redis_up"); v != 1 {
		t.Errorf("password file: redis_up %v", v)
	}

	for _, args := range [][]string{
		{"--redis.addr", "redis://" + srv.Addr},
		{"--redis.addr", srv.Addr, "--redis.username", "u"},
		{"--redis.addr", srv.Addr, "--redis.tls-ca-file", pwFile},
		{"--redis.addr", srv.Addr, "--redis.max-dbs", "-1"},
		{},
	} {
		if _, _, err := trySetup(args...); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
}
