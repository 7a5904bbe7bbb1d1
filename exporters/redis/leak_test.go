package main

import (
	"strings"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestNoLeaks: many scrapes of healthy, refusing, wrong-password and hung targets leave
// goroutines and open files where they were (each scrape's connection is closed).
func TestNoLeaks(t *testing.T) {
	srv := startRedis(t, "leak-pw")
	dir := promtest.TempDir(t, "leak")
	promtest.WriteFile(t, dir, "pw", "leak-pw")
	promtest.WriteFile(t, dir, "wrong", "nope")
	cfg := writeConfig(t, dir,
		target("ok", srv.Addr, "password_file: pw"),
		target("wrong", srv.Addr, "password_file: wrong"),
		target("down", promtest.Addr(promtest.FreePort(t))),
		target("hung", promtest.HungListener(t)),
	)
	inst, _ := setup(t, "--config.file", cfg)
	for name, n := range map[string]int{"ok": 100, "wrong": 100, "down": 100, "hung": 15} {
		t.Run(name, func(t *testing.T) {
			promtest.CheckLeaks(t, n, 4, func() {
				probeText(t, inst, name, "0.7") // 0.2s deadline after the offset
			})
		})
	}
	// The server agrees: the exporter holds no connection between scrapes (the only client
	// left is the test's own), without waiting for the garbage collector.
	probeText(t, inst, "ok", "5")
	c := srv.client(t)
	promtest.Eventually(t, 2*time.Second, "only the test's own connection on the server", func() bool {
		info, err := c.Info(ctxT(t), "clients").Result()
		return err == nil && strings.Contains(info, "connected_clients:1\r\n")
	})
}
