// Package collector reads one Redis server: INFO (server, clients, memory, persistence,
// stats, replication, cpu), INFO keyspace, SLOWLOG LEN and the round trip of a PING.
package collector

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// Namespace of every metric of this exporter.
const Namespace = "redis"

// InfoSource answers INFO; *Conn is one, a recording is another (tests).
type InfoSource interface {
	Info(ctx context.Context, section string) (string, error)
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(Namespace+"_"+name, help, labels, nil)
}

// field is an INFO value exported one to one.
type field struct {
	desc *prometheus.Desc
	typ  prometheus.ValueType
	get  func(*Info) Value
}

var (
	instanceInfoDesc    = desc("instance_info", "Redis server version, role (master or slave, as INFO reports it) and mode (standalone, cluster, sentinel); value 1.", "role", "version", "mode")
	bgsaveSuccessDesc   = desc("rdb_last_bgsave_success", "Whether the last RDB save (BGSAVE) succeeded (1) or failed (0).")
	aofWriteSuccessDesc = desc("aof_last_write_success", "Whether the last AOF write succeeded (1) or failed (0).")
	masterLinkUpDesc    = desc("replication_master_link_up", "Whether the replica's link to its master is up (1) or down (0); replicas only.")
	masterLastIODesc    = desc("replication_master_last_io_seconds", "Seconds since the replica last heard from its master; replicas only, absent while the link is down.")
	masterLinkDownDesc  = desc("replication_master_link_down_seconds", "Seconds the replica's link to its master has been down; replicas only, absent while it is up.")
	masterSyncDesc      = desc("replication_master_sync_in_progress", "Whether the replica is syncing from its master (1) or not (0); replicas only.")
	bgsaveDurationDesc  = desc("rdb_last_bgsave_duration_seconds", "Duration of the last RDB save; absent before the first one.")
	infoFields          = []field{
		{desc("uptime_seconds", "Seconds since the Redis server started."), prometheus.GaugeValue, func(i *Info) Value { return i.Server.Uptime }},
		{desc("connected_clients", "Client connections, not counting replicas."), prometheus.GaugeValue, func(i *Info) Value { return i.Clients.Connected }},
		{desc("blocked_clients", "Clients waiting on a blocking call (BLPOP, WAIT, ...)."), prometheus.GaugeValue, func(i *Info) Value { return i.Clients.Blocked }},
		{desc("max_clients", "Maximum number of client connections (maxclients in INFO clients; absent on servers that do not report it, such as 6.0)."), prometheus.GaugeValue, func(i *Info) Value { return i.Clients.MaxClients }},
		{desc("connections_received_total", "Connections accepted by the server."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.ConnectionsReceived }},
		{desc("rejected_connections_total", "Connections rejected because of the maxclients limit."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.RejectedConnections }},
		{desc("memory_used_bytes", "Bytes allocated by Redis (used_memory)."), prometheus.GaugeValue, func(i *Info) Value { return i.Memory.Used }},
		{desc("memory_rss_bytes", "Resident set size of the Redis process as the OS sees it."), prometheus.GaugeValue, func(i *Info) Value { return i.Memory.RSS }},
		{desc("memory_peak_bytes", "Peak of used_memory since the server started."), prometheus.GaugeValue, func(i *Info) Value { return i.Memory.Peak }},
		{desc("memory_max_bytes", "Configured maxmemory; 0 means no limit."), prometheus.GaugeValue, func(i *Info) Value { return i.Memory.Max }},
		{desc("memory_fragmentation_ratio", "RSS divided by used_memory (mem_fragmentation_ratio)."), prometheus.GaugeValue, func(i *Info) Value { return i.Memory.FragmentationRatio }},
		{desc("loading", "Whether the server is loading its dataset from disk (1) or not (0)."), prometheus.GaugeValue, func(i *Info) Value { return i.Persistence.Loading }},
		{desc("rdb_changes_since_last_save", "Writes since the last RDB save."), prometheus.GaugeValue, func(i *Info) Value { return i.Persistence.RDBChangesSinceLastSave }},
		{desc("rdb_bgsave_in_progress", "Whether an RDB save is running (1) or not (0)."), prometheus.GaugeValue, func(i *Info) Value { return i.Persistence.RDBBgsaveInProgress }},
		{desc("rdb_last_save_timestamp_seconds", "Unix time of the last successful RDB save (the start time when there was none)."), prometheus.GaugeValue, func(i *Info) Value { return i.Persistence.RDBLastSaveTime }},
		{desc("aof_enabled", "Whether AOF persistence is on (1) or off (0)."), prometheus.GaugeValue, func(i *Info) Value { return i.Persistence.AOFEnabled }},
		{desc("aof_rewrite_in_progress", "Whether an AOF rewrite is running (1) or not (0)."), prometheus.GaugeValue, func(i *Info) Value { return i.Persistence.AOFRewriteInProgress }},
		{desc("commands_processed_total", "Commands processed by the server."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.CommandsProcessed }},
		{desc("keyspace_hits_total", "Successful key lookups."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.KeyspaceHits }},
		{desc("keyspace_misses_total", "Failed key lookups."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.KeyspaceMisses }},
		{desc("evicted_keys_total", "Keys evicted because of the maxmemory limit."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.EvictedKeys }},
		{desc("expired_keys_total", "Keys deleted because their TTL expired."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.ExpiredKeys }},
		{desc("net_input_bytes_total", "Bytes read from the network."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.NetInputBytes }},
		{desc("net_output_bytes_total", "Bytes written to the network."), prometheus.CounterValue, func(i *Info) Value { return i.Stats.NetOutputBytes }},
		{desc("replication_connected_replicas", "Replicas connected to this server."), prometheus.GaugeValue, func(i *Info) Value { return i.Replication.ConnectedReplicas }},
		{desc("replication_offset_bytes", "Replication offset of this server (master_repl_offset); master minus replica is the replica's lag in bytes."), prometheus.GaugeValue, func(i *Info) Value { return i.Replication.Offset }},
		{desc("cpu_user_seconds_total", "User CPU time of the Redis server."), prometheus.CounterValue, func(i *Info) Value { return i.CPU.User }},
		{desc("cpu_system_seconds_total", "System CPU time of the Redis server."), prometheus.CounterValue, func(i *Info) Value { return i.CPU.System }},
	}
)

// InfoCollector exports INFO's default sections (the keyspace is KeyspaceCollector's).
type InfoCollector struct {
	Src InfoSource
}

// Update implements collector.Collector.
func (c InfoCollector) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	raw, err := c.Src.Info(ctx, "")
	if err != nil {
		return err
	}
	info, err := ParseInfo(raw)
	if err != nil {
		return err
	}
	emitInfo(ch, &info)
	return nil
}

func emitInfo(ch chan<- prometheus.Metric, i *Info) {
	for _, f := range infoFields {
		if v := f.get(i); v.OK {
			ch <- prometheus.MustNewConstMetric(f.desc, f.typ, v.V)
		}
	}
	if i.Server.Version != "" || i.Replication.Role != "" {
		ch <- prometheus.MustNewConstMetric(instanceInfoDesc, prometheus.GaugeValue, 1,
			i.Replication.Role, i.Server.Version, i.Server.Mode)
	}
	p := i.Persistence
	if p.RDBLastBgsaveStatus != "" {
		ch <- prometheus.MustNewConstMetric(bgsaveSuccessDesc, prometheus.GaugeValue, boolVal(p.RDBLastBgsaveStatus == "ok"))
	}
	if p.AOFLastWriteStatus != "" {
		ch <- prometheus.MustNewConstMetric(aofWriteSuccessDesc, prometheus.GaugeValue, boolVal(p.AOFLastWriteStatus == "ok"))
	}
	if v := p.RDBLastBgsaveTimeSeconds; v.OK && v.V >= 0 {
		ch <- prometheus.MustNewConstMetric(bgsaveDurationDesc, prometheus.GaugeValue, v.V)
	}
	r := i.Replication
	if r.Role != "slave" {
		return
	}
	if r.MasterLinkStatus != "" {
		ch <- prometheus.MustNewConstMetric(masterLinkUpDesc, prometheus.GaugeValue, boolVal(r.MasterLinkStatus == "up"))
	}
	if v := r.MasterLastIOSeconds; v.OK && v.V >= 0 && r.MasterLinkStatus == "up" {
		ch <- prometheus.MustNewConstMetric(masterLastIODesc, prometheus.GaugeValue, v.V)
	}
	if v := r.MasterLinkDownSince; v.OK && v.V >= 0 {
		ch <- prometheus.MustNewConstMetric(masterLinkDownDesc, prometheus.GaugeValue, v.V)
	}
	if v := r.MasterSyncInProgress; v.OK {
		ch <- prometheus.MustNewConstMetric(masterSyncDesc, prometheus.GaugeValue, v.V)
	}
}

func boolVal(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
