package main

import (
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestSingleTarget: --nginx.scrape-uri serves that target on /metrics next to the
// exporter's own metrics, with no config file.
func TestSingleTarget(t *testing.T) {
	srv := promtest.FixtureServer(t, map[string]string{"/stub_status": "testdata/stub_status/tengine-2.3.txt"})
	inst, _ := setup(t, "--nginx.scrape-uri="+srv.URL+"/stub_status")

	code, body := promtest.Do(t, inst.Handler, "GET", "/metrics", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "3"})
	if code != 200 {
		t.Fatalf("/metrics: HTTP %d", code)
	}
	promtest.LintText(t, []byte(body))
	m := promtest.ParseText(t, body)
	for _, c := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"nginx_up", nil, 1},
		{"nginx_connections", []string{"state", "active"}, 12},
		{"nginx_http_requests_total", nil, 190417},
		{"nginx_http_request_time_seconds_total", nil, 28814.512},
		{"nginx_scrape_collector_success", []string{"collector", "stub_status"}, 1},
		{"ggzy_nginx_exporter_build_info", nil, 1},
	} {
		if v := promtest.Value(t, m, c.name, c.labels...); v != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, v, c.want)
		}
	}
	if _, ok := m["process_resident_memory_bytes"]; !ok {
		t.Error("self metrics missing from /metrics")
	}
	// No config file: /probe knows no target, /sd is empty, reload has nothing to do.
	if code, _ := promtest.Do(t, inst.Handler, "GET", "/probe?target=default", nil); code != 400 {
		t.Errorf("/probe without a config: HTTP %d", code)
	}
	if _, body := promtest.Do(t, inst.Handler, "GET", "/sd", nil); strings.TrimSpace(body) != "[]" {
		t.Errorf("/sd without a config: %s", body)
	}
	if code, _ := promtest.Do(t, inst.Handler, "POST", "/-/reload", nil); code != 400 {
		t.Errorf("POST /-/reload without a config: HTTP %d", code)
	}
	if code, body := promtest.Do(t, inst.Handler, "GET", "/-/healthy", nil); code != 200 || !strings.Contains(body, "Healthy") {
		t.Errorf("/-/healthy: %d %s", code, body)
	}
}

func TestSingleTargetFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{nil, "nothing to scrape"},
		{[]string{"--nginx.scrape-uri=ftp://127.0.0.1/stub_status"}, "--nginx.* flags: \"ftp://127.0.0.1/stub_status\" is not an http:// or https:// URL"},
		{[]string{"--nginx.scrape-uri=http://127.0.0.1/stub_status", "--nginx.insecure-skip-verify"}, "https:// URLs only"},
		{[]string{"--nginx.scrape-uri=https://127.0.0.1/stub_status", "--nginx.ca-file=/nonexistent.pem"}, "/nonexistent.pem"},
	} {
		if _, _, err := trySetup(tc.args...); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.err)
		}
	}
	// A down target at start is not fatal: the exporter starts and reports nginx_up 0.
	inst, _ := setup(t, "--nginx.scrape-uri=http://"+promtest.Addr(promtest.FreePort(t))+"/stub_status")
	if _, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil); !strings.Contains(body, "nginx_up 0\n") {
		t.Errorf("down target:\n%s", body)
	}
	// --no-collector.stub_status leaves only the runner's metrics.
	srv := promtest.FixtureServer(t, map[string]string{"/stub_status": "testdata/stub_status/nginx-1.22.txt"})
	inst, _ = setup(t, "--nginx.scrape-uri="+srv.URL+"/stub_status", "--no-collector.stub_status")
	if _, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil); strings.Contains(body, "nginx_connections") {
		t.Errorf("disabled collector still ran:\n%s", body)
	}
}
