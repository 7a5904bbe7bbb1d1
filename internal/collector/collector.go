// Package collector holds the one collector contract every exporter of the suite uses,
// and the runner that turns a set of collectors into a scrape.
package collector

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector reads one data source of one target and sends const metrics built at scrape time.
// The target (client, address, credentials) is bound when the collector is constructed.
type Collector interface {
	Update(ctx context.Context, ch chan<- prometheus.Metric) error
}

// Func adapts a plain function to Collector.
type Func func(ctx context.Context, ch chan<- prometheus.Metric) error

// Update calls f.
func (f Func) Update(ctx context.Context, ch chan<- prometheus.Metric) error { return f(ctx, ch) }

// ErrNoData tells the runner that a collector had nothing to report on this target
// (a feature the server does not have); it counts as success.
var ErrNoData = errors.New("collector returned no data")

// Scrape is everything the runner needs for one scrape of one target.
type Scrape struct {
	// Namespace prefixes the runner's own metrics: <ns>_up and <ns>_scrape_collector_*.
	Namespace string
	// Check, when set, decides <ns>_up (reachable, authenticated). When it fails the
	// collectors are not run and each reports success 0. When nil, <ns>_up is 1 if any
	// collector succeeded.
	Check func(ctx context.Context) error
	// Collectors by name; only the enabled ones.
	Collectors map[string]Collector
	// Close, when set, is called once every collector has returned.
	Close  func()
	Logger *slog.Logger
}

// Runner is a prometheus.Collector that runs one Scrape under ctx's deadline.
// It is unchecked (Describe sends nothing), as the metrics depend on the target.
type Runner struct {
	ctx context.Context
	s   Scrape

	upDesc, successDesc, durationDesc *prometheus.Desc
}

// NewRunner binds a scrape to the request's context.
func NewRunner(ctx context.Context, s Scrape) *Runner {
	if s.Logger == nil {
		s.Logger = slog.New(slog.DiscardHandler)
	}
	ns := s.Namespace
	return &Runner{
		ctx: ctx,
		s:   s,
		upDesc: prometheus.NewDesc(ns+"_up",
			"Whether the last scrape of the target succeeded (1) or not (0).", nil, nil),
		successDesc: prometheus.NewDesc(ns+"_scrape_collector_success",
			"Whether a collector succeeded (1) or not (0) on the last scrape.", []string{"collector"}, nil),
		durationDesc: prometheus.NewDesc(ns+"_scrape_collector_duration_seconds",
			"Duration of a collector's last scrape.", []string{"collector"}, nil),
	}
}

// Describe sends nothing: the runner is an unchecked collector.
func (r *Runner) Describe(chan<- *prometheus.Desc) {}

// Collect runs the check and then every collector concurrently, and returns only once all
// of them have returned.
func (r *Runner) Collect(ch chan<- prometheus.Metric) {
	if r.s.Close != nil {
		defer r.s.Close()
	}
	names := make([]string, 0, len(r.s.Collectors))
	for n := range r.s.Collectors {
		names = append(names, n)
	}
	sort.Strings(names)

	if r.s.Check != nil {
		if err := r.s.Check(r.ctx); err != nil {
			r.s.Logger.Error("target check failed", "err", err)
			ch <- prometheus.MustNewConstMetric(r.upDesc, prometheus.GaugeValue, 0)
			for _, n := range names {
				ch <- prometheus.MustNewConstMetric(r.successDesc, prometheus.GaugeValue, 0, n)
				ch <- prometheus.MustNewConstMetric(r.durationDesc, prometheus.GaugeValue, 0, n)
			}
			return
		}
	}

	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		any bool
	)
	for _, n := range names {
		wg.Add(1)
		go func(name string, c Collector) {
			defer wg.Done()
			ok := r.run(name, c, ch)
			if ok {
				mu.Lock()
				any = true
				mu.Unlock()
			}
		}(n, r.s.Collectors[n])
	}
	wg.Wait()
	up := 0.0
	if r.s.Check != nil || any {
		up = 1
	}
	ch <- prometheus.MustNewConstMetric(r.upDesc, prometheus.GaugeValue, up)
}

func (r *Runner) run(name string, c Collector, ch chan<- prometheus.Metric) bool {
	start := time.Now()
	err := c.Update(r.ctx, ch)
	if err == nil && r.ctx.Err() != nil {
		err = r.ctx.Err()
	}
	dur := time.Since(start).Seconds()
	success := 1.0
	switch {
	case err == nil:
	case errors.Is(err, ErrNoData):
		r.s.Logger.Debug("collector returned no data", "collector", name, "duration_seconds", dur)
	default:
		success = 0
		r.s.Logger.Error("collector failed", "collector", name, "duration_seconds", dur, "err", err)
	}
	ch <- prometheus.MustNewConstMetric(r.durationDesc, prometheus.GaugeValue, dur, name)
	ch <- prometheus.MustNewConstMetric(r.successDesc, prometheus.GaugeValue, success, name)
	return success == 1
}
