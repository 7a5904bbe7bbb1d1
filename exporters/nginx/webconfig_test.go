package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestWebConfigFile: the built binary serves HTTPS with basic auth when given an
// exporter-toolkit --web.config.file, as the README documents.
func TestWebConfigFile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := promtest.BuildOnce(t, "./exporters/nginx")
	dir := promtest.TempDir(t, "nginx-web")
	certs := promtest.MakeCerts(t, dir)
	hash, err := bcrypt.GenerateFromPassword([]byte("scrape-pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	web := promtest.WriteFile(t, dir, "web.yml", "tls_server_config:\n  cert_file: "+certs.ServerCert+"\n  key_file: "+certs.ServerKey+
		"\nbasic_auth_users:\n  prometheus: "+string(hash)+"\n")
	page := promtest.FixtureServer(t, map[string]string{"/stub_status": "testdata/stub_status/nginx-1.22.txt"})
	_, addr := promtest.StartListening(t, bin, func(l string) []string {
		return []string{"--nginx.scrape-uri=" + page.URL + "/stub_status", "--web.config.file=" + web, "--web.listen-address=" + l}
	})

	pem, _ := os.ReadFile(certs.CA)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	c := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	url := "https://" + addr + "/metrics"
	for _, tc := range []struct {
		user, pw string
		code     int
	}{{"", "", 401}, {"prometheus", "wrong", 401}, {"prometheus", "scrape-pw", 200}} {
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if tc.user != "" {
			req.SetBasicAuth(tc.user, tc.pw)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.code {
			t.Errorf("%s: HTTP %d, want %d", tc.user, resp.StatusCode, tc.code)
		}
		if tc.code == 200 && !strings.Contains(string(body), "nginx_up 1\n") {
			t.Errorf("authenticated /metrics:\n%s", body)
		}
	}
	if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP must not be served when TLS is configured")
		}
	}
}
