package board

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// MySQL is the MySQL / MariaDB board (ggzy_mysql_exporter), replication of the pairs included.
func MySQL() (dashboard.Dashboard, error) {
	p := componentPage("ggzy-mysql", "数据库 · MySQL 连接、查询与主从复制",
		"ggzy_mysql_exporter：在线、连接数、查询效率、InnoDB 与磁盘 I/O、进程列表、主从复制。", "mysql_up", "mysql")
	rate := func(m string, extra ...string) string {
		return `rate(` + m + sel(extra...) + `[$__rate_interval])`
	}
	p.add(
		st("在线", "mysql_up", units.NoUnit, 4, 4, qi(`mysql_up`+sel(), "{{instance}}")).
			Mappings(upMapping()).Thresholds(steps(red, 1, green)),
		st("连接使用率", "max(threads_connected / max_connections)", units.PercentUnit, 4, 4,
			qi(`max(mysql_threads_connected`+sel()+` / mysql_max_connections`+sel()+`)`, "最高")).
			Min(0).Max(1).Thresholds(steps(green, 0.8, amber, 0.9, red)),
		st("QPS", "mysql_questions_total 合计速率", units.OpsPerSecond, 4, 4,
			qi(`sum(`+rate("mysql_questions_total")+`)`, "QPS")).Thresholds(steps(blue)),
		st("慢查询速率", "mysql_slow_queries_total", units.CountsPerSecond, 4, 4,
			qi(`sum(`+rate("mysql_slow_queries_total")+`)`, "慢查询/秒")).Thresholds(steps(green, 0.1, amber, 1, red)),
		st("复制异常的从库", "配置了复制但 IO 或 SQL 线程未运行的实例数。", units.NoUnit, 4, 4,
			qi(`count((mysql_replica_io_running`+sel()+` == 0 or mysql_replica_sql_running`+sel()+` == 0) and on (instance) mysql_replica_configured`+sel()+` == 1) or vector(0)`, "从库")).
			Thresholds(steps(green, 1, red)),
		st("最大复制延迟", "mysql_replica_lag_seconds", units.Seconds, 4, 4,
			qi(`max(mysql_replica_lag_seconds`+sel()+`) or vector(0)`, "延迟")).Thresholds(steps(green, 30, amber, 300, red)),
	)
	p.row("主从复制")
	p.add(tbl("主从复制", "每个实例：版本、只读、复制是否配置、IO/SQL 线程、延迟、最近错误号。主库 mysql_replica_configured = 0。", units.NoUnit, 24, 7,
		map[string]string{"instance": "实例", "version": "版本", "flavor": "类型",
			"Value #B": "只读", "Value #C": "super_read_only", "Value #D": "复制已配置", "Value #E": "IO 线程", "Value #F": "SQL 线程",
			"Value #G": "延迟", "Value #H": "IO 错误号", "Value #I": "SQL 错误号"},
		[]string{"instance", "version", "flavor", "Value #B", "Value #C", "Value #D", "Value #E", "Value #F", "Value #G", "Value #H", "Value #I"},
		qt(`max by (instance, version, flavor) (mysql_version_info`+sel()+`)`),
		qt(`max by (instance) (mysql_read_only`+sel()+`)`),
		qt(`max by (instance) (mysql_super_read_only`+sel()+`)`),
		qt(`max by (instance) (mysql_replica_configured`+sel()+`)`),
		qt(`max by (instance) (mysql_replica_io_running`+sel()+`)`),
		qt(`max by (instance) (mysql_replica_sql_running`+sel()+`)`),
		qt(`max by (instance) (mysql_replica_lag_seconds`+sel()+`)`),
		qt(`max by (instance) (mysql_replica_last_io_errno`+sel()+`)`),
		qt(`max by (instance) (mysql_replica_last_sql_errno`+sel()+`)`)).
		Mappings(valueText("1", "是", blue, "0", "否", grey)))
	p.add(
		ts("复制延迟", "mysql_replica_lag_seconds（从库）", units.Seconds, 12, 8,
			q(`mysql_replica_lag_seconds`+sel(), "{{instance}}")),
		ts("复制线程", "1 = 运行；仅配置了复制的实例。", units.NoUnit, 12, 8,
			q(`mysql_replica_io_running`+sel()+` and on (instance) mysql_replica_configured`+sel()+` == 1`, "{{instance}} IO"),
			q(`mysql_replica_sql_running`+sel()+` and on (instance) mysql_replica_configured`+sel()+` == 1`, "{{instance}} SQL")).Min(0).Max(1),
	)
	p.row("连接")
	p.add(
		ts("线程", "connected / running / cached，与 max_connections、历史最高 max_used_connections。", units.Short, 12, 8,
			q(`mysql_threads_connected`+sel(), "{{instance}} connected"),
			q(`mysql_threads_running`+sel(), "{{instance}} running"),
			q(`mysql_threads_cached`+sel(), "{{instance}} cached"),
			q(`mysql_max_connections`+sel(), "{{instance}} max_connections"),
			q(`mysql_max_used_connections`+sel(), "{{instance}} max_used")),
		ts("连接异常", "aborted_connects（握手失败）、aborted_clients（未正常关闭）与 connection_errors{reason}。", units.CountsPerSecond, 12, 8,
			q(rate("mysql_aborted_connects_total"), "{{instance}} aborted_connects"),
			q(rate("mysql_aborted_clients_total"), "{{instance}} aborted_clients"),
			q(`sum by (instance, reason) (`+rate("mysql_connection_errors_total")+`)`, "{{instance}} {{reason}}")),
		ts("进程列表", "mysql_processlist_queries{command,state}（按命令汇总）", units.Short, 12, 8,
			q(`sum by (instance, command) (mysql_processlist_queries`+sel()+`)`, "{{instance}} {{command}}")),
		ts("最长运行时间", "mysql_processlist_longest_seconds{command}", units.Seconds, 12, 8,
			q(`max by (instance, command) (mysql_processlist_longest_seconds`+sel()+`)`, "{{instance}} {{command}}")),
	)
	p.row("查询效率")
	p.add(
		ts("查询速率", "questions（客户端语句）与 queries（含存储过程内语句）。", units.OpsPerSecond, 8, 8,
			q(rate("mysql_questions_total"), "{{instance}} questions"),
			q(rate("mysql_queries_total"), "{{instance}} queries")),
		ts("低效查询", "慢查询、全表扫描连接（select_full_join）、全表扫描（select_scan）。", units.CountsPerSecond, 8, 8,
			q(rate("mysql_slow_queries_total"), "{{instance}} slow"),
			q(rate("mysql_select_full_join_total"), "{{instance}} full_join"),
			q(rate("mysql_select_scan_total"), "{{instance}} scan")),
		ts("扫描与排序行数", "handler_read_rnd_next（顺序扫描行）与 sort_rows。", units.RowsPerSecond, 8, 8,
			q(rate("mysql_handler_read_rnd_next_total"), "{{instance}} read_rnd_next"),
			q(rate("mysql_sort_rows_total"), "{{instance}} sort_rows")),
		ts("临时表", "created_tmp_tables 与落盘的 created_tmp_disk_tables。", units.CountsPerSecond, 8, 8,
			q(rate("mysql_created_tmp_tables_total"), "{{instance}} tmp"),
			q(rate("mysql_created_tmp_disk_tables_total"), "{{instance}} tmp_disk")),
		ts("锁等待", "表锁等待与 InnoDB 行锁等待次数。", units.CountsPerSecond, 8, 8,
			q(rate("mysql_table_locks_waited_total"), "{{instance}} table_locks_waited"),
			q(rate("mysql_innodb_row_lock_waits_total"), "{{instance}} row_lock_waits")),
		ts("行锁等待时间", "mysql_innodb_row_lock_time_seconds_total 的速率（秒/秒）。", units.Seconds, 8, 8,
			q(rate("mysql_innodb_row_lock_time_seconds_total"), "{{instance}}")),
	)
	p.row("InnoDB 与磁盘 I/O")
	p.add(
		ts("数据 I/O 次数", "innodb_data_reads / writes / fsyncs", units.IOOpsPerSecond, 8, 8,
			q(rate("mysql_innodb_data_reads_total"), "{{instance}} reads"),
			q(rate("mysql_innodb_data_writes_total"), "{{instance}} writes"),
			q(rate("mysql_innodb_data_fsyncs_total"), "{{instance}} fsyncs")),
		ts("数据 I/O 字节", "innodb_data_read / written 与 redo 日志写入（os_log_written）。", units.BytesPerSecondSI, 8, 8,
			q(rate("mysql_innodb_data_read_bytes_total"), "{{instance}} read"),
			q(rate("mysql_innodb_data_written_bytes_total"), "{{instance}} written"),
			q(rate("mysql_innodb_os_log_written_bytes_total"), "{{instance}} redo")),
		ts("挂起的 I/O", "innodb_data_pending_reads / writes：持续不为 0 说明磁盘跟不上。", units.Short, 8, 8,
			q(`mysql_innodb_data_pending_reads`+sel(), "{{instance}} reads"),
			q(`mysql_innodb_data_pending_writes`+sel(), "{{instance}} writes")),
		ts("缓冲池页", "data / dirty / free / total", units.Short, 8, 8,
			q(`mysql_innodb_buffer_pool_pages`+sel(), "{{instance}} {{state}}")),
		ts("缓冲池命中率", "1 − reads / read_requests（从磁盘读的比例越低越好）。", units.PercentUnit, 8, 8,
			q(`1 - `+rate("mysql_innodb_buffer_pool_reads_total")+` / `+rate("mysql_innodb_buffer_pool_read_requests_total"), "{{instance}}")).Max(1),
		ts("缓冲池大小", "mysql_innodb_buffer_pool_size_bytes", units.BytesIEC, 8, 8,
			q(`mysql_innodb_buffer_pool_size_bytes`+sel(), "{{instance}}")),
	)
	return p.build()
}
