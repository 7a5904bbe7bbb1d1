package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestMachineMariaDB scrapes the machine-wide MariaDB on 127.0.0.1:3306 (root, no password)
// as an account and database of its own, created from the README's grants and dropped after.
// It is skipped when no server listens there (the package's own servers cover the rest).
func TestMachineMariaDB(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the machine's MariaDB")
	}
	cfg := mysql.NewConfig()
	cfg.Addr, cfg.User, cfg.Timeout = "127.0.0.1:3306", "root", 2*time.Second
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	root := sql.OpenDB(conn)
	t.Cleanup(func() { root.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := root.PingContext(ctx); err != nil {
		t.Skipf("no MariaDB as root on 127.0.0.1:3306: %v", err)
	}
	suffix := fmt.Sprintf("%d", time.Now().UnixNano()%1e9)
	user, db := "ggzy_exp_"+suffix, "ggzy_exp_"+suffix
	run := func(stmts ...string) {
		t.Helper()
		for _, s := range stmts {
			if _, err := root.ExecContext(context.Background(), s); err != nil {
				t.Fatalf("%s: %v", s, err)
			}
		}
	}
	t.Cleanup(func() {
		_, _ = root.Exec("DROP USER IF EXISTS '" + user + "'@'127.0.0.1'")
		_, _ = root.Exec("DROP DATABASE IF EXISTS " + db)
	})
	for _, s := range readmeGrants(t) {
		run(strings.ReplaceAll(s, "'exporter'@'%'", "'"+user+"'@'127.0.0.1'"))
	}
	run("CREATE DATABASE "+db, "CREATE TABLE "+db+".t (id INT PRIMARY KEY)", "INSERT INTO "+db+".t VALUES (1), (2)")

	dir := promtest.TempDir(t, "cfg")
	pw := promtest.WriteFile(t, dir, "pw", exporterPW)
	e := newTestExporter(t, "targets:\n"+targetYAML("machine", "127.0.0.1:3306", user, pw), nil,
		"--collector.perf_schema_digests", "--collector.schema_sizes")
	mfs, body := e.probe(t, "machine", nil)
	promtest.LintText(t, []byte(body))
	expect(t, mfs, 1, "mysql_up")
	for _, c := range []string{"global_status", "global_variables", "innodb", "processlist", "replica", "error_log", "perf_schema_digests", "schema_sizes"} {
		expect(t, mfs, 1, "mysql_scrape_collector_success", "collector", c)
	}
	expect(t, mfs, 1, "mysql_schema_tables", "schema", db)
	expect(t, mfs, 0, "mysql_replica_configured")
}
