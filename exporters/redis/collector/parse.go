package collector

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Value is a number read from INFO; OK is false when the server did not report the field
// (older versions lack some), so the metric is left out instead of reported as 0.
type Value struct {
	V  float64
	OK bool
}

// Info is the part of INFO the exporter uses, by section. Unknown fields are ignored.
type Info struct {
	Server      Server
	Clients     Clients
	Memory      Memory
	Persistence Persistence
	Stats       Stats
	Replication Replication
	CPU         CPU
	// Keyspace lists the databases holding keys, ordered by index.
	Keyspace []DB
}

// Server is INFO server.
type Server struct {
	Version, Mode string
	Uptime        Value // uptime_in_seconds
}

// Clients is INFO clients.
type Clients struct {
	Connected, Blocked Value
	MaxClients         Value // maxclients: in 7.0, not in 6.0 and older
}

// Memory is INFO memory.
type Memory struct {
	Used, RSS, Peak, Max Value
	FragmentationRatio   Value
}

// Persistence is INFO persistence.
type Persistence struct {
	Loading                  Value
	RDBChangesSinceLastSave  Value
	RDBBgsaveInProgress      Value
	RDBLastSaveTime          Value // unix seconds
	RDBLastBgsaveStatus      string
	RDBLastBgsaveTimeSeconds Value // -1 before the first BGSAVE
	AOFEnabled               Value
	AOFRewriteInProgress     Value
	AOFLastWriteStatus       string
}

// Stats is INFO stats.
type Stats struct {
	ConnectionsReceived, RejectedConnections Value
	CommandsProcessed                        Value
	KeyspaceHits, KeyspaceMisses             Value
	EvictedKeys, ExpiredKeys                 Value
	NetInputBytes, NetOutputBytes            Value
}

// Replication is INFO replication. The master_* link fields are only set on replicas.
type Replication struct {
	Role                 string // "master" or "slave", as Redis reports it
	ConnectedReplicas    Value  // connected_slaves
	MasterLinkStatus     string // "up" or "down"
	MasterLastIOSeconds  Value  // -1 while the link is down
	MasterLinkDownSince  Value  // master_link_down_since_seconds
	MasterSyncInProgress Value
	Offset               Value // master_repl_offset
}

// CPU is INFO cpu.
type CPU struct {
	User, System Value // used_cpu_user, used_cpu_sys (seconds)
}

// DB is one line of INFO keyspace: db0:keys=1,expires=0,avg_ttl=0.
type DB struct {
	Index          int
	Keys, Expires  float64
	AvgTTLMillis   float64
	HasAvgTTLField bool
}

// Name is the db label value ("db0").
func (d DB) Name() string { return "db" + strconv.Itoa(d.Index) }

// numeric maps an INFO field name to the Value it fills. It is a read-only lookup table.
var numeric = map[string]func(*Info) *Value{
	"uptime_in_seconds":              func(i *Info) *Value { return &i.Server.Uptime },
	"connected_clients":              func(i *Info) *Value { return &i.Clients.Connected },
	"blocked_clients":                func(i *Info) *Value { return &i.Clients.Blocked },
	"maxclients":                     func(i *Info) *Value { return &i.Clients.MaxClients },
	"used_memory":                    func(i *Info) *Value { return &i.Memory.Used },
	"used_memory_rss":                func(i *Info) *Value { return &i.Memory.RSS },
	"used_memory_peak":               func(i *Info) *Value { return &i.Memory.Peak },
	"maxmemory":                      func(i *Info) *Value { return &i.Memory.Max },
	"mem_fragmentation_ratio":        func(i *Info) *Value { return &i.Memory.FragmentationRatio },
	"loading":                        func(i *Info) *Value { return &i.Persistence.Loading },
	"rdb_changes_since_last_save":    func(i *Info) *Value { return &i.Persistence.RDBChangesSinceLastSave },
	"rdb_bgsave_in_progress":         func(i *Info) *Value { return &i.Persistence.RDBBgsaveInProgress },
	"rdb_last_save_time":             func(i *Info) *Value { return &i.Persistence.RDBLastSaveTime },
	"rdb_last_bgsave_time_sec":       func(i *Info) *Value { return &i.Persistence.RDBLastBgsaveTimeSeconds },
	"aof_enabled":                    func(i *Info) *Value { return &i.Persistence.AOFEnabled },
	"aof_rewrite_in_progress":        func(i *Info) *Value { return &i.Persistence.AOFRewriteInProgress },
	"total_connections_received":     func(i *Info) *Value { return &i.Stats.ConnectionsReceived },
	"rejected_connections":           func(i *Info) *Value { return &i.Stats.RejectedConnections },
	"total_commands_processed":       func(i *Info) *Value { return &i.Stats.CommandsProcessed },
	"keyspace_hits":                  func(i *Info) *Value { return &i.Stats.KeyspaceHits },
	"keyspace_misses":                func(i *Info) *Value { return &i.Stats.KeyspaceMisses },
	"evicted_keys":                   func(i *Info) *Value { return &i.Stats.EvictedKeys },
	"expired_keys":                   func(i *Info) *Value { return &i.Stats.ExpiredKeys },
	"total_net_input_bytes":          func(i *Info) *Value { return &i.Stats.NetInputBytes },
	"total_net_output_bytes":         func(i *Info) *Value { return &i.Stats.NetOutputBytes },
	"connected_slaves":               func(i *Info) *Value { return &i.Replication.ConnectedReplicas },
	"master_last_io_seconds_ago":     func(i *Info) *Value { return &i.Replication.MasterLastIOSeconds },
	"master_link_down_since_seconds": func(i *Info) *Value { return &i.Replication.MasterLinkDownSince },
	"master_sync_in_progress":        func(i *Info) *Value { return &i.Replication.MasterSyncInProgress },
	"master_repl_offset":             func(i *Info) *Value { return &i.Replication.Offset },
	"used_cpu_user":                  func(i *Info) *Value { return &i.CPU.User },
	"used_cpu_sys":                   func(i *Info) *Value { return &i.CPU.System },
}

// text maps an INFO field name to the string it fills.
var text = map[string]func(*Info) *string{
	"redis_version":          func(i *Info) *string { return &i.Server.Version },
	"redis_mode":             func(i *Info) *string { return &i.Server.Mode },
	"rdb_last_bgsave_status": func(i *Info) *string { return &i.Persistence.RDBLastBgsaveStatus },
	"aof_last_write_status":  func(i *Info) *string { return &i.Persistence.AOFLastWriteStatus },
	"role":                   func(i *Info) *string { return &i.Replication.Role },
	"master_link_status":     func(i *Info) *string { return &i.Replication.MasterLinkStatus },
}

// maxTextLen bounds the string fields (they become label values).
const maxTextLen = 64

// ParseInfo parses the reply of INFO (any sections, "\r\n" or "\n" line ends). Fields it does
// not know are ignored; a known numeric field that is not a number is an error, as is a
// malformed keyspace line.
func ParseInfo(s string) (Info, error) {
	var info Info
	section := ""
	for len(s) > 0 {
		var line string
		if i := strings.IndexByte(s, '\n'); i >= 0 {
			line, s = s[:i], s[i+1:]
		} else {
			line, s = s, ""
		}
		line = strings.TrimRight(line, "\r")
		if line == "" {
			continue
		}
		if line[0] == '#' {
			section = strings.ToLower(strings.TrimSpace(line[1:]))
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		if section == "keyspace" {
			db, ok, err := parseDB(key, val)
			if err != nil {
				return info, err
			}
			if ok {
				info.Keyspace = append(info.Keyspace, db)
			}
			continue
		}
		if f, ok := numeric[key]; ok {
			v, err := strconv.ParseFloat(val, 64)
			if err != nil {
				return info, fmt.Errorf("INFO field %s: %q is not a number", key, truncate(val))
			}
			*f(&info) = Value{V: v, OK: true}
		} else if f, ok := text[key]; ok {
			*f(&info) = truncate(val)
		}
	}
	// Sorted by index; a database listed twice (never seen from Redis) keeps its last line.
	ks := info.Keyspace
	sort.SliceStable(ks, func(a, b int) bool { return ks[a].Index < ks[b].Index })
	out := ks[:0]
	for _, db := range ks {
		if n := len(out); n > 0 && out[n-1].Index == db.Index {
			out[n-1] = db
			continue
		}
		out = append(out, db)
	}
	info.Keyspace = out
	return info, nil
}

// parseDB parses "db3" and "keys=10,expires=2,avg_ttl=3000[,subexpiry=0]". ok is false for
// keys that are not dbN.
func parseDB(key, val string) (db DB, ok bool, err error) {
	num, isDB := strings.CutPrefix(key, "db")
	if !isDB {
		return db, false, nil
	}
	idx, err := strconv.Atoi(num)
	if err != nil || idx < 0 || num != strconv.Itoa(idx) {
		return db, false, fmt.Errorf("INFO keyspace: %q is not a database name", truncate(key))
	}
	db.Index = idx
	var haveKeys bool
	for _, kv := range strings.Split(val, ",") {
		k, v, _ := strings.Cut(kv, "=")
		var dst *float64
		switch k {
		case "keys":
			dst, haveKeys = &db.Keys, true
		case "expires":
			dst = &db.Expires
		case "avg_ttl":
			dst, db.HasAvgTTLField = &db.AvgTTLMillis, true
		default:
			continue
		}
		n, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return db, false, fmt.Errorf("INFO keyspace %s: %s=%q is not a number", db.Name(), k, truncate(v))
		}
		*dst = n
	}
	if !haveKeys {
		return db, false, fmt.Errorf("INFO keyspace %s: no keys= field", db.Name())
	}
	return db, true, nil
}

// truncate makes s valid UTF-8 of at most maxTextLen bytes (it may become a label value).
func truncate(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) <= maxTextLen {
		return s
	}
	n := maxTextLen
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
