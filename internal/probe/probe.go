// Package probe serves multi-target scrapes: GET /probe?target=<name>, where name must be a
// target of the exporter's config. Addresses are never taken from the request.
package probe

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/expfmt"
	"gopkg.in/yaml.v3"

	"github.com/ggzy/ggzy-exporters/internal/collector"
)

// Handler is the /probe endpoint for targets of type T.
type Handler[T any] struct {
	// Lookup finds a configured target by name.
	Lookup func(name string) (T, bool)
	// Build returns the scrape of one target, bound to ctx.
	Build func(ctx context.Context, logger *slog.Logger, t T) collector.Scrape
	// Describe is the target as shown by ?debug=true. It must not hold secrets
	// (targets hold only *_file paths; Describe can hide more).
	Describe func(t T) any
	Logger   *slog.Logger
	// TimeoutOffset is taken off Prometheus' scrape timeout header.
	TimeoutOffset time.Duration
	// DefaultTimeout applies when the header is absent.
	DefaultTimeout time.Duration

	inflight sync.Map // target name -> chan struct{} (capacity 1)
}

// Timeout is the scrape deadline for a request: the Prometheus header minus the offset,
// or def when there is no usable header.
func Timeout(r *http.Request, offset, def time.Duration) time.Duration {
	v := r.Header.Get("X-Prometheus-Scrape-Timeout-Seconds")
	if v == "" {
		return def
	}
	sec, err := strconv.ParseFloat(v, 64)
	if err != nil || sec <= 0 {
		return def
	}
	t := time.Duration(sec * float64(time.Second))
	if t-offset > 0 {
		return t - offset
	}
	return t
}

func (h *Handler[T]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	q := r.URL.Query()
	name := q.Get("target")
	if name == "" {
		http.Error(w, "target parameter is missing", http.StatusBadRequest)
		return
	}
	t, ok := h.Lookup(name)
	if !ok {
		http.Error(w, fmt.Sprintf("unknown target %q: only targets named in the config file can be probed", name), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), Timeout(r, h.TimeoutOffset, h.DefaultTimeout))
	defer cancel()

	sem, _ := h.inflight.LoadOrStore(name, make(chan struct{}, 1))
	select {
	case sem.(chan struct{}) <- struct{}{}:
		defer func() { <-sem.(chan struct{}) }()
	case <-ctx.Done():
		http.Error(w, "a scrape of this target is still running", http.StatusServiceUnavailable)
		return
	}

	debug := q.Get("debug") == "true"
	logger := h.Logger.With("target", name)
	var logBuf bytes.Buffer
	if debug {
		logger = slog.New(slog.NewTextHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug})).With("target", name)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collector.NewRunner(ctx, h.Build(ctx, logger, t)))

	if !debug {
		promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}).ServeHTTP(w, r)
		return
	}
	mfs, err := reg.Gather()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintf(w, "Logs for the probe:\n%s\n", logBuf.String())
	if err != nil {
		fmt.Fprintf(w, "Gather error: %v\n", err)
	}
	fmt.Fprintf(w, "Metrics that would have been returned:\n")
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		_ = enc.Encode(mf)
	}
	if h.Describe != nil {
		out, _ := yaml.Marshal(h.Describe(t))
		fmt.Fprintf(w, "\nTarget config:\n%s", out)
	}
}
