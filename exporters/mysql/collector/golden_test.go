package collector

import (
	"context"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// fixtureSets are the recorded servers. mariadb-* were recorded from real MariaDB servers
// started by the package main tests (RECORD_FIXTURES=1); mysql-* are hand-written from the
// MySQL reference manual (no MySQL server is available here), see the README.
var fixtureSets = []string{"mariadb-10.11-primary", "mariadb-10.11-replica", "mysql-5.7-replica", "mysql-8.0-replica", "mysql-8.4-replica"}

// onlyDurations zeroes only the collectors' own timings: fixture values are stable.
var onlyDurations = regexp.MustCompile(`_scrape_collector_duration_seconds$`)

// all returns every collector bound to c, with fixed options.
func all(c *Conn) map[string]icollector.Collector {
	return map[string]icollector.Collector{
		"global_status":       GlobalStatus{C: c},
		"global_variables":    GlobalVariables{C: c},
		"innodb":              InnoDB{C: c},
		"processlist":         Processlist{C: c},
		"replica":             Replica{C: c},
		"error_log":           ErrorLog{C: c, Window: 5 * time.Minute},
		"perf_schema_digests": PerfSchemaDigests{C: c, Limit: 5, TextLength: 120},
		"schema_sizes":        SchemaSizes{C: c, SchemaLimit: 100, TableLimit: 20},
	}
}

func TestGoldenFixtures(t *testing.T) {
	for _, set := range fixtureSets {
		t.Run(set, func(t *testing.T) {
			c, mock := mockServer(t, filepath.Join("testdata", "fixtures", set))
			reg := prometheus.NewPedanticRegistry()
			reg.MustRegister(icollector.NewRunner(context.Background(), icollector.Scrape{
				Namespace: Namespace, Check: c.Check, Collectors: all(c),
			}))
			got := promtest.Render(t, reg, onlyDurations)
			promtest.Golden(t, filepath.Join("testdata", "golden", set+".prom"), got)
			promtest.LintText(t, got) // parse the one scrape: the mock answers each query once
			for _, mf := range promtest.ParseText(t, string(got)) {
				if mf.GetName() != "mysql_scrape_collector_success" && mf.GetName() != "mysql_up" {
					continue
				}
				for _, m := range mf.Metric {
					if m.GetGauge().GetValue() != 1 {
						t.Errorf("%s%v = 0: a fixture is broken", mf.GetName(), m.Label)
					}
				}
			}
			if err := mock.ExpectationsWereMet(); err != nil {
				t.Errorf("fixture not used by any collector: %v", err)
			}
		})
	}
}

func TestReadmeMetricsTable(t *testing.T) {
	var goldens []string
	for _, set := range fixtureSets {
		goldens = append(goldens, filepath.Join("testdata", "golden", set+".prom"))
	}
	promtest.ReadmeMetrics(t, filepath.Join("..", "README.md"), goldens...)
}
