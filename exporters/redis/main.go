// Command ggzy_redis_exporter exports Redis INFO, keyspace, slow log length and PING latency
// for one server (flags, on /metrics) or many (config file, on /probe?target=<name>).
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/alecthomas/kingpin/v2"
	"github.com/redis/go-redis/v9"

	"github.com/ggzy/ggzy-exporters/exporters/redis/collector"
	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

func main() {
	// go-redis logs dial failures on its own; every error also comes back to the collectors,
	// which log it with the target's name, so its package logger is silenced.
	redis.SetLogger(quiet{})
	app := kingpin.New("ggzy_redis_exporter", "Prometheus exporter for Redis.")
	os.Exit(newExporter(app).Main(app, server.AddFlags(app, ":9921"), os.Args[1:]))
}

type quiet struct{}

func (quiet) Printf(context.Context, string, ...any) {}

func newExporter(app *kingpin.Application) *server.Exporter[Config, Target] {
	set := &icollector.Set{}
	set.Register("info", true, "INFO: clients, memory, persistence, stats, replication, CPU")
	set.Register("keyspace", true, "INFO keyspace: keys per database (at most --redis.max-dbs databases)")
	set.Register("slowlog", true, "SLOWLOG LEN")
	set.Register("ping", true, "Round trip of a PING")
	set.BindFlags(app)
	addr := app.Flag("redis.addr", "host:port (or unix socket path) of the single Redis served on /metrics.").String()
	user := app.Flag("redis.username", "ACL user for --redis.addr (Redis 6+); the password comes from env REDIS_PASSWORD or --redis.password-file.").String()
	pwFile := app.Flag("redis.password-file", "File holding the password for --redis.addr (read at every scrape).").String()
	useTLS := app.Flag("redis.tls", "Use TLS to --redis.addr.").Bool()
	caFile := app.Flag("redis.tls-ca-file", "CA certificates to verify --redis.addr's certificate.").String()
	certFile := app.Flag("redis.tls-cert-file", "Client certificate for --redis.addr.").String()
	keyFile := app.Flag("redis.tls-key-file", "Client key for --redis.addr.").String()
	serverName := app.Flag("redis.tls-server-name", "Server name to verify --redis.addr's certificate against.").String()
	insecure := app.Flag("redis.tls-insecure-skip-verify", "Skip TLS verification for --redis.addr.").Bool()
	maxDBs := app.Flag("redis.max-dbs", "At most this many databases (the lowest indexes) get redis_db_* series.").Default(fmt.Sprint(collector.DefaultMaxDBs)).Int()

	return &server.Exporter[Config, Target]{
		Name:        "ggzy_redis_exporter",
		Namespace:   collector.Namespace,
		Description: "Redis exporter of the ggzy-exporters suite",
		Load:        config.Load[Config],
		Targets:     func(c *Config) []Target { return c.Targets },
		FlagTarget: func() (Target, bool, error) {
			if *addr == "" {
				return Target{}, false, nil
			}
			if *maxDBs < 0 {
				return Target{}, false, fmt.Errorf("--redis.max-dbs must not be negative")
			}
			t := Target{TargetMeta: config.TargetMeta{Name: "default"}, Address: *addr, Username: *user, PasswordFile: *pwFile}
			if _, ok := os.LookupEnv("REDIS_PASSWORD"); ok && *pwFile == "" {
				t.PasswordEnv = "REDIS_PASSWORD"
			}
			t.TLS = config.TLS{Enabled: *useTLS, CAFile: *caFile, CertFile: *certFile, KeyFile: *keyFile, ServerName: *serverName, InsecureSkipVerify: *insecure}
			cwd, _ := os.Getwd()
			return t, true, t.validate(cwd, "--redis")
		},
		Build: func(ctx context.Context, logger *slog.Logger, t Target) icollector.Scrape {
			conn := collector.Open(ctx, t.options())
			timePing := set.Enabled("ping")
			cs := map[string]icollector.Collector{}
			if set.Enabled("info") {
				cs["info"] = collector.InfoCollector{Src: conn}
			}
			if set.Enabled("keyspace") {
				cs["keyspace"] = collector.KeyspaceCollector{Src: conn, MaxDBs: *maxDBs}
			}
			if set.Enabled("slowlog") {
				cs["slowlog"] = collector.SlowlogCollector{Src: conn}
			}
			if timePing {
				cs["ping"] = collector.PingCollector{RTT: conn.PingRTT}
			}
			return icollector.Scrape{
				Namespace:  collector.Namespace,
				Check:      func(ctx context.Context) error { return conn.Check(ctx, timePing) },
				Collectors: cs,
				Close:      conn.Close,
				Logger:     logger,
			}
		},
		Describe: func(t Target) any { return t },
	}
}
