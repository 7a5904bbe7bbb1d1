package collector

import "strings"

// Thread commands and states are free text in the server; these maps fold them into a
// fixed set of label values so the processlist series stay bounded.

var knownCommands = map[string]bool{
	"sleep": true, "query": true, "connect": true, "binlog_dump": true, "binlog_dump_gtid": true,
	"daemon": true, "killed": true, "execute": true, "prepare": true, "fetch": true,
	"close_stmt": true, "field_list": true, "init_db": true, "ping": true, "statistics": true,
	"processlist": true, "change_user": true, "register_slave": true, "slave_io": true,
	"slave_sql": true, "slave_worker": true, "quit": true, "reset_stmt": true, "set_option": true,
	"refresh": true, "shutdown": true, "debug": true, "time": true, "delayed_insert": true,
	"table_dump": true, "long_data": true, "error": true,
}

// commandLabel normalises a COMMAND value: lower case, spaces to underscores, unknown → other.
func commandLabel(cmd string) string {
	c := strings.ReplaceAll(strings.ToLower(strings.TrimSpace(cmd)), " ", "_")
	if knownCommands[c] {
		return c
	}
	return "other"
}

// exactStates maps lower-cased STATE values to a category.
var exactStates = map[string]string{
	"":                                "none",
	"init":                            "starting",
	"starting":                        "starting",
	"checking permissions":            "starting",
	"opening tables":                  "opening_tables",
	"opening table":                   "opening_tables",
	"after opening tables":            "opening_tables",
	"statistics":                      "optimizing",
	"optimizing":                      "optimizing",
	"preparing":                       "optimizing",
	"executing":                       "executing",
	"sending data":                    "sending_data",
	"sending to client":               "sending_data",
	"writing to net":                  "sending_data",
	"sending cached result to client": "sending_data",
	"reading from net":                "reading_from_net",
	"updating":                        "updating",
	"update":                          "updating",
	"searching rows for update":       "updating",
	"deleting from main table":        "updating",
	"deleting from reference tables":  "updating",
	"updating main table":             "updating",
	"updating reference tables":       "updating",
	"end":                             "end",
	"query end":                       "end",
	"closing tables":                  "end",
	"freeing items":                   "end",
	"cleaning up":                     "end",
	"logging slow query":              "end",
	"reset for next command":          "end",
	"commit":                          "commit",
	"commit implicit":                 "commit",
	"rolling back":                    "rollback",
	"rollback":                        "rollback",
	"creating sort index":             "sorting",
	"sorting result":                  "sorting",
	"sorting for group":               "sorting",
	"sorting for order":               "sorting",
	"sorting index":                   "sorting",
	"creating tmp table":              "tmp_table",
	"copying to tmp table":            "tmp_table",
	"copying to tmp table on disk":    "tmp_table",
	"converting heap to ondisk":       "tmp_table",
	"converting heap to aria":         "tmp_table",
	"converting heap to myisam":       "tmp_table",
	"removing tmp table":              "tmp_table",
	"filling schema table":            "filling_schema_table",
	"system lock":                     "waiting_for_lock",
	"user lock":                       "waiting_for_lock",
	"user sleep":                      "user_sleep",
	"locked":                          "waiting_for_lock",
	"killed":                          "killed",
	"flushing tables":                 "flushing_tables",
	"waiting for table flush":         "flushing_tables",
	"waiting for tables":              "flushing_tables",
	"altering table":                  "altering_table",
	"copy to tmp table":               "altering_table",
	"committing alter table to storage engine": "altering_table",
	"manage keys":                                   "altering_table",
	"rename":                                        "altering_table",
	"rename result table":                           "altering_table",
	"discard_or_import_tablespace":                  "altering_table",
	"repair by sorting":                             "repairing",
	"repair done":                                   "repairing",
	"repair with keycache":                          "repairing",
	"analyzing":                                     "repairing",
	"checking table":                                "repairing",
	"waiting on empty queue":                        "daemon",
	"waiting for next activation":                   "daemon",
	"waiting for work from sql thread":              "replication_worker",
	"waiting for an event from coordinator":         "replication_worker",
	"waiting for prior transaction to commit":       "replication_worker",
	"waiting for prior transaction to start commit": "replication_worker",
	"waiting for gtid to be committed":              "commit",
	"waiting for semi-sync ack from slave":          "commit",
	"reading event from the relay log":              "replication_sql",
	"waiting for the next event in relay log":       "replication_sql",
}

// stateLabel folds a STATE value into a fixed category; unknown states are "other".
func stateLabel(state string) string {
	s := strings.ToLower(strings.TrimSpace(state))
	if c, ok := exactStates[s]; ok {
		return c
	}
	switch {
	case strings.Contains(s, "metadata lock"):
		return "waiting_for_metadata_lock"
	case strings.Contains(s, "global read lock"), strings.Contains(s, "commit lock"), strings.Contains(s, "backup lock"):
		return "waiting_for_global_read_lock"
	case strings.Contains(s, "table level lock"), strings.Contains(s, "waiting for lock"), strings.HasSuffix(s, " lock"):
		return "waiting_for_lock"
	case strings.HasPrefix(s, "master has sent all binlog"), strings.HasPrefix(s, "source has sent all binlog"),
		strings.HasPrefix(s, "sending binlog event"), strings.HasPrefix(s, "finished reading one binlog"),
		strings.Contains(s, "waiting to finalize termination"), strings.HasPrefix(s, "waiting for binlog"):
		return "binlog_dump"
	case strings.Contains(s, "to send event"), strings.Contains(s, "connecting to master"), strings.Contains(s, "connecting to source"),
		strings.Contains(s, "queueing master event"), strings.Contains(s, "queueing source event"), strings.HasPrefix(s, "reconnecting"),
		strings.Contains(s, "registering slave"), strings.Contains(s, "registering replica"), strings.Contains(s, "requesting binlog dump"),
		strings.Contains(s, "checking master version"), strings.Contains(s, "checking source version"),
		strings.Contains(s, "relay log space"):
		return "replication_io"
	case strings.Contains(s, "has read all relay log"), strings.Contains(s, "relay log"), strings.HasPrefix(s, "waiting until master_delay"),
		strings.HasPrefix(s, "waiting until source_delay"), strings.HasPrefix(s, "waiting until sql_delay"),
		strings.Contains(s, "slave mutex"), strings.Contains(s, "replica mutex"), strings.HasPrefix(s, "making temporary file"),
		strings.HasPrefix(s, "applying batch of row changes"):
		return "replication_sql"
	case strings.HasPrefix(s, "waiting for"):
		return "waiting"
	}
	return "other"
}
