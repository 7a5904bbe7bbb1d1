package collector

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// PerfSchemaDigests reports the top statement digests by total latency from
// performance_schema.events_statements_summary_by_digest. Off by default: the series
// change as the top list changes. Needs performance_schema=ON (off by default on MariaDB).
type PerfSchemaDigests struct {
	C *Conn
	// Limit is how many digests to report (0: 20).
	Limit int
	// TextLength truncates the digest_text label (0: no text, the label is empty).
	TextLength int
}

var digestLabels = []string{"schema", "digest", "digest_text"}

var digestDefs = []struct {
	desc  *prometheus.Desc
	scale float64
}{
	{newDesc("perf_schema_digest_statements_total", "Statements executed, by digest.", digestLabels...), 1},
	{newDesc("perf_schema_digest_latency_seconds_total", "Total time spent in statements of the digest.", digestLabels...), 1e-12},
	{newDesc("perf_schema_digest_errors_total", "Statements of the digest that raised an error.", digestLabels...), 1},
	{newDesc("perf_schema_digest_rows_examined_total", "Rows examined by statements of the digest.", digestLabels...), 1},
	{newDesc("perf_schema_digest_rows_sent_total", "Rows sent by statements of the digest.", digestLabels...), 1},
	{newDesc("perf_schema_digest_no_index_used_total", "Statements of the digest that scanned a table without an index.", digestLabels...), 1},
	{newDesc("perf_schema_digest_select_scan_total", "Statements of the digest that did a full scan of the first table.", digestLabels...), 1},
	{newDesc("perf_schema_digest_tmp_disk_tables_total", "Internal on-disk temporary tables created by statements of the digest.", digestLabels...), 1},
}

func (p PerfSchemaDigests) query() string {
	limit := p.Limit
	if limit <= 0 {
		limit = 20
	}
	text := "''"
	if p.TextLength > 0 {
		text = fmt.Sprintf("LEFT(COALESCE(DIGEST_TEXT, ''), %d)", p.TextLength)
	}
	return "SELECT COALESCE(SCHEMA_NAME, ''), DIGEST, " + text + ", COUNT_STAR, SUM_TIMER_WAIT, SUM_ERRORS, " +
		"SUM_ROWS_EXAMINED, SUM_ROWS_SENT, SUM_NO_INDEX_USED, SUM_SELECT_SCAN, SUM_CREATED_TMP_DISK_TABLES " +
		"FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST IS NOT NULL " +
		fmt.Sprintf("ORDER BY SUM_TIMER_WAIT DESC LIMIT %d", limit)
}

// Update implements collector.Collector.
func (p PerfSchemaDigests) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	return p.C.query(ctx, p.query(), func(r *sql.Rows) error {
		var schema, digest, text string
		vals := make([]float64, len(digestDefs))
		dest := []any{&schema, &digest, &text}
		for i := range vals {
			dest = append(dest, &vals[i])
		}
		if err := r.Scan(dest...); err != nil {
			return err
		}
		text = strings.ToValidUTF8(strings.Join(strings.Fields(text), " "), "?")
		for i, d := range digestDefs {
			ch <- prometheus.MustNewConstMetric(d.desc, prometheus.CounterValue, vals[i]*d.scale,
				strings.ToValidUTF8(schema, "?"), digest, text)
		}
		return nil
	})
}
