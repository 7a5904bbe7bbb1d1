package main

import (
	"database/sql"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/sqlconn"
)

// Connection pool per target: one *sql.DB kept across scrapes (see README "Connections").
const (
	connMaxLifetime = 5 * time.Minute
	connMaxIdleTime = 2 * time.Minute
	dialTimeout     = 5 * time.Second
)

// dsn is the target's connection setting with the password read now (from its file or env).
func (t Target) dsn() (sqlconn.DSN, error) {
	pw, err := config.ReadSecret(t.PasswordFile, t.PasswordEnv)
	if err != nil {
		return sqlconn.DSN{}, err
	}
	d := sqlconn.DSN{Net: "tcp", Addr: t.Address, User: t.Username, Password: sqlconn.Secret(pw)}
	if t.Socket != "" {
		d.Net, d.Addr = "unix", t.Socket
	}
	return d, nil
}

// fingerprint identifies everything a pooled handle was opened with, including the TLS
// files' size and modification time, so replaced certificates open a new pool.
func (t Target) fingerprint(d sqlconn.DSN) string {
	parts := []string{d.Net, d.Addr, d.User, d.Password.Reveal(), fmt.Sprintf("%+v", t.TLS), fmt.Sprint(t.MaxOpenConnections)}
	for _, f := range []string{t.TLS.CAFile, t.TLS.CertFile, t.TLS.KeyFile} {
		if f == "" {
			continue
		}
		if st, err := os.Stat(f); err == nil {
			parts = append(parts, fmt.Sprint(st.Size(), st.ModTime().UnixNano()))
		}
	}
	return sqlconn.Fingerprint(parts...)
}

// open builds the target's pool. No connection is made here.
func (t Target) open(d sqlconn.DSN, logger *slog.Logger) (*sql.DB, error) {
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.User, cfg.Passwd = d.Net, d.Addr, d.User, d.Password.Reveal()
	cfg.Timeout = dialTimeout
	cfg.Logger = driverLogger{logger}
	// Metadata locks (information_schema.TABLES during DDL) must not hold a scrape.
	cfg.Params = map[string]string{"lock_wait_timeout": "2"}
	cfg.ConnectionAttributes = "program_name:ggzy_mysql_exporter"
	if t.TLS.Enabled {
		tc, err := t.TLS.Config()
		if err != nil {
			return nil, err
		}
		if tc.ServerName == "" {
			tc.ServerName, _, _ = net.SplitHostPort(t.Address)
		}
		cfg.TLS = tc
	}
	conn, err := mysql.NewConnector(cfg)
	if err != nil {
		return nil, fmt.Errorf("connection settings for %s: %w", d, err)
	}
	db := sql.OpenDB(conn)
	db.SetMaxOpenConns(t.MaxOpenConnections)
	db.SetMaxIdleConns(t.MaxOpenConnections)
	db.SetConnMaxLifetime(connMaxLifetime)
	db.SetConnMaxIdleTime(connMaxIdleTime)
	return db, nil
}

// driverLogger sends go-sql-driver/mysql's messages (packet errors, never credentials) to slog.
type driverLogger struct{ l *slog.Logger }

func (d driverLogger) Print(v ...any) { d.l.Debug("mysql driver", "msg", fmt.Sprint(v...)) }
