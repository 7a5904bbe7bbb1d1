package collector

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
)

// ErrorLog counts the server's recent error log entries by priority from
// performance_schema.error_log (MySQL 8.0.22+). MariaDB and older MySQL have no such table:
// the collector reports no data there (success 1, no series).
type ErrorLog struct {
	C *Conn
	// Window is how far back "recent" reaches (0: 5 minutes). Make it at least the scrape interval.
	Window time.Duration
}

var (
	errorLogRecentDesc = newDesc("error_log_recent_entries", "Error log entries by priority (system, error, warning, note) logged within the window (--collector.error_log.window).", "prio")
	errorLogLastDesc   = newDesc("error_log_last_entry_timestamp_seconds", "Time of the newest error log entry by priority still in performance_schema.error_log.", "prio")
)

var errorLogPrios = map[string]bool{"system": true, "error": true, "warning": true, "note": true}

func (e ErrorLog) query() string {
	w := e.Window
	if w <= 0 {
		w = 5 * time.Minute
	}
	return fmt.Sprintf("SELECT PRIO, SUM(LOGGED >= NOW(6) - INTERVAL %d SECOND), UNIX_TIMESTAMP(MAX(LOGGED)) "+
		"FROM performance_schema.error_log GROUP BY PRIO", int64(w/time.Second))
}

// Update implements collector.Collector.
func (e ErrorLog) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	info := e.C.Info
	if info.MariaDB() || !info.AtLeast(8, 0, 22) {
		return icollector.ErrNoData
	}
	seen := map[string]bool{}
	err := e.C.query(ctx, e.query(), func(r *sql.Rows) error {
		var prio string
		var recent, last sql.NullFloat64
		if err := r.Scan(&prio, &recent, &last); err != nil {
			return err
		}
		p := strings.ToLower(prio)
		if !errorLogPrios[p] {
			p = "other"
		}
		seen[p] = true
		ch <- prometheus.MustNewConstMetric(errorLogRecentDesc, prometheus.GaugeValue, recent.Float64, p)
		if last.Valid {
			ch <- prometheus.MustNewConstMetric(errorLogLastDesc, prometheus.GaugeValue, last.Float64, p)
		}
		return nil
	})
	if err != nil {
		if mysqlErrorNumber(err) == 1146 { // table does not exist
			return icollector.ErrNoData
		}
		return err
	}
	for _, p := range []string{"error", "warning"} { // so "no recent errors" is 0, not absent
		if !seen[p] {
			ch <- prometheus.MustNewConstMetric(errorLogRecentDesc, prometheus.GaugeValue, 0, p)
		}
	}
	return nil
}
