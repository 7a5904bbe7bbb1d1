package collector

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

var pingDurationDesc = desc("ping_duration_seconds", "Round trip of a PING on the scrape's established connection, timed before the other commands.")

// PingCollector exports the PING round trip that the scrape's check timed
// (Conn.Check with timePing set), so it is not queued behind the other collectors' commands.
type PingCollector struct {
	RTT func() (time.Duration, bool)
}

// Update implements collector.Collector.
func (c PingCollector) Update(_ context.Context, ch chan<- prometheus.Metric) error {
	d, ok := c.RTT()
	if !ok {
		return errors.New("no PING was timed on this scrape")
	}
	ch <- prometheus.MustNewConstMetric(pingDurationDesc, prometheus.GaugeValue, d.Seconds())
	return nil
}
