package rules

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestPromtoolCheckRules(t *testing.T) {
	promtool := tool(t, "promtool")
	out, err := run(t, ".", promtool, append([]string{"check", "rules"}, ruleFiles(t)...)...)
	if err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
}

func TestPromtoolTestRules(t *testing.T) {
	promtool := tool(t, "promtool")
	tests, err := filepath.Glob("tests/*_test.yml")
	if err != nil || len(tests) == 0 {
		t.Fatalf("no rule tests: %v", err)
	}
	for i := range tests {
		tests[i] = filepath.Base(tests[i])
	}
	out, err := run(t, "tests", promtool, append([]string{"test", "rules"}, tests...)...)
	if err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
	if n := strings.Count(out, "SUCCESS"); n != len(tests) {
		t.Fatalf("%d of %d test files succeeded:\n%s", n, len(tests), out)
	}
}

type ruleTestFile struct {
	RuleFiles []string `yaml:"rule_files"`
	Tests     []struct {
		Name          string `yaml:"name"`
		Interval      string `yaml:"interval"`
		AlertRuleTest []struct {
			Alertname string `yaml:"alertname"`
			ExpAlerts []struct {
				ExpAnnotations map[string]string `yaml:"exp_annotations"`
			} `yaml:"exp_alerts"`
		} `yaml:"alert_rule_test"`
		PromQLExprTest []struct {
			Expr string `yaml:"expr"`
		} `yaml:"promql_expr_test"`
	} `yaml:"tests"`
}

func loadRuleTests(t *testing.T) map[string]ruleTestFile {
	t.Helper()
	files, _ := filepath.Glob("tests/*_test.yml")
	out := map[string]ruleTestFile{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tf ruleTestFile
		if err := yaml.Unmarshal(b, &tf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = tf
	}
	return out
}

// Every alert has a firing and a not-firing case, every firing case checks the annotations, every
// test group sets interval (Debian's promtool 2.42 has no default), and no test names an alert that
// does not exist. Watchdog is the one alert that cannot be not firing.
func TestEveryAlertHasFiringAndNotFiringCases(t *testing.T) {
	rules := loadRules(t)
	firing, quiet := map[string]bool{}, map[string]bool{}
	exprs := ""
	for f, tf := range loadRuleTests(t) {
		for _, tc := range tf.Tests {
			if tc.Interval == "" {
				t.Errorf("%s: test %q has no interval", f, tc.Name)
			}
			for _, a := range tc.AlertRuleTest {
				if len(a.ExpAlerts) == 0 {
					quiet[a.Alertname] = true
				} else {
					firing[a.Alertname] = true
				}
				for _, e := range a.ExpAlerts {
					if e.ExpAnnotations["runbook_url"] != runbookBaseURL+a.Alertname+".md" {
						t.Errorf("%s: a firing case of %s does not check its runbook_url", f, a.Alertname)
					}
				}
			}
			for _, e := range tc.PromQLExprTest {
				exprs += e.Expr + "\n"
			}
		}
	}
	known := map[string]bool{}
	for _, n := range alertNames(rules) {
		known[n] = true
		if !firing[n] {
			t.Errorf("%s has no firing test case", n)
		}
		if !quiet[n] && n != "Watchdog" {
			t.Errorf("%s has no not-firing test case", n)
		}
	}
	for n := range firing {
		if !known[n] {
			t.Errorf("tests name alert %s, which no rule defines", n)
		}
	}
	for n := range quiet {
		if !known[n] {
			t.Errorf("tests name alert %s, which no rule defines", n)
		}
	}
	// Every recording rule is checked by value, or feeds a rule that is.
	all := ""
	for _, r := range rules {
		all += r.Expr + "\n"
	}
	for _, r := range rules {
		if r.Record == "" {
			continue
		}
		name := regexp.MustCompile(`(^|[^a-zA-Z0-9_:])` + regexp.QuoteMeta(r.Record) + `($|[^a-zA-Z0-9_:])`)
		if !name.MatchString(exprs) && !name.MatchString(all) {
			t.Errorf("recording rule %s (%s) is neither tested by value nor used by another rule", r.Record, r.file)
		}
	}
}
