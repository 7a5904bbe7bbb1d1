package collector

import (
	"context"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// GlobalVariables reads a fixed list of server variables (limits, read-only flags, logging)
// and reports the version found by the scrape's check.
type GlobalVariables struct{ C *Conn }

var variableDefs = []def{
	gauge("max_connections", "max_connections", "Maximum permitted simultaneous client connections (max_connections)."),
	gauge("max_user_connections", "max_user_connections", "Maximum simultaneous connections per account (0: no limit)."),
	gauge("read_only", "read_only", "Whether the server is read-only for non-privileged users (1) or not (0)."),
	gauge("super_read_only", "super_read_only", "Whether the server is read-only for privileged users too (MySQL 5.7.8+ only)."),
	gauge("log_bin", "log_bin_enabled", "Whether the binary log is enabled (1) or not (0)."),
	gauge("slow_query_log", "slow_query_log_enabled", "Whether the slow query log is enabled (1) or not (0)."),
	gauge("long_query_time", "long_query_time_seconds", "Queries slower than this count as slow (long_query_time)."),
	gauge("table_open_cache", "table_open_cache", "Open tables the server keeps cached (table_open_cache)."),
	gauge("thread_cache_size", "thread_cache_size", "Threads the server keeps cached for reuse (thread_cache_size)."),
	gauge("open_files_limit", "open_files_limit", "File descriptors the server may use (open_files_limit)."),
	gauge("server_id", "server_id", "The server's replication server_id."),
}

var versionDesc = newDesc("version_info", "Server version and flavor (mysql, mariadb or percona); value 1.", "version", "flavor")

func variablesQuery(defs []def) string {
	names := make([]string, 0, len(defs))
	for _, d := range defs {
		names = append(names, "'"+d.key+"'")
	}
	return "SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + strings.Join(names, ", ") + ")"
}

// Update implements collector.Collector.
func (g GlobalVariables) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	vals, err := g.C.keyValues(ctx, variablesQuery(variableDefs))
	if err != nil {
		return err
	}
	if g.C.Info.Version != "" {
		ch <- prometheus.MustNewConstMetric(versionDesc, prometheus.GaugeValue, 1, g.C.Info.Version, g.C.Info.Flavor)
	}
	emit(ch, vals, variableDefs)
	return nil
}
