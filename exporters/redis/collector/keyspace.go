package collector

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

// DefaultMaxDBs is the default cap on the databases exported by KeyspaceCollector.
const DefaultMaxDBs = 16

var (
	dbKeysDesc         = desc("db_keys", "Keys in the database.", "db")
	dbKeysExpiringDesc = desc("db_keys_expiring", "Keys with a TTL in the database.", "db")
	dbAvgTTLDesc       = desc("db_avg_ttl_seconds", "Average TTL of the keys with a TTL in the database (an estimate by Redis; 0 when none).", "db")
	keyspaceDBsDesc    = desc("keyspace_databases", "Databases holding keys, including those beyond the exporter's database cap.")
)

// KeyspaceCollector exports INFO keyspace: one series per database holding keys, plus db0
// (0 when empty), for at most MaxDBs databases (the lowest indexes), so the series count
// stays bounded.
type KeyspaceCollector struct {
	Src    InfoSource
	MaxDBs int
}

// Update implements collector.Collector.
func (c KeyspaceCollector) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	raw, err := c.Src.Info(ctx, "keyspace")
	if err != nil {
		return err
	}
	info, err := ParseInfo(raw)
	if err != nil {
		return err
	}
	dbs := info.Keyspace
	ch <- prometheus.MustNewConstMetric(keyspaceDBsDesc, prometheus.GaugeValue, float64(len(dbs)))
	if len(dbs) == 0 || dbs[0].Index != 0 {
		// db0 exists on every server: report it empty rather than let its series vanish.
		dbs = append([]DB{{Index: 0, HasAvgTTLField: true}}, dbs...)
	}
	for n, db := range dbs {
		if n >= c.MaxDBs {
			break
		}
		name := db.Name()
		ch <- prometheus.MustNewConstMetric(dbKeysDesc, prometheus.GaugeValue, db.Keys, name)
		ch <- prometheus.MustNewConstMetric(dbKeysExpiringDesc, prometheus.GaugeValue, db.Expires, name)
		if db.HasAvgTTLField {
			ch <- prometheus.MustNewConstMetric(dbAvgTTLDesc, prometheus.GaugeValue, db.AvgTTLMillis/1000, name)
		}
	}
	return nil
}
