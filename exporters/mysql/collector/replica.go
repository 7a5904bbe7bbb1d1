package collector

import (
	"context"
	"database/sql"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// Replica reads the replica status with the syntax of the server (SHOW ALL SLAVES STATUS on
// MariaDB, SHOW REPLICA STATUS on MySQL 8.0.22+, SHOW SLAVE STATUS before) and maps the
// old and new column names to one set of metrics, one series per replication channel.
type Replica struct{ C *Conn }

var (
	replicaConfiguredDesc = newDesc("replica_configured", "Whether the server has a replication source configured (1) or not (0): a replica that lost its configuration shows 0.")
	replicaIODesc         = newDesc("replica_io_running", "Whether the replication I/O (receiver) thread is running and connected to the source (1) or not (0).", "channel")
	replicaSQLDesc        = newDesc("replica_sql_running", "Whether the replication SQL (applier) thread is running (1) or not (0).", "channel")
	replicaLagDesc        = newDesc("replica_lag_seconds", "Seconds_Behind_Master / Seconds_Behind_Source; absent while the server reports NULL (a thread stopped).", "channel")
	replicaIOErrnoDesc    = newDesc("replica_last_io_errno", "Error number of the last I/O thread error (0: none).", "channel")
	replicaSQLErrnoDesc   = newDesc("replica_last_sql_errno", "Error number of the last SQL thread error (0: none).", "channel")
	replicaDelayDesc      = newDesc("replica_sql_delay_seconds", "Configured delay of the replica behind the source (MASTER_DELAY / SOURCE_DELAY).", "channel")
	replicaRelaySpaceDesc = newDesc("replica_relay_log_space_bytes", "Total size of the relay log files.", "channel")
	replicaUnappliedDesc  = newDesc("replica_unapplied_bytes", "Source binlog bytes received but not yet applied (read minus executed position, when both are in the same binlog file).", "channel")
	replicaPendingDesc    = newDesc("replica_unapplied_transactions", "GTID transactions received but not yet applied (MySQL: Retrieved_Gtid_Set minus Executed_Gtid_Set; MariaDB: Gtid_IO_Pos minus Gtid_Slave_Pos); only with GTID replication.", "channel")
	replicaSourceDesc     = newDesc("replica_source_info", "The replication source of each channel; value 1.", "channel", "source_host", "source_port")
)

// replicaQuery picks the statement for the server.
func replicaQuery(info ServerInfo) string {
	switch {
	case info.MariaDB():
		return "SHOW ALL SLAVES STATUS"
	case info.AtLeast(8, 0, 22):
		return "SHOW REPLICA STATUS"
	default:
		return "SHOW SLAVE STATUS"
	}
}

// field reads the first present column of names (old and new spellings).
func field(rec map[string]sql.NullString, names ...string) (sql.NullString, bool) {
	for _, n := range names {
		if v, ok := rec[n]; ok {
			return v, true
		}
	}
	return sql.NullString{}, false
}

// Update implements collector.Collector.
func (r Replica) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	recs, err := r.C.records(ctx, replicaQuery(r.C.Info))
	if err != nil {
		return err
	}
	configured := 0.0
	if len(recs) > 0 {
		configured = 1
	}
	ch <- prometheus.MustNewConstMetric(replicaConfiguredDesc, prometheus.GaugeValue, configured)
	for _, rec := range recs {
		r.channel(ch, rec)
	}
	return nil
}

func (r Replica) channel(ch chan<- prometheus.Metric, rec map[string]sql.NullString) {
	chName, _ := field(rec, "connection_name", "channel_name")
	channel := chName.String
	gauge := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, channel)
	}
	num := func(d *prometheus.Desc, names ...string) {
		if v, ok := field(rec, names...); ok && v.Valid {
			if f, ok := parseNumber(v.String); ok {
				gauge(d, f)
			}
		}
	}
	io, _ := field(rec, "slave_io_running", "replica_io_running")
	gauge(replicaIODesc, yes(io.String))
	sqlRunning, _ := field(rec, "slave_sql_running", "replica_sql_running")
	gauge(replicaSQLDesc, yes(sqlRunning.String))
	num(replicaLagDesc, "seconds_behind_master", "seconds_behind_source")
	num(replicaIOErrnoDesc, "last_io_errno")
	num(replicaSQLErrnoDesc, "last_sql_errno")
	num(replicaDelayDesc, "sql_delay")
	num(replicaRelaySpaceDesc, "relay_log_space")

	readFile, _ := field(rec, "master_log_file", "source_log_file")
	execFile, _ := field(rec, "relay_master_log_file", "relay_source_log_file")
	readPos, _ := field(rec, "read_master_log_pos", "read_source_log_pos")
	execPos, _ := field(rec, "exec_master_log_pos", "exec_source_log_pos")
	if readFile.String != "" && readFile.String == execFile.String {
		rp, ok1 := parseNumber(readPos.String)
		ep, ok2 := parseNumber(execPos.String)
		if ok1 && ok2 {
			gauge(replicaUnappliedDesc, max(rp-ep, 0))
		}
	}
	if n, ok := r.pendingGTIDs(rec); ok {
		gauge(replicaPendingDesc, float64(n))
	}
	host, _ := field(rec, "master_host", "source_host")
	port, _ := field(rec, "master_port", "source_port")
	ch <- prometheus.MustNewConstMetric(replicaSourceDesc, prometheus.GaugeValue, 1, channel, host.String, port.String)
}

func (r Replica) pendingGTIDs(rec map[string]sql.NullString) (uint64, bool) {
	if using, ok := rec["using_gtid"]; ok { // MariaDB
		if strings.EqualFold(using.String, "no") || using.String == "" {
			return 0, false
		}
		io, err1 := parseMariaDBGTIDPos(rec["gtid_io_pos"].String)
		applied, err2 := parseMariaDBGTIDPos(rec["gtid_slave_pos"].String)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return mariaDBPending(io, applied), true
	}
	// MySQL: an empty Retrieved_Gtid_Set means GTIDs are off (or nothing was received yet).
	retrieved, ok := rec["retrieved_gtid_set"]
	if !ok || strings.TrimSpace(retrieved.String) == "" {
		return 0, false
	}
	got, err1 := parseMySQLGTIDSet(retrieved.String)
	done, err2 := parseMySQLGTIDSet(rec["executed_gtid_set"].String)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return got.missing(done), true
}

func yes(s string) float64 {
	if strings.EqualFold(strings.TrimSpace(s), "yes") {
		return 1
	}
	return 0
}
