// Command ggzy_nginx_exporter exports nginx and Tengine stub_status for one target
// (flags, on /metrics) or many (config file, on /probe?target=<name>).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/ggzy/ggzy-exporters/exporters/nginx/collector"
	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/httpclient"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

func main() {
	app := kingpin.New("ggzy_nginx_exporter", "Prometheus exporter for nginx / Tengine stub_status.")
	os.Exit(newExporter(app).Main(app, server.AddFlags(app, ":9913"), os.Args[1:]))
}

func newExporter(app *kingpin.Application) *server.Exporter[Config, Target] {
	set := &icollector.Set{}
	set.Register("stub_status", true, "Connections and requests from stub_status")
	set.BindFlags(app)
	scrapeURI := app.Flag("nginx.scrape-uri", "stub_status URL of a single target served on /metrics (instead of, or besides, --config.file).").String()
	user := app.Flag("nginx.username", "Basic auth user for --nginx.scrape-uri; the password is read from --nginx.password-file, else from env NGINX_PASSWORD.").String()
	pwFile := app.Flag("nginx.password-file", "File holding the basic auth password for --nginx.scrape-uri.").String()
	caFile := app.Flag("nginx.ca-file", "CA certificate(s) to verify an https --nginx.scrape-uri (default: the system's).").String()
	insecure := app.Flag("nginx.insecure-skip-verify", "Do not verify the TLS certificate of an https --nginx.scrape-uri.").Bool()
	pool := &httpclient.Pool{}

	return &server.Exporter[Config, Target]{
		Name:        "ggzy_nginx_exporter",
		Namespace:   collector.Namespace,
		Description: "nginx / Tengine stub_status exporter of the ggzy-exporters suite",
		Load:        config.Load[Config],
		Targets:     func(c *Config) []Target { return c.Targets },
		FlagTarget: func() (Target, bool, error) {
			if *scrapeURI == "" {
				return Target{}, false, nil
			}
			t := Target{TargetMeta: config.TargetMeta{Name: "default"}, URL: *scrapeURI}
			t.TLS.CAFile, t.TLS.InsecureSkipVerify = *caFile, *insecure
			if *user != "" {
				t.BasicAuth = &httpclient.BasicAuth{Username: *user, PasswordFile: *pwFile}
				if *pwFile == "" {
					t.BasicAuth.PasswordEnv = "NGINX_PASSWORD"
				}
			}
			cwd, err := os.Getwd()
			if err == nil {
				err = t.validate(cwd, "")
			}
			var fe *config.FieldError
			if errors.As(err, &fe) {
				err = fmt.Errorf("--nginx.* flags: %s", fe.Msg)
			}
			return t, true, err
		},
		Build: func(ctx context.Context, logger *slog.Logger, t Target) icollector.Scrape {
			cs := map[string]icollector.Collector{}
			if set.Enabled("stub_status") {
				client, err := pool.Client(t.TLS)
				if err != nil {
					cs["stub_status"] = icollector.Func(func(context.Context, chan<- prometheus.Metric) error { return err })
				} else {
					cs["stub_status"] = collector.StubStatus{Client: client, URL: t.URL, Auth: t.BasicAuth}
				}
			}
			return icollector.Scrape{Namespace: collector.Namespace, Collectors: cs, Logger: logger}
		},
		Describe: func(t Target) any { return t },
	}
}
