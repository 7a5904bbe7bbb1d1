package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestAuthFailures: a wrong, missing or unreadable password gives redis_up 0 with HTTP 200,
// and the password (right or wrong) shows nowhere: not in the scrape, the debug page or logs.
func TestAuthFailures(t *testing.T) {
	const right, wrong = "Right-4b9e1f0a-pw", "Wrong-77c3d2aa-pw"
	srv := startRedis(t, right)
	dir := promtest.TempDir(t, "cfg")
	promtest.WriteFile(t, dir, "right.pw", right)
	promtest.WriteFile(t, dir, "wrong.pw", wrong+"\r\n")
	gone := promtest.WriteFile(t, dir, "gone.pw", right)
	cfg := writeConfig(t, dir,
		target("ok", srv.Addr, "password_file: right.pw"),
		target("wrong", srv.Addr, "password_file: wrong.pw"),
		target("nopass", srv.Addr),
		target("gone", srv.Addr, "password_file: gone.pw"),
		target("acl-wrong", srv.Addr, "username: nobody", "password_file: wrong.pw"),
	)
	inst, logs := setup(t, "--config.file", cfg)
	if err := os.Remove(gone); err != nil {
		t.Fatal(err)
	}
	if v := promtest.Value(t, probe(t, inst, "ok"), "redis_up"); v != 1 {
		t.Fatalf("right password: redis_up %v\n%s", v, logs)
	}
	for name, wantLog := range map[string]string{
		"wrong":     "WRONGPASS",
		"nopass":    "NOAUTH",
		"gone":      gone,
		"acl-wrong": "WRONGPASS",
	} {
		t.Run(name, func(t *testing.T) {
			m := probe(t, inst, name)
			if v := promtest.Value(t, m, "redis_up"); v != 0 {
				t.Errorf("redis_up %v", v)
			}
			for _, c := range allCollectors {
				if v := promtest.Value(t, m, "redis_scrape_collector_success", "collector", c); v != 0 {
					t.Errorf("collector %s success %v", c, v)
				}
			}
			code, debug := promtest.Do(t, inst.Handler, "GET", "/probe?debug=true&target="+name, nil)
			if code != 200 || !strings.Contains(debug, wantLog) || !strings.Contains(debug, "redis_up 0") {
				t.Errorf("debug page (HTTP %d) lacks %q or redis_up 0:\n%s", code, wantLog, debug)
			}
			for _, secret := range []string{right, wrong} {
				if strings.Contains(debug, secret) {
					t.Errorf("debug page holds a password:\n%s", debug)
				}
			}
		})
	}
	for _, secret := range []string{right, wrong} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("logs hold a password:\n%s", logs)
		}
	}
}

// TestACLUser: an ACL user with only the commands the exporter needs gets everything; one
// without SLOWLOG fails only the slowlog collector.
func TestACLUser(t *testing.T) {
	srv := startRedis(t, "admin-pw")
	c := srv.client(t)
	ctx := ctxT(t)
	for _, rule := range [][]any{
		{"acl", "setuser", "exporter", "on", ">exp-pw", "-@all", "+ping", "+info", "+slowlog|len"},
		{"acl", "setuser", "noslowlog", "on", ">exp-pw", "-@all", "+ping", "+info"},
	} {
		if err := c.Do(ctx, rule...).Err(); err != nil {
			t.Fatal(err)
		}
	}
	dir := promtest.TempDir(t, "cfg")
	promtest.WriteFile(t, dir, "exp.pw", "exp-pw\n")
	cfg := writeConfig(t, dir,
		target("exporter", srv.Addr, "username: exporter", "password_file: exp.pw"),
		target("noslowlog", srv.Addr, "username: noslowlog", "password_file: exp.pw"),
	)
	inst, logs := setup(t, "--config.file", cfg)
	m := probe(t, inst, "exporter")
	collectorsOK(t, m, allCollectors...)
	if v := promtest.Value(t, m, "redis_up"); v != 1 {
		t.Fatalf("redis_up %v\n%s", v, logs)
	}
	m = probe(t, inst, "noslowlog")
	collectorsOK(t, m, "info", "keyspace", "ping")
	if v := promtest.Value(t, m, "redis_scrape_collector_success", "collector", "slowlog"); v != 0 {
		t.Errorf("slowlog without permission: success %v", v)
	}
	if _, ok := promtest.Lookup(m, "redis_slowlog_length"); ok {
		t.Error("slowlog length without permission")
	}
	if !strings.Contains(logs.String(), "NOPERM") {
		t.Errorf("no NOPERM in logs:\n%s", logs)
	}
}

// TestPasswordRotation: the password file is read at every scrape, no reload needed.
func TestPasswordRotation(t *testing.T) {
	srv := startRedis(t, "first-pw")
	dir := promtest.TempDir(t, "cfg")
	pwFile := promtest.WriteFile(t, dir, "redis.pw", "first-pw")
	inst, _ := setup(t, "--config.file", writeConfig(t, dir, target("r", srv.Addr, "password_file: redis.pw")))
	if v := promtest.Value(t, probe(t, inst, "r"), "redis_up"); v != 1 {
		t.Fatalf("redis_up %v", v)
	}
	if err := srv.client(t).ConfigSet(ctxT(t), "requirepass", "second-pw").Err(); err != nil {
		t.Fatal(err)
	}
	if v := promtest.Value(t, probe(t, inst, "r"), "redis_up"); v != 0 {
		t.Fatalf("old password after rotation: redis_up %v", v)
	}
	if err := os.WriteFile(pwFile, []byte("second-pw\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if v := promtest.Value(t, probe(t, inst, "r"), "redis_up"); v != 1 {
		t.Fatalf("rotated password file: redis_up %v", v)
	}
}

// TestUnreachable: nothing listening, and a server that accepts and never answers (cut off at
// the scrape deadline). Both give HTTP 200 with redis_up 0.
func TestUnreachable(t *testing.T) {
	dir := promtest.TempDir(t, "cfg")
	hung := promtest.HungListener(t)
	cfg := writeConfig(t, dir,
		target("down", promtest.Addr(promtest.FreePort(t))),
		target("hung", hung),
	)
	inst, logs := setup(t, "--config.file", cfg)

	start := time.Now()
	if v := promtest.Value(t, probe(t, inst, "down"), "redis_up"); v != 0 {
		t.Errorf("down: redis_up %v", v)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("down: scrape took %s", d)
	}

	start = time.Now()
	m := promtest.ParseText(t, probeText(t, inst, "hung", "2")) // deadline 2s - 0.5s offset
	d := time.Since(start)
	if v := promtest.Value(t, m, "redis_up"); v != 0 {
		t.Errorf("hung: redis_up %v", v)
	}
	if d < 1400*time.Millisecond || d > 3*time.Second {
		t.Errorf("hung: scrape took %s, want the 1.5s deadline", d)
	}
	if !strings.Contains(logs.String(), "deadline") && !strings.Contains(logs.String(), "timeout") {
		t.Errorf("hung: no deadline in logs:\n%s", logs)
	}
}

// TestUnknownTarget: only configured names are scraped.
func TestUnknownTarget(t *testing.T) {
	dir := promtest.TempDir(t, "cfg")
	inst, _ := setup(t, "--config.file", writeConfig(t, dir, target("a", "127.0.0.1:6379")))
	for _, q := range []string{"/probe", "/probe?target=b", "/probe?target=127.0.0.1:6379", "/probe?target=redis://127.0.0.1:6379"} {
		if code, body := promtest.Do(t, inst.Handler, "GET", q, nil); code != 400 {
			t.Errorf("%s: HTTP %d %s", q, code, body)
		}
	}
}

// TestRedactEchoedPassword: a server (here a fake, standing in for an old server or a proxy)
// whose error replies echo the command's arguments, AUTH's password included; the password
// must not reach the scrape, the debug page or the logs.
func TestRedactEchoedPassword(t *testing.T) {
	const pw = "Echoed-0c1d2e3f-pw"
	addr := echoServer(t)
	dir := promtest.TempDir(t, "cfg")
	promtest.WriteFile(t, dir, "pw", pw)
	inst, logs := setup(t, "--config.file", writeConfig(t, dir, target("echo", addr, "password_file: pw")))
	code, debug := promtest.Do(t, inst.Handler, "GET", "/probe?debug=true&target=echo", nil)
	if code != 200 || !strings.Contains(debug, "redis_up 0") || !strings.Contains(debug, "<redacted>") {
		t.Errorf("HTTP %d, want redis_up 0 and a redacted error:\n%s", code, debug)
	}
	if strings.Contains(debug, pw) || strings.Contains(logs.String(), pw) {
		t.Errorf("password leaked:\n%s\n%s", debug, logs)
	}
}

// fakeServer answers each RESP command with reply(args); an empty reply means no answer at all.
func fakeServer(t *testing.T, reply func(args []string) string) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_ = c.SetDeadline(time.Now().Add(5 * time.Second))
				r := bufio.NewReader(c)
				for {
					args, err := readCommand(r)
					if err != nil {
						return
					}
					if out := reply(args); out != "" {
						_, _ = io.WriteString(c, out)
					}
				}
			}()
		}
	}()
	return l.Addr().String()
}

// echoServer answers every command with an error listing its arguments.
func echoServer(t *testing.T) string {
	return fakeServer(t, func(args []string) string {
		return fmt.Sprintf("-ERR unknown command '%s', with args beginning with: '%s'\r\n", args[0], strings.Join(args[1:], "' '"))
	})
}

// TestHungAfterCheck: a server that answers the check (HELLO, PING) and then nothing: the
// collectors waiting on it are cut off at the deadline; redis_up stays 1 (it answered), the
// ping collector succeeds and the others fail.
func TestHungAfterCheck(t *testing.T) {
	addr := fakeServer(t, func(args []string) string {
		switch strings.ToUpper(args[0]) {
		case "HELLO":
			return "-ERR unknown command 'HELLO'\r\n" // as Redis 5 answers; go-redis goes on with RESP2
		case "PING":
			return "+PONG\r\n"
		}
		return ""
	})
	dir := promtest.TempDir(t, "cfg")
	inst, _ := setup(t, "--config.file", writeConfig(t, dir, target("half", addr)))
	start := time.Now()
	m := promtest.ParseText(t, probeText(t, inst, "half", "1.5")) // 1s deadline
	if d := time.Since(start); d < 900*time.Millisecond || d > 2500*time.Millisecond {
		t.Errorf("scrape took %s, want the 1s deadline", d)
	}
	if v := promtest.Value(t, m, "redis_up"); v != 1 {
		t.Errorf("redis_up %v", v)
	}
	collectorsOK(t, m, "ping")
	for _, c := range []string{"info", "keyspace", "slowlog"} {
		if v := promtest.Value(t, m, "redis_scrape_collector_success", "collector", c); v != 0 {
			t.Errorf("collector %s success %v", c, v)
		}
	}
}

// readCommand reads one RESP array of bulk strings.
func readCommand(r *bufio.Reader) ([]string, error) {
	line, err := r.ReadString('\n')
	if err != nil || len(line) < 3 || line[0] != '*' {
		return nil, fmt.Errorf("not an array: %q %v", line, err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(line[1:]))
	if err != nil || n < 1 || n > 64 {
		return nil, fmt.Errorf("bad array length %q", line)
	}
	args := make([]string, n)
	for i := range args {
		if line, err = r.ReadString('\n'); err != nil {
			return nil, err
		}
		size, err := strconv.Atoi(strings.TrimSpace(line[1:]))
		if err != nil || size < 0 || size > 1<<16 {
			return nil, fmt.Errorf("bad bulk length %q", line)
		}
		buf := make([]byte, size+2)
		if _, err := io.ReadFull(r, buf); err != nil {
			return nil, err
		}
		args[i] = string(buf[:size])
	}
	return args, nil
}
