package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// Scrapes over --web.max-requests wait for a slot until their deadline instead of failing at once.
func TestLimitQueuesUntilDeadline(t *testing.T) {
	app := kingpin.New("toy", "")
	f := AddFlags(app, ":0")
	if _, err := app.Parse(nil); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	h := limit(1, f, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-release
		}
		_, _ = w.Write([]byte("ok"))
	}))
	first := make(chan int)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/slow", nil))
		first <- rec.Code
	}()
	time.Sleep(50 * time.Millisecond)
	waited := make(chan int)
	go func() {
		code, _ := promtest.Do(t, h, http.MethodGet, "/fast", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "5"})
		waited <- code
	}()
	time.Sleep(100 * time.Millisecond)
	close(release)
	if c := <-first; c != 200 {
		t.Fatalf("first: %d", c)
	}
	if c := <-waited; c != 200 {
		t.Fatalf("queued scrape: %d, want 200 once the slot freed", c)
	}
	// With the slot taken for longer than the deadline, the waiting scrape gets 503.
	block := make(chan struct{})
	h2 := limit(1, f, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-block }))
	go h2.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	time.Sleep(50 * time.Millisecond)
	code, body := promtest.Do(t, h2, http.MethodGet, "/", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "0.3"})
	close(block)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "web.max-requests") {
		t.Fatalf("over the limit past the deadline: %d %s", code, body)
	}
}

func TestDisableExporterMetrics(t *testing.T) {
	inst, err := setup(t, "--toy.value", "2", "--web.disable-exporter-metrics")
	if err != nil {
		t.Fatal(err)
	}
	_, body := promtest.Do(t, inst.Handler, http.MethodGet, "/metrics", nil)
	if strings.Contains(body, "go_goroutines") || strings.Contains(body, "process_cpu_seconds_total") {
		t.Error("go_/process_ metrics present despite --web.disable-exporter-metrics")
	}
	if !strings.Contains(body, "toy_value 2") || !strings.Contains(body, "ggzy_toy_exporter_build_info") {
		t.Error("target or build_info missing")
	}
}
