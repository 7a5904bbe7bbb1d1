package promtest

import (
	"bytes"
	"context"
	"io"

	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// FreePort returns a free TCP port on 127.0.0.1.
func FreePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Need skips the test when a binary is missing, unless CI=true, where it fails: CI
// installs everything the tests need, so a missing binary there is a broken .ci/run.
func Need(t testing.TB, bin string) string {
	t.Helper()
	p, err := exec.LookPath(bin)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found on PATH (.ci/run should install it)", bin)
		}
		t.Skipf("%s not found on PATH", bin)
	}
	return p
}

// Process is a server started by a test.
type Process struct {
	Cmd *exec.Cmd
	out *LogBuffer
}

// Output is what the process printed so far.
func (p *Process) Output() string { return p.out.String() }

// Stop kills the process (idempotent).
func (p *Process) Stop() {
	if p.Cmd.Process != nil && p.Cmd.ProcessState == nil {
		_ = syscall.Kill(-p.Cmd.Process.Pid, syscall.SIGKILL)
		_ = p.Cmd.Wait()
	}
}

// Start runs a server in its own process group and stops it when the test ends.
func Start(t testing.TB, name string, args ...string) *Process {
	t.Helper()
	cmd := exec.Command(name, args...)
	out := &LogBuffer{Limit: 1 << 20}
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	p := &Process{Cmd: cmd, out: out}
	t.Cleanup(p.Stop)
	return p
}

// StartListening runs a server (see Start) on a free loopback address: args returns its
// arguments for that address (e.g. "--web.listen-address="+addr). It waits until the
// address accepts connections and returns the process and the address (127.0.0.1:port).
func StartListening(t testing.TB, bin string, args func(addr string) []string) (*Process, string) {
	t.Helper()
	addr := Addr(FreePort(t))
	p := Start(t, bin, args(addr)...)
	WaitPort(t, addr, 15*time.Second, p)
	return p, addr
}

// WaitPort waits until addr accepts TCP connections.
func WaitPort(t testing.TB, addr string, within time.Duration, p *Process) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	out := ""
	if p != nil {
		out = p.Output()
	}
	t.Fatalf("%s did not accept connections within %s; output:\n%s", addr, within, out)
}

// FixtureServer serves files of dir by URL path (path "/_nodes/stats" → dir/_nodes/stats).
func FixtureServer(t testing.TB, routes map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b, err := os.ReadFile(f)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// HungListener accepts connections and never answers; it returns its address.
func HungListener(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			// Never answer, but let go of the connection once the client hangs up, so that
			// leak checks count only the client's descriptors.
			go func() {
				_, _ = io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
	})
	return l.Addr().String()
}

// CheckLeaks runs fn n times and fails if goroutines or open file descriptors grew by more
// than slack after the runs settle.
func CheckLeaks(t testing.TB, n, slack int, fn func()) {
	t.Helper()
	fn() // warm up pools and lazy init
	settle()
	g0, f0 := runtime.NumGoroutine(), openFDs(t)
	for i := 0; i < n; i++ {
		fn()
	}
	var g1, f1 int
	for i := 0; i < 20; i++ { // give closing connections time
		settle()
		g1, f1 = runtime.NumGoroutine(), openFDs(t)
		if g1-g0 <= slack && f1-f0 <= slack {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("after %d scrapes: goroutines %d -> %d, open fds %d -> %d (slack %d)", n, g0, g1, f0, f1, slack)
}

func settle() {
	runtime.GC()
	time.Sleep(50 * time.Millisecond)
}

func openFDs(t testing.TB) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

// TempDir returns a short temp dir (unix socket paths must stay under 108 bytes).
func TempDir(t testing.TB, prefix string) string {
	t.Helper()
	d, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// WriteFile writes a file under dir and returns its path.
func WriteFile(t testing.TB, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Addr joins host and port.
func Addr(port int) string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(port)) }

// Eventually polls cond until it is true or within elapses.
func Eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	for {
		if cond() {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("timed out after %s waiting for %s", within, what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// LogBuffer collects what a logger or a process writes, for assertions; it is safe for
// concurrent writes. The zero value is ready to use.
type LogBuffer struct {
	// Limit, when above 0, is the size after which further writes are dropped (and
	// reported as written).
	Limit int

	mu sync.Mutex
	b  bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.Limit > 0 && l.b.Len() > l.Limit {
		return len(p), nil
	}
	return l.b.Write(p)
}

// String is everything written so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
