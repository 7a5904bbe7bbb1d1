package board

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// Redis is the Redis board (ggzy_redis_exporter).
func Redis() (dashboard.Dashboard, error) {
	p := componentPage("ggzy-redis", "缓存 · Redis 内存、连接与复制",
		"ggzy_redis_exporter：在线、内存与 maxmemory、客户端、命中率、持久化、复制、慢日志。", "redis_up", "redis")
	p.add(
		st("在线", "redis_up", units.NoUnit, 4, 4, qi(`redis_up`+sel(), "{{instance}}")).
			Mappings(upMapping()).Thresholds(steps(red, 1, green)),
		st("运行时间", "redis_uptime_seconds", units.DurationSeconds, 4, 4,
			qi(`min(redis_uptime_seconds`+sel()+`)`, "最短")).Thresholds(steps(amber, 3600, green)),
		st("内存使用率", "redis_memory_used_bytes / redis_memory_max_bytes（未设 maxmemory 的实例不计）。", units.PercentUnit, 4, 4,
			qi(`max(redis_memory_used_bytes`+sel()+` / (redis_memory_max_bytes`+sel()+` > 0))`, "最高")).
			Min(0).Max(1).Thresholds(steps(green, 0.8, amber, 0.95, red)),
		st("客户端连接", "redis_connected_clients 合计", units.Short, 4, 4,
			qi(`sum(redis_connected_clients`+sel()+`)`, "连接")).Thresholds(steps(blue)),
		st("命中率", "keyspace_hits / (hits + misses)", units.PercentUnit, 4, 4,
			qi(`sum(rate(redis_keyspace_hits_total`+sel()+`[$__rate_interval])) / (sum(rate(redis_keyspace_hits_total`+sel()+`[$__rate_interval])) + sum(rate(redis_keyspace_misses_total`+sel()+`[$__rate_interval])))`, "命中率")).
			Min(0).Max(1).Thresholds(steps(amber, 0.8, green)),
		st("拒绝连接速率", "redis_rejected_connections_total：达到 maxclients。", units.CountsPerSecond, 4, 4,
			qi(`sum(rate(redis_rejected_connections_total`+sel()+`[$__rate_interval]))`, "拒绝/秒")).Thresholds(steps(green, 0.01, red)),
	)
	p.add(tbl("实例", "redis_instance_info：角色、版本、模式。", units.NoUnit, 24, 5,
		map[string]string{"instance": "实例", "role": "角色", "version": "版本", "mode": "模式", "service": "服务", "zone": "分区"},
		[]string{"instance", "role", "version", "mode", "service", "zone"},
		qt(`redis_instance_info`+sel())))
	p.row("内存")
	p.add(
		ts("内存", "used / rss / peak，与 maxmemory（0 = 不限）。", units.BytesIEC, 12, 8,
			q(`redis_memory_used_bytes`+sel(), "{{instance}} used"),
			q(`redis_memory_rss_bytes`+sel(), "{{instance}} rss"),
			q(`redis_memory_peak_bytes`+sel(), "{{instance}} peak"),
			q(`redis_memory_max_bytes`+sel()+` > 0`, "{{instance}} max")),
		ts("内存碎片率", "rss / used；> 1.5 碎片多，< 1 发生了交换。", units.Short, 12, 8,
			q(`redis_memory_fragmentation_ratio`+sel(), "{{instance}}")),
		ts("淘汰与过期", "evicted：因 maxmemory 淘汰的键；expired：到期删除的键。", units.CountsPerSecond, 12, 8,
			q(`rate(redis_evicted_keys_total`+sel()+`[$__rate_interval])`, "{{instance}} 淘汰"),
			q(`rate(redis_expired_keys_total`+sel()+`[$__rate_interval])`, "{{instance}} 过期")),
		ts("键数量", "redis_db_keys 与设置了过期时间的 redis_db_keys_expiring。", units.Short, 12, 8,
			q(`sum by (instance, db) (redis_db_keys`+sel()+`)`, "{{instance}} {{db}}"),
			q(`sum by (instance, db) (redis_db_keys_expiring`+sel()+`)`, "{{instance}} {{db}} 过期")),
	)
	p.row("负载")
	p.add(
		ts("命令速率", "redis_commands_processed_total", units.OpsPerSecond, 8, 8,
			q(`rate(redis_commands_processed_total`+sel()+`[$__rate_interval])`, "{{instance}}")),
		ts("客户端", "已连接、阻塞（BLPOP 等），与 maxclients。", units.Short, 8, 8,
			q(`redis_connected_clients`+sel(), "{{instance}} 已连接"),
			q(`redis_blocked_clients`+sel(), "{{instance}} 阻塞"),
			q(`redis_max_clients`+sel(), "{{instance}} 上限")),
		ts("网络", "redis_net_input/output_bytes_total", units.BytesPerSecondSI, 8, 8,
			q(`rate(redis_net_input_bytes_total`+sel()+`[$__rate_interval])`, "{{instance}} 入"),
			q(`rate(redis_net_output_bytes_total`+sel()+`[$__rate_interval])`, "{{instance}} 出")),
		ts("CPU", "用户态 + 内核态 CPU 秒/秒。", units.PercentUnit, 8, 8,
			q(`rate(redis_cpu_user_seconds_total`+sel()+`[$__rate_interval])`, "{{instance}} user"),
			q(`rate(redis_cpu_system_seconds_total`+sel()+`[$__rate_interval])`, "{{instance}} sys")),
		ts("PING 延迟", "redis_ping_duration_seconds", units.Seconds, 8, 8,
			q(`redis_ping_duration_seconds`+sel(), "{{instance}}")),
		ts("慢日志长度", "redis_slowlog_length", units.Short, 8, 8,
			q(`redis_slowlog_length`+sel(), "{{instance}}")),
	)
	p.row("持久化与复制")
	p.add(
		st("上次 BGSAVE", "redis_rdb_last_bgsave_success", units.NoUnit, 6, 4,
			qi(`min(redis_rdb_last_bgsave_success`+sel()+`)`, "BGSAVE")).
			Mappings(valueText("1", "成功", green, "0", "失败", red)).Thresholds(steps(red, 1, green)),
		st("距上次保存", "time() − redis_rdb_last_save_timestamp_seconds（最久的实例）", units.DurationSeconds, 6, 4,
			qi(`max(time() - redis_rdb_last_save_timestamp_seconds`+sel()+`)`, "最久")).Thresholds(steps(green, 86400, amber)),
		st("AOF", "redis_aof_enabled 与 redis_aof_last_write_success", units.NoUnit, 6, 4,
			qi(`min(redis_aof_last_write_success`+sel()+` or (1 - redis_aof_enabled`+sel()+`))`, "AOF")).
			Mappings(valueText("1", "正常/未启用", green, "0", "写失败", red)).Thresholds(steps(red, 1, green)),
		st("从库链路", "redis_replication_master_link_up（仅从库）", units.NoUnit, 6, 4,
			qi(`min(redis_replication_master_link_up`+sel()+`) or vector(1)`, "链路")).
			Mappings(valueText("1", "正常/无从库", green, "0", "断开", red)).Thresholds(steps(red, 1, green)),
		ts("未保存的修改", "redis_rdb_changes_since_last_save", units.Short, 8, 8,
			q(`redis_rdb_changes_since_last_save`+sel(), "{{instance}}")),
		ts("复制", "主库的已连接从库数；从库距上次与主库通信的秒数。", units.Short, 8, 8,
			q(`redis_replication_connected_replicas`+sel(), "{{instance}} 从库数"),
			q(`redis_replication_master_last_io_seconds`+sel(), "{{instance}} 距上次通信（秒）")),
		ts("复制偏移量", "redis_replication_offset_bytes：主从差值即复制落后的字节数。", units.BytesIEC, 8, 8,
			q(`redis_replication_offset_bytes`+sel(), "{{instance}}")),
	)
	return p.build()
}
