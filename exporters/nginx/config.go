package main

import (
	"fmt"
	"net/url"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/httpclient"
)

// Config is the exporter's YAML file (see example.yml).
type Config struct {
	Targets []Target `yaml:"targets"`
}

// Target is one nginx (or Tengine) stub_status page.
type Target struct {
	config.TargetMeta `yaml:",inline"`
	// URL of the stub_status page.
	URL       string                `yaml:"url"`
	BasicAuth *httpclient.BasicAuth `yaml:"basic_auth,omitempty"`
	TLS       config.TLS            `yaml:"tls,omitempty"`
}

// Validate implements config.Validator.
func (c *Config) Validate(dir string) error {
	if err := config.ValidateTargets("targets", c.Targets); err != nil {
		return err
	}
	for i := range c.Targets {
		if err := c.Targets[i].validate(dir, fmt.Sprintf("targets[%d]", i)); err != nil {
			return err
		}
	}
	return nil
}

func (t *Target) validate(dir, path string) error {
	if t.URL == "" {
		return config.Errorf(path+".url", "url is required")
	}
	u, err := url.Parse(t.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config.Errorf(path+".url", "%q is not an http(s) URL", t.URL)
	}
	if u.User != nil {
		return config.Errorf(path+".url", "credentials in the URL are not allowed: use basic_auth.password_file")
	}
	if t.BasicAuth != nil {
		if t.BasicAuth.Username == "" {
			return config.Errorf(path+".basic_auth.username", "username is required")
		}
		t.BasicAuth.PasswordFile = config.ResolvePath(dir, t.BasicAuth.PasswordFile)
	}
	return t.TLS.Resolve(dir, path+".tls")
}
