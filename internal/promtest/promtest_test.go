package promtest

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const exposition = `# TYPE up gauge
up 1
# TYPE requests_total counter
requests_total{code="200",method="GET"} 7
requests_total{code="500",method="GET"} 2
requests_total{code="200",method="POST"} 3
# TYPE info untyped
info{channel="",version="1.2"} 4
info{channel="b",version="1.3"} 5
# TYPE latency_seconds histogram
latency_seconds_bucket{le="+Inf"} 1
latency_seconds_sum 0.5
latency_seconds_count 1
`

func TestLookup(t *testing.T) {
	mfs := ParseText(t, exposition)
	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
		ok     bool
	}{
		{"up", nil, 1, true},
		{"requests_total", nil, 7, true}, // the first sample
		{"requests_total", []string{"code", "500"}, 2, true},
		{"requests_total", []string{"method", "POST"}, 3, true},
		{"requests_total", []string{"method", "POST", "code", "200"}, 3, true},
		{"requests_total", []string{"method", "POST", "code", "500"}, 0, false},
		{"requests_total", []string{"code", "404"}, 0, false},
		{"requests_total", []string{"host", ""}, 7, true}, // a missing label matches ""
		{"info", []string{"channel", ""}, 4, true},
		{"info", []string{"channel", "b"}, 5, true},
		{"info", []string{"version", "1.3"}, 5, true},
		{"latency_seconds", nil, 0, false}, // histograms have no single value
		{"missing", nil, 0, false},
	} {
		v, ok := Lookup(mfs, tc.name, tc.labels...)
		if v != tc.want || ok != tc.ok {
			t.Errorf("Lookup(%s%v) = %v, %v; want %v, %v", tc.name, tc.labels, v, ok, tc.want, tc.ok)
		}
		if tc.ok {
			if v := Value(t, mfs, tc.name, tc.labels...); v != tc.want {
				t.Errorf("Value(%s%v) = %v, want %v", tc.name, tc.labels, v, tc.want)
			}
		}
	}
}

func TestParseFile(t *testing.T) {
	dir := TempDir(t, "parse")
	mfs := ParseFile(t, WriteFile(t, dir, "x.prom", exposition))
	if len(mfs) != 4 {
		t.Errorf("%d families, want 4", len(mfs))
	}
	if v := Value(t, mfs, "requests_total", "code", "200", "method", "POST"); v != 3 {
		t.Errorf("requests_total = %v, want 3", v)
	}
}

func TestLogBuffer(t *testing.T) {
	var b LogBuffer
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				fmt.Fprintf(&b, "%d-%d\n", i, j)
				_ = b.String()
			}
		}(i)
	}
	wg.Wait()
	if n := strings.Count(b.String(), "\n"); n != 1000 {
		t.Errorf("%d lines, want 1000", n)
	}

	limited := LogBuffer{Limit: 4}
	for _, s := range []string{"abc", "de", "fg"} {
		if n, err := limited.Write([]byte(s)); n != len(s) || err != nil {
			t.Errorf("Write(%q) = %d, %v", s, n, err)
		}
	}
	if got := limited.String(); got != "abcde" {
		t.Errorf("limited buffer holds %q, want %q", got, "abcde")
	}
}

// TestMakeCerts: the server certificate verifies against the CA for 127.0.0.1 and
// localhost, the client certificate passes a server that requires one, and another
// MakeCerts' CA verifies neither.
func TestMakeCerts(t *testing.T) {
	dir, otherDir := TempDir(t, "certs"), TempDir(t, "other")
	c, other := MakeCerts(t, dir), MakeCerts(t, otherDir)
	for name, p := range map[string]string{"ca.pem": c.CA, "server.pem": c.ServerCert, "server.key": c.ServerKey,
		"client.pem": c.ClientCert, "client.key": c.ClientKey} {
		if p != dir+"/"+name {
			t.Errorf("%s written to %s", name, p)
		}
	}
	pool := func(ca string) *x509.CertPool {
		b, err := os.ReadFile(ca)
		if err != nil {
			t.Fatal(err)
		}
		p := x509.NewCertPool()
		if !p.AppendCertsFromPEM(b) {
			t.Fatalf("%s holds no certificate", ca)
		}
		return p
	}
	pair := func(cert, key string) tls.Certificate {
		kp, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			t.Fatal(err)
		}
		return kp
	}

	l, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{
		Certificates: []tls.Certificate{pair(c.ServerCert, c.ServerKey)},
		ClientAuth:   tls.RequireAndVerifyClientCert,
		ClientCAs:    pool(c.CA),
		MinVersion:   tls.VersionTLS12,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
				_, _ = io.WriteString(conn, "ok") // the handshake happens here
			}()
		}
	}()
	_, port, _ := net.SplitHostPort(l.Addr().String())

	dial := func(host, ca string, client *tls.Certificate) error {
		cfg := &tls.Config{RootCAs: pool(ca), ServerName: host, MinVersion: tls.VersionTLS12}
		if client != nil {
			cfg.Certificates = []tls.Certificate{*client}
		}
		conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", net.JoinHostPort("127.0.0.1", port), cfg)
		if err != nil {
			return err
		}
		defer conn.Close()
		_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
		b, err := io.ReadAll(conn) // with TLS 1.3 a rejected client certificate shows here
		if err == nil && string(b) != "ok" {
			err = fmt.Errorf("read %q", b)
		}
		return err
	}
	client, otherClient := pair(c.ClientCert, c.ClientKey), pair(other.ClientCert, other.ClientKey)
	for _, host := range []string{"127.0.0.1", "localhost"} {
		if err := dial(host, c.CA, &client); err != nil {
			t.Errorf("%s with the client certificate: %v", host, err)
		}
	}
	if err := dial("127.0.0.1", other.CA, &client); err == nil || !strings.Contains(err.Error(), "unknown authority") {
		t.Errorf("server certificate verified by another CA: %v", err)
	}
	if err := dial("127.0.0.1", c.CA, nil); err == nil {
		t.Error("no client certificate accepted")
	}
	if err := dial("127.0.0.1", c.CA, &otherClient); err == nil {
		t.Error("client certificate of another CA accepted")
	}
	if err := dial("example.org", c.CA, &client); err == nil {
		t.Error("server certificate verified for example.org")
	}
}

func TestGoldenMetrics(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "x", "testdata")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	WriteFile(t, dir, "a.prom", "# HELP x_seconds A histogram.\n# TYPE x_seconds histogram\nx_seconds_bucket{le=\"+Inf\"} 1\nx_seconds_sum 2\nx_seconds_count 1\n# HELP x_up Up.\n# TYPE x_up gauge\nx_up 1\n")
	WriteFile(t, filepath.Join(root, "x"), "not-golden.prom", "# TYPE y_up gauge\ny_up 1\n")
	got := GoldenMetrics(t, root)
	for _, n := range []string{"x_seconds", "x_seconds_bucket", "x_seconds_sum", "x_seconds_count", "x_up"} {
		if _, ok := got[n]; !ok {
			t.Errorf("%s missing from %v", n, got)
		}
	}
	if _, ok := got["y_up"]; ok {
		t.Error("a .prom outside testdata/ counted as a golden")
	}
}
