package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/ggzy/ggzy-exporters/internal/calendar"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// The receivers the other parts of the suite (and the e2e test) rely on.
var receivers = []string{"duty-24h", "duty-phone", "heartbeat", "low-noise", "team-chat"}

// relay is the placeholder notification relay; the e2e test substitutes this text.
const relay = "http://127.0.0.1:9095/"

// alertmanager.yml is generated from the template and the calendar, byte for byte.
func TestAlertmanagerConfigIsGenerated(t *testing.T) {
	cal, err := calendar.Load(calendarFile)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile(amTemplate)
	if err != nil {
		t.Fatal(err)
	}
	got, err := cal.RenderAlertmanagerConfig(tmpl, "rules/"+amTemplate, "rules/"+calendarFile)
	if err != nil {
		t.Fatal(err)
	}
	promtest.Golden(t, amConfig, got)
}

func TestAmtoolCheckConfig(t *testing.T) {
	amtool := tool(t, "amtool")
	for _, f := range []string{amConfig, "alertmanager/examples/direct-channels.yml"} {
		out, err := run(t, ".", amtool, "check-config", f)
		if err != nil || !strings.Contains(out, "SUCCESS") {
			t.Errorf("amtool check-config %s: %v\n%s", f, err, out)
		}
	}
}

// Static routing (amtool ignores time): which receivers an alert can reach.
func TestAmtoolRoutes(t *testing.T) {
	amtool := tool(t, "amtool")
	for _, tc := range []struct {
		labels []string
		want   string
	}{
		{[]string{"alertname=Watchdog", "severity=none"}, "heartbeat"},
		{[]string{"alertname=NginxDown", "severity=critical", "incident_class=major", "service=portal"}, "duty-24h,duty-phone,duty-phone"},
		{[]string{"alertname=IncidentMajorResponseReminder", "severity=critical", "incident_class=major", "incident_stage=reminder"}, "duty-24h,duty-phone,duty-phone"},
		{[]string{"alertname=RedisMemoryNearMax", "severity=warning", "incident_class=general", "service=auth"}, "duty-24h,team-chat,team-chat"},
		{[]string{"alertname=HostCPUHighUtilisation", "severity=warning", "service=host"}, "low-noise"},
		{[]string{"alertname=CalendarNextYearDataMissing", "severity=warning", "service=monitoring"}, "low-noise"},
	} {
		args := append([]string{"config", "routes", "test", "--config.file=" + amConfig, "--verify.receivers=" + tc.want}, tc.labels...)
		out, err := run(t, ".", amtool, args...)
		if err != nil {
			t.Errorf("%v: want %s: %v\n%s", tc.labels, tc.want, err, out)
		}
		// The Go route walker used for time routing agrees with amtool.
		lset := map[string]string{}
		for _, l := range tc.labels {
			k, v, _ := strings.Cut(l, "=")
			lset[k] = v
		}
		var names []string
		for _, leaf := range loadAMConfig(t).Route.match(lset, nil) {
			names = append(names, leaf.receiver)
		}
		if got := strings.Join(names, ","); got != tc.want {
			t.Errorf("%v: route walker gives %s, amtool %s", tc.labels, got, tc.want)
		}
	}
}

// The notification templates render Chinese text with Beijing times, through amtool (0.25 has
// `template render`), from a recorded notification.
func TestTemplateRender(t *testing.T) {
	amtool := tool(t, "amtool")
	out, err := run(t, ".", amtool, "template", "render",
		"--template.glob=alertmanager/templates/*.tmpl",
		"--template.data=testdata/notification.json",
		`--template.text={{ template "ggzy.text" . }}`)
	if err != nil {
		t.Fatalf("amtool template render: %v\n%s", err, out)
	}
	for _, want := range []string{"【告警】重大事件：Nginx 不可用。", "开始时间（北京时间）：2026-01-05 09:02:03", `amtool silence add incident="NginxDown" instance="nginx-01:8080"`, "恢复时间（北京时间）：2026-01-05 08:10:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered text lacks %q", want)
		}
	}
	promtest.Golden(t, "testdata/notification.txt", []byte(out))
	subject, err := run(t, ".", amtool, "template", "render", "--template.glob=alertmanager/templates/*.tmpl",
		"--template.data=testdata/notification.json", `--template.text={{ template "ggzy.title" . }}`)
	if err != nil || strings.TrimSpace(subject) != "【告警】重大事件：Nginx 不可用。（1 条告警，服务 portal）" {
		t.Errorf("title: %v %q", err, subject)
	}
}

type amFile struct {
	Templates []string `yaml:"templates"`
	Route     *amRoute `yaml:"route"`
	Receivers []struct {
		Name           string           `yaml:"name"`
		WebhookConfigs []map[string]any `yaml:"webhook_configs"`
		Other          map[string]any   `yaml:",inline"`
	} `yaml:"receivers"`
	InhibitRules []struct {
		SourceMatchers []string `yaml:"source_matchers"`
		TargetMatchers []string `yaml:"target_matchers"`
		Equal          []string `yaml:"equal"`
	} `yaml:"inhibit_rules"`
	Other map[string]any `yaml:",inline"`
}

// The receivers are the five fixed names, all webhooks to the relay placeholder, with no secret inline.
func TestReceiversAndRelayPlaceholder(t *testing.T) {
	raw, err := os.ReadFile(amConfig)
	if err != nil {
		t.Fatal(err)
	}
	var f amFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range f.Receivers {
		names = append(names, r.Name)
		if len(r.Other) > 0 || len(r.WebhookConfigs) != 1 {
			t.Errorf("receiver %s: want exactly one webhook to the relay", r.Name)
			continue
		}
		if url, _ := r.WebhookConfigs[0]["url"].(string); url != relay+r.Name {
			t.Errorf("receiver %s posts to %q, want %s%s", r.Name, url, relay, r.Name)
		}
	}
	sort.Strings(names)
	if strings.Join(names, ",") != strings.Join(receivers, ",") {
		t.Errorf("receivers %v, want %v", names, receivers)
	}
	if n := strings.Count(string(raw), relay); n != len(receivers) {
		t.Errorf("%d occurrences of %s, want %d", n, relay, len(receivers))
	}
	if m := regexp.MustCompile(`(?m)^\s*(api_secret|auth_password|password|credentials|bot_token|api_key|routing_key|service_key):`).FindString(string(raw)); m != "" {
		t.Errorf("an inline secret field in %s: %s", amConfig, m)
	}
	// Major inhibits general of the same service.
	if len(f.InhibitRules) != 1 || strings.Join(f.InhibitRules[0].SourceMatchers, "") != `incident_class="major"` ||
		strings.Join(f.InhibitRules[0].TargetMatchers, "") != `incident_class="general"` || strings.Join(f.InhibitRules[0].Equal, ",") != "service" {
		t.Errorf("inhibit rules: %+v", f.InhibitRules)
	}
	// The templates glob finds the templates.
	for _, g := range f.Templates {
		m, _ := filepath.Glob(filepath.Join("alertmanager", g))
		if len(m) == 0 {
			t.Errorf("templates %q match nothing", g)
		}
	}
}
