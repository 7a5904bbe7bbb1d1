package probe

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
)

type target struct {
	config.TargetMeta `yaml:",inline"`
	Addr              string `yaml:"addr"`
	PasswordFile      string `yaml:"password_file"`
}

var valueDesc = prometheus.NewDesc("t_value", "A value.", nil, nil)

func handler(block chan struct{}, seen *[]time.Duration, mu *sync.Mutex) *Handler[target] {
	targets := map[string]target{"db1": {TargetMeta: config.TargetMeta{Name: "db1"}, Addr: "127.0.0.1:1", PasswordFile: "/run/secrets/pw"}}
	return &Handler[target]{
		Lookup: func(n string) (target, bool) { t, ok := targets[n]; return t, ok },
		Build: func(ctx context.Context, logger *slog.Logger, t target) collector.Scrape {
			return collector.Scrape{Namespace: "t", Logger: logger, Collectors: map[string]collector.Collector{
				"x": collector.Func(func(ctx context.Context, ch chan<- prometheus.Metric) error {
					if dl, ok := ctx.Deadline(); ok && seen != nil {
						mu.Lock()
						*seen = append(*seen, time.Until(dl))
						mu.Unlock()
					}
					if block != nil {
						select {
						case <-block:
						case <-ctx.Done():
							return ctx.Err()
						}
					}
					logger.Info("scraped", "addr", t.Addr)
					ch <- prometheus.MustNewConstMetric(valueDesc, prometheus.GaugeValue, 7)
					return nil
				}),
			}}
		},
		Describe:       func(t target) any { return t },
		Logger:         slog.New(slog.DiscardHandler),
		TimeoutOffset:  500 * time.Millisecond,
		DefaultTimeout: 5 * time.Second,
	}
}

func get(h http.Handler, url string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, url, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestProbeRejectsWhatIsNotConfigured(t *testing.T) {
	h := handler(nil, nil, nil)
	for url, code := range map[string]int{
		"/probe":                        400,
		"/probe?target=":                400,
		"/probe?target=127.0.0.1:3306":  400,
		"/probe?target=http://evil/x":   400,
		"/probe?target=db1":             200,
		"/probe?target=DB1":             400,
		"/probe?target=db1&debug=false": 200,
	} {
		if got := get(h, url, nil).Code; got != code {
			t.Errorf("%s: HTTP %d, want %d", url, got, code)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/probe?target=db1", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", rec.Code)
	}
}

func TestProbeOutputAndTimeoutHeader(t *testing.T) {
	var seen []time.Duration
	var mu sync.Mutex
	h := handler(nil, &seen, &mu)
	rec := get(h, "/probe?target=db1", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "3"})
	body := rec.Body.String()
	for _, want := range []string{"t_value 7", "t_up 1", `t_scrape_collector_success{collector="x"} 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("missing %q in\n%s", want, body)
		}
	}
	get(h, "/probe?target=db1", nil)
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 {
		t.Fatalf("deadlines seen: %v", seen)
	}
	if seen[0] > 2500*time.Millisecond || seen[0] < 2*time.Second {
		t.Errorf("header 3s minus 0.5s offset gave a deadline %s away", seen[0])
	}
	if seen[1] > 5*time.Second || seen[1] < 4*time.Second {
		t.Errorf("no header: deadline %s away, want the 5s default", seen[1])
	}
}

func TestTimeoutParsing(t *testing.T) {
	for hdr, want := range map[string]time.Duration{"": 10 * time.Second, "x": 10 * time.Second, "-1": 10 * time.Second, "2": 1500 * time.Millisecond, "0.3": 300 * time.Millisecond} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		if hdr != "" {
			r.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", hdr)
		}
		if got := Timeout(r, 500*time.Millisecond, 10*time.Second); got != want {
			t.Errorf("header %q: %s, want %s", hdr, got, want)
		}
	}
}

// A second scrape of the same target waits for the first; if its own deadline passes
// first it gets 503 rather than a second connection to the target.
func TestProbeOneInFlightPerTarget(t *testing.T) {
	block := make(chan struct{})
	h := handler(block, nil, nil)
	done := make(chan int)
	go func() {
		done <- get(h, "/probe?target=db1", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "5"}).Code
	}()
	time.Sleep(100 * time.Millisecond)
	second := get(h, "/probe?target=db1", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "0.8"})
	if second.Code != http.StatusServiceUnavailable {
		t.Errorf("concurrent scrape of the same target: HTTP %d, want 503", second.Code)
	}
	close(block)
	if code := <-done; code != 200 {
		t.Errorf("first scrape: HTTP %d", code)
	}
}

func TestProbeDebug(t *testing.T) {
	rec := get(handler(nil, nil, nil), "/probe?target=db1&debug=true", nil)
	body := rec.Body.String()
	for _, want := range []string{"Logs for the probe:", "msg=scraped", "t_value 7", "Target config:", "password_file: /run/secrets/pw"} {
		if !strings.Contains(body, want) {
			t.Errorf("debug output lacks %q:\n%s", want, body)
		}
	}
}

func TestSD(t *testing.T) {
	h := SD(func() []config.TargetMeta {
		return []config.TargetMeta{
			{Name: "b", Platform: "trading", Zone: "extranet", Service: "交易系统", Labels: map[string]string{"role": "replica"}},
			{Name: "a"},
		}
	})
	rec := get(h, "/sd", nil)
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("content type %q", ct)
	}
	var groups []SDGroup
	if err := json.Unmarshal(rec.Body.Bytes(), &groups); err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || groups[0].Targets[0] != "a" || groups[1].Labels["service"] != "交易系统" || groups[1].Labels["role"] != "replica" || groups[1].Labels["zone"] != "extranet" {
		t.Fatalf("sd output: %+v", groups)
	}
	if groups[0].Labels == nil {
		t.Error("labels must be an object, not null")
	}
	empty := get(SD(func() []config.TargetMeta { return nil }), "/sd", nil)
	if strings.TrimSpace(empty.Body.String()) != "[]" {
		t.Errorf("no targets must give [], got %q", empty.Body.String())
	}
}
