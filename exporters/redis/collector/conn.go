package collector

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"

	"github.com/ggzy/ggzy-exporters/internal/config"
)

// Options say how to reach one Redis server. They hold where the password is, never the
// password: it is read when the connection is made, so a rotated file is picked up at the
// next scrape.
type Options struct {
	// Addr is host:port, or the path of a unix socket (starting with "/").
	Addr         string
	Username     string
	PasswordFile string
	PasswordEnv  string
	TLS          config.TLS
}

// Conn is one scrape's connection to a Redis server. It is opened lazily by Check, used by
// the collectors one command at a time, and closed by Close when the scrape is over: nothing
// is kept across scrapes (after a failed dial, go-redis probes the address from a goroutine
// that ends within a second of Close).
type Conn struct {
	client *redis.Client
	err    error // set up error (TLS files), reported by Check

	mu      sync.Mutex
	secret  string // the password last read, only to scrub it from error text
	pingRTT time.Duration
	pinged  bool
}

// Open prepares the connection of one scrape; nothing is sent until Check. Every network
// wait, dialling included, ends when ctx ends.
func Open(ctx context.Context, o Options) *Conn {
	c := &Conn{}
	var tlsConf *tls.Config
	if o.TLS.Enabled {
		var err error
		if tlsConf, err = o.TLS.Config(); err != nil {
			c.err = fmt.Errorf("tls: %w", err)
			return c
		}
	}
	network := "tcp"
	if strings.HasPrefix(o.Addr, "/") {
		network = "unix"
	}
	c.client = redis.NewClient(&redis.Options{
		Network:  network,
		Addr:     o.Addr,
		Protocol: 2,
		Dialer: func(dctx context.Context, network, addr string) (net.Conn, error) {
			// go-redis dials under its own context; end the dial with the scrape too.
			dctx, cancel := context.WithCancel(dctx)
			defer cancel()
			defer context.AfterFunc(ctx, cancel)()
			d := &net.Dialer{}
			if tlsConf == nil {
				return d.DialContext(dctx, network, addr)
			}
			return (&tls.Dialer{NetDialer: d, Config: tlsConf}).DialContext(dctx, network, addr)
		},
		CredentialsProviderContext: func(context.Context) (string, string, error) {
			pw, err := config.ReadSecret(o.PasswordFile, o.PasswordEnv)
			c.mu.Lock()
			c.secret = pw
			c.mu.Unlock()
			return o.Username, pw, err
		},
		// One connection per scrape; the collectors take turns on it.
		PoolSize:              1,
		MaxActiveConns:        1,
		MaxIdleConns:          1,
		PipelinePoolSize:      -1,
		MaxRetries:            -1,
		DialerRetries:         1,
		DialTimeout:           time.Minute, // bounded by ctx
		ReadTimeout:           time.Minute, // bounded by ctx
		ContextTimeoutEnabled: true,
		// The replies are small (INFO is a few KiB) and the commands tiny; go-redis'
		// defaults (32 KiB each way) would be most of a scrape's allocations.
		ReadBufferSize:  8 << 10,
		WriteBufferSize: 1 << 10,
		DisableIdentity: true,
		MaintNotificationsConfig: &maintnotifications.Config{
			Mode: maintnotifications.ModeDisabled,
		},
	})
	return c
}

// Check connects, authenticates and sends PING; when timePing is set it then times a
// second PING on the established connection (the round trip the ping collector reports).
func (c *Conn) Check(ctx context.Context, timePing bool) error {
	if c.err != nil {
		return c.err
	}
	if err := c.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("connect, authenticate and PING: %w", c.redact(err))
	}
	if !timePing {
		return nil
	}
	start := time.Now()
	if err := c.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("timed PING: %w", c.redact(err))
	}
	c.mu.Lock()
	c.pingRTT, c.pinged = time.Since(start), true
	c.mu.Unlock()
	return nil
}

// PingRTT is the round trip measured by Check.
func (c *Conn) PingRTT() (time.Duration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pingRTT, c.pinged
}

// Info sends INFO with the given section ("" for the default sections).
func (c *Conn) Info(ctx context.Context, section string) (string, error) {
	if c.client == nil {
		return "", c.err
	}
	var cmd *redis.StringCmd
	if section == "" {
		cmd = c.client.Info(ctx)
	} else {
		cmd = c.client.Info(ctx, section)
	}
	s, err := cmd.Result()
	return s, c.redact(err)
}

// SlowlogLen sends SLOWLOG LEN.
func (c *Conn) SlowlogLen(ctx context.Context) (int64, error) {
	if c.client == nil {
		return 0, c.err
	}
	n, err := c.client.Do(ctx, "slowlog", "len").Int64()
	return n, c.redact(err)
}

// Close closes the connection (idempotent enough for the runner's single call).
func (c *Conn) Close() {
	if c.client != nil {
		_ = c.client.Close()
	}
}

// redact scrubs the password from an error's text. Redis' replies to AUTH do not echo it,
// but "unknown command" replies list the command's arguments, and some proxies and
// Redis-compatible servers answer AUTH or HELLO that way.
func (c *Conn) redact(err error) error {
	if err == nil {
		return nil
	}
	c.mu.Lock()
	secret := c.secret
	c.mu.Unlock()
	if secret == "" || !strings.Contains(err.Error(), secret) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), secret, "<redacted>"))
}
