package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// redisServer is a redis-server started by a test on a free loopback port in a temp dir.
type redisServer struct {
	Addr     string
	Port     int
	Password string
	proc     *promtest.Process
}

// startRedis starts redis-server without persistence; password "" means no requirepass.
// extra are more redis-server arguments (--replicaof, --tls-port, ...).
func startRedis(t testing.TB, password string, extra ...string) *redisServer {
	t.Helper()
	port := promtest.FreePort(t)
	args := []string{"--port", strconv.Itoa(port)}
	if password != "" {
		args = append(args, "--requirepass", password, "--masterauth", password)
	}
	s := &redisServer{Addr: promtest.Addr(port), Port: port, Password: password}
	s.proc = runRedis(t, s.Addr, append(args, extra...)...)
	return s
}

// runRedis starts redis-server with args after the test defaults and waits for waitAddr.
func runRedis(t testing.TB, waitAddr string, args ...string) *promtest.Process {
	t.Helper()
	bin := promtest.Need(t, "redis-server")
	dir := promtest.TempDir(t, "redis")
	base := []string{
		"--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir,
		"--daemonize", "no", "--logfile", "", "--repl-diskless-sync-delay", "0",
	}
	p := promtest.Start(t, bin, append(base, args...)...)
	promtest.WaitPort(t, waitAddr, 10*time.Second, p)
	return p
}

// startReplica starts a replica of master and waits until its link is up.
func startReplica(t testing.TB, master *redisServer) *redisServer {
	t.Helper()
	r := startRedis(t, master.Password, "--replicaof", "127.0.0.1", strconv.Itoa(master.Port))
	c := r.client(t)
	promtest.Eventually(t, 20*time.Second, "replica link up", func() bool {
		s, err := c.Info(ctxT(t), "replication").Result()
		return err == nil && strings.Contains(s, "master_link_status:up")
	})
	return r
}

// client is the test's own connection (not the exporter's), closed at the end of the test.
func (s *redisServer) client(t testing.TB) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: s.Addr, Password: s.Password, Protocol: 2, DisableIdentity: true, MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// load writes keys: n in db0 (every third with a TTL) and 5 in db2, then reads hits and misses.
func (s *redisServer) load(t testing.TB, n, hits, misses int) {
	t.Helper()
	ctx := ctxT(t)
	c := s.client(t)
	for i := 0; i < n; i++ {
		ttl := time.Duration(0)
		if i%3 == 0 {
			ttl = time.Hour
		}
		if err := c.Set(ctx, fmt.Sprintf("k%d", i), "v", ttl).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < hits; i++ {
		if err := c.Get(ctx, fmt.Sprintf("k%d", i%n)).Err(); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < misses; i++ {
		if err := c.Get(ctx, fmt.Sprintf("missing%d", i)).Err(); err != redis.Nil {
			t.Fatalf("GET missing: %v", err)
		}
	}
	c2 := redis.NewClient(&redis.Options{Addr: s.Addr, Password: s.Password, DB: 2, Protocol: 2, DisableIdentity: true})
	defer c2.Close()
	for i := 0; i < 5; i++ {
		if err := c2.Set(ctx, fmt.Sprintf("d2-%d", i), "v", 0).Err(); err != nil {
			t.Fatal(err)
		}
	}
}
