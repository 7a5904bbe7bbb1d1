package main

import (
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// Run with: go test -run '^$' -bench . -benchtime 1x ./exporters/nginx/
// Each benchmark measures once, whatever b.N is; the numbers are per scrape / per probe.

// upstreamBin is Debian's nginx-prometheus-exporter 0.11 (flags with a single dash).
const upstreamBin = "/usr/bin/prometheus-nginx-exporter"

func warmUp(b *testing.B, url string, n int) {
	b.Helper()
	for i := 0; i < n; i++ {
		resp, err := http.Get(url)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !strings.Contains(string(body), "nginx_up 1") && !strings.Contains(string(body), "nginx_up{") {
			b.Fatalf("%s is not scraping nginx:\n%s", url, body)
		}
	}
}

// BenchmarkVsUpstream scrapes the same real nginx through our exporter (single-target
// /metrics and /probe) and Debian's prometheus-nginx-exporter, sequentially.
func BenchmarkVsUpstream(b *testing.B) {
	nginx := nginxBinary(b, true)
	ours := promtest.BuildBinary(b, "./exporters/nginx")
	port := promtest.FreePort(b)
	startNginx(b, nginx, fmt.Sprintf(`
    server {
        listen 127.0.0.1:%d;
        location = /stub_status { stub_status; }
    }`, port), promtest.Addr(port))
	status := fmt.Sprintf("http://127.0.0.1:%d/stub_status", port)
	dir := promtest.TempDir(b, "nginx-bench")
	cfg := promtest.WriteFile(b, dir, "nginx.yml", "targets:\n"+targetYAML("web", status, ""))
	const n = 2000

	run := func(name, bin, path string, args func(string) []string) {
		b.Run(name, func(b *testing.B) {
			if _, err := exec.LookPath(bin); err != nil {
				b.Skipf("%s not installed", bin)
			}
			p, addr := promtest.StartListening(b, bin, args)
			base := "http://" + addr
			warmUp(b, base+path, 100)
			s := promtest.MeasureScrapes(b, p.Cmd.Process.Pid, base+path, n)
			s.Report(b)
			b.Logf("%-10s %s %s", name, path, s) // one row of the side-by-side table
		})
	}
	run("ours", ours, "/metrics", func(l string) []string {
		return []string{"--nginx.scrape-uri=" + status, "--web.listen-address=" + l, "--log.level=warn"}
	})
	// Like for like with upstream, whose /metrics carries no go_*/process_* families.
	run("ours-lean", ours, "/metrics", func(l string) []string {
		return []string{"--nginx.scrape-uri=" + status, "--web.listen-address=" + l, "--log.level=warn", "--web.disable-exporter-metrics"}
	})
	run("ours-probe", ours, "/probe?target=web", func(l string) []string {
		return []string{"--config.file=" + cfg, "--web.listen-address=" + l, "--log.level=warn"}
	})
	run("upstream", upstreamBin, "/metrics", func(l string) []string {
		return []string{"-nginx.scrape-uri=" + status, "-web.listen-address=" + l}
	})
}

// BenchmarkProbeFanout: one nginx listening on 100 ports, 100 configured targets, probed
// the way Prometheus would at worst: 20 rounds of 100 concurrent /probe requests.
func BenchmarkProbeFanout(b *testing.B) {
	nginx := nginxBinary(b, true)
	ours := promtest.BuildBinary(b, "./exporters/nginx")
	const targets, rounds = 100, 20
	ports := map[int]bool{}
	for len(ports) < targets {
		ports[promtest.FreePort(b)] = true
	}
	var listen, cfg strings.Builder
	cfg.WriteString("targets:\n")
	i, first := 0, 0
	for p := range ports {
		if i == 0 {
			first = p
		}
		fmt.Fprintf(&listen, "        listen 127.0.0.1:%d;\n", p)
		cfg.WriteString(targetYAML(fmt.Sprintf("t%03d", i), fmt.Sprintf("http://127.0.0.1:%d/stub_status", p), "zone: internet"))
		i++
	}
	startNginx(b, nginx, "    server {\n"+listen.String()+"        location = /stub_status { stub_status; }\n    }", promtest.Addr(first))
	dir := promtest.TempDir(b, "nginx-fanout")
	cfgPath := promtest.WriteFile(b, dir, "nginx.yml", cfg.String())
	// Probes over --web.max-requests wait for a slot until their deadline; setting it to the
	// number of targets lets every probe of a round run at once.
	p, addr := promtest.StartListening(b, ours, func(l string) []string {
		return []string{"--config.file=" + cfgPath, "--web.listen-address=" + l, "--web.max-requests=" + fmt.Sprint(targets), "--log.level=warn"}
	})
	base := "http://" + addr
	pid := p.Cmd.Process.Pid

	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: targets}}
	probeAll := func() []time.Duration {
		lat := make([]time.Duration, targets)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var failed []string
		for i := 0; i < targets; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/probe?target=t%03d", base, i), nil)
				req.Header.Set("X-Prometheus-Scrape-Timeout-Seconds", "10")
				start := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					mu.Lock()
					failed = append(failed, err.Error())
					mu.Unlock()
					return
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				lat[i] = time.Since(start)
				if resp.StatusCode != 200 || !strings.Contains(string(body), "nginx_up 1\n") {
					mu.Lock()
					failed = append(failed, fmt.Sprintf("t%03d: HTTP %d", i, resp.StatusCode))
					mu.Unlock()
				}
			}(i)
		}
		wg.Wait()
		if len(failed) > 0 {
			b.Fatalf("%d of %d probes failed, e.g. %s", len(failed), targets, failed[0])
		}
		return lat
	}
	probeAll() // warm up: connections to nginx and to the exporter

	cpu0 := promtest.ProcCPU(b, pid)
	start := time.Now()
	var all []time.Duration
	for r := 0; r < rounds; r++ {
		all = append(all, probeAll()...)
	}
	wall := time.Since(start)
	cpu := promtest.ProcCPU(b, pid) - cpu0
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	n := len(all)
	s := promtest.ScrapeStats{N: n, P50: all[n/2], P99: all[n*99/100], CPUPerScrape: cpu / time.Duration(n), RSSBytes: promtest.ProcRSS(b, pid)}
	s.Report(b)
	b.ReportMetric(float64(n)/wall.Seconds(), "probes/s")
	b.Logf("fan-out %d targets x %d rounds: %s, %.0f probes/s", targets, rounds, s, float64(n)/wall.Seconds())
}
