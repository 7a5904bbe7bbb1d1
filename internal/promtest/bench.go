package promtest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// BuildBinary builds a main package (e.g. "./exporters/nginx") of this module into a temp
// dir and returns the binary's path.
func BuildBinary(t testing.TB, pkg string) string {
	t.Helper()
	out, err := build(TempDir(t, "bin"), pkg)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// The binaries BuildOnce built, by package, and the errors of the builds that failed.
var built struct {
	mu   sync.Mutex
	dir  string
	bins map[string]string
	errs map[string]error
}

// BuildOnce is BuildBinary for a binary that several tests of a package share: the first
// call for pkg builds it, later calls return the same path (or the same failure). The
// binaries outlive the test that built them: the package's TestMain removes them with
// RemoveBuilt after m.Run.
func BuildOnce(t testing.TB, pkg string) string {
	t.Helper()
	built.mu.Lock()
	defer built.mu.Unlock()
	if built.bins == nil {
		built.bins, built.errs = map[string]string{}, map[string]error{}
	}
	if p, ok := built.bins[pkg]; ok {
		return p
	}
	if err, ok := built.errs[pkg]; ok {
		t.Fatal(err)
	}
	if built.dir == "" {
		d, err := os.MkdirTemp("", "bin")
		if err != nil {
			t.Fatal(err)
		}
		built.dir = d
	}
	dir, err := os.MkdirTemp(built.dir, "")
	if err == nil {
		var p string
		if p, err = build(dir, pkg); err == nil {
			built.bins[pkg] = p
			return p
		}
	}
	built.errs[pkg] = err
	t.Fatal(err)
	return ""
}

// RemoveBuilt removes the binaries BuildOnce built.
func RemoveBuilt() {
	built.mu.Lock()
	defer built.mu.Unlock()
	if built.dir != "" {
		os.RemoveAll(built.dir)
	}
	built.dir, built.bins, built.errs = "", nil, nil
}

// build runs go build for pkg (relative to the module root) with the binary in dir.
func build(dir, pkg string) (string, error) {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	out := filepath.Join(dir, filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", out, pkg)
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
	}
	return out, nil
}

// ScrapeStats is what a benchmark measures of one exporter process.
type ScrapeStats struct {
	N              int
	P50, P99       time.Duration
	CPUPerScrape   time.Duration // user+system time of the exporter process per scrape
	RSSBytes       int64         // resident set size after the scrapes
	BytesPerScrape int
}

// MeasureScrapes GETs url n times (sequentially) and measures the process pid.
func MeasureScrapes(t testing.TB, pid int, url string, n int) ScrapeStats {
	t.Helper()
	c := &http.Client{Timeout: 30 * time.Second}
	lat := make([]time.Duration, 0, n)
	cpu0 := ProcCPU(t, pid)
	size := 0
	for i := 0; i < n; i++ {
		start := time.Now()
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("scrape %s: %v", url, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("scrape %s: HTTP %d: %s", url, resp.StatusCode, b)
		}
		lat = append(lat, time.Since(start))
		size = len(b)
	}
	cpu := ProcCPU(t, pid) - cpu0
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	return ScrapeStats{
		N: n, P50: lat[n/2], P99: lat[(n*99)/100],
		CPUPerScrape: cpu / time.Duration(n), RSSBytes: ProcRSS(t, pid), BytesPerScrape: size,
	}
}

// Report puts stats on a benchmark's line.
func (s ScrapeStats) Report(b *testing.B) {
	b.ReportMetric(float64(s.P50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(s.P99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(s.CPUPerScrape.Microseconds()), "cpu-us/scrape")
	b.ReportMetric(float64(s.RSSBytes)/(1<<20), "rss-MiB")
	b.ReportMetric(0, "ns/op") // wall time per op is the p50 above; hide the noisy default
}

// String is one row of the side-by-side table.
func (s ScrapeStats) String() string {
	return fmt.Sprintf("n=%d p50=%.2fms p99=%.2fms cpu/scrape=%dµs rss=%.1fMiB body=%dB",
		s.N, float64(s.P50.Microseconds())/1000, float64(s.P99.Microseconds())/1000,
		s.CPUPerScrape.Microseconds(), float64(s.RSSBytes)/(1<<20), s.BytesPerScrape)
}

// ProcCPU is the user+system CPU time of a process, from /proc/<pid>/stat.
func ProcCPU(t testing.TB, pid int) time.Duration {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(fields[11], 10, 64)
	st, _ := strconv.ParseInt(fields[12], 10, 64)
	const hz = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / hz
}

// ProcRSS is a process' resident set size, from /proc/<pid>/status.
func ProcRSS(t testing.TB, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			kb, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return kb * 1024
		}
	}
	return 0
}
