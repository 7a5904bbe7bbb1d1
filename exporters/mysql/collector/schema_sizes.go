package collector

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
)

// SchemaSizes reports schema totals and the largest tables from information_schema.TABLES
// (sizes are InnoDB estimates). Off by default: on servers with many tables the query is
// slow. Only tables the exporter's user can see are counted.
type SchemaSizes struct {
	C *Conn
	// SchemaLimit and TableLimit bound the series (0: 100 schemas, 20 tables).
	SchemaLimit, TableLimit int
}

var (
	schemaTablesDesc = newDesc("schema_tables", "Base tables in the schema.", "schema")
	schemaDataDesc   = newDesc("schema_data_bytes", "Data size of the schema's tables (DATA_LENGTH).", "schema")
	schemaIndexDesc  = newDesc("schema_index_bytes", "Index size of the schema's tables (INDEX_LENGTH).", "schema")
	schemaFreeDesc   = newDesc("schema_free_bytes", "Allocated but unused space in the schema's tables (DATA_FREE).", "schema")
	schemaRowsDesc   = newDesc("schema_rows", "Estimated rows in the schema's tables (TABLE_ROWS).", "schema")
	tableDataDesc    = newDesc("table_data_bytes", "Data size of the largest tables (DATA_LENGTH).", "schema", "table")
	tableIndexDesc   = newDesc("table_index_bytes", "Index size of the largest tables (INDEX_LENGTH).", "schema", "table")
	tableRowsDesc    = newDesc("table_rows", "Estimated rows of the largest tables (TABLE_ROWS).", "schema", "table")
)

const systemSchemas = "'mysql', 'information_schema', 'performance_schema', 'sys'"

func limitOr(n, def int) int {
	if n <= 0 {
		return def
	}
	return n
}

// Update implements collector.Collector.
func (s SchemaSizes) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	q := "SELECT TABLE_SCHEMA, COUNT(*), COALESCE(SUM(DATA_LENGTH), 0), COALESCE(SUM(INDEX_LENGTH), 0), " +
		"COALESCE(SUM(DATA_FREE), 0), COALESCE(SUM(TABLE_ROWS), 0) FROM information_schema.TABLES " +
		"WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (" + systemSchemas + ") " +
		fmt.Sprintf("GROUP BY TABLE_SCHEMA ORDER BY SUM(DATA_LENGTH + INDEX_LENGTH) DESC LIMIT %d", limitOr(s.SchemaLimit, 100))
	err := s.C.query(ctx, q, func(r *sql.Rows) error {
		var schema string
		var n, data, index, free, rows float64
		if err := r.Scan(&schema, &n, &data, &index, &free, &rows); err != nil {
			return err
		}
		schema = strings.ToValidUTF8(schema, "?")
		for _, m := range []struct {
			d *prometheus.Desc
			v float64
		}{{schemaTablesDesc, n}, {schemaDataDesc, data}, {schemaIndexDesc, index}, {schemaFreeDesc, free}, {schemaRowsDesc, rows}} {
			ch <- prometheus.MustNewConstMetric(m.d, prometheus.GaugeValue, m.v, schema)
		}
		return nil
	})
	if err != nil {
		return err
	}
	q = "SELECT TABLE_SCHEMA, TABLE_NAME, COALESCE(DATA_LENGTH, 0), COALESCE(INDEX_LENGTH, 0), COALESCE(TABLE_ROWS, 0) " +
		"FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (" + systemSchemas + ") " +
		fmt.Sprintf("ORDER BY DATA_LENGTH + INDEX_LENGTH DESC, TABLE_SCHEMA, TABLE_NAME LIMIT %d", limitOr(s.TableLimit, 20))
	return s.C.query(ctx, q, func(r *sql.Rows) error {
		var schema, table string
		var data, index, rows float64
		if err := r.Scan(&schema, &table, &data, &index, &rows); err != nil {
			return err
		}
		schema, table = strings.ToValidUTF8(schema, "?"), strings.ToValidUTF8(table, "?")
		ch <- prometheus.MustNewConstMetric(tableDataDesc, prometheus.GaugeValue, data, schema, table)
		ch <- prometheus.MustNewConstMetric(tableIndexDesc, prometheus.GaugeValue, index, schema, table)
		ch <- prometheus.MustNewConstMetric(tableRowsDesc, prometheus.GaugeValue, rows, schema, table)
		return nil
	})
}
