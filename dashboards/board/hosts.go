package board

import (
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/units"
)

// Linux/Kylin filesystems worth watching (not in-memory or container layers).
const realFS = `fstype!~"tmpfs|ramfs|overlay|squashfs|nsfs|fuse.*"`

// Linux/Kylin host expressions (node_exporter), per instance, 0..1.
const (
	nodeCPUUsed = `1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle", instance=~"$linux"}[$__rate_interval]))`
	nodeMemUsed = `1 - node_memory_MemAvailable_bytes{instance=~"$linux"} / node_memory_MemTotal_bytes{instance=~"$linux"}`
	// Windows host expressions (windows_exporter ≥ 0.31 metric names).
	winCPUUsed = `1 - avg by (instance) (rate(windows_cpu_time_total{mode="idle", instance=~"$windows"}[$__rate_interval]))`
	winMemUsed = `1 - windows_memory_available_bytes{instance=~"$windows"} / windows_memory_physical_total_bytes{instance=~"$windows"}`
)

// Hosts is the board of the hosts: Linux / Kylin through node_exporter and Windows Server
// through windows_exporter (both upstream exporters, scraped directly).
func Hosts() (dashboard.Dashboard, error) {
	p := newPage("ggzy-hosts", "主机 · Linux / 麒麟 / Windows",
		"云主机（Linux、麒麟，node_exporter）与 Windows Server 物理机（windows_exporter）的 CPU、内存、磁盘、网络。",
		"hosts")
	p.labelVar("zone", "分区", "up", "zone")
	p.labelVar("linux", "Linux/麒麟主机", `node_uname_info{zone=~"$zone"}`, "instance")
	p.labelVar("windows", "Windows 主机", `windows_cpu_time_total{zone=~"$zone"}`, "instance")
	pct := steps(green, 0.8, amber, 0.9, red)
	p.row("Linux / 麒麟（node_exporter）")
	p.add(
		st("主机数（Linux）", "node_exporter 在线的主机数（up == 1）。", units.Short, 4, 4,
			qi(`count(up{instance=~"$linux"} == 1 and on (instance) node_uname_info)`, "在线")).Thresholds(steps(blue)),
		st("CPU 最高（Linux）", "各主机 CPU 使用率的最大值。", units.PercentUnit, 4, 4, qi(`max(`+nodeCPUUsed+`)`, "CPU")).Min(0).Max(1).Thresholds(pct),
		st("内存最高（Linux）", "1 − MemAvailable / MemTotal 的最大值。", units.PercentUnit, 4, 4, qi(`max(`+nodeMemUsed+`)`, "内存")).Min(0).Max(1).Thresholds(pct),
		st("磁盘最高", "最满文件系统的使用率。", units.PercentUnit, 4, 4,
			qi(`max(1 - node_filesystem_avail_bytes{instance=~"$linux", `+realFS+`} / node_filesystem_size_bytes{instance=~"$linux", `+realFS+`})`, "磁盘")).Min(0).Max(1).Thresholds(pct),
		st("只读文件系统", "node_filesystem_readonly == 1 的文件系统数（磁盘故障常见症状）。", units.Short, 4, 4,
			qi(`count(node_filesystem_readonly{instance=~"$linux", `+realFS+`} == 1) or vector(0)`, "只读")).Thresholds(steps(green, 1, red)),
		st("最短运行时间（Linux）", "time() − node_boot_time_seconds：刚重启的主机。", units.DurationSeconds, 4, 4,
			qi(`min(time() - node_boot_time_seconds{instance=~"$linux"})`, "运行")).Thresholds(steps(amber, 3600, green)),
		ts("CPU 使用率（Linux）", "1 − idle", units.PercentUnit, 12, 8, q(nodeCPUUsed, "{{instance}}")).Min(0).Max(1),
		ts("负载 / CPU 数", "node_load5 除以 CPU 核数；> 1 表示排队。", units.Short, 12, 8,
			q(`node_load5{instance=~"$linux"} / on (instance) count by (instance) (node_cpu_seconds_total{mode="idle", instance=~"$linux"})`, "{{instance}}")),
		ts("内存使用率（Linux）", "1 − MemAvailable / MemTotal", units.PercentUnit, 12, 8, q(nodeMemUsed, "{{instance}}")).Min(0).Max(1),
		ts("磁盘使用率", "每个文件系统。", units.PercentUnit, 12, 8,
			q(`1 - node_filesystem_avail_bytes{instance=~"$linux", `+realFS+`} / node_filesystem_size_bytes{instance=~"$linux", `+realFS+`}`, "{{instance}} {{mountpoint}}")).Min(0).Max(1),
		ts("磁盘繁忙度", "node_disk_io_time_seconds_total 的速率（1 = 100% 繁忙）。", units.PercentUnit, 12, 8,
			q(`rate(node_disk_io_time_seconds_total{instance=~"$linux"}[$__rate_interval])`, "{{instance}} {{device}}")).Min(0),
		ts("网络吞吐（Linux）", "非 lo 网卡的收发字节速率。", units.BytesPerSecondSI, 12, 8,
			q(`sum by (instance) (rate(node_network_receive_bytes_total{instance=~"$linux", device!="lo"}[$__rate_interval]))`, "{{instance}} 收"),
			q(`sum by (instance) (rate(node_network_transmit_bytes_total{instance=~"$linux", device!="lo"}[$__rate_interval]))`, "{{instance}} 发")),
	)
	p.row("Windows Server（windows_exporter）")
	p.add(
		st("主机数（Windows）", "windows_exporter 在线的主机数。", units.Short, 6, 4,
			qi(`count(count by (instance) (windows_cpu_time_total{instance=~"$windows"}))`, "在线")).Thresholds(steps(blue)),
		st("CPU 最高（Windows）", "各主机 CPU 使用率的最大值。", units.PercentUnit, 6, 4, qi(`max(`+winCPUUsed+`)`, "CPU")).Min(0).Max(1).Thresholds(pct),
		st("内存最高（Windows）", "1 − available / physical_total 的最大值。", units.PercentUnit, 6, 4, qi(`max(`+winMemUsed+`)`, "内存")).Min(0).Max(1).Thresholds(pct),
		st("最短运行时间（Windows）", "time() − windows_system_boot_time_timestamp", units.DurationSeconds, 6, 4,
			qi(`min(time() - windows_system_boot_time_timestamp{instance=~"$windows"})`, "运行")).Thresholds(steps(amber, 3600, green)),
		ts("CPU 使用率（Windows）", "1 − idle", units.PercentUnit, 12, 8, q(winCPUUsed, "{{instance}}")).Min(0).Max(1),
		ts("内存使用率（Windows）", "1 − available / physical_total", units.PercentUnit, 12, 8, q(winMemUsed, "{{instance}}")).Min(0).Max(1),
		ts("卷使用率", "windows_logical_disk（不含无盘符的 HarddiskVolume）。", units.PercentUnit, 12, 8,
			q(`1 - windows_logical_disk_free_bytes{instance=~"$windows", volume!~"HarddiskVolume.*"} / windows_logical_disk_size_bytes{instance=~"$windows", volume!~"HarddiskVolume.*"}`, "{{instance}} {{volume}}")).Min(0).Max(1),
		ts("磁盘读写", "windows_logical_disk_read/write_bytes_total", units.BytesPerSecondSI, 12, 8,
			q(`sum by (instance) (rate(windows_logical_disk_read_bytes_total{instance=~"$windows"}[$__rate_interval]))`, "{{instance}} 读"),
			q(`sum by (instance) (rate(windows_logical_disk_write_bytes_total{instance=~"$windows"}[$__rate_interval]))`, "{{instance}} 写")),
		ts("网络吞吐（Windows）", "windows_net_bytes_received/sent_total", units.BytesPerSecondSI, 24, 8,
			q(`sum by (instance) (rate(windows_net_bytes_received_total{instance=~"$windows"}[$__rate_interval]))`, "{{instance}} 收"),
			q(`sum by (instance) (rate(windows_net_bytes_sent_total{instance=~"$windows"}[$__rate_interval]))`, "{{instance}} 发")),
	)
	return p.build()
}
