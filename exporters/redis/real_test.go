package main

import (
	"sort"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

var allCollectors = []string{"info", "keyspace", "ping", "slowlog"}

// TestRealMasterReplica scrapes a real master with one real replica, makes the values move,
// then stops the master.
func TestRealMasterReplica(t *testing.T) {
	const pw = "mR-7f2c9d1e-secret"
	master := startRedis(t, pw)
	replica := startReplica(t, master)
	dir := promtest.TempDir(t, "cfg")
	pwFile := promtest.WriteFile(t, dir, "redis.pw", pw+"\n")
	cfg := writeConfig(t, dir,
		target("master", master.Addr, "password_file: "+pwFile, "service: trading"),
		target("replica", replica.Addr, "password_file: redis.pw"),
	)
	inst, logs := setup(t, "--config.file", cfg)

	m := probe(t, inst, "master")
	collectorsOK(t, m, allCollectors...)
	if v := promtest.Value(t, m, "redis_up"); v != 1 {
		t.Fatalf("redis_up %v; logs:\n%s", v, logs)
	}
	promtest.Value(t, m, "redis_instance_info", "role", "master", "mode", "standalone")
	if v := promtest.Value(t, m, "redis_replication_connected_replicas"); v != 1 {
		t.Errorf("master sees %v replicas", v)
	}
	if _, ok := promtest.Lookup(m, "redis_replication_master_link_up"); ok {
		t.Error("master reports a master link")
	}
	if v := promtest.Value(t, m, "redis_keyspace_databases"); v != 0 {
		t.Errorf("empty server: %v databases", v)
	}
	if v := promtest.Value(t, m, "redis_ping_duration_seconds"); v <= 0 || v > 1 {
		t.Errorf("ping %v s", v)
	}
	commands0 := promtest.Value(t, m, "redis_commands_processed_total")
	if v := promtest.Value(t, m, "redis_db_keys", "db", "db0"); v != 0 {
		t.Errorf("empty server: db0 has %v keys", v)
	}
	sameFamilies(t, m, "testdata/info/7.0-master.prom")

	// Make the values move: keys in two databases, hits, misses, a memory limit, a slow log.
	master.load(t, 60, 25, 10)
	c := master.client(t)
	ctx := ctxT(t)
	for _, kv := range [][2]string{{"maxmemory", "104857600"}, {"slowlog-log-slower-than", "0"}} {
		if err := c.ConfigSet(ctx, kv[0], kv[1]).Err(); err != nil {
			t.Fatal(err)
		}
	}
	c.Get(ctx, "k1")
	m = probe(t, inst, "master")
	collectorsOK(t, m, allCollectors...)
	for _, w := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"redis_db_keys", []string{"db", "db0"}, 60},
		{"redis_db_keys_expiring", []string{"db", "db0"}, 20},
		{"redis_db_keys", []string{"db", "db2"}, 5},
		{"redis_keyspace_databases", nil, 2},
		{"redis_keyspace_hits_total", nil, 26},
		{"redis_keyspace_misses_total", nil, 10},
		{"redis_memory_max_bytes", nil, 104857600},
	} {
		if v := promtest.Value(t, m, w.name, w.labels...); v != w.want {
			t.Errorf("%s%v = %v, want %v", w.name, w.labels, v, w.want)
		}
	}
	promtest.Eventually(t, 5*time.Second, "db0 average TTL of about an hour", func() bool {
		v, _ := promtest.Lookup(probe(t, inst, "master"), "redis_db_avg_ttl_seconds", "db", "db0")
		return v > 3000 && v <= 3600
	})
	if v := promtest.Value(t, m, "redis_slowlog_length"); v < 1 {
		t.Errorf("slowlog length %v after slowlog-log-slower-than 0", v)
	}
	if v := promtest.Value(t, m, "redis_commands_processed_total"); v < commands0+60+35 {
		t.Errorf("commands processed %v -> %v", commands0, v)
	}
	for _, name := range []string{"redis_memory_used_bytes", "redis_memory_rss_bytes", "redis_memory_peak_bytes", "redis_net_input_bytes_total", "redis_max_clients"} {
		if v := promtest.Value(t, m, name); v <= 0 {
			t.Errorf("%s = %v", name, v)
		}
	}
	sameFamilies(t, m, "testdata/info/7.0-master.prom")

	r := probe(t, inst, "replica")
	collectorsOK(t, r, allCollectors...)
	promtest.Value(t, r, "redis_instance_info", "role", "slave")
	if v := promtest.Value(t, r, "redis_replication_master_link_up"); v != 1 {
		t.Errorf("replica link %v", v)
	}
	if v := promtest.Value(t, r, "redis_replication_master_last_io_seconds"); v < 0 || v > 10 {
		t.Errorf("replica last io %v s", v)
	}
	sameFamilies(t, r, "testdata/info/7.0-replica.prom")
	promtest.Eventually(t, 10*time.Second, "replica has the keys and the master's offset", func() bool {
		r, m := probe(t, inst, "replica"), probe(t, inst, "master")
		k, _ := promtest.Lookup(r, "redis_db_keys", "db", "db0")
		return k == 60 && promtest.Value(t, r, "redis_replication_offset_bytes") == promtest.Value(t, m, "redis_replication_offset_bytes")
	})

	// The master goes away: HTTP 200 with redis_up 0, and the replica sees its link down.
	master.proc.Stop()
	start := time.Now()
	m = probe(t, inst, "master")
	if v := promtest.Value(t, m, "redis_up"); v != 0 {
		t.Errorf("stopped master: redis_up %v", v)
	}
	for _, n := range allCollectors {
		if v := promtest.Value(t, m, "redis_scrape_collector_success", "collector", n); v != 0 {
			t.Errorf("stopped master: collector %s success %v", n, v)
		}
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("scrape of a stopped server took %s", d)
	}
	promtest.Eventually(t, 15*time.Second, "replica link down", func() bool {
		v, ok := promtest.Lookup(probe(t, inst, "replica"), "redis_replication_master_link_up")
		return ok && v == 0
	})
	r = probe(t, inst, "replica")
	if v := promtest.Value(t, r, "redis_replication_master_link_down_seconds"); v < 0 {
		t.Errorf("link down for %v s", v)
	}
	if _, ok := promtest.Lookup(r, "redis_replication_master_last_io_seconds"); ok {
		t.Error("last io reported while the link is down")
	}
	if strings.Contains(logs.String(), pw) {
		t.Error("the password is in the logs")
	}
}

// historyDependent are families a server has only after some event: the master's
// rdb_last_bgsave_time_sec stays -1 until its first (replication) save is done.
var historyDependent = map[string]bool{"redis_rdb_last_bgsave_duration_seconds": true}

// sameFamilies checks that a real scrape has exactly the families of a golden made from a
// fixture captured from a real server (history-dependent ones may be missing).
func sameFamilies(t *testing.T, got map[string]*dto.MetricFamily, golden string) {
	t.Helper()
	want := promtest.ParseFile(t, golden)
	var missing, extra []string
	for n := range want {
		if _, ok := got[n]; !ok && !historyDependent[n] {
			missing = append(missing, n)
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			extra = append(extra, n)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("families differ from %s: missing %v, extra %v", golden, missing, extra)
	}
}
