package collector

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// contract is the metric-name contract rules and dashboards are written against, with the
// label names each family must have.
var contract = map[string][]string{
	"mysql_up": nil, "mysql_version_info": {"flavor", "version"},
	"mysql_threads_connected": nil, "mysql_threads_running": nil, "mysql_threads_cached": nil,
	"mysql_max_connections": nil, "mysql_max_used_connections": nil,
	"mysql_aborted_connects_total": nil, "mysql_aborted_clients_total": nil, "mysql_connection_errors_total": {"reason"},
	"mysql_questions_total": nil, "mysql_queries_total": nil, "mysql_slow_queries_total": nil,
	"mysql_select_full_join_total": nil, "mysql_select_scan_total": nil, "mysql_handler_read_rnd_next_total": nil,
	"mysql_sort_rows_total": nil, "mysql_created_tmp_disk_tables_total": nil, "mysql_created_tmp_tables_total": nil,
	"mysql_table_locks_waited_total": nil, "mysql_innodb_row_lock_waits_total": nil, "mysql_innodb_row_lock_time_seconds_total": nil,
	"mysql_innodb_data_reads_total": nil, "mysql_innodb_data_writes_total": nil, "mysql_innodb_data_fsyncs_total": nil,
	"mysql_innodb_data_read_bytes_total": nil, "mysql_innodb_data_written_bytes_total": nil, "mysql_innodb_os_log_written_bytes_total": nil,
	"mysql_innodb_data_pending_reads": nil, "mysql_innodb_data_pending_writes": nil, "mysql_innodb_buffer_pool_size_bytes": nil,
	"mysql_innodb_buffer_pool_pages": {"state"}, "mysql_innodb_buffer_pool_read_requests_total": nil,
	"mysql_innodb_buffer_pool_reads_total": nil, "mysql_processlist_queries": {"command", "state"},
	"mysql_processlist_longest_seconds": {"command"}, "mysql_replica_configured": nil,
	"mysql_replica_io_running": {"channel"}, "mysql_replica_sql_running": {"channel"}, "mysql_replica_lag_seconds": {"channel"},
	"mysql_replica_last_io_errno": {"channel"}, "mysql_replica_last_sql_errno": {"channel"},
	"mysql_read_only": nil, "mysql_super_read_only": nil, "mysql_scrape_collector_success": {"collector"},
}

func TestContractMetricNames(t *testing.T) {
	seen := map[string]map[string]bool{}
	for _, set := range fixtureSets {
		for n, mf := range promtest.ParseFile(t, filepath.Join("testdata", "golden", set+".prom")) {
			if seen[n] == nil {
				seen[n] = map[string]bool{}
			}
			for _, m := range mf.Metric {
				for _, l := range m.Label {
					seen[n][l.GetName()] = true
				}
			}
		}
	}
	for name, labels := range contract {
		got, ok := seen[name]
		if !ok {
			t.Errorf("contract metric %s is in no golden file", name)
			continue
		}
		if len(got) != len(labels) {
			t.Errorf("%s has labels %v, contract %v", name, got, labels)
		}
		for _, l := range labels {
			if !got[l] {
				t.Errorf("%s lacks label %s", name, l)
			}
		}
	}
	for _, s := range []string{"state=\"data\"", "state=\"dirty\"", "state=\"free\"", "state=\"total\""} {
		b, _ := os.ReadFile(filepath.Join("testdata", "golden", "mariadb-10.11-primary.prom"))
		if !bytes.Contains(b, []byte("mysql_innodb_buffer_pool_pages{"+s+"}")) {
			t.Errorf("buffer pool pages %s missing", s)
		}
	}
}
