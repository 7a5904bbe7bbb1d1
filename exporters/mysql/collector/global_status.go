package collector

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// GlobalStatus reads SHOW GLOBAL STATUS: connections, threads and query efficiency.
// The InnoDB variables are the innodb collector's.
type GlobalStatus struct{ C *Conn }

var globalStatusDefs = []def{
	gauge("uptime", "uptime_seconds", "Seconds since the server started."),
	gauge("threads_connected", "threads_connected", "Currently open client connections."),
	gauge("threads_running", "threads_running", "Threads that are not sleeping."),
	gauge("threads_cached", "threads_cached", "Threads in the thread cache."),
	counter("threads_created", "threads_created_total", "Threads created to handle connections."),
	gauge("max_used_connections", "max_used_connections", "Most connections open at the same time since the server started."),
	counter("connections", "connections_total", "Connection attempts, successful or not."),
	counter("aborted_connects", "aborted_connects_total", "Failed connection attempts (bad password, no privilege, bad packet)."),
	counter("aborted_clients", "aborted_clients_total", "Connections aborted because the client died without closing it properly."),
	counter("questions", "questions_total", "Statements sent by clients (not those run inside stored programs)."),
	counter("queries", "queries_total", "Statements executed, including those inside stored programs."),
	counter("slow_queries", "slow_queries_total", "Queries that took longer than long_query_time."),
	counter("select_full_join", "select_full_join_total", "Joins that scanned a table because no index was usable."),
	counter("select_full_range_join", "select_full_range_join_total", "Joins that used a range search on a reference table."),
	counter("select_range", "select_range_total", "Joins that used ranges on the first table."),
	counter("select_range_check", "select_range_check_total", "Joins without keys that check for key usage after each row."),
	counter("select_scan", "select_scan_total", "Joins that did a full scan of the first table."),
	counter("handler_read_rnd_next", "handler_read_rnd_next_total", "Requests to read the next row of a table file (high with table scans)."),
	counter("sort_rows", "sort_rows_total", "Rows sorted."),
	counter("sort_merge_passes", "sort_merge_passes_total", "Merge passes the sort algorithm had to do (sort_buffer_size too small)."),
	counter("sort_range", "sort_range_total", "Sorts done using ranges."),
	counter("sort_scan", "sort_scan_total", "Sorts done by scanning the table."),
	counter("created_tmp_disk_tables", "created_tmp_disk_tables_total", "Internal temporary tables created on disk."),
	counter("created_tmp_tables", "created_tmp_tables_total", "Internal temporary tables created (in memory or on disk)."),
	counter("created_tmp_files", "created_tmp_files_total", "Temporary files created."),
	counter("table_locks_immediate", "table_locks_immediate_total", "Table locks granted immediately."),
	counter("table_locks_waited", "table_locks_waited_total", "Table locks that had to wait."),
	gauge("open_tables", "open_tables", "Tables currently open."),
	counter("opened_tables", "opened_tables_total", "Tables opened (high: table_open_cache too small)."),
	counter("bytes_received", "bytes_received_total", "Bytes received from all clients."),
	counter("bytes_sent", "bytes_sent_total", "Bytes sent to all clients."),
}

var connectionErrors = labelled{
	desc: newDesc("connection_errors_total", "Connection errors by reason (accept, internal, max_connections, peer_address, select, tcpwrap).", "reason"),
	typ:  prometheus.CounterValue,
	values: map[string]string{
		"connection_errors_accept":          "accept",
		"connection_errors_internal":        "internal",
		"connection_errors_max_connections": "max_connections",
		"connection_errors_peer_address":    "peer_address",
		"connection_errors_select":          "select",
		"connection_errors_tcpwrap":         "tcpwrap",
	},
}

// commands is a fixed list so the label stays bounded.
var commands = labelled{
	desc: newDesc("commands_total", "Statements executed by type (a fixed list of Com_* counters).", "command"),
	typ:  prometheus.CounterValue,
	values: map[string]string{
		"com_select": "select", "com_insert": "insert", "com_insert_select": "insert_select",
		"com_update": "update", "com_update_multi": "update_multi", "com_delete": "delete",
		"com_delete_multi": "delete_multi", "com_replace": "replace", "com_replace_select": "replace_select",
		"com_load": "load", "com_commit": "commit", "com_rollback": "rollback", "com_begin": "begin",
		"com_call_procedure": "call_procedure", "com_stmt_execute": "stmt_execute",
	},
}

// Update implements collector.Collector.
func (g GlobalStatus) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	vals, err := g.C.keyValues(ctx, "SHOW GLOBAL STATUS")
	if err != nil {
		return err
	}
	emit(ch, vals, globalStatusDefs)
	connectionErrors.emit(ch, vals)
	commands.emit(ch, vals)
	return nil
}
