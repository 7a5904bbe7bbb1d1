package main

import (
	"os"
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestReload: a broken file is rejected and the running targets stay; a good one replaces
// them (targets, /sd and the reload gauges).
func TestReload(t *testing.T) {
	srv := startRedis(t, "")
	dir := promtest.TempDir(t, "reload")
	cfg := writeConfig(t, dir, target("first", srv.Addr, "zone: internet"))
	inst, _ := setup(t, "--config.file", cfg)
	reload := func() int {
		code, _ := promtest.Do(t, inst.Handler, "POST", "/-/reload", nil)
		return code
	}
	gauge := func() float64 {
		_, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil)
		return promtest.Value(t, promtest.ParseText(t, body), "redis_exporter_config_last_reload_successful")
	}

	if err := os.WriteFile(cfg, []byte("targets:\n  - name: second\n    adress: x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code := reload(); code != 500 {
		t.Errorf("broken config: reload HTTP %d", code)
	}
	if g := gauge(); g != 0 {
		t.Errorf("reload gauge %v after a failed reload", g)
	}
	if v := promtest.Value(t, probe(t, inst, "first"), "redis_up"); v != 1 {
		t.Errorf("running target after a failed reload: redis_up %v", v)
	}

	writeConfig(t, dir, target("second", srv.Addr, "zone: gov-extranet", "labels: {system: bidding}"))
	if code := reload(); code != 200 {
		t.Fatalf("good config: reload HTTP %d", code)
	}
	if g := gauge(); g != 1 {
		t.Errorf("reload gauge %v after a good reload", g)
	}
	if code, _ := promtest.Do(t, inst.Handler, "GET", "/probe?target=first", nil); code != 400 {
		t.Errorf("removed target: HTTP %d", code)
	}
	if v := promtest.Value(t, probe(t, inst, "second"), "redis_up"); v != 1 {
		t.Errorf("new target: redis_up %v", v)
	}
	_, sd := promtest.Do(t, inst.Handler, "GET", "/sd", nil)
	for _, want := range []string{`"second"`, `"zone": "gov-extranet"`, `"system": "bidding"`} {
		if !strings.Contains(sd, want) {
			t.Errorf("/sd lacks %s:\n%s", want, sd)
		}
	}
	if strings.Contains(sd, "first") {
		t.Errorf("/sd still lists the removed target:\n%s", sd)
	}
}
