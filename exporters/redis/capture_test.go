package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestCaptureInfoFixtures rewrites testdata/info/7.0-{master,replica}.txt with the INFO (default
// sections, as the info collector sends it) of a real master and replica started here, after
// some writes and reads. It only runs with CAPTURE_INFO=1; review the diff and then
// regenerate the goldens (UPDATE_GOLDEN=1).
func TestCaptureInfoFixtures(t *testing.T) {
	if os.Getenv("CAPTURE_INFO") != "1" {
		t.Skip("set CAPTURE_INFO=1 to capture INFO fixtures from real servers")
	}
	master := startRedis(t, "capture-pw")
	replica := startReplica(t, master)
	master.load(t, 120, 80, 30)
	ctx := ctxT(t)
	rc := replica.client(t)
	promtest.Eventually(t, 10*time.Second, "replica has the writes", func() bool {
		n, err := rc.DBSize(ctx).Result()
		return err == nil && n == 120
	})
	for name, s := range map[string]*redisServer{"7.0-master.txt": master, "7.0-replica.txt": replica} {
		info, err := s.client(t).Info(ctx).Result()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "info", name), []byte(info), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
