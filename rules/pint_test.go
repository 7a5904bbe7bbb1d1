package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// pint offline, failing on warnings, with rules/.pint.hcl requiring the labels and annotations.
func TestPint(t *testing.T) {
	pint := tool(t, "pint")
	args := append([]string{"--offline", "--no-color", "-c", ".pint.hcl", "lint", "--fail-on=warning"}, ruleFiles(t)...)
	out, err := run(t, ".", pint, args...)
	if err != nil {
		t.Fatalf("pint: %v\n%s", err, out)
	}
}

// The pint config is not decoration: a rule breaking the conventions fails the lint.
func TestPintConfigRejectsBadRules(t *testing.T) {
	pint := tool(t, "pint")
	dir := promtest.TempDir(t, "pint")
	cfg, err := os.ReadFile(".pint.hcl")
	if err != nil {
		t.Fatal(err)
	}
	promtest.WriteFile(t, dir, ".pint.hcl", string(cfg))
	for name, tc := range map[string]struct{ rule, want string }{
		"no runbook": {`
      - alert: NginxSlow
        expr: nginx_up == 0
        for: 5m
        labels: {severity: warning, service: portal}
        annotations: {summary: 慢。, description: '{{ $labels.instance }} 慢。'}`, "runbook_url"},
		"bad severity": {`
      - alert: NginxSlow
        expr: nginx_up == 0
        for: 5m
        labels: {severity: page, service: portal}
        annotations: {summary: 慢。, description: '{{ $labels.instance }} 慢。', runbook_url: 'https://github.com/ggzy/ggzy-exporters/blob/main/rules/runbooks/NginxSlow.md'}`, "severity"},
		"incident label is not the alert name": {`
      - alert: NginxSlow
        expr: nginx_up == 0
        for: 5m
        labels: {severity: warning, incident_class: general, incident: NginxDown, service: portal}
        annotations: {summary: 慢。, description: '{{ $labels.instance }} 慢。', runbook_url: 'https://github.com/ggzy/ggzy-exporters/blob/main/rules/runbooks/NginxSlow.md'}`, "incident"},
		"unknown incident class": {`
      - alert: NginxSlow
        expr: nginx_up == 0
        for: 5m
        labels: {severity: warning, incident_class: minor, incident: NginxSlow, service: portal}
        annotations: {summary: 慢。, description: '{{ $labels.instance }} 慢。', runbook_url: 'https://github.com/ggzy/ggzy-exporters/blob/main/rules/runbooks/NginxSlow.md'}`, "incident_class"},
	} {
		file := promtest.WriteFile(t, dir, strings.ReplaceAll(name, " ", "_")+".yml", "groups:\n  - name: bad\n    rules:"+tc.rule+"\n")
		out, err := run(t, dir, pint, "--offline", "--no-color", "-c", ".pint.hcl", "lint", "--fail-on=warning", filepath.Base(file))
		if err == nil || !strings.Contains(out, tc.want) {
			t.Errorf("%s: pint accepted it or did not name %q (err %v):\n%s", name, tc.want, err, out)
		}
	}
}
