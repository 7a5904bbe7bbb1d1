package collector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseInfo: no input panics the parser, and whatever it accepts gathers into valid,
// unique metrics (label values included) with at most MaxDBs database series.
func FuzzParseInfo(f *testing.F) {
	fixtures, _ := filepath.Glob("../testdata/info/*.txt")
	for _, fx := range fixtures {
		b, err := os.ReadFile(fx)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("# Keyspace\r\ndb0:keys=1,expires=0,avg_ttl=0\r\ndb0:keys=2\r\n")
	f.Add("role:slave\nmaster_link_status:up\nmaster_last_io_seconds_ago:3\n")
	f.Fuzz(func(t *testing.T, s string) {
		info, err := ParseInfo(s)
		g := scrapeRecording(t, recording{info: s}, 4)
		mfs, gerr := g.Gather()
		if gerr != nil {
			t.Fatalf("gather: %v", gerr)
		}
		dbSeries := 0
		for _, mf := range mfs {
			if strings.HasPrefix(mf.GetName(), "redis_db_") {
				dbSeries = max(dbSeries, len(mf.Metric))
			}
			if mf.GetName() == "redis_scrape_collector_success" {
				for _, m := range mf.Metric {
					ok := m.GetGauge().GetValue() == 1
					if c := m.Label[0].GetValue(); (c == "info" || c == "keyspace") && ok != (err == nil) {
						t.Fatalf("collector %s success %v but ParseInfo error %v", c, ok, err)
					}
				}
			}
		}
		if dbSeries > 4 || err == nil && dbSeries > max(len(info.Keyspace), 1) {
			t.Fatalf("%d series per redis_db_ family for MaxDBs 4 and %d databases", dbSeries, len(info.Keyspace))
		}
	})
}
