package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestHungTarget: a target that accepts and never answers is cut off at the deadline taken
// from Prometheus' header (minus --web.timeout-offset), and the answer is nginx_up 0, HTTP 200.
func TestHungTarget(t *testing.T) {
	dir := promtest.TempDir(t, "nginx-hung")
	hung := promtest.HungListener(t)
	cfg := promtest.WriteFile(t, dir, "nginx.yml", "targets:\n"+targetYAML("hung", "http://"+hung+"/stub_status", ""))
	inst, logs := setup(t, "--config.file="+cfg, "--web.timeout-offset=500ms")
	srv := httptest.NewServer(inst.Handler)
	defer srv.Close()

	const header, offset = 2 * time.Second, 500 * time.Millisecond
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/probe?target=hung", nil)
	req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", fmt.Sprint(header.Seconds()))
	start := time.Now()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	took := time.Since(start)

	if took < header-offset-100*time.Millisecond || took > header+300*time.Millisecond {
		t.Errorf("answered after %s; the deadline was %s (header %s minus offset %s)", took, header-offset, header, offset)
	}
	if resp.StatusCode != 200 || !strings.Contains(string(body), "nginx_up 0\n") {
		t.Errorf("HTTP %d:\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "context deadline exceeded") {
		t.Errorf("the log should say the deadline was hit:\n%s", logs)
	}
}

// TestDownAndUnknown: a refused connection is nginx_up 0 with HTTP 200; names not in the
// config, or no name, are HTTP 400 (no address is ever taken from the query).
func TestDownAndUnknown(t *testing.T) {
	dir := promtest.TempDir(t, "nginx-down")
	closed := promtest.FreePort(t) // nothing listens there
	cfg := promtest.WriteFile(t, dir, "nginx.yml", "targets:\n"+targetYAML("down", fmt.Sprintf("http://127.0.0.1:%d/stub_status", closed), ""))
	inst, logs := setup(t, "--config.file="+cfg)

	m := probe(t, inst, "down")
	if promtest.Value(t, m, "nginx_up") != 0 || promtest.Value(t, m, "nginx_scrape_collector_success", "collector", "stub_status") != 0 {
		t.Errorf("down target: %v", m)
	}
	if !strings.Contains(logs.String(), "connection refused") {
		t.Errorf("log lacks the cause:\n%s", logs)
	}
	for _, q := range []string{"/probe", "/probe?target=", "/probe?target=other", "/probe?target=http://127.0.0.1:1/stub_status"} {
		if code, body := promtest.Do(t, inst.Handler, "GET", q, nil); code != 400 {
			t.Errorf("%s: HTTP %d: %s", q, code, body)
		}
	}
	if code, _ := promtest.Do(t, inst.Handler, "POST", "/probe?target=down", nil); code != 405 {
		t.Errorf("POST /probe: HTTP %d", code)
	}
}

// TestNoLeaks scrapes a refused target and a hung one many times: goroutines and file
// descriptors of the exporter stay flat.
func TestNoLeaks(t *testing.T) {
	dir := promtest.TempDir(t, "nginx-leak")
	hung := closingHungListener(t)
	closed := promtest.FreePort(t)
	cfg := promtest.WriteFile(t, dir, "nginx.yml", "targets:\n"+
		targetYAML("down", fmt.Sprintf("http://127.0.0.1:%d/stub_status", closed), "")+
		targetYAML("hung", "http://"+hung+"/stub_status", ""))
	inst, _ := setup(t, "--config.file="+cfg, "--web.timeout-offset=0s")

	scrape := func(target, timeout string) func() {
		return func() {
			code, body := promtest.Do(t, inst.Handler, "GET", "/probe?target="+target, map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": timeout})
			if code != 200 || !strings.Contains(body, "nginx_up 0\n") {
				t.Fatalf("%s: HTTP %d:\n%s", target, code, body)
			}
		}
	}
	t.Run("refused", func(t *testing.T) { promtest.CheckLeaks(t, 300, 3, scrape("down", "5")) })
	t.Run("hung", func(t *testing.T) { promtest.CheckLeaks(t, 40, 3, scrape("hung", "0.05")) })
}

// closingHungListener is promtest.HungListener that also closes its side of a connection
// once the client has gone, so that the test process' own descriptors measure only the
// exporter's. It never answers.
func closingHungListener(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(io.Discard, c) // returns when the client closes
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() { l.Close(); wg.Wait() })
	return l.Addr().String()
}
