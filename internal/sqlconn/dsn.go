// Package sqlconn holds what the SQL exporters share: connection settings whose printed
// forms never show the password, per-query timeouts under the scrape deadline, and a
// bounded pool of *sql.DB handles kept per target across scrapes.
package sqlconn

import (
	"fmt"
	"log/slog"
	"strings"
)

// Redacted is what every printed form of a Secret shows.
const Redacted = "<secret>"

// Secret is a password. fmt, slog, JSON and YAML print Redacted; Reveal returns the value.
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return Redacted }

// GoString implements fmt.GoStringer (%#v).
func (Secret) GoString() string { return Redacted }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue(Redacted) }

// MarshalText implements encoding.TextMarshaler (JSON, YAML keys and values).
func (Secret) MarshalText() ([]byte, error) { return []byte(Redacted), nil }

// MarshalYAML implements yaml.Marshaler.
func (Secret) MarshalYAML() (any, error) { return Redacted, nil }

// Reveal returns the password itself: only for handing it to a driver.
func (s Secret) Reveal() string { return string(s) }

// DSN is where and as whom to connect. It is not a driver's DSN string: drivers get the
// fields one by one, so the password is never formatted into a string.
type DSN struct {
	// Net is "tcp" or "unix".
	Net string
	// Addr is host:port for tcp, a socket path for unix.
	Addr     string
	User     string
	Password Secret
	Database string
}

// String is the DSN in the go-sql-driver/mysql style with the password masked,
// e.g. exporter:<secret>@tcp(127.0.0.1:3306)/.
func (d DSN) String() string {
	var b strings.Builder
	if d.User != "" {
		b.WriteString(d.User)
		if d.Password != "" {
			b.WriteString(":" + Redacted)
		}
		b.WriteString("@")
	}
	fmt.Fprintf(&b, "%s(%s)/%s", d.Net, d.Addr, d.Database)
	return b.String()
}

// GoString implements fmt.GoStringer so %#v is redacted too.
func (d DSN) GoString() string { return "sqlconn.DSN(" + d.String() + ")" }

// LogValue implements slog.LogValuer.
func (d DSN) LogValue() slog.Value { return slog.StringValue(d.String()) }

// MarshalText implements encoding.TextMarshaler.
func (d DSN) MarshalText() ([]byte, error) { return []byte(d.String()), nil }
