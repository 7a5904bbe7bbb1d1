package config

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
)

// TLS is the TLS block of a target. Keys and certificates come from files only.
// Verification is on unless insecure_skip_verify is set for that target.
type TLS struct {
	Enabled            bool   `yaml:"enabled,omitempty"`
	CAFile             string `yaml:"ca_file,omitempty"`
	CertFile           string `yaml:"cert_file,omitempty"`
	KeyFile            string `yaml:"key_file,omitempty"`
	ServerName         string `yaml:"server_name,omitempty"`
	InsecureSkipVerify bool   `yaml:"insecure_skip_verify,omitempty"`
}

// Resolve makes the file paths absolute against dir and checks that cert and key come together.
func (t *TLS) Resolve(dir, path string) error {
	t.CAFile = ResolvePath(dir, t.CAFile)
	t.CertFile = ResolvePath(dir, t.CertFile)
	t.KeyFile = ResolvePath(dir, t.KeyFile)
	if (t.CertFile == "") != (t.KeyFile == "") {
		return Errorf(path, "cert_file and key_file go together")
	}
	for _, f := range []string{t.CAFile, t.CertFile, t.KeyFile} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return Errorf(path, "%s: %v", f, unwrapPathErr(err))
		}
	}
	return nil
}

// Config builds a *tls.Config (nil error and a usable config even when nothing is set).
func (t TLS) Config() (*tls.Config, error) {
	c := &tls.Config{ServerName: t.ServerName, InsecureSkipVerify: t.InsecureSkipVerify, MinVersion: tls.VersionTLS12} //nolint:gosec // opt-in per target
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading ca_file: %w", unwrapPathErr(err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("ca_file holds no PEM certificate")
		}
		c.RootCAs = pool
	}
	if t.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading cert_file/key_file: %w", err)
		}
		c.Certificates = []tls.Certificate{cert}
	}
	return c, nil
}
