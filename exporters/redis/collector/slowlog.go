package collector

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

var slowlogLengthDesc = desc("slowlog_length", "Entries in the slow log (SLOWLOG LEN); it holds at most slowlog-max-len.")

// SlowlogSource answers SLOWLOG LEN.
type SlowlogSource interface {
	SlowlogLen(ctx context.Context) (int64, error)
}

// SlowlogCollector exports the length of the slow log.
type SlowlogCollector struct {
	Src SlowlogSource
}

// Update implements collector.Collector.
func (c SlowlogCollector) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	n, err := c.Src.SlowlogLen(ctx)
	if err != nil {
		return err
	}
	ch <- prometheus.MustNewConstMetric(slowlogLengthDesc, prometheus.GaugeValue, float64(n))
	return nil
}
