package rules

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

var (
	camelRe  = regexp.MustCompile(`^[A-Z][A-Za-z0-9]{2,39}$`)
	recordRe = regexp.MustCompile(`^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*:[a-z0-9_]+$`)
)

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// The mixin conventions (what mixtool lint checks, and ours on top), on every rule.
func TestRuleConventions(t *testing.T) {
	groups := map[string]string{}
	for _, r := range loadRules(t) {
		if f, dup := groups[r.group]; dup && f != r.file {
			t.Errorf("group %s is in %s and %s", r.group, f, r.file)
		}
		groups[r.group] = r.file
		if r.Record != "" {
			if !recordRe.MatchString(r.Record) {
				t.Errorf("%s: recording rule %s is not level:metric:operations", r.file, r.Record)
			}
			continue
		}
		where := r.file + ": " + r.Alert
		if !camelRe.MatchString(r.Alert) {
			t.Errorf("%s: alert name is not CamelCase (at most 40 characters)", where)
		}
		sev := r.Labels["severity"]
		class := r.Labels["incident_class"]
		stage := r.Labels["incident_stage"]
		if r.Alert == "Watchdog" {
			if sev != "none" || class != "" {
				t.Errorf("%s: Watchdog must have severity none and no incident class", where)
			}
		} else {
			switch {
			case class == "major" && sev != "critical", class == "general" && sev != "warning",
				class == "" && sev != "warning" && sev != "info":
				t.Errorf("%s: incident_class %q with severity %q (major=critical, general=warning, none=warning|info)", where, class, sev)
			}
			if r.Labels["service"] == "" {
				t.Errorf("%s: no service label", where)
			}
			if r.For == "" {
				t.Errorf("%s: no for: every alert waits before it fires", where)
			}
		}
		if class != "" && stage != "reminder" && r.Labels["incident"] != r.Alert {
			t.Errorf("%s: incident label %q, want the alert name (a silence on it covers the reminders)", where, r.Labels["incident"])
		}
		if stage == "reminder" && r.Labels["incident"] != "" {
			t.Errorf("%s: a reminder inherits incident from its source and must not set it", where)
		}
		sum := r.Annotations["summary"]
		if !hasHan(sum) || !strings.HasSuffix(sum, "。") || strings.Contains(sum, "{{") {
			t.Errorf("%s: summary %q must be fixed Chinese text ending in 。", where, sum)
		}
		desc := r.Annotations["description"]
		if !hasHan(desc) || !strings.Contains(desc, "{{") && r.Alert != "Watchdog" {
			t.Errorf("%s: description %q must be Chinese and templated", where, desc)
		}
	}
}

// Every alert's runbook_url points at rules/runbooks/<Alert>.md, which exists, is Chinese and has the
// sections a duty engineer needs.
func TestRunbooksExist(t *testing.T) {
	rules := loadRules(t)
	for _, r := range rules {
		if r.Alert == "" {
			continue
		}
		url := r.Annotations["runbook_url"]
		if !strings.HasPrefix(url, runbookBaseURL) {
			t.Errorf("%s: runbook_url %q is not under %s", r.Alert, url, runbookBaseURL)
			continue
		}
		path := "runbooks/" + strings.TrimPrefix(url, runbookBaseURL)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: runbook_url %s: %v", r.Alert, url, err)
			continue
		}
		text := string(b)
		if !strings.HasPrefix(text, "# "+r.Alert) {
			t.Errorf("%s: must start with the title # %s", path, r.Alert)
		}
		for _, section := range []string{"## 含义", "## 影响", "## 检查", "## 处置"} {
			if !strings.Contains(text, section) {
				t.Errorf("%s: no section %q", path, section)
			}
		}
		if !hasHan(text) {
			t.Errorf("%s: not in Chinese", path)
		}
	}
	// No orphan runbooks.
	names := map[string]bool{}
	for _, n := range alertNames(rules) {
		names[n] = true
	}
	ents, err := os.ReadDir("runbooks")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if n := strings.TrimSuffix(e.Name(), ".md"); !names[n] && e.Name() != "README.md" {
			t.Errorf("runbooks/%s documents no alert", e.Name())
		}
	}
}
