package collector

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

var okDesc = prometheus.NewDesc("test_value", "A value.", nil, nil)

func ok(context.Context, chan<- prometheus.Metric) error { return nil }

func emit(v float64) Func {
	return func(_ context.Context, ch chan<- prometheus.Metric) error {
		ch <- prometheus.MustNewConstMetric(okDesc, prometheus.GaugeValue, v)
		return nil
	}
}

func failing(context.Context, chan<- prometheus.Metric) error { return errors.New("boom") }

func collect(t *testing.T, ctx context.Context, s Scrape, want string, names ...string) {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(NewRunner(ctx, s))
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), names...); err != nil {
		t.Error(err)
	}
}

func TestRunnerOneCollectorFailsOthersEmit(t *testing.T) {
	collect(t, context.Background(), Scrape{
		Namespace:  "test",
		Collectors: map[string]Collector{"a": emit(42), "b": Func(failing), "c": Func(func(context.Context, chan<- prometheus.Metric) error { return ErrNoData })},
	}, `
# HELP test_scrape_collector_success Whether a collector succeeded (1) or not (0) on the last scrape.
# TYPE test_scrape_collector_success gauge
test_scrape_collector_success{collector="a"} 1
test_scrape_collector_success{collector="b"} 0
test_scrape_collector_success{collector="c"} 1
# HELP test_up Whether the last scrape of the target succeeded (1) or not (0).
# TYPE test_up gauge
test_up 1
# HELP test_value A value.
# TYPE test_value gauge
test_value 42
`, "test_scrape_collector_success", "test_up", "test_value")
}

func TestRunnerAllFailWithoutCheckIsDown(t *testing.T) {
	collect(t, context.Background(), Scrape{Namespace: "test", Collectors: map[string]Collector{"b": Func(failing)}}, `
# HELP test_up Whether the last scrape of the target succeeded (1) or not (0).
# TYPE test_up gauge
test_up 0
`, "test_up")
}

func TestRunnerCheckFailsSkipsCollectors(t *testing.T) {
	ran := false
	closed := false
	collect(t, context.Background(), Scrape{
		Namespace:  "test",
		Check:      func(context.Context) error { return errors.New("refused") },
		Collectors: map[string]Collector{"a": Func(func(context.Context, chan<- prometheus.Metric) error { ran = true; return nil })},
		Close:      func() { closed = true },
	}, `
# HELP test_scrape_collector_success Whether a collector succeeded (1) or not (0) on the last scrape.
# TYPE test_scrape_collector_success gauge
test_scrape_collector_success{collector="a"} 0
# HELP test_up Whether the last scrape of the target succeeded (1) or not (0).
# TYPE test_up gauge
test_up 0
`, "test_scrape_collector_success", "test_up")
	if ran {
		t.Error("collector ran although the check failed")
	}
	if !closed {
		t.Error("Close not called")
	}
}

func TestRunnerCheckOKCollectorFailsStillUp(t *testing.T) {
	collect(t, context.Background(), Scrape{
		Namespace:  "test",
		Check:      func(context.Context) error { return nil },
		Collectors: map[string]Collector{"b": Func(failing), "a": Func(ok)},
	}, `
# HELP test_up Whether the last scrape of the target succeeded (1) or not (0).
# TYPE test_up gauge
test_up 1
`, "test_up")
}

// A collector that ignores nothing but its context is cut off at the deadline, and the
// runner reports it as failed rather than hanging.
func TestRunnerDeadline(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	collect(t, ctx, Scrape{
		Namespace: "test",
		Collectors: map[string]Collector{"hang": Func(func(ctx context.Context, _ chan<- prometheus.Metric) error {
			<-ctx.Done()
			return ctx.Err()
		}), "a": emit(1)},
	}, `
# HELP test_scrape_collector_success Whether a collector succeeded (1) or not (0) on the last scrape.
# TYPE test_scrape_collector_success gauge
test_scrape_collector_success{collector="a"} 1
test_scrape_collector_success{collector="hang"} 0
`, "test_scrape_collector_success")
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("runner took %s, deadline was 200ms", d)
	}
}

func TestSetFlagsAndOverride(t *testing.T) {
	s := &Set{}
	s.Register("b", false, "B")
	s.Register("a", true, "A")
	if !s.Enabled("a") || s.Enabled("b") || s.Enabled("zzz") {
		t.Fatal("defaults not honoured")
	}
	if err := s.Set("b", true); err != nil || !s.Enabled("b") {
		t.Fatal("override failed")
	}
	if err := s.Set("nope", true); err == nil {
		t.Fatal("unknown collector accepted")
	}
	if got := strings.Join(s.Names(), ","); got != "a,b" {
		t.Fatalf("names %s", got)
	}
}
