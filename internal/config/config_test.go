package config

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

type testTarget struct {
	TargetMeta `yaml:",inline"`
	URL        string `yaml:"url"`
	File       string `yaml:"password_file,omitempty"`
}

type testConfig struct {
	Targets []testTarget `yaml:"targets"`
}

func (c *testConfig) Validate(dir string) error {
	return ValidateEach("targets", c.Targets, func(t *testTarget, path string) error {
		if t.URL == "" {
			return Errorf(path+".url", "url is required")
		}
		t.File = ResolvePath(dir, t.File)
		return nil
	})
}

func parse(t *testing.T, y string) (*testConfig, error) {
	t.Helper()
	return Parse[testConfig]("exporter.yml", []byte(y))
}

func TestParseErrorsNameFileAndLine(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown field", "targets:\n  - name: a\n    url: x\n    urll: y\n", "exporter.yml:4: field urll not found"},
		{"missing url", "targets:\n  - name: a\n    url: x\n  - name: b\n    zone: z\n", "exporter.yml:4: targets[1].url: url is required"},
		{"duplicate", "targets:\n  - name: a\n    url: x\n  - name: a\n    url: y\n", `exporter.yml:4: targets[1].name: "a" is already the name of targets[0]`},
		{"bad name", "targets:\n  - name: 'a b'\n    url: x\n", `exporter.yml:2: targets[0].name: "a b" is not a valid target name`},
		{"reserved label", "targets:\n  - name: a\n    url: x\n    labels: {zone: z}\n", `targets[0].labels: "zone" is reserved`},
		{"bad label", "targets:\n  - name: a\n    url: x\n    labels: {__x: z}\n", `"__x" is not a valid label name`},
		{"no name", "targets:\n  - url: x\n", "exporter.yml:2: targets[0]: name is required"},
		{"type", "targets: {a: 1}\n", "exporter.yml:1: cannot unmarshal !!map into []config.testTarget"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse(t, tc.yaml)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseGoodAndResolvesPaths(t *testing.T) {
	c, err := Parse[testConfig]("/etc/ggzy/exporter.yml", []byte("targets:\n  - name: portal-1\n    platform: portal\n    zone: internet\n    service: 门户\n    url: x\n    password_file: pw\n    labels: {room: a}\n"))
	if err != nil {
		t.Fatal(err)
	}
	tg := c.Targets[0]
	if tg.File != "/etc/ggzy/pw" {
		t.Errorf("password_file not resolved against the config dir: %s", tg.File)
	}
	want := map[string]string{"platform": "portal", "zone": "internet", "service": "门户", "room": "a"}
	if got := tg.SDLabels(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("labels %v, want %v", got, want)
	}
	if _, err := parse(t, ""); err != nil {
		t.Errorf("empty file: %v", err)
	}
}

func TestReadSecret(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "pw")
	if err := os.WriteFile(f, []byte("s3cr3t-value\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if v, err := ReadSecret(f, ""); err != nil || v != "s3cr3t-value" {
		t.Fatalf("got %q %v", v, err)
	}
	t.Setenv("GGZY_TEST_PW", "from-env")
	if v, err := ReadSecret("", "GGZY_TEST_PW"); err != nil || v != "from-env" {
		t.Fatalf("env: got %q %v", v, err)
	}
	_, err := ReadSecret(filepath.Join(dir, "missing"), "")
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Fatalf("missing file error should name the file: %v", err)
	}
	_, err = ReadSecret("", "GGZY_TEST_UNSET_VAR")
	if err == nil || !strings.Contains(err.Error(), "GGZY_TEST_UNSET_VAR") {
		t.Fatalf("unset env error should name the variable: %v", err)
	}
}

func TestStoreReloadKeepsOldOnError(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("targets:\n  - name: a\n    url: x\n")
	reg := prometheus.NewRegistry()
	s, err := NewStore("test", path, Load[testConfig], reg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	write("targets:\n  - name: a\n    url: x\n    nope: 1\n")
	if err := s.Reload(); err == nil || !strings.Contains(err.Error(), "c.yml:4: field nope not found") {
		t.Fatalf("bad reload error %v", err)
	}
	if got := s.Get().Targets[0].Name; got != "a" {
		t.Fatalf("old config not kept: %s", got)
	}
	if v := testutil.ToFloat64(s.success); v != 0 {
		t.Errorf("reload gauge %v after failure", v)
	}
	write("targets:\n  - name: b\n    url: y\n")
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	if got := s.Get().Targets[0].Name; got != "b" {
		t.Fatalf("new config not taken: %s", got)
	}
	if v := testutil.ToFloat64(s.success); v != 1 {
		t.Errorf("reload gauge %v after success", v)
	}
	if _, err := NewStore("test", filepath.Join(dir, "absent.yml"), Load[testConfig], nil, slog.New(slog.DiscardHandler)); err == nil {
		t.Fatal("missing file at start accepted")
	}
}

func TestTLSResolve(t *testing.T) {
	tl := TLS{CertFile: "c.pem"}
	if err := tl.Resolve("/nonexistent", "targets[0].tls"); err == nil || !strings.Contains(err.Error(), "go together") {
		t.Fatalf("cert without key: %v", err)
	}
	tl = TLS{CAFile: "ca.pem"}
	if err := tl.Resolve("/nonexistent", "targets[0].tls"); err == nil || !strings.Contains(err.Error(), "/nonexistent/ca.pem") {
		t.Fatalf("missing ca: %v", err)
	}
	if c, err := (TLS{}).Config(); err != nil || c.InsecureSkipVerify {
		t.Fatalf("default TLS must verify: %v", err)
	}
}
