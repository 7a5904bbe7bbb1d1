package rules

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// Paths are relative to this directory (go test runs in it).
const (
	calendarFile   = "calendar/calendar.yml"
	amTemplate     = "alertmanager/alertmanager.in.yml"
	amConfig       = "alertmanager/alertmanager.yml"
	runbookBaseURL = "https://github.com/ggzy/ggzy-exporters/blob/main/rules/runbooks/"
)

type ruleFile struct {
	Groups []struct {
		Name  string `yaml:"name"`
		Rules []rule `yaml:"rules"`
	} `yaml:"groups"`
}

type rule struct {
	Alert       string            `yaml:"alert"`
	Record      string            `yaml:"record"`
	Expr        string            `yaml:"expr"`
	For         string            `yaml:"for"`
	Labels      map[string]string `yaml:"labels"`
	Annotations map[string]string `yaml:"annotations"`

	file, group string
}

// ruleFiles are the rule files: every *.yml at the top of rules/.
func ruleFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.yml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no rule files: %v", err)
	}
	sort.Strings(files)
	return files
}

// loadRules reads every rule of every rule file, in file order.
func loadRules(t *testing.T) []rule {
	t.Helper()
	var out []rule
	for _, f := range ruleFiles(t) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var rf ruleFile
		dec := yaml.NewDecoder(strings.NewReader(string(b)))
		dec.KnownFields(true)
		if err := dec.Decode(&rf); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, g := range rf.Groups {
			for _, r := range g.Rules {
				r.file, r.group = f, g.Name
				out = append(out, r)
			}
		}
	}
	return out
}

// alertNames are the distinct alert names, sorted.
func alertNames(rules []rule) []string {
	seen := map[string]bool{}
	for _, r := range rules {
		if r.Alert != "" {
			seen[r.Alert] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// tool finds a binary on PATH, pint also in $(go env GOPATH)/bin, else skips (fails under CI=true).
func tool(t *testing.T, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if name == "pint" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			p := filepath.Join(strings.TrimSpace(string(out)), "bin", "pint")
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	return promtest.Need(t, name)
}

// run executes a tool in dir with a deadline and returns its combined output.
func run(t *testing.T, dir, bin string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NO_COLOR=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
