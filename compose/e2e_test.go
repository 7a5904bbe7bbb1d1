package compose_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/compose/native"
	"github.com/ggzy/ggzy-exporters/dashboards/board"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// e2eInterval is the scrape and evaluation interval of the end-to-end stack.
const e2eInterval = 2 * time.Second

// expected alerts of the injected faults: name, incident class, and the target service.
var expectedAlerts = []struct{ alert, class, service string }{
	{"NginxDown", "major", "portal"},
	{"MySQLReplicaSQLThreadStopped", "major", "trading-db"},
	{"RedisMemoryNearMax", "general", "trading"},
}

// mayBeEmpty are dashboard queries (dashboard uid / panel / refId) that cannot have data in
// the e2e topology, with why; every query on windows_* metrics only is also allowed to be
// empty (no Windows host: windows_exporter is not in Debian). They must still run.
var mayBeEmpty = map[string]string{
	"ggzy-nginx/平均请求耗时（Tengine）/A": "nginx-light is not Tengine: no nginx_http_request_time_seconds_total",
	"ggzy-capacity/利用率低的主机（可回收）/A": "lists hosts only if the test machine happens to be under-used",
	"ggzy-capacity/利用率低的主机（可回收）/B": "lists hosts only if the test machine happens to be under-used",
	"ggzy-mysql/主从复制/C":            "super_read_only is MySQL's; MariaDB has none",
	"ggzy-redis/复制/B":              "redis_replication_master_last_io_seconds is for Redis replicas; the topology has none",
	"ggzy-wall/离线的导出器与目标/A":        "up == 0 only when Prometheus cannot scrape an exporter; the faults are behind the exporters",
	"ggzy-wall-zone/离线的导出器与目标/A":   "as ggzy-wall",
}

// windowsPanel: every query on windows_* metrics may be empty (no Windows host here).
func windowsOnly(expr string) bool {
	return strings.Contains(expr, "windows_") && !strings.Contains(expr, "node_") && !strings.Contains(expr, "instance:") && !strings.Contains(expr, "instance_mountpoint:")
}

// TestE2E runs the compose topology natively (compose/native): real nginx, Redis, a MariaDB
// primary and replica, node_exporter, our four exporters, Prometheus 2.42 with rules/*.yml
// and Alertmanager 0.25 with rules/alertmanager/alertmanager.yml, its receivers pointed at a
// webhook sink. It checks discovery through /sd, that every dashboard query returns data,
// then injects three faults at once and checks that each alert reaches the receivers the
// routes choose at that time (Alertmanager's own routing and time-interval code on the
// generated config) with the right incident_class, and that each resolves after repair.
func TestE2E(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: a few minutes")
	}
	bins := native.DebianBinaries(map[string]string{})
	for _, b := range []string{bins.Nginx, bins.RedisServer, bins.Mariadbd, bins.MariadbInstallDB, bins.Prometheus, bins.Alertmanager, bins.NodeExporter} {
		promtest.Need(t, b)
	}
	for _, e := range []string{"nginx", "redis", "mysql", "calendar"} {
		bins.Exporters[e] = promtest.BuildBinary(t, "./exporters/"+e)
	}
	repo, _ := filepath.Abs("..")
	amConfig := filepath.Join(repo, "rules", "alertmanager", "alertmanager.yml")
	routes, err := newRouter(amConfig)
	if err != nil {
		t.Fatalf("Alertmanager config of the rules: %v", err)
	}

	sink := &native.Sink{OnNotify: func(n native.Notification) {
		for _, a := range n.Alerts {
			t.Logf("notification: receiver=%s status=%s alert=%s class=%s", n.Receiver, a.Status, a.Labels["alertname"], a.Labels["incident_class"])
		}
	}}
	srv := httptest.NewServer(sink)
	t.Cleanup(srv.Close)

	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	stack, err := native.Start(ctx, native.Options{
		Dir: promtest.TempDir(t, "e2e"), Repo: repo, Bin: bins,
		WebhookURL: srv.URL + "/", Interval: e2eInterval, Zone: "internet",
	})
	if err != nil {
		t.Fatalf("start the stack: %v", err)
	}
	t.Cleanup(stack.Stop)
	prom := "http://" + stack.Addr["prometheus"]

	// 1. Discovery: the probe targets come from the exporters' /sd and are up.
	want := map[string][]string{"ggzy-nginx": {"demo-nginx"}, "ggzy-redis": {"demo-redis"},
		"ggzy-mysql": {"demo-mysql-primary", "demo-mysql-replica"}, "calendar": {stack.Addr["calendar-exporter"]},
		"node": {stack.Addr["node-exporter"]}}
	promtest.Eventually(t, 90*time.Second, "every target discovered and up", func() bool {
		return targetsUp(t, prom, want) == ""
	})
	if msg := targetsUp(t, prom, want); msg != "" {
		t.Fatal(msg)
	}
	// Give rate() and the recording rules a few samples.
	time.Sleep(10 * e2eInterval)
	hasData := map[string]dashResult{}
	checkDashboards(t, prom, hasData)

	// 2. Faults, all at once.
	start := time.Now()
	stack.StopNginx()
	if err := stack.StopReplicaSQLThread(ctx); err != nil {
		t.Fatal(err)
	}
	if err := stack.FillRedis(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("faults injected at %s", start.Format(time.RFC3339))

	for _, e := range expectedAlerts {
		promtest.Eventually(t, 4*time.Minute, e.alert+" notified", func() bool {
			return len(notified(sink, e.alert, "firing")) > 0
		})
	}
	// Everything is firing now: ALERTS, the incident tables and the down targets have data.
	time.Sleep(3 * e2eInterval)
	checkDashboards(t, prom, hasData)
	reportDashboards(t, hasData)

	// Each alert went to the receivers the routes choose at that time, with its labels.
	for _, e := range expectedAlerts {
		got := notified(sink, e.alert, "firing")
		for _, n := range got {
			for _, a := range n.Alerts {
				if a.Labels["alertname"] != e.alert {
					continue
				}
				if a.Labels["incident_class"] != e.class || a.Labels["service"] != e.service {
					t.Errorf("%s: incident_class=%q service=%q, want %q %q", e.alert, a.Labels["incident_class"], a.Labels["service"], e.class, e.service)
				}
				allowed := map[string]bool{}
				for _, at := range []time.Time{a.StartsAt, n.At} { // the window can cross a boundary
					rs, err := routes.receivers(a.Labels, at)
					if err != nil {
						t.Fatal(err)
					}
					for _, r := range rs {
						allowed[r] = true
					}
				}
				if !allowed[n.Receiver] {
					t.Errorf("%s reached %q; the routes allow %v at that time", e.alert, n.Receiver, keys(allowed))
				}
			}
		}
		now := time.Now()
		lbls := got[0].Alerts[0].Labels
		wantRs, _ := routes.receivers(lbls, now)
		var gotRs []string
		for _, n := range got {
			gotRs = append(gotRs, n.Receiver)
		}
		for _, r := range wantRs {
			if !slices.Contains(gotRs, r) && stableRoutes(routes, lbls, start, now) {
				t.Errorf("%s: receiver %s should have been notified (got %v)", e.alert, r, gotRs)
			}
		}
		t.Logf("%s (%s): notified %v; routes at %s: %v", e.alert, e.class, uniqSorted(gotRs), now.Format("15:04 MST"), wantRs)
	}
	if len(notified(sink, "Watchdog", "firing")) == 0 {
		t.Errorf("no Watchdog notification reached the sink")
	} else if n := notified(sink, "Watchdog", "firing")[0]; n.Receiver != "heartbeat" {
		t.Errorf("Watchdog reached %q, want heartbeat", n.Receiver)
	}

	// 3. Repair, and every alert resolves.
	if err := stack.StartNginx(ctx); err != nil {
		t.Fatal(err)
	}
	if err := stack.StartReplicaSQLThread(ctx); err != nil {
		t.Fatal(err)
	}
	if err := stack.FlushRedis(ctx); err != nil {
		t.Fatal(err)
	}
	// Resolved notifications leave at the group's next flush: team-chat's group_interval is
	// 5m, the longest wait of the run.
	promtest.Eventually(t, 7*time.Minute, "every alert resolved at its receivers", func() bool {
		for _, e := range expectedAlerts {
			if len(notified(sink, e.alert, "resolved")) == 0 {
				return false
			}
		}
		return true
	})
	for _, e := range expectedAlerts {
		for _, n := range notified(sink, e.alert, "resolved") {
			if n.Receiver == "low-noise" || n.Receiver == "heartbeat" {
				t.Errorf("%s resolved at %s, which is not an incident receiver", e.alert, n.Receiver)
			}
		}
	}
	if f := firing(t, prom); len(f) > 0 {
		for _, e := range expectedAlerts {
			if slices.Contains(f, e.alert) {
				t.Errorf("%s still firing in Prometheus after repair", e.alert)
			}
		}
	}
	t.Logf("end to end: %s from the faults to the last resolution", time.Since(start).Round(time.Second))
}

// dashResult: whether a panel's queries returned data in any phase, and whether all of them
// are on windows_* metrics only.
type dashResult struct{ data, windows bool }

// stableRoutes: the routes chose the same receivers at both ends of the window (otherwise a
// missing receiver may be one that became active only later).
func stableRoutes(r *router, lbls map[string]string, a, b time.Time) bool {
	x, _ := r.receivers(lbls, a)
	y, _ := r.receivers(lbls, b)
	return slices.Equal(x, y)
}

func notified(s *native.Sink, alert, status string) []native.Notification {
	var out []native.Notification
	for _, n := range s.All() {
		for _, a := range n.Alerts {
			if a.Labels["alertname"] == alert && a.Status == status {
				out = append(out, n)
				break
			}
		}
	}
	return out
}

// checkDashboards runs every dashboard query against Prometheus and records which returned
// data; a query that errors fails the test.
func checkDashboards(t *testing.T, prom string, hasData map[string]dashResult) {
	t.Helper()
	vars := map[string]string{"__rate_interval": "30s", "zone": "internet"}
	for _, b := range board.All() {
		d, err := b.Build()
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range board.Queries(d) {
			key := q.Dashboard + "/" + q.Panel + "/" + q.RefID
			_, seen := hasData[key]
			var n int
			if q.Variable {
				n = seriesCount(t, prom, variableSelector(q.Expr, vars))
			} else {
				n = queryCount(t, prom, board.Expand(q.Expr, vars), key)
			}
			r := hasData[key]
			r.data = r.data || n > 0
			r.windows = windowsOnly(q.Expr) && (r.windows || !seen)
			hasData[key] = r
		}
	}
}

func reportDashboards(t *testing.T, hasData map[string]dashResult) {
	t.Helper()
	var empty []string
	n := 0
	for key, r := range hasData {
		if r.data {
			n++
			continue
		}
		if r.windows {
			t.Logf("no data (allowed: no Windows host, windows_exporter is not in Debian): %s", key)
			continue
		}
		if why, allowed := mayBeEmpty[key]; allowed {
			t.Logf("no data (allowed: %s): %s", why, key)
			continue
		}
		empty = append(empty, key)
	}
	slices.Sort(empty)
	for _, k := range empty {
		t.Errorf("dashboard query returned no data in the e2e topology: %s", k)
	}
	t.Logf("%d of %d dashboard queries (panel targets and variables) returned data", n, len(hasData))
}

func variableSelector(expr string, vars map[string]string) string {
	s := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(expr), "label_values("), ")")
	i := strings.LastIndex(s, ",")
	return board.Expand(strings.TrimSpace(s[:i]), vars)
}

func apiGet(t *testing.T, u string, out any) {
	t.Helper()
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d: %s", u, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

func queryCount(t *testing.T, prom, expr, where string) int {
	t.Helper()
	var r struct {
		Status string `json:"status"`
		Data   struct {
			Result []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	c := http.Client{Timeout: 30 * time.Second}
	resp, err := c.Get(prom + "/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &r) != nil || r.Status != "success" {
		t.Errorf("%s: query fails on Prometheus 2.42: HTTP %d %s\n%s", where, resp.StatusCode, b, expr)
		return 0
	}
	return len(r.Data.Result)
}

func seriesCount(t *testing.T, prom, sel string) int {
	t.Helper()
	var r struct {
		Data []map[string]string `json:"data"`
	}
	apiGet(t, prom+"/api/v1/series?match[]="+url.QueryEscape(sel)+"&start="+fmt.Sprint(time.Now().Add(-time.Hour).Unix()), &r)
	return len(r.Data)
}

// targetsUp returns "" when every wanted job has its instances up, discovered as wanted.
func targetsUp(t *testing.T, prom string, want map[string][]string) string {
	t.Helper()
	var r struct {
		Data struct {
			ActiveTargets []struct {
				DiscoveredLabels map[string]string `json:"discoveredLabels"`
				Labels           map[string]string `json:"labels"`
				Health           string            `json:"health"`
				LastError        string            `json:"lastError"`
			} `json:"activeTargets"`
		} `json:"data"`
	}
	apiGet(t, prom+"/api/v1/targets?state=active", &r)
	var missing []string
	for job, instances := range want {
		for _, inst := range instances {
			found := ""
			for _, tg := range r.Data.ActiveTargets {
				if tg.Labels["job"] != job || tg.Labels["instance"] != inst {
					continue
				}
				found = tg.Health
				if strings.HasPrefix(job, "ggzy-") {
					// discovered through the exporter's /sd, with its labels
					if tg.DiscoveredLabels["__meta_url"] == "" || tg.Labels["zone"] != "internet" || tg.Labels["service"] == "" {
						found = "not from /sd: " + fmt.Sprint(tg.DiscoveredLabels)
					}
				}
				if tg.Health != "up" && tg.LastError != "" {
					found += " (" + tg.LastError + ")"
				}
			}
			if found != "up" {
				missing = append(missing, fmt.Sprintf("%s/%s: %q", job, inst, found))
			}
		}
	}
	if len(missing) > 0 {
		return "targets not up: " + strings.Join(missing, "; ")
	}
	return ""
}

func firing(t *testing.T, prom string) []string {
	t.Helper()
	var r struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		} `json:"data"`
	}
	apiGet(t, prom+"/api/v1/alerts", &r)
	var out []string
	for _, a := range r.Data.Alerts {
		if a.State == "firing" {
			out = append(out, a.Labels["alertname"])
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func uniqSorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return slices.Compact(s)
}
