package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// mariadb is a mariadbd started by a test on a free loopback port, in a temp dir.
type mariadb struct {
	Port int
	Sock string
	Dir  string
	proc *promtest.Process
	db   *sql.DB // root over the unix socket
}

func (m *mariadb) Addr() string { return promtest.Addr(m.Port) }

// startMariaDB initialises a datadir and starts mariadbd. Extra args are appended.
func startMariaDB(t testing.TB, serverID int, extra ...string) *mariadb {
	t.Helper()
	return startMariaDBs(t, []spec{{serverID, extra}})[0]
}

type spec struct {
	serverID int
	extra    []string
}

// startMariaDBs starts several servers at once (installs in parallel, then servers in
// parallel) and waits until all accept connections.
func startMariaDBs(t testing.TB, specs []spec) []*mariadb {
	t.Helper()
	bin := "mariadbd"
	if _, err := exec.LookPath(bin); err != nil {
		bin = "/usr/sbin/mariadbd" // not on a non-root PATH
	}
	bin = promtest.Need(t, bin)
	install := promtest.Need(t, "mariadb-install-db")
	ms := make([]*mariadb, len(specs))
	installs := make([]*promtest.Process, len(specs))
	for i := range specs {
		dir := promtest.TempDir(t, "mdb")
		ms[i] = &mariadb{Port: promtest.FreePort(t), Sock: filepath.Join(dir, "s"), Dir: dir}
		// Own tmpdir: concurrent installs (here, or other packages' tests) collide in /tmp.
		if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o700); err != nil {
			t.Fatal(err)
		}
		installs[i] = promtest.Start(t, install, "--no-defaults", "--datadir="+filepath.Join(dir, "data"),
			"--tmpdir="+filepath.Join(dir, "tmp"), "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root")
	}
	for i, p := range installs {
		if err := p.Cmd.Wait(); err != nil {
			t.Fatalf("mariadb-install-db %d: %v\n%s", i, err, p.Output())
		}
	}
	for i, m := range ms {
		args := []string{"--no-defaults", "--datadir=" + filepath.Join(m.Dir, "data"), "--socket=" + m.Sock,
			"--port=" + strconv.Itoa(m.Port), "--bind-address=127.0.0.1", "--server-id=" + strconv.Itoa(specs[i].serverID),
			"--user=root", "--skip-name-resolve", "--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M",
			"--pid-file=" + filepath.Join(m.Dir, "pid"), "--tmpdir=" + filepath.Join(m.Dir, "tmp"), "--skip-log-bin"}
		m.proc = promtest.Start(t, bin, append(args, specs[i].extra...)...)
	}
	for _, m := range ms {
		promtest.WaitPort(t, m.Addr(), 60*time.Second, m.proc)
		cfg := mysql.NewConfig()
		cfg.Net, cfg.Addr, cfg.User = "unix", m.Sock, "root"
		conn, err := mysql.NewConnector(cfg)
		if err != nil {
			t.Fatal(err)
		}
		m.db = sql.OpenDB(conn)
		m.db.SetMaxOpenConns(2)
		t.Cleanup(func() { m.db.Close() })
	}
	return ms
}

// exec runs statements as root and fails the test on error.
func (m *mariadb) exec(t testing.TB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := m.db.ExecContext(ctx, s)
		cancel()
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// status returns one column of SHOW ALL SLAVES STATUS ("" when not configured).
func (m *mariadb) replicaField(t testing.TB, col string) string {
	t.Helper()
	rows, err := m.db.Query("SHOW ALL SLAVES STATUS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		return ""
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		if c == col {
			return vals[i].String
		}
	}
	t.Fatalf("no column %s", col)
	return ""
}

// pair is a primary and a GTID replica of it.
type pair struct{ primary, replica *mariadb }

// startPair starts the pair; primaryExtra are more mariadbd arguments for the primary.
func startPair(t testing.TB, primaryExtra ...string) *pair {
	t.Helper()
	ms := startMariaDBs(t, []spec{
		{1, append([]string{"--log-bin=bin", "--binlog-format=ROW", "--performance-schema=ON"}, primaryExtra...)},
		{2, []string{"--log-bin=bin", "--read-only=ON", "--relay-log=relay", "--performance-schema=ON"}},
	})
	p := &pair{primary: ms[0], replica: ms[1]}
	p.primary.exec(t, "CREATE USER repl@'127.0.0.1' IDENTIFIED BY 'repl-pw'",
		"GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1'")
	p.configure(t)
	return p
}

// configure (re)starts replication from scratch: a healthy pair on return.
func (p *pair) configure(t testing.TB) {
	t.Helper()
	p.replica.exec(t, "STOP ALL SLAVES", "RESET SLAVE ALL",
		fmt.Sprintf("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%d, MASTER_USER='repl', "+
			"MASTER_PASSWORD='repl-pw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1", p.primary.Port),
		"START SLAVE")
	p.waitHealthy(t)
}

func (p *pair) waitHealthy(t testing.TB) {
	t.Helper()
	promtest.Eventually(t, 30*time.Second, "replica running", func() bool {
		return p.replica.replicaField(t, "Slave_IO_Running") == "Yes" && p.replica.replicaField(t, "Slave_SQL_Running") == "Yes"
	})
	p.sync(t)
}

// sync waits until the replica has applied everything the primary has.
func (p *pair) sync(t testing.TB) {
	t.Helper()
	var pos string
	if err := p.primary.db.QueryRow("SELECT @@gtid_binlog_pos").Scan(&pos); err != nil {
		t.Fatal(err)
	}
	var r sql.NullInt64
	if err := p.replica.db.QueryRow("SELECT MASTER_GTID_WAIT(?, 30)", pos).Scan(&r); err != nil || r.Int64 != 0 {
		t.Fatalf("replica did not reach %s: %v %v", pos, err, r)
	}
}

// execLocal runs statements on one connection without binary logging (writes that must
// not replicate, e.g. a conflicting row on the replica).
func (m *mariadb) execLocal(t testing.TB, stmts ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := m.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, s := range append([]string{"SET SESSION sql_log_bin = 0"}, stmts...) {
		if _, err := c.ExecContext(ctx, s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
