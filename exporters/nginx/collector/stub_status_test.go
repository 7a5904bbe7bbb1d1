package collector

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/httpclient"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

const fixtures = "../testdata/stub_status"

// durations are the only values that change between runs; request_time must stay in the goldens.
var durations = regexp.MustCompile(`_scrape_collector_duration_seconds$`)

// scrape runs the stub_status collector against url through the shared runner, as /probe does.
func scrape(t *testing.T, url string, auth *httpclient.BasicAuth) *prometheus.Registry {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel) // the runner uses ctx when the registry is gathered
	reg := prometheus.NewRegistry()
	reg.MustRegister(icollector.NewRunner(ctx, icollector.Scrape{
		Namespace:  Namespace,
		Collectors: map[string]icollector.Collector{"stub_status": StubStatus{Client: &http.Client{}, URL: url, Auth: auth}},
	}))
	return reg
}

// TestGolden: every testdata/stub_status/<case>.txt served over HTTP gives <case>.prom.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(fixtures, "*.txt"))
	if len(files) < 5 {
		t.Fatalf("expected the fixtures in %s, found %d", fixtures, len(files))
	}
	for _, txt := range files {
		name := strings.TrimSuffix(filepath.Base(txt), ".txt")
		t.Run(name, func(t *testing.T) {
			srv := promtest.FixtureServer(t, map[string]string{"/stub_status": txt})
			reg := scrape(t, srv.URL+"/stub_status", nil)
			// Render gathers, so a duplicate or inconsistent metric fails here.
			got := promtest.Render(t, reg, durations)
			promtest.Golden(t, filepath.Join(fixtures, name+".prom"), got)
			promtest.Lint(t, reg)
		})
	}
}

func TestGoldenValues(t *testing.T) {
	// The goldens are reviewed by eye; these are the values that matter, asserted directly.
	for _, tc := range []struct{ file, want string }{
		{"nginx-dropped.prom", "nginx_connections_dropped_total 27\n"},
		{"tengine-2.3.prom", "nginx_http_request_time_seconds_total 28814.512\n"},
		{"nginx-1.22.prom", "nginx_http_requests_total 44\n"},
		{"nginx-1.22.prom", "nginx_up 1\n"},
		{"not-stub-status.prom", "nginx_up 0\n"},
		{"truncated.prom", `nginx_scrape_collector_success{collector="stub_status"} 0` + "\n"},
	} {
		b, err := os.ReadFile(filepath.Join(fixtures, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("%s lacks %q", tc.file, tc.want)
		}
	}
	nginx, _ := os.ReadFile(filepath.Join(fixtures, "nginx-1.22.prom"))
	if strings.Contains(string(nginx), "request_time") {
		t.Error("nginx (not Tengine) must not have nginx_http_request_time_seconds_total")
	}
}

func TestHTTPFailures(t *testing.T) {
	big := strings.Repeat("Active connections: 1\n", 4000) // > maxBody
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/missing":
			http.NotFound(w, r)
		case "/auth":
			w.Header().Set("WWW-Authenticate", `Basic realm="status"`)
			http.Error(w, "401", http.StatusUnauthorized)
		case "/big":
			_, _ = w.Write([]byte(big))
		case "/redirect":
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}
	}))
	defer srv.Close()
	for _, tc := range []struct{ path, err string }{
		{"/missing", "unexpected HTTP status 404"},
		{"/auth", "unexpected HTTP status 401"},
		{"/big", "larger than"},
		{"/redirect", "unexpected HTTP status 302"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			c, err := (&httpclient.Pool{}).Client(config.TLS{})
			if err != nil {
				t.Fatal(err)
			}
			ch := make(chan prometheus.Metric, 16)
			err = StubStatus{Client: c, URL: srv.URL + tc.path}.Update(context.Background(), ch)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("error %v, want %q", err, tc.err)
			}
			if len(ch) != 0 {
				t.Errorf("%d metrics sent by a failed scrape", len(ch))
			}
			out := string(promtest.Render(t, scrape(t, srv.URL+tc.path, nil), durations))
			if !strings.Contains(out, "nginx_up 0\n") || strings.Contains(out, "nginx_connections") {
				t.Errorf("failed scrape exposition:\n%s", out)
			}
		})
	}
}
