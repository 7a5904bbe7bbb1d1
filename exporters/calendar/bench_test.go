package main

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/promslog"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
)

// BenchmarkScrape is one scrape as /metrics serves it: re-read and validate the calendar file,
// compute every series, gather. The file is read at every scrape on purpose (edits count at once);
// this shows what that costs.
func BenchmarkScrape(b *testing.B) {
	now := time.Date(2026, 2, 16, 3, 0, 0, 0, beijing)
	e := newExporter(kingpinApp(), func() time.Time { return now })
	logger := promslog.NewNopLogger()
	b.ReportAllocs()
	for b.Loop() {
		reg := prometheus.NewRegistry()
		ctx := context.Background()
		reg.MustRegister(icollector.NewRunner(ctx, e.Build(ctx, logger, newTarget(testCalendar))))
		mfs, err := reg.Gather()
		if err != nil || len(mfs) < 10 {
			b.Fatalf("gather: %d families, %v", len(mfs), err)
		}
	}
}
