package collector

import (
	"context"
	"database/sql"

	"github.com/prometheus/client_golang/prometheus"
)

// Processlist counts the server's threads by command and state from
// information_schema.PROCESSLIST (other users' threads need the PROCESS privilege) and
// reports the longest time in each command. Labels are folded into fixed sets.
type Processlist struct{ C *Conn }

var (
	processQueriesDesc = newDesc("processlist_queries", "Threads by command and state category, excluding the exporter's own account.", "command", "state")
	processLongestDesc = newDesc("processlist_longest_seconds", "Longest time any thread has been in its current command (for sleep: idle time).", "command")
)

// The exporter's own account is left out: its other pooled connection would otherwise count
// as a running query.
const processlistQuery = "SELECT COMMAND, COALESCE(STATE, ''), TIME FROM information_schema.PROCESSLIST " +
	"WHERE ID <> CONNECTION_ID() AND USER <> SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"

// Update implements collector.Collector.
func (p Processlist) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	type key struct{ cmd, state string }
	counts := map[key]float64{}
	longest := map[string]float64{}
	err := p.C.query(ctx, processlistQuery, func(r *sql.Rows) error {
		var cmd, state string
		var secs sql.NullFloat64
		if err := r.Scan(&cmd, &state, &secs); err != nil {
			return err
		}
		c := commandLabel(cmd)
		counts[key{c, stateLabel(state)}]++
		t := max(secs.Float64, 0)
		if cur, ok := longest[c]; !ok || t > cur {
			longest[c] = t
		}
		return nil
	})
	if err != nil {
		return err
	}
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(processQueriesDesc, prometheus.GaugeValue, n, k.cmd, k.state)
	}
	for c, t := range longest {
		ch <- prometheus.MustNewConstMetric(processLongestDesc, prometheus.GaugeValue, t, c)
	}
	return nil
}
