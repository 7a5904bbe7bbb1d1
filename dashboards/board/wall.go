package board

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// Deadlines of the contract (DESIGN.md §3): a major incident must be recovered (or switched
// to standby) within 30 min, a general one restored within 4 h.
const (
	majorDeadlineSeconds   = "1800"
	generalDeadlineSeconds = "14400"
)

// serviceStatus is 2 (red) when a critical alert of the service fires, 1 (amber) for a
// warning, 0 (green) otherwise; the services are those of the scraped targets (label
// service, from the exporters' /sd). sel narrows both sides (e.g. by zone).
func serviceStatus(sel string) string {
	return `max by (service) (
  2 * max by (service) (ALERTS{alertstate="firing", severity="critical", service!=""` + sel + `})
  or 1 * max by (service) (ALERTS{alertstate="firing", severity="warning", service!=""` + sel + `})
  or 0 * max by (service) (up{service!=""` + sel + `})
)`
}

func serviceTiles(title string, w, h uint32, sel string) cog.Builder[dashboard.Panel] {
	return st(title,
		"每个服务一块：红=有 critical 告警在发，橙=有 warning 告警，绿=正常。颜色来自告警规则（ALERTS），服务来自各导出器 /sd 的 service 标签。",
		units.NoUnit, w, h, qi(serviceStatus(sel), "{{service}}")).
		Mappings(valueText("0", "正常", green, "1", "告警", amber, "2", "故障", red)).
		Thresholds(steps(green, 1, amber, 2, red)).
		TextMode(common.BigValueTextModeValueAndName)
}

// incidentQueries: how long each open incident has been open, and the time left to its
// recovery deadline (negative = overdue). ALERTS_FOR_STATE holds the alert's start (pending
// included); only firing alerts count as open incidents.
func incidentQueries(sel string) (open, left string) {
	firing := `and ignoring(alertstate) ALERTS{alertstate="firing"` + sel + `}`
	by := "max by (alertname, service, incident_class, instance)"
	open = `time() - ` + by + ` (ALERTS_FOR_STATE{incident_class=~"major|general"` + sel + `} ` + firing + `)`
	left = by + ` (
  (ALERTS_FOR_STATE{incident_class="major"` + sel + `} + ` + majorDeadlineSeconds + `
   or ALERTS_FOR_STATE{incident_class="general"` + sel + `} + ` + generalDeadlineSeconds + `)
  ` + firing + `
) - time()`
	return open, left
}

func incidentTable(w, h uint32, sel string) cog.Builder[dashboard.Panel] {
	open, left := incidentQueries(sel)
	return tbl("未恢复事件（已持续 / 距恢复时限）",
		"正在发生的重大（30 分钟内恢复）与一般（4 小时内恢复）事件。距恢复时限为负即已超时；一般事件超过 4 小时升级为重大事件。",
		units.NoUnit, w, h,
		map[string]string{"alertname": "告警", "service": "服务", "incident_class": "等级", "instance": "对象",
			"Value #A": "已持续", "Value #B": "距恢复时限"},
		[]string{"incident_class", "service", "alertname", "instance", "Value #A", "Value #B"},
		qt(open), qt(left)).
		Mappings(valueText("major", "重大", red, "general", "一般", amber)).
		SortBy([]cog.Builder[common.TableSortByFieldState]{common.NewTableSortByFieldStateBuilder().DisplayName("距恢复时限")}).
		Overrides([]cog.Builder[dashboard.DashboardFieldConfigSourceOverrides]{
			unitOverride("已持续", units.DurationSeconds),
			unitOverride("距恢复时限", units.DurationSeconds),
			colorOverride("距恢复时限", steps(red, 0, amber, 600, green)),
		})
}

// downTargets lists what cannot be scraped (exporter or /probe down: up == 0) and targets
// the exporters report down (<ns>_up == 0).
func downTargets(w, h uint32, sel string) cog.Builder[dashboard.Panel] {
	s := "{" + trimComma(sel) + "}"
	return tbl("离线的导出器与目标",
		"A：Prometheus 抓不到（导出器或 /probe 不通，up == 0）；B：导出器连不上目标（<ns>_up == 0）。空表即全部在线。",
		units.NoUnit, w, h,
		map[string]string{"job": "作业", "instance": "目标", "service": "服务", "__name__": "指标", "zone": "分区",
			"Value #A": "up", "Value #B": "目标在线"},
		[]string{"service", "instance", "job", "__name__", "zone", "Value #A", "Value #B"},
		qt(`up`+s+` == 0`),
		qt(`nginx_up`+s+` == 0 or redis_up`+s+` == 0 or mysql_up`+s+` == 0 or calendar_up`+s+` == 0`)).
		Mappings(valueText("0", "离线", red))
}

func trimComma(sel string) string {
	if len(sel) > 0 && sel[0] == ',' {
		return sel[1:]
	}
	return sel
}

// calendarTiles are today's status from the calendar exporter.
func calendarTiles(p *page) {
	p.add(
		st("今天", "calendar_working_day：法定工作日（含调休上班日）或休息日。", units.NoUnit, 3, 3,
			qi(`max(calendar_working_day)`, "今天")).
			Mappings(valueText("1", "工作日", green, "0", "休息日", blue)).
			TextMode(common.BigValueTextModeValue),
		st("当前时段", "calendar_working_time：工作日办公时间或重点时期为工作时间（按工作时间响应时限），否则为非工作时间。",
			units.NoUnit, 3, 3, qi(`max(calendar_working_time)`, "当前时段")).
			Mappings(valueText("1", "工作时间", green, "0", "非工作时间", blue)).
			TextMode(common.BigValueTextModeValue),
		st("法定节假日", "calendar_holiday{name}：今天所属的法定节假日；无则显示“无”。", units.NoUnit, 4, 3,
			qi(`max by (name) (calendar_holiday == 1) or on() label_replace(vector(0), "name", "无", "", "")`, "{{name}}")).
			Mappings(valueText("1", "放假", purple, "0", "否", grey)).
			TextMode(common.BigValueTextModeName),
		st("重点时期", "calendar_key_period{name}：重点保障时期（24 小时值守）；无则显示“无”。", units.NoUnit, 5, 3,
			qi(`max by (name) (calendar_key_period == 1) or on() label_replace(vector(0), "name", "无", "", "")`, "{{name}}")).
			Mappings(valueText("1", "重点时期", red, "0", "否", grey)).
			TextMode(common.BigValueTextModeName),
		st("日历数据", "calendar_data_covers_year：日历文件是否已有今年和明年的官方放假安排（每年 11 月国务院发布）。",
			units.NoUnit, 3, 3, qi(`min(calendar_data_covers_year)`, "日历数据")).
			Mappings(valueText("1", "完整", green, "0", "缺明年", amber)).
			TextMode(common.BigValueTextModeValue),
		st("重大事件", "正在发生的重大事件（incident_class=major）数。", units.NoUnit, 3, 3,
			qi(`count(ALERTS{alertstate="firing", incident_class="major"}) or vector(0)`, "重大事件")).
			Thresholds(steps(green, 1, red)).
			TextMode(common.BigValueTextModeValue),
		st("一般事件", "正在发生的一般事件（incident_class=general）数。", units.NoUnit, 3, 3,
			qi(`count(ALERTS{alertstate="firing", incident_class="general"}) or vector(0)`, "一般事件")).
			Thresholds(steps(green, 1, amber)).
			TextMode(common.BigValueTextModeValue),
	)
}

func topProblems(p *page) {
	pct := steps(green, 0.8, amber, 0.9, red)
	p.add(
		bar("MySQL 连接使用率 Top5", "mysql_threads_connected / mysql_max_connections", units.PercentUnit, 5, 8, pct,
			qi(`topk(5, mysql_threads_connected / mysql_max_connections)`, "{{instance}}")).Max(1),
		bar("Redis 内存使用率 Top5", "redis_memory_used_bytes / redis_memory_max_bytes（只含设置了 maxmemory 的实例）", units.PercentUnit, 5, 8, pct,
			qi(`topk(5, redis_memory_used_bytes / (redis_memory_max_bytes > 0))`, "{{instance}}")).Max(1),
		bar("主机磁盘使用率 Top5", "Linux/麒麟（node_exporter）与 Windows（windows_exporter）各主机使用率最高的文件系统/卷。", units.PercentUnit, 5, 8, pct,
			qi(`topk(5, `+hostDiskUsed+`)`, "{{instance}}")).Max(1),
		bar("MySQL 复制延迟 Top5", "mysql_replica_lag_seconds（从库）。", units.Seconds, 5, 8, steps(green, 30, amber, 300, red),
			qi(`topk(5, mysql_replica_lag_seconds)`, "{{instance}}")),
		bar("Nginx 丢弃连接 Top5", "accepted − handled 的增长速率：worker_connections 等资源不足。", units.CountsPerSecond, 4, 8, steps(green, 0.01, red),
			qi(`topk(5, rate(nginx_connections_dropped_total[$__rate_interval]))`, "{{instance}}")),
	)
}

// hostDiskUsed is the fullest filesystem (Linux) or volume (Windows) of each host, 0..1,
// from the recording rule of rules/hosts.yml.
const hostDiskUsed = `max by (instance) (instance_mountpoint:host_filesystem_usage:ratio)`

// Wall is the duty-room wall screen: 1920×1080 in kiosk mode, 27 grid rows, read from
// across the room. It is Grafana's home dashboard in compose/.
func Wall() (dashboard.Dashboard, error) {
	p := newPage("ggzy-wall", "值班大屏 · 公共资源交易平台",
		"值班室大屏（kiosk，1080p）：今日日历状态、各服务状态、未恢复事件与时限、离线目标、各组件问题 Top5。",
		"wall")
	p.b.Refresh("30s").Time("now-1h", "now").Readonly().
		Link(dashboard.NewDashboardLinkBuilder("分区大屏").Type(dashboard.DashboardLinkTypeDashboards).
			Tags([]string{"wall"}).AsDropdown(false).KeepTime(true).IncludeVars(true))
	calendarTiles(p)
	p.add(serviceTiles("服务状态", 24, 7, ""))
	p.add(incidentTable(14, 9, ""), downTargets(10, 9, ""))
	topProblems(p)
	return p.build()
}

// WallZone is the second wall page: the same tiles, incidents and down targets for one
// zone (互联网区 / 政务外网区 …). One screen per zone, chosen in the URL:
// /d/ggzy-wall-zone?kiosk&var-zone=<zone>.
func WallZone() (dashboard.Dashboard, error) {
	p := newPage("ggzy-wall-zone", "值班大屏 · 分区",
		"按网络分区（zone 标签）的值班大屏，每块屏一个分区（URL 参数 var-zone）：服务状态、未恢复事件、离线目标。",
		"wall")
	p.b.WithVariable(dashboard.NewQueryVariableBuilder("zone").
		Label("分区").
		Query(dashboard.StringOrMap{String: strp("label_values(up, zone)")}).
		Definition("label_values(up, zone)").
		Datasource(ds()).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc))
	p.b.Refresh("30s").Time("now-1h", "now").Readonly()
	sel := `, zone="$zone"`
	p.add(serviceTiles("服务状态 · $zone", 24, 10, sel))
	p.add(incidentTable(14, 17, sel), downTargets(10, 17, sel))
	return p.build()
}
