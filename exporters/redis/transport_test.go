package main

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ggzy/ggzy-exporters/internal/promtest"
)

// TestTLS scrapes real TLS-only Redis servers: one that does not ask for client certificates
// and one that requires them.
func TestTLS(t *testing.T) {
	dir := promtest.TempDir(t, "tls")
	good, other := promtest.MakeCerts(t, promtest.TempDir(t, "good")), promtest.MakeCerts(t, promtest.TempDir(t, "other"))
	tlsRedis := func(authClients string) string {
		port := promtest.FreePort(t)
		addr := promtest.Addr(port)
		runRedis(t, addr, "--port", "0", "--tls-port", strconv.Itoa(port),
			"--tls-cert-file", good.ServerCert, "--tls-key-file", good.ServerKey,
			"--tls-ca-cert-file", good.CA, "--tls-auth-clients", authClients)
		return addr
	}
	plain, mutual := tlsRedis("no"), tlsRedis("yes")
	cfg := writeConfig(t, dir,
		target("ok", plain, "tls: {enabled: true, ca_file: "+good.CA+"}"),
		target("wrong-ca", plain, "tls: {enabled: true, ca_file: "+other.CA+"}"),
		target("insecure", plain, "tls: {enabled: true, insecure_skip_verify: true}"),
		target("wrong-name", plain, "tls: {enabled: true, ca_file: "+good.CA+", server_name: redis.example}"),
		target("no-tls", plain),
		target("mutual", mutual, "tls: {enabled: true, ca_file: "+good.CA+", cert_file: "+good.ClientCert+", key_file: "+good.ClientKey+"}"),
		target("mutual-no-cert", mutual, "tls: {enabled: true, ca_file: "+good.CA+"}"),
		target("mutual-wrong-cert", mutual, "tls: {enabled: true, ca_file: "+good.CA+", cert_file: "+other.ClientCert+", key_file: "+other.ClientKey+"}"),
	)
	inst, logs := setup(t, "--config.file", cfg)
	for name, up := range map[string]float64{
		"ok": 1, "insecure": 1, "mutual": 1,
		"wrong-ca": 0, "wrong-name": 0, "no-tls": 0, "mutual-no-cert": 0, "mutual-wrong-cert": 0,
	} {
		t.Run(name, func(t *testing.T) {
			m := probe(t, inst, name)
			if v := promtest.Value(t, m, "redis_up"); v != up {
				t.Errorf("redis_up %v, want %v\n%s", v, up, logs)
			}
			if up == 1 {
				collectorsOK(t, m, allCollectors...)
			}
		})
	}
	if !strings.Contains(logs.String(), "certificate") {
		t.Errorf("no certificate error in logs:\n%s", logs)
	}
}

// TestUnixSocket scrapes a real Redis over its unix socket.
func TestUnixSocket(t *testing.T) {
	dir := promtest.TempDir(t, "sock")
	sock := filepath.Join(dir, "redis.sock")
	port := promtest.FreePort(t)
	runRedis(t, promtest.Addr(port), "--port", strconv.Itoa(port), "--unixsocket", sock, "--requirepass", "sock-pw")
	promtest.WriteFile(t, dir, "pw", "sock-pw")
	inst, logs := setup(t, "--config.file", writeConfig(t, dir, target("sock", sock, "password_file: pw")))
	m := probe(t, inst, "sock")
	if v := promtest.Value(t, m, "redis_up"); v != 1 {
		t.Fatalf("redis_up %v\n%s", v, logs)
	}
	collectorsOK(t, m, allCollectors...)
}
