package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// nginxBinary finds Debian's nginx (/usr/sbin may be missing from a user's PATH). In tests
// a missing nginx skips, or fails under CI=true; benchmarks pass skipAlways to skip in both.
func nginxBinary(t testing.TB, skipAlways bool) string {
	t.Helper()
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	if skipAlways {
		t.Skip("nginx not installed")
	}
	return promtest.Need(t, "nginx")
}

// realNginx is an nginx started by a test in its own temp dir.
type realNginx struct {
	Dir  string
	Proc *promtest.Process
}

// startNginx runs nginx in the foreground with the given server blocks, in a temp dir
// holding its pid, logs and temp paths, and waits until waitAddr accepts connections.
func startNginx(t testing.TB, bin, servers, waitAddr string) *realNginx {
	t.Helper()
	dir := promtest.TempDir(t, "nginx")
	// Workers run as nobody when the test is root: they must reach files they open per
	// request (auth_basic_user_file).
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := fmt.Sprintf(`daemon off;
master_process on;
worker_processes 1;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path %[1]s/client_body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    keepalive_timeout 30s;
%[2]s
}
`, dir, servers)
	path := promtest.WriteFile(t, dir, "nginx.conf", conf)
	p := promtest.Start(t, bin, "-p", dir, "-c", path, "-e", filepath.Join(dir, "error.log"))
	promtest.WaitPort(t, waitAddr, 10*time.Second, p)
	return &realNginx{Dir: dir, Proc: p}
}

// Stop kills nginx (master and workers) and waits for it.
func (n *realNginx) Stop() { n.Proc.Stop() }

// ErrorLog is nginx's error log so far (for failure messages).
func (n *realNginx) ErrorLog() string {
	b, _ := os.ReadFile(filepath.Join(n.Dir, "error.log"))
	return string(b)
}
