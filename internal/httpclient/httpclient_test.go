package httpclient

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

func TestGet(t *testing.T) {
	const secret = "pa55-w0rd-xyz"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		switch {
		case r.URL.Path == "/big":
			_, _ = w.Write([]byte(strings.Repeat("x", 200)))
		case !ok || u != "ops" || p != secret:
			w.WriteHeader(http.StatusUnauthorized)
		default:
			_, _ = w.Write([]byte("hello"))
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	pw := promtest.WriteFile(t, dir, "pw", secret+"\n")
	var pool Pool
	c, err := pool.Client(config.TLS{})
	if err != nil {
		t.Fatal(err)
	}
	if c2, _ := pool.Client(config.TLS{}); c2 != c {
		t.Error("pool did not reuse the client")
	}
	ctx := context.Background()
	body, err := Get(ctx, c, srv.URL+"/", &BasicAuth{Username: "ops", PasswordFile: pw}, 100)
	if err != nil || string(body) != "hello" {
		t.Fatalf("auth get: %q %v", body, err)
	}
	_, err = Get(ctx, c, srv.URL+"/", &BasicAuth{Username: "ops", PasswordFile: filepath.Join(dir, "absent")}, 100)
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("missing password file: %v", err)
	}
	_, err = Get(ctx, c, srv.URL+"/", nil, 100)
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("want status error, got %v", err)
	}
	if _, err = Get(ctx, c, srv.URL+"/big", nil, 100); err == nil || !strings.Contains(err.Error(), "larger than 100") {
		t.Fatalf("body limit: %v", err)
	}
	hung := promtest.HungListener(t)
	ctx2, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := Get(ctx2, c, "http://"+hung+"/", nil, 100); err == nil {
		t.Fatal("hung server answered?")
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("hung server not cut off at the deadline: %s", d)
	}
}

func TestTLSVerifiedByDefault(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok")) }))
	defer srv.Close()
	var pool Pool
	c, _ := pool.Client(config.TLS{})
	if _, err := Get(context.Background(), c, srv.URL, nil, 10); err == nil {
		t.Fatal("self-signed certificate accepted without opt-out")
	}
	c, _ = pool.Client(config.TLS{InsecureSkipVerify: true})
	if b, err := Get(context.Background(), c, srv.URL, nil, 10); err != nil || string(b) != "ok" {
		t.Fatalf("opt-out: %v", err)
	}
}

func TestPoolPicksUpReplacedFiles(t *testing.T) {
	dir := t.TempDir()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	defer srv.Close()
	ca := promtest.WriteFile(t, dir, "ca.pem", string(pemOf(srv)))
	var pool Pool
	tl := config.TLS{CAFile: ca}
	c1, err := pool.Client(tl)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(ca, later, later); err != nil {
		t.Fatal(err)
	}
	c2, err := pool.Client(tl)
	if err != nil {
		t.Fatal(err)
	}
	if c1 == c2 {
		t.Error("a CA file replaced in place was not picked up")
	}
}

func pemOf(srv *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
}
