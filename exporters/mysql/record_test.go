package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-sql-driver/mysql"
)

// recorder wraps the MySQL driver and writes every query's result set as a fixture file
// (the format of collector/fixture_test.go). Used with RECORD_FIXTURES=1 to refresh
// collector/testdata/fixtures/mariadb-* from the real servers this package starts.
type recorder struct {
	inner driver.Connector
	dir   string
}

// fixtureName is a readable slug of the query plus a short hash.
func fixtureName(q string) string {
	slug := strings.Trim(regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(strings.ToLower(q), "_"), "_")
	if len(slug) > 40 {
		slug = slug[:40]
	}
	return fmt.Sprintf("%s_%.6x.txt", slug, sha256.Sum256([]byte(q)))
}

func (r *recorder) Connect(ctx context.Context) (driver.Conn, error) {
	c, err := r.inner.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return &recConn{Conn: c, r: r}, nil
}

func (r *recorder) Driver() driver.Driver { return r.inner.Driver() }

type recConn struct {
	driver.Conn
	r *recorder
}

func escape(v driver.Value) string {
	switch x := v.(type) {
	case nil:
		return `\N`
	case []byte:
		v = string(x)
	}
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`).Replace(fmt.Sprint(v))
}

func (c *recConn) QueryContext(ctx context.Context, q string, args []driver.NamedValue) (driver.Rows, error) {
	rows, err := c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
	var b strings.Builder
	fmt.Fprintf(&b, "-- query: %s\n", q)
	var me *mysql.MySQLError
	switch {
	case errors.As(err, &me):
		fmt.Fprintf(&b, "-- error: %d %s\n", me.Number, me.Message)
	case err != nil:
		return nil, err
	default:
		cols := rows.Columns()
		b.WriteString(strings.Join(cols, "\t") + "\n")
		vals := make([]driver.Value, len(cols))
		for {
			if e := rows.Next(vals); e == io.EOF {
				break
			} else if e != nil {
				return nil, e
			}
			out := make([]string, len(vals))
			for i, v := range vals {
				out[i] = escape(v)
			}
			b.WriteString(strings.Join(out, "\t") + "\n")
		}
		rows.Close()
	}
	name := filepath.Join(c.r.dir, fixtureName(q))
	if werr := os.WriteFile(name, []byte(b.String()), 0o644); werr != nil {
		return nil, werr
	}
	if err != nil {
		return nil, err
	}
	// Replay what was read so the caller sees the same result.
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, q, args)
}

// recordingDB opens a pool on addr as user whose queries are recorded into dir.
func recordingDB(t testing.TB, addr, user, pw, dir string) *sql.DB {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, f := range old {
		os.Remove(f)
	}
	cfg := mysql.NewConfig()
	cfg.Net, cfg.Addr, cfg.User, cfg.Passwd = "tcp", addr, user, pw
	inner, err := mysql.NewConnector(cfg)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(&recorder{inner: inner, dir: dir})
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return db
}
