package main

import (
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

const (
	cfgOne = "targets:\n  - name: one\n    url: http://127.0.0.1:1/stub_status\n"
	cfgTwo = cfgOne + "  - name: two\n    url: http://127.0.0.1:2/stub_status\n    zone: gov-extranet\n"
	cfgBad = cfgTwo + "  - name: three\n    url: http://127.0.0.1:3/stub_status\n    timeout: 5s\n"
)

// TestReloadHTTP: POST /-/reload takes a good file and refuses a bad one, keeping the
// running config; GET is 405. The reload gauges say what happened.
func TestReloadHTTP(t *testing.T) {
	dir := promtest.TempDir(t, "nginx-reload")
	p := promtest.WriteFile(t, dir, "nginx.yml", cfgOne)
	inst, _ := setup(t, "--config.file="+p)
	h := inst.Handler

	if code, _ := promtest.Do(t, h, "GET", "/-/reload", nil); code != 405 {
		t.Errorf("GET /-/reload: HTTP %d, want 405", code)
	}
	if code, _ := promtest.Do(t, h, "GET", "/probe?target=two", nil); code != 400 {
		t.Errorf("two is not configured yet: HTTP %d", code)
	}

	promtest.WriteFile(t, dir, "nginx.yml", cfgTwo)
	if code, body := promtest.Do(t, h, "POST", "/-/reload", nil); code != 200 {
		t.Fatalf("POST /-/reload good: HTTP %d: %s", code, body)
	}
	if _, body := promtest.Do(t, h, "GET", "/sd", nil); !strings.Contains(body, `"two"`) || !strings.Contains(body, `"zone": "gov-extranet"`) {
		t.Errorf("/sd after reload:\n%s", body)
	}
	if code, _ := promtest.Do(t, h, "GET", "/probe?target=two", nil); code != 200 {
		t.Errorf("/probe?target=two after reload: HTTP %d", code)
	}
	assertReloadGauge(t, selfMetrics(t, h), 1)

	promtest.WriteFile(t, dir, "nginx.yml", cfgBad)
	code, body := promtest.Do(t, h, "POST", "/-/reload", nil)
	if code != 500 || !strings.Contains(body, "nginx.yml:9:") || !strings.Contains(body, "timeout") {
		t.Errorf("POST /-/reload bad: HTTP %d: %s", code, body)
	}
	if _, body := promtest.Do(t, h, "GET", "/sd", nil); !strings.Contains(body, `"two"`) || strings.Contains(body, `"three"`) {
		t.Errorf("/sd after a failed reload must be the old config:\n%s", body)
	}
	if code, _ := promtest.Do(t, h, "GET", "/probe?target=two", nil); code != 200 {
		t.Errorf("the old config must still serve two: HTTP %d", code)
	}
	assertReloadGauge(t, selfMetrics(t, h), 0)
}

// TestReloadSIGHUP does the same through SIGHUP on the built binary, and checks that it
// stops cleanly on SIGTERM.
func TestReloadSIGHUP(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := promtest.BuildOnce(t, "./exporters/nginx")
	dir := promtest.TempDir(t, "nginx-hup")
	p := promtest.WriteFile(t, dir, "nginx.yml", cfgOne)
	proc, addr := promtest.StartListening(t, bin, func(l string) []string {
		return []string{"--config.file=" + p, "--web.listen-address=" + l}
	})
	base := "http://" + addr
	sd := func() string { _, b := promtest.Get(t, base+"/sd"); return b }

	promtest.WriteFile(t, dir, "nginx.yml", cfgTwo)
	if err := proc.Cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	promtest.Eventually(t, 5*time.Second, "target two after SIGHUP", func() bool { return strings.Contains(sd(), `"two"`) })

	promtest.WriteFile(t, dir, "nginx.yml", cfgBad)
	if err := proc.Cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	promtest.Eventually(t, 5*time.Second, "reload failure gauge", func() bool {
		_, b := promtest.Get(t, base+"/metrics")
		return strings.Contains(b, "nginx_exporter_config_last_reload_successful 0")
	})
	if s := sd(); !strings.Contains(s, `"two"`) || strings.Contains(s, `"three"`) {
		t.Errorf("old config not kept:\n%s", s)
	}
	if out := proc.Output(); !strings.Contains(out, "keeping the running config") || !strings.Contains(out, "nginx.yml:9:") {
		t.Errorf("the log should name the error and its line:\n%s", out)
	}

	if err := proc.Cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- proc.Cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("no exit within 10s of SIGTERM")
	}
}

func selfMetrics(t *testing.T, h http.Handler) string {
	t.Helper()
	code, body := promtest.Do(t, h, "GET", "/metrics", nil)
	if code != 200 {
		t.Fatalf("/metrics: HTTP %d", code)
	}
	return body
}

func assertReloadGauge(t *testing.T, metrics string, want int) {
	t.Helper()
	line := fmt.Sprintf("nginx_exporter_config_last_reload_successful %d\n", want)
	if !strings.Contains(metrics, line) {
		t.Errorf("/metrics lacks %q", line)
	}
}
