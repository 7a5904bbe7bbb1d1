package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// benchServer starts one MariaDB with an account both exporters can use.
func benchServer(b *testing.B) *mariadb {
	b.Helper()
	m := startMariaDB(b, 1, "--max-connections=400")
	m.exec(b, "CREATE USER 'exporter'@'%' IDENTIFIED BY 'bench-pw'",
		"GRANT PROCESS, REPLICA MONITOR, REPLICATION CLIENT, SELECT ON *.* TO 'exporter'@'%'")
	return m
}

// startOurs runs the built binary with a config of n targets on m; it returns the process
// and the base URL.
func startOurs(b *testing.B, m *mariadb, n int) (*promtest.Process, string) {
	b.Helper()
	bin := promtest.BuildBinary(b, "./exporters/mysql")
	dir := promtest.TempDir(b, "bench")
	pw := promtest.WriteFile(b, dir, "pw", "bench-pw")
	var cfg strings.Builder
	cfg.WriteString("targets:\n")
	for i := 1; i <= n; i++ {
		cfg.WriteString(targetYAML(fmt.Sprintf("db%03d", i), m.Addr(), "exporter", pw))
	}
	file := promtest.WriteFile(b, dir, "mysql.yml", cfg.String())
	p, addr := promtest.StartListening(b, bin, func(l string) []string {
		return []string{"--config.file=" + file, "--web.listen-address=" + l, "--web.max-requests=200"}
	})
	return p, "http://" + addr
}

// BenchmarkSideBySide scrapes the same MariaDB with ggzy_mysql_exporter (/probe, default
// collectors: global_status, global_variables, innodb, processlist, replica, error_log) and
// Debian's prometheus-mysqld-exporter 0.14 (/metrics, its defaults: global_status,
// global_variables, slave_status, info_schema.innodb_cmp(mem), query_response_time, plus
// info_schema.processlist and info_schema.innodb_metrics to match ours).
func BenchmarkSideBySide(b *testing.B) {
	upstream := promtest.Need(b, "prometheus-mysqld-exporter")
	m := benchServer(b)
	const n = 200

	ours, url := startOurs(b, m, 1)
	promtest.MeasureScrapes(b, ours.Cmd.Process.Pid, url+"/probe?target=db001", 10) // warm up
	so := promtest.MeasureScrapes(b, ours.Cmd.Process.Pid, url+"/probe?target=db001", n)

	b.Setenv("DATA_SOURCE_NAME", "exporter:bench-pw@("+m.Addr()+")/")
	theirs, addr := promtest.StartListening(b, upstream, func(l string) []string {
		return []string{"--web.listen-address=" + l, "--collect.info_schema.processlist", "--collect.info_schema.innodb_metrics"}
	})
	turl := "http://" + addr + "/metrics"
	promtest.MeasureScrapes(b, theirs.Cmd.Process.Pid, turl, 10)
	st := promtest.MeasureScrapes(b, theirs.Cmd.Process.Pid, turl, n)

	b.Logf("ggzy_mysql_exporter          %s", so)
	b.Logf("prometheus-mysqld-exporter   %s", st)
	so.Report(b)
	for i := 0; i < b.N; i++ { // the measurement above is the benchmark; -benchtime 1x
	}
}

// BenchmarkProbeFanout scrapes n configured targets concurrently, in rounds, as Prometheus
// does when every target of one exporter has the same scrape offset.
func BenchmarkProbeFanout(b *testing.B) {
	m := benchServer(b)
	for _, n := range []int{30, 100} {
		b.Run(strconv.Itoa(n)+"-targets", func(b *testing.B) {
			p, url := startOurs(b, m, n)
			pid := p.Cmd.Process.Pid
			client := &http.Client{Timeout: 30 * time.Second}
			round := func() (time.Duration, int) {
				start := time.Now()
				var wg sync.WaitGroup
				var mu sync.Mutex
				failed := 0
				for i := 1; i <= n; i++ {
					wg.Add(1)
					go func(i int) {
						defer wg.Done()
						resp, err := client.Get(fmt.Sprintf("%s/probe?target=db%03d", url, i))
						ok := err == nil && resp.StatusCode == 200
						if err == nil {
							body, _ := io.ReadAll(resp.Body)
							resp.Body.Close()
							ok = ok && strings.Contains(string(body), "mysql_up 1")
						}
						if !ok {
							mu.Lock()
							failed++
							mu.Unlock()
						}
					}(i)
				}
				wg.Wait()
				return time.Since(start), failed
			}
			round() // open the pools
			const rounds = 10
			cpu0 := promtest.ProcCPU(b, pid)
			var lat []time.Duration
			for r := 0; r < rounds; r++ {
				d, failed := round()
				if failed > 0 {
					b.Fatalf("round %d: %d of %d scrapes failed", r, failed, n)
				}
				lat = append(lat, d)
			}
			cpu := promtest.ProcCPU(b, pid) - cpu0
			sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
			rss := promtest.ProcRSS(b, pid)
			b.Logf("%d targets x %d rounds: round p50=%s max=%s cpu/round=%s cpu/scrape=%s rss=%.1fMiB",
				n, rounds, lat[rounds/2].Round(time.Millisecond), lat[rounds-1].Round(time.Millisecond),
				(cpu / rounds).Round(time.Millisecond), (cpu / time.Duration(rounds*n)).Round(time.Microsecond), float64(rss)/(1<<20))
			b.ReportMetric(float64(lat[rounds/2].Milliseconds()), "round-p50-ms")
			b.ReportMetric(float64(rss)/(1<<20), "rss-MiB")
			b.ReportMetric(0, "ns/op")
			for i := 0; i < b.N; i++ {
			}
		})
	}
}
