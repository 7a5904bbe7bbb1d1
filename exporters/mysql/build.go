package main

import (
	"context"
	"database/sql"
	"log/slog"

	"github.com/ggzy/ggzy-exporters/exporters/mysql/collector"
	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/sqlconn"
)

// build binds one scrape of t: it takes the target's pooled handle (opening or replacing
// it when the target's settings or password changed) and wires the enabled collectors.
func build(pool *sqlconn.Pool, set *icollector.Set, o options, driverLog, logger *slog.Logger, t Target) icollector.Scrape {
	conn := &collector.Conn{QueryTimeout: t.QueryTimeout}
	s := icollector.Scrape{Namespace: collector.Namespace, Logger: logger, Check: conn.Check,
		Collectors: collectors(set, o, conn)}
	d, err := t.dsn()
	if err == nil {
		logger = logger.With("dsn", d)
		s.Logger = logger
		var lease *sqlconn.Lease
		lease, err = pool.Acquire(t.Name, t.fingerprint(d), func() (*sql.DB, error) { return t.open(d, driverLog) })
		if err == nil {
			conn.DB = lease.DB
			s.Close = lease.Release
		}
	}
	if err != nil {
		s.Check = func(context.Context) error { return err }
	}
	return s
}

func collectors(set *icollector.Set, o options, c *collector.Conn) map[string]icollector.Collector {
	all := map[string]icollector.Collector{
		"global_status":       collector.GlobalStatus{C: c},
		"global_variables":    collector.GlobalVariables{C: c},
		"innodb":              collector.InnoDB{C: c},
		"processlist":         collector.Processlist{C: c},
		"replica":             collector.Replica{C: c},
		"error_log":           collector.ErrorLog{C: c, Window: *o.errorLogWindow},
		"perf_schema_digests": collector.PerfSchemaDigests{C: c, Limit: *o.digestLimit, TextLength: *o.digestTextLength},
		"schema_sizes":        collector.SchemaSizes{C: c, SchemaLimit: *o.schemaLimit, TableLimit: *o.tableLimit},
	}
	out := map[string]icollector.Collector{}
	for name, col := range all {
		if set.Enabled(name) {
			out[name] = col
		}
	}
	return out
}
