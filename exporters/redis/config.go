package main

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/ggzy/ggzy-exporters/exporters/redis/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
)

// Config is the exporter's YAML file (see example.yml).
type Config struct {
	Targets []Target `yaml:"targets"`
}

// Target is one Redis server.
type Target struct {
	config.TargetMeta `yaml:",inline"`
	// Address is host:port, or the absolute path of a unix socket.
	Address string `yaml:"address"`
	// Username is the ACL user (Redis 6+); empty for the default user.
	Username string `yaml:"username,omitempty"`
	// PasswordFile holds the password (read at every scrape); PasswordEnv names an
	// environment variable holding it instead.
	PasswordFile string     `yaml:"password_file,omitempty"`
	PasswordEnv  string     `yaml:"password_env,omitempty"`
	TLS          config.TLS `yaml:"tls,omitempty"`
}

// Validate implements config.Validator.
func (c *Config) Validate(dir string) error {
	return config.ValidateEach("targets", c.Targets, func(t *Target, path string) error { return t.validate(dir, path) })
}

func (t *Target) validate(dir, path string) error {
	if err := validAddress(t.Address); err != nil {
		return config.Errorf(path+".address", "%v", err)
	}
	if t.PasswordFile != "" && t.PasswordEnv != "" {
		return config.Errorf(path+".password_file", "password_file and password_env are exclusive")
	}
	if t.Username != "" && t.PasswordFile == "" && t.PasswordEnv == "" {
		return config.Errorf(path+".username", "username needs password_file or password_env")
	}
	if t.PasswordFile != "" {
		t.PasswordFile = config.ResolvePath(dir, t.PasswordFile)
		if _, err := os.Stat(t.PasswordFile); err != nil {
			return config.Errorf(path+".password_file", "%s: %v", t.PasswordFile, statErr(err))
		}
	}
	tls := t.TLS
	if !tls.Enabled && (tls.CAFile != "" || tls.CertFile != "" || tls.KeyFile != "" || tls.ServerName != "" || tls.InsecureSkipVerify) {
		return config.Errorf(path+".tls", "TLS options are set but tls.enabled is false")
	}
	return t.TLS.Resolve(dir, path+".tls")
}

func validAddress(a string) error {
	switch {
	case a == "":
		return fmt.Errorf("address is required")
	case strings.Contains(a, "://"):
		return fmt.Errorf("%q: give host:port or a unix socket path, not a URL (credentials go in password_file, TLS in tls)", a)
	case strings.HasPrefix(a, "/"):
		if filepath.Clean(a) != a {
			return fmt.Errorf("%q is not a clean absolute socket path", a)
		}
		return nil
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		return fmt.Errorf("%q is not host:port", a)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 || host == "" {
		return fmt.Errorf("%q is not host:port", a)
	}
	return nil
}

func statErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

func (t Target) options() collector.Options {
	return collector.Options{
		Addr:         t.Address,
		Username:     t.Username,
		PasswordFile: t.PasswordFile,
		PasswordEnv:  t.PasswordEnv,
		TLS:          t.TLS,
	}
}
