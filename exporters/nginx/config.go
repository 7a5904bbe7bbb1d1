package main

import (
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
	// URL of the stub_status page, http:// or https://.
	URL string `yaml:"url"`
	// BasicAuth for a stub_status location behind auth_basic; the password comes from
	// password_file (re-read at every scrape) or password_env, never from this file.
	BasicAuth *httpclient.BasicAuth `yaml:"basic_auth,omitempty"`
	// TLS for https:// URLs: the server certificate is verified unless insecure_skip_verify.
	TLS config.TLS `yaml:"tls,omitempty"`
}

// Validate implements config.Validator.
func (c *Config) Validate(dir string) error {
	return config.ValidateEach("targets", c.Targets, func(t *Target, path string) error { return t.validate(dir, path) })
}

func (t *Target) validate(dir, path string) error {
	if t.URL == "" {
		return config.Errorf(path+".url", "url is required")
	}
	u, err := url.Parse(t.URL)
	if err != nil {
		// url.Parse's error quotes the input, which may hold credentials: say less.
		return config.Errorf(path+".url", "not a valid URL")
	}
	if u.User != nil {
		return config.Errorf(path+".url", "credentials in the URL are not allowed: use basic_auth.password_file")
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return config.Errorf(path+".url", "%q is not an http:// or https:// URL", t.URL)
	}
	if t.BasicAuth != nil {
		if t.BasicAuth.Username == "" {
			return config.Errorf(path+".basic_auth.username", "username is required")
		}
		if (t.BasicAuth.PasswordFile == "") == (t.BasicAuth.PasswordEnv == "") {
			return config.Errorf(path+".basic_auth", "set exactly one of password_file and password_env")
		}
		t.BasicAuth.PasswordFile = config.ResolvePath(dir, t.BasicAuth.PasswordFile)
	}
	if u.Scheme == "http" && t.TLS != (config.TLS{}) {
		return config.Errorf(path+".tls", "tls applies to https:// URLs only; this url is http://")
	}
	if t.TLS.Enabled {
		return config.Errorf(path+".tls.enabled", "not used by this exporter: an https:// url enables TLS")
	}
	return t.TLS.Resolve(dir, path+".tls")
}
