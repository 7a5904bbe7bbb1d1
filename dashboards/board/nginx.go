package board

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// componentPage is a per-component board with zone and instance variables over the
// exporter's <ns>_up.
func componentPage(uid, title, desc, upMetric string, tags ...string) *page {
	p := newPage(uid, title, desc, tags...)
	p.labelVar("zone", "分区", upMetric, "zone")
	p.labelVar("instance", "实例", upMetric+`{zone=~"$zone"}`, "instance")
	return p
}

// sel is the instance filter of the per-component boards; extra matchers may follow.
func sel(extra ...string) string {
	s := `{zone=~"$zone", instance=~"$instance"`
	for _, e := range extra {
		s += ", " + e
	}
	return s + "}"
}

// Nginx is the nginx / Tengine board (ggzy_nginx_exporter, stub_status).
func Nginx() (dashboard.Dashboard, error) {
	p := componentPage("ggzy-nginx", "反向代理 · Nginx 连接与请求",
		"ggzy_nginx_exporter（stub_status）：在线、连接、请求速率、丢弃连接。", "nginx_up", "nginx")
	p.add(
		st("在线", "nginx_up：导出器能否读取 stub_status。", units.NoUnit, 6, 4,
			qi(`nginx_up`+sel(), "{{instance}}")).Mappings(upMapping()).Thresholds(steps(red, 1, green)),
		st("活动连接（合计）", "nginx_connections{state=\"active\"}", units.Short, 6, 4,
			qi(`sum(nginx_connections`+sel(`state="active"`)+`)`, "活动连接")).Thresholds(steps(blue)),
		st("请求速率（合计）", "所选实例合计。", units.RequestsPerSecond, 6, 4,
			qi(`sum(rate(nginx_http_requests_total`+sel()+`[$__rate_interval]))`, "请求/秒")).Thresholds(steps(blue)),
		st("丢弃连接速率", "accepted − handled 的增长速率，应为 0。", units.CountsPerSecond, 6, 4,
			qi(`sum(rate(nginx_connections_dropped_total`+sel()+`[$__rate_interval]))`, "丢弃/秒")).Thresholds(steps(green, 0.01, red)),
	)
	p.row("连接")
	p.add(
		ts("活动连接", "每个实例的活动连接（含空闲 keep-alive）。", units.Short, 12, 8,
			q(`nginx_connections`+sel(`state="active"`), "{{instance}}")),
		ts("连接状态", "reading 读请求头，writing 处理/回写，waiting 空闲 keep-alive。", units.Short, 12, 8,
			q(`sum by (state) (nginx_connections`+sel(`state!="active"`)+`)`, "{{state}}")),
		ts("接受 / 处理 / 丢弃", "新建连接速率；丢弃 = 接受 − 处理。", units.CountsPerSecond, 12, 8,
			q(`sum by (instance) (rate(nginx_connections_accepted_total`+sel()+`[$__rate_interval]))`, "{{instance}} 接受"),
			q(`sum by (instance) (rate(nginx_connections_handled_total`+sel()+`[$__rate_interval]))`, "{{instance}} 处理"),
			q(`sum by (instance) (rate(nginx_connections_dropped_total`+sel()+`[$__rate_interval]))`, "{{instance}} 丢弃")),
		ts("每连接请求数", "请求速率 / 处理连接速率：keep-alive 复用程度。", units.Short, 12, 8,
			q(`sum by (instance) (rate(nginx_http_requests_total`+sel()+`[$__rate_interval])) / sum by (instance) (rate(nginx_connections_handled_total`+sel()+`[$__rate_interval]))`, "{{instance}}")),
	)
	p.row("请求")
	p.add(
		ts("请求速率", "每个实例的 HTTP 请求速率。", units.RequestsPerSecond, 12, 8,
			q(`sum by (instance) (rate(nginx_http_requests_total`+sel()+`[$__rate_interval]))`, "{{instance}}")),
		ts("平均请求耗时（Tengine）", "nginx_http_request_time_seconds_total / nginx_http_requests_total；仅 Tengine 扩展 stub_status 提供。", units.Seconds, 12, 8,
			q(`sum by (instance) (rate(nginx_http_request_time_seconds_total`+sel()+`[$__rate_interval])) / sum by (instance) (rate(nginx_http_requests_total`+sel()+`[$__rate_interval]))`, "{{instance}}")),
		ts("采集器状态", "nginx_scrape_collector_success：0 表示该采集器本次失败。", units.NoUnit, 24, 6,
			q(`nginx_scrape_collector_success`+sel(), "{{instance}} {{collector}}")).Min(0).Max(1),
	)
	return p.build()
}
