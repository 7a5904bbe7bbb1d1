// Package httpclient fetches from HTTP targets under the scrape's context with a body limit,
// basic auth from a password file, and TLS verified by default.
package httpclient

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/prometheus/common/version"

	"github.com/ggzy/ggzy-exporters/internal/config"
)

// BasicAuth holds a user name and where the password is; never the password itself.
type BasicAuth struct {
	Username     string `yaml:"username"`
	PasswordFile string `yaml:"password_file,omitempty"`
	PasswordEnv  string `yaml:"password_env,omitempty"`
}

// MaxBody is the default limit on a response body.
const MaxBody = 1 << 20

// Pool keeps one client per TLS setting so keep-alive connections are reused across scrapes.
// A client is keyed by the TLS block and the modification times of its files, so a CA or
// certificate replaced at the same path is picked up at the next scrape. The pool is emptied
// when it grows past maxClients (old settings after reloads), closing idle connections.
type Pool struct {
	mu      sync.Mutex
	clients map[poolKey]*http.Client
}

type poolKey struct {
	tls    config.TLS
	mtimes [3]int64
}

const maxClients = 256

func mtime(path string) int64 {
	if path == "" {
		return 0
	}
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.ModTime().UnixNano()
}

// Client returns the client for a TLS setting.
func (p *Pool) Client(t config.TLS) (*http.Client, error) {
	key := poolKey{tls: t, mtimes: [3]int64{mtime(t.CAFile), mtime(t.CertFile), mtime(t.KeyFile)}}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[key]; ok {
		return c, nil
	}
	tc, err := t.Config()
	if err != nil {
		return nil, err
	}
	c := &http.Client{
		Transport: &http.Transport{
			TLSClientConfig:     tc,
			MaxIdleConnsPerHost: 2,
			IdleConnTimeout:     90 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	if p.clients == nil || len(p.clients) >= maxClients {
		for _, old := range p.clients {
			old.CloseIdleConnections()
		}
		p.clients = map[poolKey]*http.Client{}
	}
	p.clients[key] = c
	return c, nil
}

// Get fetches url with ctx, returns at most limit bytes of a 2xx body, and errors on
// anything else with the status code (never the credentials).
func Get(ctx context.Context, c *http.Client, url string, auth *BasicAuth, limit int64) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "ggzy-exporters/"+version.Version)
	if auth != nil && auth.Username != "" {
		pw, err := config.ReadSecret(auth.PasswordFile, auth.PasswordEnv)
		if err != nil {
			return nil, err
		}
		req.SetBasicAuth(auth.Username, pw)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
		return nil, fmt.Errorf("unexpected HTTP status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("response body larger than %d bytes", limit)
	}
	return body, nil
}
