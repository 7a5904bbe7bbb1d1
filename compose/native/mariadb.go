package native

import (
	"context"
	"database/sql"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/go-sql-driver/mysql"
)

// mariadb is one mariadbd of the stack, administered as root over its unix socket.
type mariadb struct {
	sock string
	db   *sql.DB
}

func (m *mariadb) close() {
	if m.db != nil {
		m.db.Close()
	}
}

func (m *mariadb) exec(ctx context.Context, stmts ...string) error {
	for _, st := range stmts {
		c, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, err := m.db.ExecContext(c, st)
		cancel()
		if err != nil {
			return fmt.Errorf("%s: %w", st, err)
		}
	}
	return nil
}

func (s *Stack) startOneMariaDB(ctx context.Context, name string, serverID int, extra ...string) (*mariadb, error) {
	d, err := s.dir(name)
	if err != nil {
		return nil, err
	}
	data := filepath.Join(d, "data")
	inst, err := s.run(name+"-install", s.o.Bin.MariadbInstallDB, "--no-defaults", "--datadir="+data,
		"--auth-root-authentication-method=normal", "--skip-test-db", "--user=root")
	if err != nil {
		return nil, err
	}
	if err := inst.wait(2 * time.Minute); err != nil {
		return nil, err
	}
	_, port, _ := net.SplitHostPort(s.Addr[name])
	m := &mariadb{sock: filepath.Join(d, "sock")}
	args := append([]string{"--no-defaults", "--datadir=" + data, "--socket=" + m.sock, "--port=" + port,
		"--bind-address=127.0.0.1", fmt.Sprintf("--server-id=%d", serverID), "--user=root", "--skip-name-resolve",
		"--innodb-buffer-pool-size=32M", "--innodb-log-file-size=16M", "--pid-file=" + filepath.Join(d, "pid"),
		"--log-error=" + filepath.Join(d, "err.log"), "--log-bin=bin", "--binlog-format=ROW", "--performance-schema=ON"},
		extra...)
	if err := s.serve(name, s.o.Bin.Mariadbd, args...); err != nil {
		return nil, err
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.User = "unix", m.sock, "root"
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, err
	}
	m.db = sql.OpenDB(conn)
	m.db.SetMaxOpenConns(2)
	return m, m.db.PingContext(ctx)
}

// startMariaDB starts the primary and its GTID replica, with the replication user and the
// exporter user (the grants of exporters/mysql/README.md), and waits until the replica runs.
func (s *Stack) startMariaDB(ctx context.Context) error {
	var err error
	if s.primary, err = s.startOneMariaDB(ctx, "mysql-primary", 1); err != nil {
		return err
	}
	if s.replica, err = s.startOneMariaDB(ctx, "mysql-replica", 2, "--read-only=ON", "--relay-log=relay"); err != nil {
		return err
	}
	if err := s.primary.exec(ctx,
		"CREATE USER repl@'127.0.0.1' IDENTIFIED BY 'e2e-repl-pw'",
		"GRANT REPLICATION SLAVE ON *.* TO repl@'127.0.0.1'",
		"CREATE USER 'exporter'@'%' IDENTIFIED BY '"+exporterPassword+"' WITH MAX_USER_CONNECTIONS 3",
		"GRANT PROCESS, REPLICA MONITOR ON *.* TO 'exporter'@'%'",
		"GRANT SELECT ON performance_schema.* TO 'exporter'@'%'",
		"CREATE DATABASE demo",
		"CREATE TABLE demo.t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(64))",
		"INSERT INTO demo.t (v) VALUES ('ggzy')"); err != nil {
		return fmt.Errorf("mysql-primary: %w", err)
	}
	_, port, _ := net.SplitHostPort(s.Addr["mysql-primary"])
	if err := s.replica.exec(ctx, fmt.Sprintf("CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%s, "+
		"MASTER_USER='repl', MASTER_PASSWORD='e2e-repl-pw', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1", port),
		"START SLAVE"); err != nil {
		return fmt.Errorf("mysql-replica: %w", err)
	}
	return s.waitReplica(ctx, true)
}

// waitReplica waits until both replication threads run (or, with running false, until the
// SQL thread is stopped).
func (s *Stack) waitReplica(ctx context.Context, running bool) error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		io, sqlT, err := s.replicaThreads(ctx)
		if err == nil && ((running && io && sqlT) || (!running && !sqlT)) {
			return nil
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("replica threads did not reach running=%v within a minute", running)
}

func (s *Stack) replicaThreads(ctx context.Context) (io, sqlThread bool, err error) {
	rows, err := s.replica.db.QueryContext(ctx, "SHOW SLAVE STATUS")
	if err != nil {
		return false, false, err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	if !rows.Next() {
		return false, false, fmt.Errorf("replication is not configured")
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		return false, false, err
	}
	for i, c := range cols {
		switch c {
		case "Slave_IO_Running":
			io = vals[i].String == "Yes"
		case "Slave_SQL_Running":
			sqlThread = vals[i].String == "Yes"
		}
	}
	return io, sqlThread, rows.Err()
}
