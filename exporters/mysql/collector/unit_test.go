package collector

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
	"github.com/go-sql-driver/mysql"
	"github.com/prometheus/client_golang/prometheus"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
)

func TestParseServerInfo(t *testing.T) {
	for _, c := range []struct {
		version, comment, flavor, want string
	}{
		{"10.11.19-MariaDB-0+deb12u1-log", "Debian 12", FlavorMariaDB, "10.11.19"},
		{"5.5.5-10.6.12-MariaDB", "mariadb.org binary distribution", FlavorMariaDB, "10.6.12"},
		{"8.0.36", "MySQL Community Server - GPL", FlavorMySQL, "8.0.36"},
		{"8.4.3", "MySQL Community Server - GPL", FlavorMySQL, "8.4.3"},
		{"8.0.35-27", "Percona Server (GPL), Release 27, Revision 2f8eeab2", FlavorPercona, "8.0.35"},
		{"5.7.44-log", "MySQL Community Server (GPL)", FlavorMySQL, "5.7.44"},
	} {
		s, err := ParseServerInfo(c.version, c.comment)
		if err != nil || s.Flavor != c.flavor || s.Version != c.want {
			t.Errorf("%s: got %+v %v", c.version, s, err)
		}
	}
	if _, err := ParseServerInfo("garbage", ""); err == nil {
		t.Error("garbage version accepted")
	}
}

func TestReplicaQueryBySyntax(t *testing.T) {
	for v, want := range map[string]string{
		"10.11.19-MariaDB": "SHOW ALL SLAVES STATUS", "5.7.44": "SHOW SLAVE STATUS", "8.0.21": "SHOW SLAVE STATUS",
		"8.0.22": "SHOW REPLICA STATUS", "8.4.3": "SHOW REPLICA STATUS", "9.1.0": "SHOW REPLICA STATUS",
	} {
		s, _ := ParseServerInfo(v, "")
		if got := replicaQuery(s); got != want {
			t.Errorf("%s: %s, want %s", v, got, want)
		}
	}
}

func TestGTIDArithmetic(t *testing.T) {
	a, err := parseMySQLGTIDSet("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-10:15-20,\n8a94f357-aab4-11df-86ab-c80aa9429562:1-5")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := parseMySQLGTIDSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-8:16,8a94f357-aab4-11df-86ab-c80aa9429562:1-5:7")
	if got := a.missing(b); got != 2+5 { // 9-10 and 15,17-20
		t.Errorf("missing = %d, want 7", got)
	}
	tagged, err := parseMySQLGTIDSet("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-3:ops:1-2")
	if err != nil || tagged.missing(gtidSet{}) != 5 {
		t.Errorf("tagged GTIDs: %v %v", tagged, err)
	}
	if _, err := parseMySQLGTIDSet("uuid:5-1"); err == nil {
		t.Error("bad interval accepted")
	}
	io, _ := parseMariaDBGTIDPos("0-1-105,1-2-40")
	applied, _ := parseMariaDBGTIDPos("0-1-100")
	if got := mariaDBPending(io, applied); got != 5+40 {
		t.Errorf("MariaDB pending = %d", got)
	}
	if _, err := parseMariaDBGTIDPos("0-1"); err == nil {
		t.Error("bad MariaDB GTID accepted")
	}
}

func TestProcesslistLabelsAreBounded(t *testing.T) {
	allowed := map[string]bool{"other": true}
	for _, c := range exactStates {
		allowed[c] = true
	}
	for _, c := range []string{"waiting_for_metadata_lock", "waiting_for_global_read_lock", "waiting_for_lock", "binlog_dump",
		"replication_io", "replication_sql", "waiting"} {
		allowed[c] = true
	}
	for _, s := range []string{"Waiting for table metadata lock", "Waiting for global read lock", "Sending data",
		"Waiting for source to send event", "Replica has read all relay log; waiting for more updates",
		"Source has sent all binlog to replica; waiting for more updates", "some free text 12345 from a plugin", "",
		"Waiting for commit lock", "Waiting for table level lock", "converting HEAP to ondisk"} {
		if l := stateLabel(s); !allowed[l] {
			t.Errorf("state %q -> %q outside the fixed set", s, l)
		}
	}
	if commandLabel("Binlog Dump GTID") != "binlog_dump_gtid" || commandLabel("Weird Plugin Cmd") != "other" {
		t.Error("command labels")
	}
	if stateLabel("Waiting for table metadata lock") != "waiting_for_metadata_lock" {
		t.Error("metadata lock")
	}
}

func collect(t *testing.T, c icollector.Collector) ([]prometheus.Metric, error) {
	t.Helper()
	ch := make(chan prometheus.Metric, 1000)
	err := c.Update(context.Background(), ch)
	close(ch)
	var out []prometheus.Metric
	for m := range ch {
		out = append(out, m)
	}
	return out, err
}

func TestErrorLogNoData(t *testing.T) {
	db, mock, _ := sqlmock.New()
	defer db.Close()
	maria, _ := ParseServerInfo("10.11.19-MariaDB", "")
	if _, err := collect(t, ErrorLog{C: &Conn{DB: db, Info: maria}}); !errors.Is(err, icollector.ErrNoData) {
		t.Errorf("MariaDB: %v, want ErrNoData", err)
	}
	old, _ := ParseServerInfo("8.0.21", "")
	if _, err := collect(t, ErrorLog{C: &Conn{DB: db, Info: old}}); !errors.Is(err, icollector.ErrNoData) {
		t.Errorf("8.0.21: %v, want ErrNoData", err)
	}
	mysql8, _ := ParseServerInfo("8.0.36", "")
	mock.ExpectQuery("performance_schema.error_log").WillReturnError(&mysql.MySQLError{Number: 1146, Message: "Table 'performance_schema.error_log' doesn't exist"})
	if _, err := collect(t, ErrorLog{C: &Conn{DB: db, Info: mysql8}}); !errors.Is(err, icollector.ErrNoData) {
		t.Errorf("missing table: %v, want ErrNoData", err)
	}
	mock.ExpectQuery("performance_schema.error_log").WillReturnError(&mysql.MySQLError{Number: 1142, Message: "SELECT command denied"})
	if _, err := collect(t, ErrorLog{C: &Conn{DB: db, Info: mysql8}}); err == nil || errors.Is(err, icollector.ErrNoData) {
		t.Errorf("permission denied must fail the collector: %v", err)
	}
}

// On MySQL the undo history comes from INNODB_METRICS (PROCESS privilege): without it the
// collector fails but what it read before is still sent.
func TestInnoDBHistoryPermission(t *testing.T) {
	db, mock, _ := sqlmock.New()
	defer db.Close()
	mock.ExpectQuery("SHOW GLOBAL STATUS LIKE").WillReturnRows(sqlmock.NewRows([]string{"Variable_name", "Value"}).
		AddRow("Innodb_data_reads", "10").AddRow("Innodb_row_lock_time", "1500"))
	mock.ExpectQuery("SHOW GLOBAL VARIABLES").WillReturnRows(sqlmock.NewRows([]string{"Variable_name", "Value"}).
		AddRow("innodb_buffer_pool_size", "134217728"))
	mock.ExpectQuery("INNODB_METRICS").WillReturnError(&mysql.MySQLError{Number: 1227, Message: "Access denied; you need (at least one of) the PROCESS privilege(s)"})
	ms, err := collect(t, InnoDB{C: &Conn{DB: db}})
	if err == nil || !strings.Contains(err.Error(), "trx_rseg_history_len") {
		t.Errorf("err = %v", err)
	}
	if len(ms) != 3 {
		t.Errorf("got %d metrics, want 3 (reads, lock time, pool size)", len(ms))
	}
}

// A query that outlives its per-query timeout is cancelled even when the scrape has time left.
func TestQueryTimeout(t *testing.T) {
	db, mock, _ := sqlmock.New()
	defer db.Close()
	mock.ExpectQuery("SHOW GLOBAL STATUS").WillDelayFor(2 * time.Second).WillReturnRows(sqlmock.NewRows([]string{"a", "b"}))
	c := &Conn{DB: db, QueryTimeout: 100 * time.Millisecond}
	start := time.Now()
	_, err := collect(t, GlobalStatus{C: c})
	if err == nil || time.Since(start) > time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
}
