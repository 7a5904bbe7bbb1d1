package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ggzy/ggzy-exporters/exporters/mysql/collector"
	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

const exporterPW = "change-me" // the README snippet's password

// TestMariaDB runs every real-server test against one primary/replica pair of mariadbd
// processes started here, once for the package. Subtests run in order and each leaves
// the pair healthy.
func TestMariaDB(t *testing.T) {
	if testing.Short() {
		t.Skip("starts mariadbd")
	}
	certDir := promtest.TempDir(t, "tls")
	certs := promtest.MakeCerts(t, certDir)
	ca := certs.CA
	p := startPair(t, "--ssl-ca="+ca, "--ssl-cert="+certs.ServerCert, "--ssl-key="+certs.ServerKey)
	p.primary.exec(t, readmeGrants(t)...) // replicated to the replica
	p.primary.exec(t, "CREATE DATABASE shop", "CREATE TABLE shop.orders (id INT PRIMARY KEY, amount DECIMAL(10,2), note VARCHAR(200))",
		"INSERT INTO shop.orders VALUES (1, 9.5, 'a'), (2, 12, 'b'), (3, 7.25, 'c')",
		"SELECT COUNT(*) FROM shop.orders WHERE note LIKE '%b%'")
	p.sync(t)

	dir := promtest.TempDir(t, "cfg")
	pw := promtest.WriteFile(t, dir, "pw", exporterPW+"\n")
	cfg := "targets:\n" +
		targetYAML("primary", p.primary.Addr(), "exporter", pw) +
		targetYAML("replica", p.replica.Addr(), "exporter", pw)
	all := []string{"--collector.perf_schema_digests", "--collector.perf_schema_digests.limit=500", "--collector.schema_sizes"}
	e := newTestExporter(t, cfg, nil, all...)

	if os.Getenv("RECORD_FIXTURES") == "1" {
		record(t, p)
	}

	t.Run("grants from the README suffice for every collector", func(t *testing.T) {
		for _, name := range []string{"primary", "replica"} {
			mfs, body := e.probe(t, name, nil)
			promtest.LintText(t, []byte(body))
			expect(t, mfs, 1, "mysql_up")
			for _, c := range []string{"global_status", "global_variables", "innodb", "processlist", "replica", "error_log", "perf_schema_digests", "schema_sizes"} {
				expect(t, mfs, 1, "mysql_scrape_collector_success", "collector", c)
			}
			expect(t, mfs, 1, "mysql_version_info", "flavor", "mariadb")
		}
		mfs, _ := e.probe(t, "primary", nil)
		expect(t, mfs, 0, "mysql_replica_configured")
		expect(t, mfs, 0, "mysql_read_only")
		// PROCESS shows other users' threads: the replica's binlog dump thread.
		expect(t, mfs, 1, "mysql_processlist_queries", "command", "binlog_dump", "state", "binlog_dump")
		// SHOW VIEW shows table sizes: 1 table in shop.
		expect(t, mfs, 1, "mysql_schema_tables", "schema", "shop")
		if _, ok := promtest.Lookup(mfs, "mysql_table_data_bytes", "schema", "shop", "table", "orders"); !ok {
			t.Error("mysql_table_data_bytes{shop.orders} missing")
		}
		if _, ok := promtest.Lookup(mfs, "mysql_perf_schema_digest_statements_total", "digest_text", "SELECT COUNT ( * ) FROM `shop` . `orders` WHERE `note` LIKE ?"); !ok {
			t.Error("digest of the test's SELECT missing")
		}
		if _, ok := mfs["mysql_error_log_recent_entries"]; ok {
			t.Error("MariaDB has no performance_schema.error_log; the collector must report nothing")
		}
		if v, _ := promtest.Lookup(mfs, "mysql_innodb_buffer_pool_size_bytes"); v != 32<<20 {
			t.Errorf("buffer pool size %v, want 32 MiB", v)
		}

		mfs, _ = e.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_replica_configured")
		expect(t, mfs, 1, "mysql_replica_io_running", "channel", "")
		expect(t, mfs, 1, "mysql_replica_sql_running", "channel", "")
		expect(t, mfs, 0, "mysql_replica_lag_seconds", "channel", "")
		expect(t, mfs, 0, "mysql_replica_last_io_errno", "channel", "")
		expect(t, mfs, 0, "mysql_replica_last_sql_errno", "channel", "")
		expect(t, mfs, 0, "mysql_replica_unapplied_transactions", "channel", "")
		expect(t, mfs, 1, "mysql_replica_source_info", "source_host", "127.0.0.1", "source_port", promtestPort(p.primary))
		expect(t, mfs, 1, "mysql_read_only")
	})
	t.Run("recorded MariaDB fixtures have the families of the real server", func(t *testing.T) {
		for _, name := range []string{"primary", "replica"} {
			mfs, _ := e.probe(t, name, nil)
			golden := filepath.Join("collector", "testdata", "golden", "mariadb-10.11-"+name+".prom")
			want := familyNames(t, golden)
			for n := range mfs {
				if !want[n] {
					t.Errorf("%s: real server emits %s, the recording (%s) does not: re-record with RECORD_FIXTURES=1", name, n, golden)
				}
			}
			for n := range want {
				if _, ok := mfs[n]; !ok {
					t.Errorf("%s: recording has %s, the real server does not", name, n)
				}
			}
		}
	})

	// The snippet's MAX_USER_CONNECTIONS 3 fits one exporter (a pool of 2 per target); the
	// subtests below run several exporters against the same server at once.
	p.primary.exec(t, "ALTER USER 'exporter'@'%' WITH MAX_USER_CONNECTIONS 0")
	p.sync(t)

	t.Run("unix socket target", func(t *testing.T) {
		se := newTestExporter(t, "targets:\n  - name: socket\n    socket: "+p.primary.Sock+"\n    username: exporter\n    password_file: "+pw+"\n", nil)
		mfs, _ := se.probe(t, "socket", nil)
		expect(t, mfs, 1, "mysql_up")
		expect(t, mfs, 1, "mysql_scrape_collector_success", "collector", "global_status")
	})

	t.Run("long-running query and a row lock wait", func(t *testing.T) {
		ctx := context.Background()
		holder, err := p.primary.db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer holder.Close()
		if _, err := holder.ExecContext(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		if _, err := holder.ExecContext(ctx, "SELECT * FROM shop.orders WHERE id = 1 FOR UPDATE"); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			waiter, err := p.primary.db.Conn(ctx)
			if err != nil {
				done <- err
				return
			}
			defer waiter.Close()
			_, _ = waiter.ExecContext(ctx, "SET SESSION innodb_lock_wait_timeout = 2")
			_, err = waiter.ExecContext(ctx, "UPDATE shop.orders SET note = 'waited' WHERE id = 1")
			done <- err
		}()
		time.Sleep(1200 * time.Millisecond)
		mfs, _ := e.probe(t, "primary", nil)
		if v, _ := promtest.Lookup(mfs, "mysql_processlist_longest_seconds", "command", "query"); v < 1 {
			t.Errorf("longest query %vs, want >= 1 (the waiting UPDATE)", v)
		}
		expect(t, mfs, 1, "mysql_innodb_row_lock_current_waits")
		if err := <-done; err == nil || !strings.Contains(err.Error(), "1205") {
			t.Errorf("UPDATE should time out on the lock: %v", err)
		}
		_, _ = holder.ExecContext(ctx, "ROLLBACK")
		mfs, _ = e.probe(t, "primary", nil)
		if v, _ := promtest.Lookup(mfs, "mysql_innodb_row_lock_waits_total"); v < 1 {
			t.Errorf("row lock waits %v, want >= 1", v)
		}
		if v, _ := promtest.Lookup(mfs, "mysql_innodb_row_lock_time_seconds_total"); v < 1.5 {
			t.Errorf("row lock time %vs, want >= 1.5 (milliseconds converted to seconds)", v)
		}
	})

	t.Run("TLS with a verified server certificate", func(t *testing.T) {
		p.primary.exec(t, "CREATE USER 'tlsuser'@'%' IDENTIFIED BY 'tls-pw' REQUIRE SSL")
		d := promtest.TempDir(t, "cfg")
		tpw := promtest.WriteFile(t, d, "pw", "tls-pw")
		otherCA := promtest.MakeCerts(t, d).CA // another CA: the server's certificate must not verify against it
		te := newTestExporter(t, "targets:\n"+
			targetYAML("tls", p.primary.Addr(), "tlsuser", tpw, "tls: {enabled: true, ca_file: "+ca+"}")+
			targetYAML("plain", p.primary.Addr(), "tlsuser", tpw)+
			targetYAML("wrongca", p.primary.Addr(), "tlsuser", tpw, "tls: {enabled: true, ca_file: "+otherCA+"}"), nil)
		mfs, _ := te.probe(t, "tls", nil)
		expect(t, mfs, 1, "mysql_up")
		mfs, _ = te.probe(t, "plain", nil) // the account requires SSL
		expect(t, mfs, 0, "mysql_up")
		mfs, _ = te.probe(t, "wrongca", nil)
		expect(t, mfs, 0, "mysql_up")
		if !strings.Contains(te.logs.String(), "certificate signed by unknown authority") {
			t.Errorf("wrong CA not reported:\n%s", te.logs.String())
		}
	})

	t.Run("stopped SQL thread: received but not applied", func(t *testing.T) {
		p.replica.exec(t, "STOP SLAVE SQL_THREAD")
		p.primary.exec(t, "INSERT INTO shop.orders VALUES (10, 1, 'x')", "INSERT INTO shop.orders VALUES (11, 1, 'y')",
			"INSERT INTO shop.orders VALUES (12, 1, 'z')")
		var want string
		_ = p.primary.db.QueryRow("SELECT @@gtid_binlog_pos").Scan(&want)
		promtest.Eventually(t, 20*time.Second, "IO thread to receive", func() bool {
			return p.replica.replicaField(t, "Gtid_IO_Pos") == want
		})
		mfs, _ := e.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_replica_io_running", "channel", "")
		expect(t, mfs, 0, "mysql_replica_sql_running", "channel", "")
		expect(t, mfs, 3, "mysql_replica_unapplied_transactions", "channel", "")
		if v, ok := promtest.Lookup(mfs, "mysql_replica_unapplied_bytes", "channel", ""); !ok || v <= 0 {
			t.Errorf("mysql_replica_unapplied_bytes = %v (present %v), want > 0", v, ok)
		}
		if _, ok := promtest.Lookup(mfs, "mysql_replica_lag_seconds"); ok {
			t.Error("lag must be absent while the server reports NULL")
		}
		p.replica.exec(t, "START SLAVE SQL_THREAD")
		p.sync(t)
		mfs, _ = e.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_replica_sql_running", "channel", "")
		expect(t, mfs, 0, "mysql_replica_unapplied_transactions", "channel", "")
		expect(t, mfs, 0, "mysql_replica_unapplied_bytes", "channel", "")
	})

	t.Run("broken replica: duplicate key stops the SQL thread with its errno", func(t *testing.T) {
		p.replica.execLocal(t, "INSERT INTO shop.orders VALUES (100, 1, 'replica only')")
		p.primary.exec(t, "INSERT INTO shop.orders VALUES (100, 2, 'primary')")
		promtest.Eventually(t, 20*time.Second, "SQL thread to stop", func() bool {
			return p.replica.replicaField(t, "Slave_SQL_Running") == "No"
		})
		mfs, _ := e.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_up")
		expect(t, mfs, 1, "mysql_replica_configured")
		expect(t, mfs, 0, "mysql_replica_sql_running", "channel", "")
		expect(t, mfs, 1, "mysql_replica_io_running", "channel", "")
		expect(t, mfs, 1062, "mysql_replica_last_sql_errno", "channel", "")
		expect(t, mfs, 1, "mysql_replica_unapplied_transactions", "channel", "")
		p.replica.execLocal(t, "DELETE FROM shop.orders WHERE id = 100")
		p.configure(t)
		mfs, _ = e.probe(t, "replica", nil)
		expect(t, mfs, 0, "mysql_replica_last_sql_errno", "channel", "")
		expect(t, mfs, 1, "mysql_replica_sql_running", "channel", "")
	})

	t.Run("replica whose configuration was reset", func(t *testing.T) {
		p.replica.exec(t, "STOP SLAVE", "RESET SLAVE ALL")
		mfs, _ := e.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_scrape_collector_success", "collector", "replica")
		expect(t, mfs, 0, "mysql_replica_configured")
		for _, n := range []string{"mysql_replica_io_running", "mysql_replica_sql_running", "mysql_replica_source_info"} {
			if _, ok := mfs[n]; ok {
				t.Errorf("%s present without a configured source", n)
			}
		}
		p.configure(t)
		mfs, _ = e.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_replica_configured")
	})

	t.Run("one missing privilege fails only its collector", func(t *testing.T) {
		p.primary.exec(t, "CREATE USER 'limited'@'%' IDENTIFIED BY 'limited-pw'", "GRANT PROCESS ON *.* TO 'limited'@'%'")
		p.sync(t)
		d := promtest.TempDir(t, "cfg")
		lpw := promtest.WriteFile(t, d, "pw", "limited-pw")
		le := newTestExporter(t, "targets:\n"+targetYAML("replica", p.replica.Addr(), "limited", lpw), nil)
		mfs, _ := le.probe(t, "replica", nil)
		expect(t, mfs, 1, "mysql_up")
		expect(t, mfs, 0, "mysql_scrape_collector_success", "collector", "replica")
		for _, c := range []string{"global_status", "global_variables", "innodb", "processlist", "error_log"} {
			expect(t, mfs, 1, "mysql_scrape_collector_success", "collector", c)
		}
		if _, ok := mfs["mysql_threads_connected"]; !ok {
			t.Error("other collectors must still emit")
		}
		if !strings.Contains(le.logs.String(), "collector=replica") {
			t.Errorf("the failing collector is not logged:\n%s", le.logs.String())
		}
	})

	t.Run("wrong password: up 0, HTTP 200, password nowhere", func(t *testing.T) {
		const wrong = "Wr0ng-S3cret-xyz"
		d := promtest.TempDir(t, "cfg")
		wpw := promtest.WriteFile(t, d, "pw", wrong)
		we := newTestExporter(t, "targets:\n"+targetYAML("primary", p.primary.Addr(), "exporter", wpw), nil)
		mfs, body := we.probe(t, "primary", nil)
		expect(t, mfs, 0, "mysql_up")
		expect(t, mfs, 0, "mysql_scrape_collector_success", "collector", "global_status")
		_, debug := promtest.Do(t, we.h, "GET", "/probe?target=primary&debug=true", nil)
		if !strings.Contains(debug, "Access denied") || !strings.Contains(debug, wpw) {
			t.Errorf("debug output should show the error and the password file:\n%s", debug)
		}
		for what, s := range map[string]string{"body": body, "debug": debug, "logs": we.logs.String()} {
			if strings.Contains(s, wrong) {
				t.Errorf("password leaked in %s", what)
			}
		}
		// The file is re-read every scrape: fixing it fixes the next scrape (a new pool).
		if err := os.WriteFile(wpw, []byte(exporterPW), 0o600); err != nil {
			t.Fatal(err)
		}
		mfs, _ = we.probe(t, "primary", nil)
		expect(t, mfs, 1, "mysql_up")
		_, debug = promtest.Do(t, we.h, "GET", "/probe?target=primary&debug=true", nil)
		if strings.Contains(debug, exporterPW) || strings.Contains(we.logs.String(), exporterPW) {
			t.Error("password leaked after rotation")
		}
	})

	t.Run("config reload replaces the target's pool", func(t *testing.T) {
		d := promtest.TempDir(t, "cfg")
		path := promtest.WriteFile(t, d, "mysql.yml", "targets:\n"+targetYAML("db", p.primary.Addr(), "exporter", pw))
		re := newTestExporter(t, "", nil, "--config.file="+path)
		mfs, _ := re.probe(t, "db", nil)
		expect(t, mfs, 0, "mysql_read_only")
		promtest.WriteFile(t, d, "mysql.yml", "targets:\n"+targetYAML("db", p.replica.Addr(), "exporter", pw))
		if code, body := promtest.Do(t, re.h, "POST", "/-/reload", nil); code != 200 {
			t.Fatalf("reload: %d %s", code, body)
		}
		mfs, _ = re.probe(t, "db", nil)
		expect(t, mfs, 1, "mysql_read_only")
	})

	t.Run("single target from flags on /metrics", func(t *testing.T) {
		t.Setenv("MYSQL_PASSWORD", exporterPW)
		se := newTestExporter(t, "", nil, "--mysql.address="+p.replica.Addr(), "--mysql.username=exporter")
		code, body := promtest.Do(t, se.h, "GET", "/metrics", nil)
		if code != 200 || !strings.Contains(body, "mysql_up 1\n") || !strings.Contains(body, "mysql_replica_configured 1\n") ||
			!strings.Contains(body, "go_goroutines") {
			t.Errorf("/metrics: %d\n%s", code, body)
		}
	})

	t.Run("hung server is cut off at the deadline", func(t *testing.T) {
		he := newTestExporter(t, "targets:\n"+targetYAML("hung", promtest.HungListener(t), "exporter", pw), nil)
		start := time.Now()
		mfs, _ := he.probe(t, "hung", map[string]string{"X-Prometheus-Scrape-Timeout-Seconds": "1.5"})
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("scrape took %s with a 1s deadline", d)
		}
		expect(t, mfs, 0, "mysql_up")
	})

	t.Run("no leaks over many scrapes", func(t *testing.T) {
		bad := promtest.WriteFile(t, promtest.TempDir(t, "cfg"), "pw", "bad")
		le := newTestExporter(t, "targets:\n"+targetYAML("primary", p.primary.Addr(), "exporter", pw)+
			targetYAML("bad", p.primary.Addr(), "exporter", bad)+
			targetYAML("down", promtest.Addr(promtest.FreePort(t)), "exporter", pw), nil, all...)
		promtest.CheckLeaks(t, 15, 4, func() {
			for _, n := range []string{"primary", "bad", "down"} {
				promtest.Do(t, le.h, "GET", "/probe?target="+n, nil)
			}
		})
	})

	t.Run("server gone", func(t *testing.T) {
		mfs, _ := e.probe(t, "replica", nil) // the pool holds open connections
		expect(t, mfs, 1, "mysql_up")
		p.replica.proc.Stop()
		start := time.Now()
		mfs, _ = e.probe(t, "replica", nil)
		expect(t, mfs, 0, "mysql_up")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("scrape of a stopped server took %s", d)
		}
	})
}

func familyNames(t testing.TB, path string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for n := range promtest.ParseFile(t, path) {
		out[n] = true
	}
	return out
}

func promtestPort(m *mariadb) string { return strings.TrimPrefix(m.Addr(), "127.0.0.1:") }

// record refreshes collector/testdata/fixtures/mariadb-* from the real pair (RECORD_FIXTURES=1).
func record(t *testing.T, p *pair) {
	for name, m := range map[string]*mariadb{"primary": p.primary, "replica": p.replica} {
		dir := filepath.Join("collector", "testdata", "fixtures", "mariadb-10.11-"+name)
		db := recordingDB(t, m.Addr(), "exporter", exporterPW, dir)
		c := &collector.Conn{DB: db}
		reg := prometheus.NewRegistry()
		reg.MustRegister(icollector.NewRunner(context.Background(), icollector.Scrape{
			Namespace: collector.Namespace, Check: c.Check,
			Collectors: map[string]icollector.Collector{
				"global_status": collector.GlobalStatus{C: c}, "global_variables": collector.GlobalVariables{C: c},
				"innodb": collector.InnoDB{C: c}, "processlist": collector.Processlist{C: c}, "replica": collector.Replica{C: c},
				"error_log": collector.ErrorLog{C: c, Window: 5 * time.Minute}, "perf_schema_digests": collector.PerfSchemaDigests{C: c, Limit: 5, TextLength: 120},
				"schema_sizes": collector.SchemaSizes{C: c, SchemaLimit: 100, TableLimit: 20},
			},
		}))
		if _, err := reg.Gather(); err != nil {
			t.Fatal(err)
		}
		t.Logf("recorded %s into %s", name, dir)
	}
}
