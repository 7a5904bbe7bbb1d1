package main

import (
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestTLS: an https target is verified by default (a self-signed server fails), and works
// with its CA in ca_file or with insecure_skip_verify on that target only.
func TestTLS(t *testing.T) {
	page, err := os.ReadFile("testdata/stub_status/nginx-1.22.txt")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write(page) }))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // failed handshakes are expected here
	srv.StartTLS()
	defer srv.Close()
	dir := promtest.TempDir(t, "nginx-tls")
	ca := promtest.WriteFile(t, dir, "httptest-ca.pem", string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	other := promtest.MakeCerts(t, promtest.TempDir(t, "other-ca")).CA // a CA that did not sign the server's certificate
	url := srv.URL + "/stub_status"
	cfg := promtest.WriteFile(t, dir, "nginx.yml", "targets:\n"+
		targetYAML("default", url, "")+
		targetYAML("ca-file", url, "tls: {ca_file: httptest-ca.pem}")+
		targetYAML("other-ca", url, "tls: {ca_file: "+other+"}")+
		targetYAML("wrong-name", url, "tls: {ca_file: "+ca+", server_name: status.example.org}")+
		targetYAML("insecure", url, "tls: {insecure_skip_verify: true}"))
	inst, logs := setup(t, "--config.file="+cfg)

	for _, tc := range []struct {
		target string
		up     float64
	}{{"default", 0}, {"ca-file", 1}, {"other-ca", 0}, {"wrong-name", 0}, {"insecure", 1}} {
		m := probe(t, inst, tc.target)
		if v := promtest.Value(t, m, "nginx_up"); v != tc.up {
			t.Errorf("%s: nginx_up %v, want %v", tc.target, v, tc.up)
		}
		if tc.up == 1 && promtest.Value(t, m, "nginx_http_requests_total") != 44 {
			t.Errorf("%s: wrong page", tc.target)
		}
	}
	for _, want := range []string{"certificate signed by unknown authority", "status.example.org"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs)
		}
	}

	// Single-target mode has the same default and the same two ways out.
	for _, tc := range []struct {
		args []string
		up   string
	}{
		{nil, "nginx_up 0\n"},
		{[]string{"--nginx.ca-file=" + ca}, "nginx_up 1\n"},
		{[]string{"--nginx.insecure-skip-verify"}, "nginx_up 1\n"},
	} {
		inst, _ := setup(t, append([]string{"--nginx.scrape-uri=" + url}, tc.args...)...)
		if _, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil); !strings.Contains(body, tc.up) {
			t.Errorf("%v: want %q", tc.args, tc.up)
		}
	}
}
