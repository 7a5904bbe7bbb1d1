package rules

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/calendar"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// sink is a webhook receiver standing in for the notification relay: it records which receiver
// (the URL path) got which alert names.
type sink struct {
	mu  sync.Mutex
	got map[string]map[string]bool
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		Receiver string `json:"receiver"`
		Alerts   []struct {
			Labels map[string]string `json:"labels"`
		} `json:"alerts"`
	}
	if err := json.NewDecoder(r.Body).Decode(&msg); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/")
	if s.got[path] == nil {
		s.got[path] = map[string]bool{}
	}
	for _, a := range msg.Alerts {
		s.got[path][a.Labels["alertname"]] = true
	}
}

func (s *sink) snapshot() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var lines []string
	for recv, names := range s.got {
		var ns []string
		for n := range names {
			ns = append(ns, n)
		}
		sort.Strings(ns)
		lines = append(lines, recv+": "+strings.Join(ns, ","))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func postJSON(t *testing.T, url string, body any) {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("POST %s: HTTP %d", url, resp.StatusCode)
	}
}

// TestAlertmanagerDelivers runs Debian's Alertmanager 0.25 on the generated configuration (relay
// address replaced by a local sink, group waits shortened) and checks, now, on the real clock:
// receivers by incident class, inhibition of general incidents by a major one of the same service,
// and that a silence on an incident's labels without alertname silences its reminder but not its
// escalation.
func TestAlertmanagerDelivers(t *testing.T) {
	bin := promtest.Need(t, "prometheus-alertmanager")
	s := &sink{got: map[string]map[string]bool{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)

	cfg := mustRead(t, amConfig)
	cfg = strings.ReplaceAll(cfg, relay, srv.URL+"/")
	cfg = regexp.MustCompile(`group_wait: \S+`).ReplaceAllString(cfg, "group_wait: 1s")
	dir := promtest.TempDir(t, "am")
	if err := os.WriteFile(filepath.Join(dir, "alertmanager.yml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	port := promtest.FreePort(t)
	addr := promtest.Addr(port)
	p := promtest.Start(t, bin, "--config.file="+filepath.Join(dir, "alertmanager.yml"),
		"--storage.path="+filepath.Join(dir, "data"), "--web.listen-address="+addr, "--cluster.listen-address=")
	promtest.WaitPort(t, addr, 20*time.Second, p)
	api := "http://" + addr + "/api/v2"

	now := time.Now().UTC()
	postJSON(t, api+"/silences", map[string]any{
		"matchers": []map[string]any{
			{"name": "incident", "value": "NginxDown", "isRegex": false, "isEqual": true},
			{"name": "instance", "value": "nginx-01", "isRegex": false, "isEqual": true},
		},
		"startsAt": now.Add(-time.Minute), "endsAt": now.Add(time.Hour), "createdBy": "rules test", "comment": "已响应",
	})
	alert := func(labels map[string]string) map[string]any {
		return map[string]any{"labels": labels, "annotations": map[string]string{"summary": "测试。"},
			"startsAt": now.Add(-10 * time.Minute), "endsAt": now.Add(time.Hour)}
	}
	nginx := map[string]string{"service": "portal", "instance": "nginx-01", "job": "nginx"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	postJSON(t, api+"/alerts", []map[string]any{
		// The incident and its reminder: silenced by the one silence.
		alert(with(nginx, "alertname", "NginxDown", "severity", "critical", "incident_class", "major", "incident", "NginxDown")),
		alert(with(nginx, "alertname", "IncidentMajorResponseReminder", "severity", "critical", "incident_class", "major",
			"incident", "NginxDown", "incident_stage", "reminder", "response_deadline", "10m", "source_alertname", "NginxDown")),
		// Its escalation: not silenced.
		alert(with(nginx, "alertname", "IncidentMajorNotRecovered", "severity", "critical", "incident_class", "major",
			"incident", "IncidentMajorNotRecovered", "incident_stage", "escalation", "source_alertname", "NginxDown")),
		// A major incident inhibits the general one of the same service, not of another.
		alert(map[string]string{"alertname": "RedisDown", "severity": "critical", "incident_class": "major", "incident": "RedisDown", "service": "auth", "instance": "redis-01"}),
		alert(map[string]string{"alertname": "MySQLReplicaLagging", "severity": "warning", "incident_class": "general", "incident": "MySQLReplicaLagging", "service": "trading", "instance": "db-r1"}),
		alert(map[string]string{"alertname": "HostCPUHighUtilisation", "severity": "warning", "service": "host", "instance": "lx-01"}),
		alert(map[string]string{"alertname": "Watchdog", "severity": "none"}),
	})
	// The general incident goes in a second batch once Alertmanager holds the major one: these
	// alerts started 10 minutes ago, so their groups flush at once, and in one batch the general
	// group could flush before the inhibitor has seen RedisDown (a race of the test, not of
	// production, where group_wait gives the inhibitor time).
	time.Sleep(time.Second)
	postJSON(t, api+"/alerts", []map[string]any{
		alert(map[string]string{"alertname": "RedisMemoryNearMax", "severity": "warning", "incident_class": "general", "incident": "RedisMemoryNearMax", "service": "auth", "instance": "redis-02"}),
	})

	want := []string{
		"duty-phone: IncidentMajorNotRecovered,RedisDown",
		"heartbeat: Watchdog",
		"low-noise: HostCPUHighUtilisation",
		"team-chat: MySQLReplicaLagging",
	}
	cal, err := calendar.Load(calendarFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(cal.KeyPeriods(now)) > 0 {
		want = append(want, "duty-24h: IncidentMajorNotRecovered,MySQLReplicaLagging,RedisDown")
		sort.Strings(want)
	}
	wantText := strings.Join(want, "\n")
	// team-chat and low-noise wait group_wait 30s before their first notification: allow for a
	// loaded machine (CI runs the e2e test alongside) well past that.
	for deadline := time.Now().Add(90 * time.Second); s.snapshot() != wantText; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("after 90s the notifications are:\n%s\nwant:\n%s\nalertmanager output:\n%s", s.snapshot(), wantText, p.Output())
		}
	}
	// Silenced and inhibited alerts must not arrive late either (group_interval is 1m or more).
	time.Sleep(3 * time.Second)
	if got := s.snapshot(); got != wantText {
		t.Errorf("notifications (key period now: %v):\n%s\nwant:\n%s", len(cal.KeyPeriods(now)) > 0, got, wantText)
	}
	t.Logf("delivered at %s Beijing:\n%s", cal.Local(now).Format("2006-01-02 15:04"), s.snapshot())
}
