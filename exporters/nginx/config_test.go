package main

import (
	"errors"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

func TestConfigErrors(t *testing.T) {
	dir := promtest.TempDir(t, "nginx-cfg")
	ca := promtest.MakeCerts(t, dir).CA
	for _, tc := range []struct {
		name, yaml string
		want       []string // substrings of the error
	}{
		{"unknown field names its line", "targets:\n  - name: a\n    urll: http://x/\n", []string{"nginx.yml:3:", "urll"}},
		{"unknown top-level field", "targets: []\nmodules: {}\n", []string{"nginx.yml:2:", "modules"}},
		{"url required", "targets:\n  - name: a\n    platform: p\n", []string{"nginx.yml:2:", "url is required"}},
		{"scheme", "targets:\n  - name: a\n    url: ftp://x/stub_status\n", []string{"nginx.yml:3:", "not an http:// or https:// URL"}},
		{"no host", "targets:\n  - name: a\n    url: http:///stub_status\n", []string{"nginx.yml:3:", "not an http"}},
		{"credentials in url", "targets:\n  - name: a\n    url: http://u:Hunter2pw@x/\n", []string{"nginx.yml:3:", "credentials in the URL"}},
		{"unparsable url with credentials", "targets:\n  - name: a\n    url: \"http://u:Hunter2pw@x:port/\"\n", []string{"nginx.yml:3:", "not a valid URL"}},
		{"username required", "targets:\n  - name: a\n    url: http://x/\n    basic_auth:\n      password_file: pw\n", []string{"nginx.yml:5:", "username is required"}},
		{"password source required", "targets:\n  - name: a\n    url: http://x/\n    basic_auth:\n      username: u\n", []string{"nginx.yml:5:", "exactly one of password_file and password_env"}},
		{"one password source", "targets:\n  - name: a\n    url: http://x/\n    basic_auth: {username: u, password_file: f, password_env: E}\n", []string{"nginx.yml:4:", "exactly one"}},
		{"password in config", "targets:\n  - name: a\n    url: http://x/\n    basic_auth: {username: u, password: Hunter2pw}\n", []string{"nginx.yml:4:", "password"}},
		{"tls on http", "targets:\n  - name: a\n    url: http://x/\n    tls:\n      insecure_skip_verify: true\n", []string{"nginx.yml:5:", "https:// URLs only"}},
		{"tls.enabled unused", "targets:\n  - name: a\n    url: https://x/\n    tls:\n      enabled: true\n", []string{"nginx.yml:5:", "an https:// url enables TLS"}},
		{"missing ca_file", "targets:\n  - name: a\n    url: https://x/\n    tls:\n      ca_file: nope.pem\n", []string{"nginx.yml:5:", "nope.pem", "no such file"}},
		{"cert without key", "targets:\n  - name: a\n    url: https://x/\n    tls:\n      cert_file: " + ca + "\n", []string{"nginx.yml:5:", "cert_file and key_file go together"}},
		{"duplicate name", "targets:\n  - name: a\n    url: http://x/\n  - name: a\n    url: http://y/\n", []string{"nginx.yml:4:", "already the name of targets[0]"}},
		{"bad name", "targets:\n  - name: \"a b\"\n    url: http://x/\n", []string{"nginx.yml:2:", "not a valid target name"}},
		{"reserved label", "targets:\n  - name: a\n    url: http://x/\n    labels: {zone: z}\n", []string{"nginx.yml:4:", "reserved"}},
		{"not yaml", "targets: [\n", []string{"nginx.yml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := promtest.WriteFile(t, dir, "nginx.yml", tc.yaml)
			_, err := config.Load[Config](p)
			if err == nil {
				t.Fatalf("no error for\n%s", tc.yaml)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "Hunter2pw") {
				t.Errorf("error %q quotes a password", err)
			}
		})
	}
}

func TestConfigResolvesPaths(t *testing.T) {
	dir := promtest.TempDir(t, "nginx-cfg")
	promtest.MakeCerts(t, dir)
	p := promtest.WriteFile(t, dir, "nginx.yml", "targets:\n  - name: a\n    url: https://x/\n"+
		"    basic_auth: {username: u, password_file: pw}\n    tls: {ca_file: ca.pem}\n")
	c, err := config.Load[Config](p)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Targets[0].BasicAuth.PasswordFile; got != dir+"/pw" {
		t.Errorf("password_file %q, want it relative to the config file", got)
	}
	if got := c.Targets[0].TLS.CAFile; got != dir+"/ca.pem" {
		t.Errorf("ca_file %q", got)
	}
}

// TestExampleConfig: example.yml is valid and mentions every option of a target.
func TestExampleConfig(t *testing.T) {
	c, err := config.Load[Config]("example.yml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets) < 3 {
		t.Errorf("example.yml has %d targets", len(c.Targets))
	}
	b, _ := os.ReadFile("example.yml")
	for _, key := range yamlKeys(reflect.TypeOf(Config{})) {
		if !regexp.MustCompile(`(?m)^[\s#-]*` + key + `:`).Match(b) {
			t.Errorf("example.yml does not document %q", key)
		}
	}
}

// yamlKeys lists the yaml keys of a struct type, inline and nested ones included.
func yamlKeys(typ reflect.Type) []string {
	for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := 0; i < typ.NumField(); i++ {
		f := typ.Field(i)
		tag := strings.Split(f.Tag.Get("yaml"), ",")
		if tag[0] != "" && tag[0] != "-" {
			out = append(out, tag[0])
		}
		out = append(out, yamlKeys(f.Type)...)
	}
	return out
}

// TestConfigCheckBinary: --config.check on the built binary exits 0 on a valid file, 1 on
// an invalid one (naming file and line) or none, and 2 on bad flags.
func TestConfigCheckBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := promtest.BuildOnce(t, "./exporters/nginx")
	dir := promtest.TempDir(t, "nginx-check")
	bad := promtest.WriteFile(t, dir, "bad.yml", "targets:\n  - name: a\n    url: http://x/\n    timeout: 3s\n")
	for _, tc := range []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"--config.check", "--config.file=example.yml"}, 0, "example.yml: OK"},
		{[]string{"--config.check", "--config.file=" + bad}, 1, bad + ":4:"},
		{[]string{"--config.check", "--config.file=" + dir + "/missing.yml"}, 1, "no such file"},
		{[]string{"--config.check"}, 1, "needs --config.file"},
		{[]string{"--no-such-flag"}, 2, "unknown long flag"},
	} {
		out, err := exec.Command(bin, tc.args...).CombinedOutput()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code || !strings.Contains(string(out), tc.out) {
			t.Errorf("%v: exit %d (want %d), output:\n%s(want %q)", tc.args, code, tc.code, out, tc.out)
		}
	}
}
