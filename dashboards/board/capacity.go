package board

import (
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// Capacity queries are instant queries over 30 and 90 days, on the recording rules of
// rules/ (one cheap series per host, volume or server; Linux and Windows alike). Redis has
// no recording rule: its utilisation is sampled by a 5m-step subquery. Prometheus needs
// --storage.tsdb.retention.time ≥ 90d (compose/ sets 100d).
const (
	capCPU      = `instance:host_cpu_utilisation:rate5m`
	capMem      = `instance:host_memory_utilisation:ratio`
	capDisk     = `instance_mountpoint:host_filesystem_usage:ratio`
	capDiskDays = `instance_mountpoint:host_filesystem_days_until_full:deriv1d`
	capMyConn   = `instance:mysql_connections_utilisation:ratio`
	capMyQPS    = `instance:mysql_queries:rate5m`
	capRedisMem = `instance:redis_memory_utilisation:ratio[%s]`
)

// capCol is one column of a capacity table: header, unit, expression.
type capCol struct{ name, unit, expr string }

func maxOver(series, window string) string {
	return fmt.Sprintf("max_over_time(%s[%s])", series, window)
}

func p95(series, window string) string {
	return fmt.Sprintf("quantile_over_time(0.95, %s[%s])", series, window)
}

// growth30d is the linear trend of series over the last 30 days, per 30 days.
func growth30d(series string) string { return fmt.Sprintf("deriv(%s[30d]) * 86400 * 30", series) }

// statCols: p95 and max over 30 and 90 days and the 30-day trend of a series (unit: its unit).
func statCols(name, unit, series string) []capCol {
	return []capCol{
		{name + " p95 30天", unit, p95(series, "30d")},
		{name + " 最大 30天", unit, maxOver(series, "30d")},
		{name + " p95 90天", unit, p95(series, "90d")},
		{name + " 最大 90天", unit, maxOver(series, "90d")},
		{name + " 30天增长", unit, growth30d(series)},
	}
}

// capTable is one row per key (e.g. instance), one column per capCol.
func capTable(title, desc string, h uint32, by string, keys map[string]string, cols []capCol) cog.Builder[dashboard.Panel] {
	rename := map[string]string{}
	var order []string
	for _, k := range splitKeys(by) {
		rename[k] = keys[k]
		order = append(order, k)
	}
	var qs []*prometheus.DataqueryBuilder
	var overrides []cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]
	for i, c := range cols {
		ref := "Value #" + string(rune('A'+i))
		rename[ref] = c.name
		order = append(order, ref)
		qs = append(qs, qt(fmt.Sprintf("max by (%s) (%s)", by, c.expr)))
		overrides = append(overrides, unitOverride(c.name, c.unit))
	}
	return tbl(title, desc, units.PercentUnit, 24, h, rename, order, qs...).
		Decimals(1).
		Thresholds(steps(green, 0.7, amber, 0.85, red)).
		Overrides(overrides)
}

func splitKeys(by string) []string {
	var out []string
	cur := ""
	for _, r := range by + "," {
		switch r {
		case ',':
			if cur != "" {
				out = append(out, cur)
			}
			cur = ""
		case ' ':
		default:
			cur += string(r)
		}
	}
	return out
}

var hostKeys = map[string]string{"instance": "主机", "os": "系统", "mountpoint": "挂载点/卷"}

// Capacity is the capacity review board for resource change requests (资源变更): p95 and
// max utilisation over 30/90 days, the trend, days until full, under-used hosts. Every table
// can be exported (panel menu → Inspect → Data → Download CSV).
func Capacity() (dashboard.Dashboard, error) {
	p := newPage("ggzy-capacity", "容量评审 · 资源变更依据",
		"资源变更申请的依据：各主机、数据库、Redis 在 30/90 天内的 p95 与最大使用率、30 天增长趋势、预计写满天数，以及利用率低的主机。表格可导出 CSV（面板菜单 → 检查 → 数据 → 下载 CSV）。需要 Prometheus 保留 ≥ 90 天。",
		"capacity")
	p.b.Time("now-90d", "now").Refresh("")
	p.row("主机（Linux / 麒麟 / Windows）")
	hostCols := append(statCols("CPU", units.PercentUnit, capCPU), statCols("内存", units.PercentUnit, capMem)...)
	p.add(capTable("主机 CPU 与内存", "instance:host_cpu_utilisation:rate5m 与 instance:host_memory_utilisation:ratio（rules/node.yml、rules/windows.yml）。增长为 30 天线性趋势。", 10,
		"instance, os", hostKeys, hostCols))
	diskCols := append([]capCol{{"当前使用率", units.PercentUnit, capDisk}}, statCols("使用率", units.PercentUnit, capDisk)...)
	diskCols = append(diskCols, capCol{"预计写满（天）", units.Days, capDiskDays})
	p.add(capTable("磁盘容量（每个文件系统 / 卷）", "instance_mountpoint:host_filesystem_usage:ratio；预计写满天数按最近 1 天趋势（365 = 未在增长）。", 10,
		"instance, os, mountpoint", hostKeys, diskCols))
	p.add(tbl("利用率低的主机（可回收）", "30 天 CPU p95 < 20% 且内存 p95 < 30% 的主机：资源缩减候选。", units.PercentUnit, 24, 7,
		map[string]string{"instance": "主机", "os": "系统", "Value #A": "CPU p95 30天", "Value #B": "内存 p95 30天"},
		[]string{"instance", "os", "Value #A", "Value #B"},
		qt(`max by (instance, os) (`+p95(capCPU, "30d")+`) < 0.2 and on (instance) max by (instance, os) (`+p95(capMem, "30d")+`) < 0.3`),
		qt(`max by (instance, os) (`+p95(capMem, "30d")+`) < 0.3 and on (instance) max by (instance, os) (`+p95(capCPU, "30d")+`) < 0.2`)).
		Decimals(1))
	p.row("数据库与缓存")
	p.add(capTable("MySQL 连接使用率", "instance:mysql_connections_utilisation:ratio（threads_connected / max_connections，rules/mysql.yml）；磁盘容量看所在主机。", 8,
		"instance", map[string]string{"instance": "实例"}, statCols("连接", units.PercentUnit, capMyConn)))
	p.add(capTable("MySQL 查询量", "instance:mysql_queries:rate5m（QPS）的 p95 / 最大，30 与 90 天，和 30 天增长。", 8,
		"instance", map[string]string{"instance": "实例"}, statCols("QPS", units.OpsPerSecond, capMyQPS)))
	redisMem := func(w string) string { return fmt.Sprintf(capRedisMem, w) }
	p.add(capTable("Redis 内存", "instance:redis_memory_utilisation:ratio（used_memory / maxmemory，只含设置了 maxmemory 的实例，rules/redis.yml）；预计写满按 7 天趋势，只列出在增长的实例。", 7,
		"instance", map[string]string{"instance": "实例"}, []capCol{
			{"内存 p95 30天", units.PercentUnit, "quantile_over_time(0.95, " + redisMem("30d") + ")"},
			{"内存 最大 30天", units.PercentUnit, "max_over_time(" + redisMem("30d") + ")"},
			{"内存 p95 90天", units.PercentUnit, "quantile_over_time(0.95, " + redisMem("90d") + ")"},
			{"内存 最大 90天", units.PercentUnit, "max_over_time(" + redisMem("90d") + ")"},
			{"预计写满（天）", units.Days, `((redis_memory_max_bytes > 0) - redis_memory_used_bytes) / (deriv(redis_memory_used_bytes[7d]) > 0) / 86400`},
		}))
	return p.build()
}
