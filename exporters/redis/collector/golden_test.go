package collector

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// recording answers INFO with a fixture (whatever the section: ParseInfo takes what it needs)
// and SLOWLOG LEN with a fixed length.
type recording struct {
	info    string
	slowlog int64
}

func (r recording) Info(context.Context, string) (string, error) { return r.info, nil }

func (r recording) SlowlogLen(context.Context) (int64, error) { return r.slowlog, nil }

// onlyDurations zeroes the runner's timings; the fixture values are kept.
var onlyDurations = regexp.MustCompile(`_scrape_collector_duration_seconds$`)

// scrapeRecording runs every collector on a recording through the framework's runner.
func scrapeRecording(t *testing.T, rec recording, maxDBs int) prometheus.Gatherer {
	t.Helper()
	s := icollector.Scrape{
		Namespace: Namespace,
		Check:     func(context.Context) error { return nil },
		Collectors: map[string]icollector.Collector{
			"info":     InfoCollector{Src: rec},
			"keyspace": KeyspaceCollector{Src: rec, MaxDBs: maxDBs},
			"slowlog":  SlowlogCollector{Src: rec},
			"ping":     PingCollector{RTT: func() (time.Duration, bool) { return 250 * time.Microsecond, true }},
		},
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(icollector.NewRunner(context.Background(), s))
	return reg
}

// TestGolden turns each INFO fixture (7.0-*: captured from real servers by
// TestCaptureInfoFixtures; 5.0-*, 6.0-*: hand-written in those versions' layout) into the
// exposition next to it.
func TestGolden(t *testing.T) {
	fixtures, err := filepath.Glob("../testdata/info/*.txt")
	if err != nil || len(fixtures) < 4 {
		t.Fatalf("fixtures: %v %v", fixtures, err)
	}
	for _, fx := range fixtures {
		t.Run(filepath.Base(fx), func(t *testing.T) {
			raw, err := os.ReadFile(fx)
			if err != nil {
				t.Fatal(err)
			}
			g := scrapeRecording(t, recording{info: string(raw), slowlog: 7}, DefaultMaxDBs)
			promtest.Lint(t, g)
			got := promtest.Render(t, g, onlyDurations)
			if !strings.Contains(string(got), "redis_scrape_collector_success{collector=\"info\"} 1") {
				t.Errorf("info collector failed on %s", fx)
			}
			promtest.Golden(t, strings.TrimSuffix(fx, ".txt")+".prom", got)
		})
	}
}

// TestKeyspaceCap checks that --redis.max-dbs bounds the db series and keeps the lowest.
// An empty server still has db0.
func TestKeyspaceCap(t *testing.T) {
	raw, err := os.ReadFile("../testdata/info/5.0-master.txt") // 20 databases
	if err != nil {
		t.Fatal(err)
	}
	for _, max := range []int{0, 3, 16, 100} {
		g := scrapeRecording(t, recording{info: string(raw)}, max)
		out := string(promtest.Render(t, g, onlyDurations))
		want := min(max, 20)
		if n := strings.Count(out, "redis_db_keys{"); n != want {
			t.Errorf("max %d: %d redis_db_keys series, want %d", max, n, want)
		}
		if !strings.Contains(out, "redis_keyspace_databases 20\n") {
			t.Errorf("max %d: redis_keyspace_databases is not 20", max)
		}
		if want > 0 && !strings.Contains(out, `redis_db_keys{db="db0"} 10`) {
			t.Errorf("max %d: db0 missing", max)
		}
	}
	for _, tc := range []struct{ keyspace, want string }{
		{"# Keyspace\r\n", `redis_db_keys{db="db0"} 0`},
		{"# Keyspace\r\ndb3:keys=4,expires=0,avg_ttl=0\r\n", `redis_db_keys{db="db0"} 0` + "\n" + `redis_db_keys{db="db3"} 4`},
	} {
		out := string(promtest.Render(t, scrapeRecording(t, recording{info: tc.keyspace}, 16), onlyDurations))
		if !strings.Contains(out, tc.want) {
			t.Errorf("%q: want %s in\n%s", tc.keyspace, tc.want, out)
		}
	}
}

// TestCollectorErrors: a failing source fails only its collector.
func TestCollectorErrors(t *testing.T) {
	s := icollector.Scrape{
		Namespace: Namespace,
		Check:     func(context.Context) error { return nil },
		Collectors: map[string]icollector.Collector{
			"info":     InfoCollector{Src: recording{info: "# Memory\r\nused_memory:lots\r\n"}},
			"keyspace": KeyspaceCollector{Src: recording{info: "# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\n"}, MaxDBs: 16},
			"ping":     PingCollector{RTT: func() (time.Duration, bool) { return 0, false }},
		},
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(icollector.NewRunner(context.Background(), s))
	out := string(promtest.Render(t, reg, onlyDurations))
	for _, want := range []string{
		`redis_scrape_collector_success{collector="info"} 0`,
		`redis_scrape_collector_success{collector="ping"} 0`,
		`redis_scrape_collector_success{collector="keyspace"} 1`,
		`redis_db_keys{db="db0"} 1`,
		"redis_up 1",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "redis_memory_used_bytes") {
		t.Errorf("a failed INFO parse still emitted metrics:\n%s", out)
	}
}
