package main

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// authServer serves a stub_status page only to user "status" with the given password.
func authServer(t *testing.T, password string) *httptest.Server {
	t.Helper()
	page, err := os.ReadFile("testdata/stub_status/nginx-1.22.txt")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != "status" || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="status"`)
			http.Error(w, "401 Authorization Required", http.StatusUnauthorized)
			return
		}
		_, _ = w.Write(page)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func randomSecret(t *testing.T) string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "pw-" + base64.RawURLEncoding.EncodeToString(b)
}

// TestSecretsRedacted: basic-auth passwords (right or wrong, from a file or env) never
// appear in /probe output, ?debug=true pages, /sd, /metrics, logs or error text.
func TestSecretsRedacted(t *testing.T) {
	good, wrong := randomSecret(t), randomSecret(t)
	srv := authServer(t, good)
	dir := promtest.TempDir(t, "nginx-secret")
	goodFile := promtest.WriteFile(t, dir, "good.pw", good+"\n")
	wrongFile := promtest.WriteFile(t, dir, "wrong.pw", wrong+"\n")
	t.Setenv("NGINX_TEST_STATUS_PASSWORD", good)
	url := srv.URL + "/stub_status"
	auth := func(src string) string { return "basic_auth: {username: status, " + src + "}" }
	cfg := promtest.WriteFile(t, dir, "nginx.yml", "targets:\n"+
		targetYAML("file", url, auth("password_file: "+goodFile))+
		targetYAML("env", url, auth("password_env: NGINX_TEST_STATUS_PASSWORD"))+
		targetYAML("wrong", url, auth("password_file: "+wrongFile))+
		targetYAML("no-file", url, auth("password_file: "+dir+"/absent.pw"))+
		targetYAML("no-env", url, auth("password_env: NGINX_TEST_UNSET_VARIABLE")))
	inst, logs := setup(t, "--config.file="+cfg)

	var seen strings.Builder
	for _, tc := range []struct {
		target string
		up     string
		cause  string // in the debug page's log
	}{
		{"file", "nginx_up 1", ""},
		{"env", "nginx_up 1", ""},
		{"wrong", "nginx_up 0", "unexpected HTTP status 401"},
		{"no-file", "nginx_up 0", "absent.pw"},
		{"no-env", "nginx_up 0", "NGINX_TEST_UNSET_VARIABLE is not set"},
	} {
		code, body := promtest.Do(t, inst.Handler, "GET", "/probe?target="+tc.target, nil)
		if code != 200 || !strings.Contains(body, tc.up+"\n") {
			t.Errorf("%s: HTTP %d, want %s:\n%s", tc.target, code, tc.up, body)
		}
		code, debug := promtest.Do(t, inst.Handler, "GET", "/probe?target="+tc.target+"&debug=true", nil)
		if code != 200 || !strings.Contains(debug, tc.up+"\n") || !strings.Contains(debug, "username: status") {
			t.Errorf("%s debug: HTTP %d:\n%s", tc.target, code, debug)
		}
		if !strings.Contains(debug, tc.cause) {
			t.Errorf("%s debug page lacks the cause %q:\n%s", tc.target, tc.cause, debug)
		}
		seen.WriteString(body + debug)
	}
	for _, path := range []string{"/sd", "/metrics"} {
		_, body := promtest.Do(t, inst.Handler, "GET", path, nil)
		seen.WriteString(body)
	}
	seen.WriteString(logs.String())
	if !strings.Contains(seen.String(), goodFile) {
		t.Errorf("the debug page should show the password file's path %s", goodFile)
	}
	for _, secret := range []string{good, wrong,
		base64.StdEncoding.EncodeToString([]byte("status:" + good)),
		base64.StdEncoding.EncodeToString([]byte("status:" + wrong))} {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("secret %q leaked into output or logs", secret)
		}
	}
}

// TestSecretNotInFlagsOrErrors: single-target mode reads the password from a file or env,
// never from a flag, and startup errors do not echo it.
func TestSecretNotInFlagsOrErrors(t *testing.T) {
	good := randomSecret(t)
	srv := authServer(t, good)
	dir := promtest.TempDir(t, "nginx-secret")
	pw := promtest.WriteFile(t, dir, "pw", good)

	inst, logs := setup(t, "--nginx.scrape-uri="+srv.URL+"/stub_status", "--nginx.username=status", "--nginx.password-file="+pw)
	if _, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil); !strings.Contains(body, "nginx_up 1\n") {
		t.Errorf("password file: /metrics:\n%s", body)
	}

	t.Setenv("NGINX_PASSWORD", good)
	inst, _ = setup(t, "--nginx.scrape-uri="+srv.URL+"/stub_status", "--nginx.username=status")
	if _, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil); !strings.Contains(body, "nginx_up 1\n") {
		t.Errorf("NGINX_PASSWORD: /metrics:\n%s", body)
	}

	if _, _, err := trySetup("--nginx.scrape-uri=" + strings.Replace(srv.URL, "http://", "http://status:"+good+"@", 1)); err == nil ||
		strings.Contains(err.Error(), good) || !strings.Contains(err.Error(), "credentials in the URL") {
		t.Errorf("credentials in --nginx.scrape-uri: %v", err)
	}
	if _, _, err := trySetup("--nginx.password=" + good); err == nil || strings.Contains(fmt.Sprint(err), good) {
		t.Errorf("a password flag must not exist: %v", err)
	}
	if strings.Contains(logs.String(), good) {
		t.Error("password in the log")
	}
}
