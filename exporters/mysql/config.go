package main

import (
	"net"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/config"
)

// Config is the exporter's YAML file (see example.yml).
type Config struct {
	Targets []Target `yaml:"targets"`
}

// Target is one MySQL or MariaDB server.
type Target struct {
	config.TargetMeta `yaml:",inline"`
	// Address is host:port (TCP); Socket a unix socket path. Exactly one of them.
	Address string `yaml:"address,omitempty"`
	Socket  string `yaml:"socket,omitempty"`
	// Username is the account the exporter logs in as; the password comes from
	// PasswordFile (re-read at every scrape) or the environment variable PasswordEnv.
	Username     string     `yaml:"username"`
	PasswordFile string     `yaml:"password_file,omitempty"`
	PasswordEnv  string     `yaml:"password_env,omitempty"`
	TLS          config.TLS `yaml:"tls,omitempty"`
	// MaxOpenConnections bounds the target's pool (1-3, default 2).
	MaxOpenConnections int `yaml:"max_open_connections,omitempty"`
	// QueryTimeout bounds each query within the scrape's deadline (default 5s).
	QueryTimeout time.Duration `yaml:"query_timeout,omitempty"`
}

const (
	defaultMaxOpen      = 2
	defaultQueryTimeout = 5 * time.Second
)

// Validate implements config.Validator.
func (c *Config) Validate(dir string) error {
	return config.ValidateEach("targets", c.Targets, func(t *Target, path string) error { return t.validate(dir, path) })
}

func (t *Target) validate(dir, path string) error {
	switch {
	case t.Address == "" && t.Socket == "":
		return config.Errorf(path+".address", "address (host:port) or socket is required")
	case t.Address != "" && t.Socket != "":
		return config.Errorf(path+".socket", "give address or socket, not both")
	case t.Address != "":
		host, port, err := net.SplitHostPort(t.Address)
		if err != nil || host == "" || port == "" {
			return config.Errorf(path+".address", "%q is not host:port", t.Address)
		}
	}
	if t.Username == "" {
		return config.Errorf(path+".username", "username is required")
	}
	if t.PasswordFile != "" && t.PasswordEnv != "" {
		return config.Errorf(path+".password_env", "give password_file or password_env, not both")
	}
	t.PasswordFile = config.ResolvePath(dir, t.PasswordFile)
	t.Socket = config.ResolvePath(dir, t.Socket)
	if t.MaxOpenConnections == 0 {
		t.MaxOpenConnections = defaultMaxOpen
	}
	if t.MaxOpenConnections < 1 || t.MaxOpenConnections > 3 {
		return config.Errorf(path+".max_open_connections", "must be 1 to 3, got %d", t.MaxOpenConnections)
	}
	if t.QueryTimeout == 0 {
		t.QueryTimeout = defaultQueryTimeout
	}
	if t.QueryTimeout < 0 {
		return config.Errorf(path+".query_timeout", "must be positive")
	}
	if t.TLS.Enabled && t.Socket != "" {
		return config.Errorf(path+".tls", "TLS over a unix socket is not supported")
	}
	return t.TLS.Resolve(dir, path+".tls")
}
