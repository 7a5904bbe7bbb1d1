package collector

import (
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseInfo(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		check    func(t *testing.T, i Info)
		err      string
	}{
		{
			name: "crlf and lf, unknown fields ignored",
			in:   "# Server\r\nredis_version:7.2.4\r\nredis_mode:standalone\r\nsome_new_field:x\r\nuptime_in_seconds:12\n\n# Clients\nconnected_clients:3\n",
			check: func(t *testing.T, i Info) {
				if i.Server.Version != "7.2.4" || i.Server.Mode != "standalone" {
					t.Errorf("server: %+v", i.Server)
				}
				if i.Server.Uptime != (Value{12, true}) || i.Clients.Connected != (Value{3, true}) {
					t.Errorf("values: %+v %+v", i.Server.Uptime, i.Clients.Connected)
				}
				if i.Clients.MaxClients.OK || i.Memory.Used.OK {
					t.Errorf("absent fields reported: %+v %+v", i.Clients.MaxClients, i.Memory.Used)
				}
			},
		},
		{
			name: "values that are not integers",
			in:   "# Memory\r\nmem_fragmentation_ratio:1.25\r\n# CPU\r\nused_cpu_sys:48211.420000\r\nused_cpu_user:nan\r\n",
			check: func(t *testing.T, i Info) {
				if i.Memory.FragmentationRatio.V != 1.25 || i.CPU.System.V != 48211.42 || !math.IsNaN(i.CPU.User.V) {
					t.Errorf("got %+v %+v", i.Memory, i.CPU)
				}
			},
		},
		{
			name: "keyspace sorted by index, old lines without avg_ttl, new fields ignored",
			in:   "# Keyspace\r\ndb10:keys=5,expires=1,avg_ttl=2000\r\ndb2:keys=7,expires=0\r\ndb0:keys=1,expires=0,avg_ttl=0,subexpiry=0\r\n",
			check: func(t *testing.T, i Info) {
				want := []DB{
					{Index: 0, Keys: 1, HasAvgTTLField: true},
					{Index: 2, Keys: 7},
					{Index: 10, Keys: 5, Expires: 1, AvgTTLMillis: 2000, HasAvgTTLField: true},
				}
				if !reflect.DeepEqual(i.Keyspace, want) {
					t.Errorf("keyspace %+v, want %+v", i.Keyspace, want)
				}
			},
		},
		{
			name: "db-like keys outside the keyspace section are not databases",
			in:   "# Stats\r\ndb0:keys=1\r\n# Keyspace\r\n",
			check: func(t *testing.T, i Info) {
				if len(i.Keyspace) != 0 {
					t.Errorf("keyspace %+v", i.Keyspace)
				}
			},
		},
		{
			name: "replica fields",
			in:   "# Replication\nrole:slave\nmaster_link_status:down\nmaster_last_io_seconds_ago:-1\nmaster_link_down_since_seconds:42\nmaster_repl_offset:99\n",
			check: func(t *testing.T, i Info) {
				r := i.Replication
				if r.Role != "slave" || r.MasterLinkStatus != "down" || r.MasterLastIOSeconds.V != -1 || r.MasterLinkDownSince.V != 42 || r.Offset.V != 99 {
					t.Errorf("replication %+v", r)
				}
			},
		},
		{
			name: "label text is bounded and valid UTF-8",
			in:   "redis_version:" + strings.Repeat("é", 40) + "\xff\nrole:m\xc3\n",
			check: func(t *testing.T, i Info) {
				for _, s := range []string{i.Server.Version, i.Replication.Role} {
					if len(s) > maxTextLen || !utf8.ValidString(s) {
						t.Errorf("%q: %d bytes, valid %v", s, len(s), utf8.ValidString(s))
					}
				}
			},
		},
		{name: "empty reply", in: "", check: func(t *testing.T, i Info) {
			if !reflect.DeepEqual(i, Info{}) {
				t.Errorf("got %+v", i)
			}
		}},
		{name: "known field not a number", in: "used_memory:12M\r\n", err: "INFO field used_memory: \"12M\" is not a number"},
		{name: "bad database name", in: "# Keyspace\r\ndbX:keys=1\r\n", err: `"dbX" is not a database name`},
		{name: "bad database count", in: "# Keyspace\r\ndb1:keys=many\r\n", err: `db1: keys="many" is not a number`},
		{name: "database without keys", in: "# Keyspace\r\ndb1:expires=1\r\n", err: "db1: no keys= field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseInfo(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, got)
		})
	}
}

// TestParseInfoFixture checks the parse of a fixture captured from a real Redis 7.0 master.
func TestParseInfoFixture(t *testing.T) {
	raw, err := os.ReadFile("../testdata/info/7.0-master.txt")
	if err != nil {
		t.Fatal(err)
	}
	i, err := ParseInfo(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if i.Server.Version != "7.0.15" || i.Server.Mode != "standalone" || i.Replication.Role != "master" {
		t.Errorf("server %+v role %q", i.Server, i.Replication.Role)
	}
	if i.Replication.ConnectedReplicas.V != 1 || !i.Clients.MaxClients.OK || !i.Memory.Used.OK || i.Memory.Used.V <= 0 {
		t.Errorf("replicas %+v maxclients %+v used %+v", i.Replication.ConnectedReplicas, i.Clients.MaxClients, i.Memory.Used)
	}
	if len(i.Keyspace) != 2 || i.Keyspace[0].Keys != 120 || i.Keyspace[0].Expires != 40 || i.Keyspace[1].Name() != "db2" {
		t.Errorf("keyspace %+v", i.Keyspace)
	}
	if i.Stats.KeyspaceHits.V != 80 || i.Stats.KeyspaceMisses.V != 30 {
		t.Errorf("hits %v misses %v", i.Stats.KeyspaceHits, i.Stats.KeyspaceMisses)
	}
}

func BenchmarkParseInfo(b *testing.B) {
	raw, err := os.ReadFile("../testdata/info/7.0-master.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(raw)
	b.ReportAllocs()
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, err := ParseInfo(s); err != nil {
			b.Fatal(err)
		}
	}
}
