package collector

import (
	"bufio"
	"database/sql/driver"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/DATA-DOG/go-sqlmock"
	"github.com/go-sql-driver/mysql"
)

// A fixture file is one query's result set:
//
//	-- query: SHOW GLOBAL STATUS
//	Variable_name<TAB>Value
//	Aborted_clients<TAB>0
//
// Values escape \t \n \\ and NULL is \N. "-- error: <number> <message>" instead of the
// header makes the query fail with that server error.
type fixture struct {
	Query   string
	Columns []string
	Rows    [][]*string
	ErrNo   uint16
	ErrMsg  string
}

func unescape(s string) *string {
	if s == `\N` {
		return nil
	}
	r := strings.NewReplacer(`\t`, "\t", `\n`, "\n", `\\`, `\`).Replace(s)
	return &r
}

func readFixture(t testing.TB, path string) fixture {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var fx fixture
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "-- query: "):
			fx.Query = strings.TrimPrefix(line, "-- query: ")
		case strings.HasPrefix(line, "-- error: "):
			num, msg, _ := strings.Cut(strings.TrimPrefix(line, "-- error: "), " ")
			n, _ := strconv.Atoi(num)
			fx.ErrNo, fx.ErrMsg = uint16(n), msg
		case strings.HasPrefix(line, "-- "):
		case fx.Columns == nil:
			fx.Columns = strings.Split(line, "\t")
		default:
			var row []*string
			for _, v := range strings.Split(line, "\t") {
				row = append(row, unescape(v))
			}
			if len(row) != len(fx.Columns) {
				t.Fatalf("%s: row has %d values, header %d", path, len(row), len(fx.Columns))
			}
			fx.Rows = append(fx.Rows, row)
		}
	}
	if fx.Query == "" {
		t.Fatalf("%s: no -- query: line", path)
	}
	return fx
}

// mockServer replays a fixture directory with go-sqlmock: every query the collectors run
// must have a fixture, in any order.
func mockServer(t testing.TB, dir string) (*Conn, sqlmock.Sqlmock) {
	t.Helper()
	db, mock, err := sqlmock.New(sqlmock.QueryMatcherOption(sqlmock.QueryMatcherEqual))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	mock.MatchExpectationsInOrder(false)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	sort.Strings(files)
	if len(files) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	for _, f := range files {
		fx := readFixture(t, f)
		e := mock.ExpectQuery(fx.Query)
		if fx.ErrNo != 0 {
			e.WillReturnError(&mysql.MySQLError{Number: fx.ErrNo, Message: fx.ErrMsg})
			continue
		}
		rows := sqlmock.NewRows(fx.Columns)
		for _, r := range fx.Rows {
			vals := make([]driver.Value, len(r))
			for i, v := range r {
				if v != nil {
					vals[i] = *v
				}
			}
			rows.AddRow(vals...)
		}
		e.WillReturnRows(rows)
	}
	return &Conn{DB: db}, mock
}
