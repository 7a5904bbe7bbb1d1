package main

import (
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// Side-by-side with Debian's prometheus-redis-exporter (v1.45) on the same real Redis.
// `make bench` runs these with -benchtime 1x; each b.N is 200 scrapes (single target) or
// one round of 100 concurrent /probe scrapes (fan-out). Rows are printed with b.Logf.

// exporterProc is an exporter binary started by a benchmark.
type exporterProc struct {
	name string
	pid  int
	base string // http://127.0.0.1:port
}

func startExporter(b *testing.B, name, bin string, args func(listen string) []string) exporterProc {
	b.Helper()
	p, listen := promtest.StartListening(b, bin, args)
	return exporterProc{name: name, pid: p.Cmd.Process.Pid, base: "http://" + listen}
}

// benchRedis is a real Redis with some data in it.
func benchRedis(b *testing.B) *redisServer {
	b.Helper()
	srv := startRedis(b, "")
	srv.load(b, 1000, 500, 100)
	return srv
}

func BenchmarkScrapeVsUpstream(b *testing.B) {
	upstreamBin := promtest.Need(b, "prometheus-redis-exporter")
	srv := benchRedis(b)
	ours := startExporter(b, "ggzy_redis_exporter /metrics", promtest.BuildBinary(b, "./exporters/redis"), func(l string) []string {
		return []string{"--redis.addr", srv.Addr, "--web.listen-address", l, "--log.level", "warn"}
	})
	upstream := startExporter(b, "prometheus-redis-exporter 1.45 /metrics", upstreamBin, func(l string) []string {
		return []string{"-redis.addr", "redis://" + srv.Addr, "-web.listen-address", l}
	})
	for _, e := range []exporterProc{ours, upstream} {
		b.Run(strings.Fields(e.name)[0], func(b *testing.B) {
			url := e.base + "/metrics"
			promtest.MeasureScrapes(b, e.pid, url, 20) // warm up
			s := promtest.MeasureScrapes(b, e.pid, url, 200*b.N)
			s.Report(b)
			b.Logf("%-42s %s", e.name, s)
		})
	}
}

func BenchmarkProbeFanout100(b *testing.B) {
	upstreamBin := promtest.Need(b, "prometheus-redis-exporter")
	servers := []*redisServer{benchRedis(b), benchRedis(b), benchRedis(b), benchRedis(b)}
	dir := promtest.TempDir(b, "fanout")
	var targets []string
	var upstreamURLs, ourURLs []string
	for i := 0; i < 100; i++ {
		addr := servers[i%len(servers)].Addr
		name := fmt.Sprintf("redis-%03d", i)
		targets = append(targets, target(name, addr, "zone: internet"))
		ourURLs = append(ourURLs, "/probe?target="+name)
		upstreamURLs = append(upstreamURLs, "/scrape?target=redis://"+addr)
	}
	cfg := writeConfig(b, dir, targets...)
	ours := startExporter(b, "ggzy_redis_exporter /probe", promtest.BuildBinary(b, "./exporters/redis"), func(l string) []string {
		return []string{"--config.file", cfg, "--web.listen-address", l, "--web.max-requests", "0", "--log.level", "warn"}
	})
	upstream := startExporter(b, "prometheus-redis-exporter 1.45 /scrape", upstreamBin, func(l string) []string {
		return []string{"-redis.addr", "", "-web.listen-address", l}
	})
	for _, run := range []struct {
		e    exporterProc
		urls []string
	}{{ours, ourURLs}, {upstream, upstreamURLs}} {
		b.Run(strings.Fields(run.e.name)[0], func(b *testing.B) {
			fanout(b, run.e, run.urls, 1) // warm up
			s := fanout(b, run.e, run.urls, 3*b.N)
			b.ReportMetric(float64(s.p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(s.p99.Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(s.worstRound.Microseconds())/1000, "round-ms")
			b.ReportMetric(float64(s.cpu.Microseconds()), "cpu-us/scrape")
			b.ReportMetric(float64(s.rss)/(1<<20), "rss-MiB")
			b.ReportMetric(0, "ns/op")
			b.Logf("%-42s rounds=%d×%d p50=%.2fms p99=%.2fms slowest-round=%.1fms cpu/scrape=%dµs rss=%.1fMiB",
				run.e.name, s.rounds, len(run.urls), float64(s.p50.Microseconds())/1000, float64(s.p99.Microseconds())/1000,
				float64(s.worstRound.Microseconds())/1000, s.cpu.Microseconds(), float64(s.rss)/(1<<20))
		})
	}
}

type fanoutStats struct {
	rounds          int
	p50, p99        time.Duration
	worstRound, cpu time.Duration
	rss             int64
}

// fanout scrapes every URL at once, rounds times; every answer must say redis_up 1.
func fanout(b *testing.B, e exporterProc, urls []string, rounds int) fanoutStats {
	b.Helper()
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: len(urls)}}
	defer client.CloseIdleConnections()
	var (
		mu   sync.Mutex
		lat  []time.Duration
		errs []string
	)
	s := fanoutStats{rounds: rounds}
	cpu0 := promtest.ProcCPU(b, e.pid)
	for r := 0; r < rounds; r++ {
		start := time.Now()
		var wg sync.WaitGroup
		for _, u := range urls {
			wg.Add(1)
			go func(u string) {
				defer wg.Done()
				t0 := time.Now()
				resp, err := client.Get(e.base + u)
				var body []byte
				if err == nil {
					body, _ = io.ReadAll(resp.Body)
					resp.Body.Close()
				}
				d := time.Since(t0)
				mu.Lock()
				defer mu.Unlock()
				lat = append(lat, d)
				if err != nil || resp.StatusCode != 200 || !strings.Contains(string(body), "\nredis_up 1\n") {
					errs = append(errs, fmt.Sprintf("%s: %v %.200s", u, err, body))
				}
			}(u)
		}
		wg.Wait()
		s.worstRound = max(s.worstRound, time.Since(start))
	}
	s.cpu = (promtest.ProcCPU(b, e.pid) - cpu0) / time.Duration(len(lat))
	s.rss = promtest.ProcRSS(b, e.pid)
	if len(errs) > 0 {
		b.Fatalf("%s: %d failed scrapes, e.g. %s", e.name, len(errs), errs[0])
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	s.p50, s.p99 = lat[len(lat)/2], lat[len(lat)*99/100]
	return s
}
