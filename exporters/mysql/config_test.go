package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
	"github.com/ggzy/ggzy-exporters/internal/sqlconn"
)

func TestExampleConfig(t *testing.T) {
	c, err := config.Load[Config]("example.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets) != 3 {
		t.Fatalf("%d targets", len(c.Targets))
	}
	a, b, s := c.Targets[0], c.Targets[1], c.Targets[2]
	if a.MaxOpenConnections != 2 || a.QueryTimeout != 5*time.Second || !strings.HasSuffix(a.PasswordFile, "/secrets/trade-db-1.password") {
		t.Errorf("first target: %+v", a)
	}
	if b.PasswordEnv != "TRADE_DB_PASSWORD" || !b.TLS.Enabled || b.MaxOpenConnections != defaultMaxOpen || b.QueryTimeout != defaultQueryTimeout {
		t.Errorf("second target: %+v", b)
	}
	if s.Socket != "/run/mysqld/mysqld.sock" || s.Address != "" {
		t.Errorf("socket target: %+v", s)
	}
	if got := a.SDLabels(); got["platform"] != "trading" || got["role"] != "primary" {
		t.Errorf("sd labels %v", got)
	}
}

func TestConfigErrors(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{"targets:\n  - name: a\n    username: u\n", ":2: targets[0].address: address (host:port) or socket is required"},
		{"targets:\n  - name: a\n    address: h:1\n    socket: /s\n    username: u\n", ":4: targets[0].socket: give address or socket"},
		{"targets:\n  - name: a\n    address: nohost\n    username: u\n", ":3: targets[0].address: \"nohost\" is not host:port"},
		{"targets:\n  - name: a\n    address: h:1\n", "targets[0].username: username is required"},
		{"targets:\n  - name: a\n    address: h:1\n    username: u\n    password_file: f\n    password_env: E\n", ":6: targets[0].password_env: give password_file or password_env"},
		{"targets:\n  - name: a\n    address: h:1\n    username: u\n    max_open_connections: 9\n", ":5: targets[0].max_open_connections: must be 1 to 3"},
		{"targets:\n  - name: a\n    address: h:1\n    username: u\n    password: oops\n", ":5: field password not found"},
		{"targets:\n  - name: a\n    address: h:1\n    username: u\n  - name: a\n    address: h:2\n    username: u\n", "already the name of targets[0]"},
		{"targets:\n  - name: a\n    socket: /s\n    username: u\n    tls: {enabled: true}\n", "TLS over a unix socket"},
		{"targets:\n  - name: a\n    address: h:1\n    username: u\n    query_timeout: -1s\n", "query_timeout: must be positive"},
	} {
		dir := promtest.TempDir(t, "cfg")
		_, err := config.Load[Config](promtest.WriteFile(t, dir, "m.yml", c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got %v\nwant %s", c.yaml, err, c.want)
		}
	}
}

// Flags for a single target are validated at start, and a password never comes from a flag.
func TestSingleTargetFlags(t *testing.T) {
	app := kingpin.New("t", "")
	e := newExporter(app, slog.New(slog.DiscardHandler))
	f := server.AddFlags(app, ":0")
	if _, err := app.Parse([]string{"--mysql.address=127.0.0.1:3306", "--mysql.password=x"}); err == nil {
		t.Error("a --mysql.password flag must not exist")
	}
	if _, err := app.Parse([]string{"--mysql.address=127.0.0.1:3306"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Setup(f, slog.New(slog.DiscardHandler)); err == nil || !strings.Contains(err.Error(), "username is required") {
		t.Errorf("missing --mysql.username: %v", err)
	}
	tgt, ok, _ := e.FlagTarget()
	if !ok || tgt.PasswordEnv != "MYSQL_PASSWORD" {
		t.Errorf("password must default to env MYSQL_PASSWORD: %+v", tgt)
	}
}

// The pool key changes with the password and with replaced TLS files, not otherwise.
func TestFingerprint(t *testing.T) {
	dir := promtest.TempDir(t, "fp")
	ca := promtest.WriteFile(t, dir, "ca.pem", "one")
	tgt := Target{Address: "h:1", Username: "u", MaxOpenConnections: 2}
	tgt.TLS.Enabled, tgt.TLS.CAFile = true, ca
	d1 := sqlconn.DSN{Net: "tcp", Addr: "h:1", User: "u", Password: "a"}
	d2 := d1
	d2.Password = "b"
	fp := tgt.fingerprint(d1)
	if fp != tgt.fingerprint(d1) || fp == tgt.fingerprint(d2) {
		t.Fatal("fingerprint must be stable and follow the password")
	}
	if len(fp) != 64 || strings.Trim(fp, "0123456789abcdef") != "" {
		t.Fatalf("fingerprint %q is not a sha256 hex hash", fp)
	}
	time.Sleep(10 * time.Millisecond)
	promtest.WriteFile(t, dir, "ca.pem", "two, longer")
	if tgt.fingerprint(d1) == fp {
		t.Fatal("a replaced CA file must change the fingerprint")
	}
}
