package collector

import (
	"context"
	"database/sql"
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// InnoDB reads the Innodb_* status variables (data and log I/O, buffer pool, row locks,
// redo checkpoint age, undo history) and the buffer pool and redo log sizes.
type InnoDB struct{ C *Conn }

var innodbDefs = []def{
	counter("innodb_data_reads", "innodb_data_reads_total", "InnoDB data file reads."),
	counter("innodb_data_writes", "innodb_data_writes_total", "InnoDB data file writes."),
	counter("innodb_data_fsyncs", "innodb_data_fsyncs_total", "InnoDB fsync() calls."),
	counter("innodb_data_read", "innodb_data_read_bytes_total", "Bytes InnoDB read from its data files."),
	counter("innodb_data_written", "innodb_data_written_bytes_total", "Bytes InnoDB wrote to its data files."),
	counter("innodb_os_log_written", "innodb_os_log_written_bytes_total", "Bytes InnoDB wrote to the redo log."),
	counter("innodb_log_writes", "innodb_log_writes_total", "Physical writes to the redo log."),
	counter("innodb_log_waits", "innodb_log_waits_total", "Times the log buffer was too small and InnoDB waited for it to be flushed."),
	gauge("innodb_data_pending_reads", "innodb_data_pending_reads", "InnoDB data reads in progress."),
	gauge("innodb_data_pending_writes", "innodb_data_pending_writes", "InnoDB data writes in progress."),
	gauge("innodb_data_pending_fsyncs", "innodb_data_pending_fsyncs", "InnoDB fsync() calls in progress."),
	counter("innodb_buffer_pool_read_requests", "innodb_buffer_pool_read_requests_total", "Logical reads from the buffer pool."),
	counter("innodb_buffer_pool_reads", "innodb_buffer_pool_reads_total", "Logical reads the buffer pool could not serve, read from disk (hit ratio: 1 - reads / read_requests)."),
	counter("innodb_buffer_pool_write_requests", "innodb_buffer_pool_write_requests_total", "Writes done to the buffer pool."),
	counter("innodb_buffer_pool_wait_free", "innodb_buffer_pool_wait_free_total", "Times InnoDB waited for a free buffer pool page."),
	counter("innodb_buffer_pool_pages_flushed", "innodb_buffer_pool_pages_flushed_total", "Buffer pool pages flushed to disk."),
	counter("innodb_row_lock_waits", "innodb_row_lock_waits_total", "Times an operation had to wait for a row lock."),
	counter("innodb_row_lock_time", "innodb_row_lock_time_seconds_total", "Time spent waiting for row locks.").scaled(0.001),
	gauge("innodb_row_lock_current_waits", "innodb_row_lock_current_waits", "Row lock waits in progress."),
	gauge("innodb_checkpoint_max_age", "innodb_redo_checkpoint_max_age_bytes", "Checkpoint age at which InnoDB starts flushing synchronously (MariaDB only)."),
}

var (
	bufferPoolPages = labelled{
		desc: newDesc("innodb_buffer_pool_pages", "Buffer pool pages by state (data, dirty, free, misc, total).", "state"),
		typ:  prometheus.GaugeValue,
		values: map[string]string{
			"innodb_buffer_pool_pages_data": "data", "innodb_buffer_pool_pages_dirty": "dirty",
			"innodb_buffer_pool_pages_free": "free", "innodb_buffer_pool_pages_misc": "misc",
			"innodb_buffer_pool_pages_total": "total",
		},
	}
	rowOps = labelled{
		desc: newDesc("innodb_rows_total", "Rows read, inserted, updated and deleted in InnoDB tables.", "operation"),
		typ:  prometheus.CounterValue,
		values: map[string]string{
			"innodb_rows_read": "read", "innodb_rows_inserted": "inserted",
			"innodb_rows_updated": "updated", "innodb_rows_deleted": "deleted",
		},
	}
	bufferPoolSizeDesc  = newDesc("innodb_buffer_pool_size_bytes", "Configured InnoDB buffer pool size (innodb_buffer_pool_size).")
	pageSizeDesc        = newDesc("innodb_page_size_bytes", "InnoDB page size (innodb_page_size).")
	checkpointAgeDesc   = newDesc("innodb_redo_checkpoint_age_bytes", "Redo log written since the last checkpoint (current LSN minus checkpoint LSN).")
	redoCapacityDesc    = newDesc("innodb_redo_log_capacity_bytes", "Redo log capacity (innodb_redo_log_capacity, or innodb_log_file_size times innodb_log_files_in_group).")
	historyDesc         = newDesc("innodb_history_list_length", "Undo log history list length: transactions not yet purged (MariaDB status variable; MySQL INNODB_METRICS).")
	innodbVariablesDefs = []def{{key: "innodb_buffer_pool_size"}, {key: "innodb_page_size"}, {key: "innodb_log_file_size"}, {key: "innodb_log_files_in_group"}, {key: "innodb_redo_log_capacity"}}
)

// Update implements collector.Collector.
func (c InnoDB) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	vals, err := c.C.keyValues(ctx, `SHOW GLOBAL STATUS LIKE 'Innodb%'`)
	if err != nil {
		return err
	}
	emit(ch, vals, innodbDefs)
	bufferPoolPages.emit(ch, vals)
	rowOps.emit(ch, vals)
	c.redo(ch, vals)

	vars, err := c.C.keyValues(ctx, variablesQuery(innodbVariablesDefs))
	if err != nil {
		return err
	}
	if v, ok := number(vars, "innodb_buffer_pool_size"); ok {
		ch <- prometheus.MustNewConstMetric(bufferPoolSizeDesc, prometheus.GaugeValue, v)
	}
	if v, ok := number(vars, "innodb_page_size"); ok {
		ch <- prometheus.MustNewConstMetric(pageSizeDesc, prometheus.GaugeValue, v)
	}
	if v, ok := number(vars, "innodb_redo_log_capacity"); ok {
		ch <- prometheus.MustNewConstMetric(redoCapacityDesc, prometheus.GaugeValue, v)
	} else if v, ok := number(vars, "innodb_log_file_size"); ok {
		if n, ok := number(vars, "innodb_log_files_in_group"); ok && n > 0 {
			v *= n
		}
		ch <- prometheus.MustNewConstMetric(redoCapacityDesc, prometheus.GaugeValue, v)
	}

	if v, ok := number(vals, "innodb_history_list_length"); ok {
		ch <- prometheus.MustNewConstMetric(historyDesc, prometheus.GaugeValue, v)
		return nil
	}
	return c.historyFromMetrics(ctx, ch)
}

// redo derives the checkpoint age: MariaDB has Innodb_lsn_current / _last_checkpoint,
// MySQL 8.0.30+ Innodb_redo_log_current_lsn / _checkpoint_lsn.
func (c InnoDB) redo(ch chan<- prometheus.Metric, vals map[string]string) {
	for _, p := range [][2]string{
		{"innodb_lsn_current", "innodb_lsn_last_checkpoint"},
		{"innodb_redo_log_current_lsn", "innodb_redo_log_checkpoint_lsn"},
	} {
		cur, ok1 := number(vals, p[0])
		cp, ok2 := number(vals, p[1])
		if ok1 && ok2 {
			ch <- prometheus.MustNewConstMetric(checkpointAgeDesc, prometheus.GaugeValue, max(cur-cp, 0))
			return
		}
	}
}

// historyFromMetrics reads the undo history length from INNODB_METRICS (MySQL, where it is
// no status variable). It needs the PROCESS privilege.
func (c InnoDB) historyFromMetrics(ctx context.Context, ch chan<- prometheus.Metric) error {
	var v sql.NullFloat64
	err := c.C.query(ctx, "SELECT `COUNT` FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rseg_history_len'", func(r *sql.Rows) error {
		return r.Scan(&v)
	})
	if err != nil {
		return errors.Join(errors.New("reading trx_rseg_history_len"), err)
	}
	if v.Valid {
		ch <- prometheus.MustNewConstMetric(historyDesc, prometheus.GaugeValue, v.Float64)
	}
	return nil
}

func number(vals map[string]string, key string) (float64, bool) {
	s, ok := vals[key]
	if !ok {
		return 0, false
	}
	return parseNumber(s)
}
