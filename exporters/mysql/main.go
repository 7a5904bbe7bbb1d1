// Command ggzy_mysql_exporter exports MySQL and MariaDB server status for one target
// (flags, on /metrics) or many (config file, on /probe?target=<name>).
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/exporters/mysql/collector"
	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/server"
	"github.com/ggzy/ggzy-exporters/internal/sqlconn"
)

func main() {
	app := kingpin.New("ggzy_mysql_exporter", "Prometheus exporter for MySQL and MariaDB.")
	os.Exit(newExporter(app, slog.Default()).Main(app, server.AddFlags(app, ":9904"), os.Args[1:]))
}

// options are the collectors' tuning flags.
type options struct {
	digestLimit, digestTextLength *int
	schemaLimit, tableLimit       *int
	errorLogWindow                *time.Duration
}

func newExporter(app *kingpin.Application, driverLog *slog.Logger) *server.Exporter[Config, Target] {
	set := &icollector.Set{}
	set.Register("global_status", true, "Connections, threads and query efficiency from SHOW GLOBAL STATUS")
	set.Register("global_variables", true, "Version, max_connections, read_only and other settings from SHOW GLOBAL VARIABLES")
	set.Register("innodb", true, "InnoDB I/O, buffer pool, row locks, redo and undo from the Innodb_* status variables")
	set.Register("processlist", true, "Threads by command and state and the longest running ones from information_schema.PROCESSLIST")
	set.Register("replica", true, "Replication threads, lag and errors from SHOW REPLICA/SLAVE STATUS")
	set.Register("error_log", true, "Recent error log entries from performance_schema.error_log (MySQL 8.0.22+)")
	set.Register("perf_schema_digests", false, "Top statement digests by latency from performance_schema")
	set.Register("schema_sizes", false, "Schema sizes and the largest tables from information_schema.TABLES")
	set.BindFlags(app)
	opts := options{
		digestLimit:      app.Flag("collector.perf_schema_digests.limit", "Number of statement digests reported (by total latency).").Default("20").Int(),
		digestTextLength: app.Flag("collector.perf_schema_digests.text-length", "Length the digest_text label is cut to; 0 leaves it empty.").Default("120").Int(),
		schemaLimit:      app.Flag("collector.schema_sizes.schema-limit", "Number of schemas reported (largest first).").Default("100").Int(),
		tableLimit:       app.Flag("collector.schema_sizes.table-limit", "Number of tables reported (largest first).").Default("20").Int(),
		errorLogWindow:   app.Flag("collector.error_log.window", "Error log entries newer than this count as recent; at least the scrape interval.").Default("5m").Duration(),
	}
	address := app.Flag("mysql.address", "host:port of the single target served on /metrics.").String()
	socket := app.Flag("mysql.socket", "Unix socket of the single target (instead of --mysql.address).").String()
	user := app.Flag("mysql.username", "User for the single target (password from env MYSQL_PASSWORD or --mysql.password-file).").String()
	pwFile := app.Flag("mysql.password-file", "File holding the password of --mysql.username.").String()
	tlsOn := app.Flag("mysql.tls", "Connect to the single target with TLS.").Bool()
	tlsCA := app.Flag("mysql.tls.ca-file", "CA certificate file to verify the single target's certificate.").String()
	tlsSkip := app.Flag("mysql.tls.insecure-skip-verify", "Do not verify the single target's certificate.").Bool()
	queryTimeout := app.Flag("mysql.query-timeout", "Per-query timeout for the single target (within the scrape deadline).").Default(defaultQueryTimeout.String()).Duration()

	pool := &sqlconn.Pool{}
	return &server.Exporter[Config, Target]{
		Name:        "ggzy_mysql_exporter",
		Namespace:   collector.Namespace,
		Description: "MySQL / MariaDB exporter of the ggzy-exporters suite",
		Load:        config.Load[Config],
		Targets:     func(c *Config) []Target { return c.Targets },
		FlagTarget: func() (Target, bool, error) {
			if *address == "" && *socket == "" {
				return Target{}, false, nil
			}
			t := Target{TargetMeta: config.TargetMeta{Name: "default"}, Address: *address, Socket: *socket,
				Username: *user, PasswordFile: *pwFile, QueryTimeout: *queryTimeout}
			if *pwFile == "" {
				t.PasswordEnv = "MYSQL_PASSWORD"
			}
			t.TLS = config.TLS{Enabled: *tlsOn, CAFile: *tlsCA, InsecureSkipVerify: *tlsSkip}
			cwd, _ := os.Getwd()
			return t, true, t.validate(cwd, "--mysql.address")
		},
		Build: func(ctx context.Context, logger *slog.Logger, t Target) icollector.Scrape {
			return build(pool, set, opts, driverLog, logger, t)
		},
		Describe: func(t Target) any { return t },
	}
}
