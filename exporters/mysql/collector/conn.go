// Package collector reads MySQL and MariaDB servers: one data source per file, each a
// collector.Collector bound to one target's connection pool.
package collector

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"

	"github.com/ggzy/ggzy-exporters/internal/sqlconn"
)

// Namespace of every metric of this exporter.
const Namespace = "mysql"

// Flavors of server.
const (
	FlavorMySQL   = "mysql"
	FlavorMariaDB = "mariadb"
	FlavorPercona = "percona"
)

// ServerInfo is what the scrape's check learned about the server.
type ServerInfo struct {
	Flavor              string
	Version             string // numeric part, e.g. 10.11.19
	Major, Minor, Patch int
}

// AtLeast reports whether the server's version is major.minor.patch or later.
func (s ServerInfo) AtLeast(major, minor, patch int) bool {
	if s.Major != major {
		return s.Major > major
	}
	if s.Minor != minor {
		return s.Minor > minor
	}
	return s.Patch >= patch
}

// MariaDB reports whether the server is MariaDB.
func (s ServerInfo) MariaDB() bool { return s.Flavor == FlavorMariaDB }

var versionRe = regexp.MustCompile(`^(?:5\.5\.5-)?(\d+)\.(\d+)\.(\d+)`)

// ParseServerInfo reads VERSION() and @@version_comment.
func ParseServerInfo(version, comment string) (ServerInfo, error) {
	m := versionRe.FindStringSubmatch(version)
	if m == nil {
		return ServerInfo{}, fmt.Errorf("unrecognised server version %q", version)
	}
	var s ServerInfo
	s.Major, _ = strconv.Atoi(m[1])
	s.Minor, _ = strconv.Atoi(m[2])
	s.Patch, _ = strconv.Atoi(m[3])
	s.Version = fmt.Sprintf("%d.%d.%d", s.Major, s.Minor, s.Patch)
	switch lv, lc := strings.ToLower(version), strings.ToLower(comment); {
	case strings.Contains(lv, "mariadb") || strings.Contains(lc, "mariadb"):
		s.Flavor = FlavorMariaDB
	case strings.Contains(lc, "percona"):
		s.Flavor = FlavorPercona
	default:
		s.Flavor = FlavorMySQL
	}
	return s, nil
}

// Conn is one scrape's access to a target: the pooled handle, the per-query timeout and,
// once Check has run, the server's flavor and version.
type Conn struct {
	DB           *sql.DB
	QueryTimeout time.Duration
	Info         ServerInfo
}

// Check is the scrape's up check: a ping (connect and authenticate if no pooled
// connection is open) and the server version, which the collectors use to pick their syntax.
func (c *Conn) Check(ctx context.Context) error {
	if c.DB == nil {
		return errors.New("no connection")
	}
	var version, comment string
	err := c.query(ctx, "SELECT VERSION(), @@version_comment", func(r *sql.Rows) error {
		return r.Scan(&version, &comment)
	})
	if err != nil {
		return err
	}
	if version == "" {
		return errors.New("server returned no version")
	}
	c.Info, err = ParseServerInfo(version, comment)
	return err
}

// query runs q under the per-query timeout and calls row for each row.
func (c *Conn) query(ctx context.Context, q string, row func(*sql.Rows) error) error {
	ctx, cancel := sqlconn.WithQueryTimeout(ctx, c.QueryTimeout)
	defer cancel()
	rows, err := c.DB.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := row(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// keyValues runs a SHOW STATUS / SHOW VARIABLES style query (two columns) into a map.
func (c *Conn) keyValues(ctx context.Context, q string) (map[string]string, error) {
	out := map[string]string{}
	err := c.query(ctx, q, func(r *sql.Rows) error {
		var k string
		var v sql.NullString
		if err := r.Scan(&k, &v); err != nil {
			return err
		}
		out[strings.ToLower(k)] = v.String
		return nil
	})
	return out, err
}

// records runs q and returns each row as lower-cased column name → value (NULL: Valid false).
func (c *Conn) records(ctx context.Context, q string) ([]map[string]sql.NullString, error) {
	var out []map[string]sql.NullString
	var cols []string
	err := c.query(ctx, q, func(r *sql.Rows) error {
		if cols == nil {
			var err error
			if cols, err = r.Columns(); err != nil {
				return err
			}
		}
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return err
		}
		rec := make(map[string]sql.NullString, len(cols))
		for i, col := range cols {
			rec[strings.ToLower(col)] = vals[i]
		}
		out = append(out, rec)
		return nil
	})
	return out, err
}

// parseNumber reads a status or variable value: numbers, ON/OFF, YES/NO.
func parseNumber(s string) (float64, bool) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "ON", "YES", "TRUE":
		return 1, true
	case "OFF", "NO", "FALSE", "DISABLED":
		return 0, true
	}
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return v, err == nil
}

// mysqlErrorNumber returns the server error number of err, or 0.
func mysqlErrorNumber(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}
