package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestRealNginx runs Debian's nginx with a plain stub_status server and an HTTPS one behind
// auth_basic, and scrapes both through /probe as Prometheus would.
func TestRealNginx(t *testing.T) {
	bin := nginxBinary(t, false)
	dir := promtest.TempDir(t, "nginx-exp")
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	certs := promtest.MakeCerts(t, dir)
	const password = "Zq7-real-nginx-pw"
	htpasswd := promtest.WriteFile(t, dir, "htpasswd", "status:{PLAIN}"+password+"\n")
	if err := os.Chmod(htpasswd, 0o644); err != nil { // read by the worker (nobody)
		t.Fatal(err)
	}
	pwFile := promtest.WriteFile(t, dir, "password", password+"\n")
	badPwFile := promtest.WriteFile(t, dir, "bad-password", "not-it\n")

	plain, secure := promtest.FreePort(t), promtest.FreePort(t)
	n := startNginx(t, bin, fmt.Sprintf(`
    server {
        listen 127.0.0.1:%d;
        location = /stub_status { stub_status; }
        location / { return 200 "ok\n"; }
    }
    server {
        listen 127.0.0.1:%d ssl;
        ssl_certificate %s;
        ssl_certificate_key %s;
        location = /stub_status {
            auth_basic "status";
            auth_basic_user_file %s;
            stub_status;
        }
    }`, plain, secure, certs.ServerCert, certs.ServerKey, htpasswd), promtest.Addr(plain))
	promtest.WaitPort(t, promtest.Addr(secure), 5*time.Second, n.Proc)

	plainURL := fmt.Sprintf("http://127.0.0.1:%d/stub_status", plain)
	secureURL := fmt.Sprintf("https://127.0.0.1:%d/stub_status", secure)
	auth := func(file string) string { return "basic_auth: {username: status, password_file: " + file + "}" }
	cfg := "targets:\n" +
		targetYAML("web", plainURL, "platform: portal\nzone: internet\nservice: nginx") +
		targetYAML("secure", secureURL, auth(pwFile)+"\ntls: {ca_file: "+certs.CA+"}") +
		targetYAML("secure-no-ca", secureURL, auth(pwFile)) +
		targetYAML("secure-bad-password", secureURL, auth(badPwFile)+"\ntls: {ca_file: "+certs.CA+"}") +
		targetYAML("secure-insecure", secureURL, auth(pwFile)+"\ntls: {insecure_skip_verify: true}")
	cfgPath := promtest.WriteFile(t, dir, "nginx.yml", cfg)
	inst, logs := setup(t, "--config.file="+cfgPath)

	t.Run("values move with traffic", func(t *testing.T) {
		m1 := probe(t, inst, "web")
		if v := promtest.Value(t, m1, "nginx_up"); v != 1 {
			t.Fatalf("nginx_up %v; log:\n%s\nnginx:\n%s", v, logs, n.ErrorLog())
		}
		sameSeriesAsRecording(t, m1)
		for i := 0; i < 10; i++ {
			get(t, &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}, "http://"+promtest.Addr(plain)+"/")
		}
		m2 := probe(t, inst, "web")
		reqs := promtest.Value(t, m2, "nginx_http_requests_total") - promtest.Value(t, m1, "nginx_http_requests_total")
		acc := promtest.Value(t, m2, "nginx_connections_accepted_total") - promtest.Value(t, m1, "nginx_connections_accepted_total")
		t.Logf("requests +%v accepted +%v", reqs, acc)
		// 10 requests on 10 new connections, plus the second scrape's own request (kept alive).
		if reqs < 11 || acc < 10 {
			t.Errorf("after 10 requests: requests +%v (want >= 11), accepted +%v (want >= 10)", reqs, acc)
		}
		if h, a := promtest.Value(t, m2, "nginx_connections_handled_total"), promtest.Value(t, m2, "nginx_connections_accepted_total"); h != a {
			t.Errorf("handled %v != accepted %v", h, a)
		}
		if d := promtest.Value(t, m2, "nginx_connections_dropped_total"); d != 0 {
			t.Errorf("dropped %v", d)
		}
		if w := promtest.Value(t, m2, "nginx_connections", "state", "writing"); w < 1 {
			t.Errorf("writing %v: the scrape's own request is being written", w)
		}
		if _, ok := promtest.Lookup(m2, "nginx_http_request_time_seconds_total"); ok {
			t.Error("nginx has no request_time: the metric must be absent")
		}
	})

	t.Run("connection states", func(t *testing.T) {
		// 3 connections stuck in the middle of a request header (reading) and 2 idle
		// keep-alive connections after a complete request (waiting).
		for i := 0; i < 3; i++ {
			c := dial(t, plain)
			if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n"); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 2; i++ {
			c := dial(t, plain)
			if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		var m map[string]*dto.MetricFamily
		promtest.Eventually(t, 5*time.Second, "reading >= 3 and waiting >= 2", func() bool {
			m = probe(t, inst, "web")
			return promtest.Value(t, m, "nginx_connections", "state", "reading") >= 3 &&
				promtest.Value(t, m, "nginx_connections", "state", "waiting") >= 2
		})
		active := promtest.Value(t, m, "nginx_connections", "state", "active")
		sum := promtest.Value(t, m, "nginx_connections", "state", "reading") + promtest.Value(t, m, "nginx_connections", "state", "writing") +
			promtest.Value(t, m, "nginx_connections", "state", "waiting")
		t.Logf("active %v sum %v", active, sum)
		if active < 6 || active != sum {
			t.Errorf("active %v, reading+writing+waiting %v (want equal, >= 6)", active, sum)
		}
	})

	t.Run("https and basic auth", func(t *testing.T) {
		for _, tc := range []struct {
			target string
			up     float64
			log    string
		}{
			{"secure", 1, ""},
			{"secure-insecure", 1, ""},
			{"secure-no-ca", 0, "x509"},
			{"secure-bad-password", 0, "unexpected HTTP status 401"},
		} {
			m := probe(t, inst, tc.target)
			if v := promtest.Value(t, m, "nginx_up"); v != tc.up {
				t.Errorf("%s: nginx_up %v, want %v; log:\n%s", tc.target, v, tc.up, logs)
			}
			if tc.up == 1 && promtest.Value(t, m, "nginx_http_requests_total") < 1 {
				t.Errorf("%s: no requests counted", tc.target)
			}
			if tc.log != "" && !strings.Contains(logs.String(), tc.log) {
				t.Errorf("%s: log lacks %q:\n%s", tc.target, tc.log, logs)
			}
		}
		if strings.Contains(logs.String(), password) {
			t.Errorf("the password is in the log:\n%s", logs)
		}
	})

	t.Run("sd", func(t *testing.T) {
		code, body := promtest.Do(t, inst.Handler, "GET", "/sd", nil)
		var groups []struct {
			Targets []string          `json:"targets"`
			Labels  map[string]string `json:"labels"`
		}
		if err := json.Unmarshal([]byte(body), &groups); code != 200 || err != nil || len(groups) != 5 {
			t.Fatalf("/sd: HTTP %d, %v:\n%s", code, err, body)
		}
		for _, g := range groups {
			if len(g.Targets) == 1 && g.Targets[0] == "web" {
				if g.Labels["platform"] != "portal" || g.Labels["zone"] != "internet" || g.Labels["service"] != "nginx" {
					t.Errorf("labels of web: %v", g.Labels)
				}
				return
			}
		}
		t.Errorf("no group for web:\n%s", body)
	})

	t.Run("stopped nginx", func(t *testing.T) {
		n.Stop()
		m := probe(t, inst, "web") // HTTP 200 is asserted by probe
		if v := promtest.Value(t, m, "nginx_up"); v != 0 {
			t.Errorf("nginx_up %v after nginx stopped", v)
		}
		if v := promtest.Value(t, m, "nginx_scrape_collector_success", "collector", "stub_status"); v != 0 {
			t.Errorf("collector success %v", v)
		}
		if _, ok := m["nginx_connections"]; ok {
			t.Error("a failed scrape must not report connections")
		}
	})
}

// sameSeriesAsRecording checks that a live scrape has exactly the series of the golden made
// from the recorded nginx 1.22 page, so that golden stays representative.
func sameSeriesAsRecording(t *testing.T, live map[string]*dto.MetricFamily) {
	t.Helper()
	if got, want := seriesOf(live), seriesOf(promtest.ParseFile(t, filepath.Join("testdata", "stub_status", "nginx-1.22.prom"))); got != want {
		t.Errorf("live series differ from the recording's golden:\nlive:\n%s\ngolden:\n%s", got, want)
	}
}

func seriesOf(mfs map[string]*dto.MetricFamily) string {
	var out []string
	for name, mf := range mfs {
		for _, m := range mf.Metric {
			var ls []string
			for _, l := range m.Label {
				ls = append(ls, l.GetName()+"="+l.GetValue())
			}
			out = append(out, name+"{"+strings.Join(ls, ",")+"} "+mf.GetType().String())
		}
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

func get(t *testing.T, c *http.Client, url string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: HTTP %d", url, resp.StatusCode)
	}
}

func dial(t *testing.T, port int) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", promtest.Addr(port), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
