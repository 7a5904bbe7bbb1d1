// Package server wires an exporter's flags, config, endpoints and web server:
// kingpin + promslog + exporter-toolkit, /metrics, /probe, /sd, /-/healthy, /-/reload.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/prometheus/common/promslog"
	promslogflag "github.com/prometheus/common/promslog/flag"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"
	"github.com/prometheus/exporter-toolkit/web/kingpinflag"

	"github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/probe"
)

// Flags are the flags every exporter has.
type Flags struct {
	Web            *web.FlagConfig
	Log            *promslog.Config
	ConfigFile     *string
	ConfigCheck    *bool
	TimeoutOffset  *time.Duration
	DefaultTimeout *time.Duration
	MaxRequests    *int
	NoSelfMetrics  *bool
}

// AddFlags adds the common flags to app.
func AddFlags(app *kingpin.Application, defaultAddress string) *Flags {
	f := &Flags{Log: &promslog.Config{}}
	f.Web = kingpinflag.AddFlags(app, defaultAddress)
	promslogflag.AddFlags(app, f.Log)
	f.ConfigFile = app.Flag("config.file", "YAML file of targets for /probe and /sd (see example.yml).").String()
	f.ConfigCheck = app.Flag("config.check", "Validate --config.file and exit (0 valid, 1 invalid).").Bool()
	f.TimeoutOffset = app.Flag("web.timeout-offset", "Taken off Prometheus' scrape timeout to leave time to answer.").Default("500ms").Duration()
	f.DefaultTimeout = app.Flag("web.default-timeout", "Scrape deadline when Prometheus sends no timeout header.").Default("10s").Duration()
	f.MaxRequests = app.Flag("web.max-requests", "Maximum concurrent scrapes; more wait for a free slot until their scrape deadline. 0 for no limit.").Default("200").Int()
	f.NoSelfMetrics = app.Flag("web.disable-exporter-metrics", "Leave the exporter's Go runtime and process metrics (go_*, process_*) out of /metrics.").Bool()
	app.Version(version.Print(app.Name))
	app.HelpFlag.Short('h')
	return f
}

// Exporter describes one exporter binary. C is its config type, T its target type.
type Exporter[C any, T config.Metas] struct {
	Name        string // ggzy_nginx_exporter
	Namespace   string // nginx
	Description string
	// Load reads and validates a config file (config.Load[C]).
	Load func(path string) (*C, error)
	// Targets lists a config's targets.
	Targets func(*C) []T
	// FlagTarget returns the single target configured by flags, if any (for /metrics).
	FlagTarget func() (T, bool, error)
	// Build binds one scrape of t to ctx.
	Build func(ctx context.Context, logger *slog.Logger, t T) collector.Scrape
	// Describe is the target as shown by ?debug=true (no secrets).
	Describe func(T) any
}

// Instance is a running exporter's state, built by Setup; Handler is its HTTP mux.
type Instance[C any, T config.Metas] struct {
	Handler http.Handler
	Store   *config.Store[C]
	Logger  *slog.Logger
}

// Setup loads the config (if any) and builds the mux. An error here is fatal at start.
func (e *Exporter[C, T]) Setup(f *Flags, logger *slog.Logger) (*Instance[C, T], error) {
	self := prometheus.NewRegistry()
	self.MustRegister(versioncollector.NewCollector(e.Name))
	if f.NoSelfMetrics == nil || !*f.NoSelfMetrics {
		self.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	inst := &Instance[C, T]{Logger: logger}

	single, haveSingle, err := e.FlagTarget()
	if err != nil {
		return nil, err
	}
	if *f.ConfigFile == "" && !haveSingle {
		return nil, errors.New("nothing to scrape: give --config.file (multi-target /probe) or the target flags (single-target /metrics)")
	}
	if *f.ConfigFile != "" {
		inst.Store, err = config.NewStore(e.Namespace, *f.ConfigFile, e.Load, self, logger)
		if err != nil {
			return nil, err
		}
	}

	lookup := func(name string) (T, bool) {
		var zero T
		if inst.Store == nil {
			return zero, false
		}
		for _, t := range e.Targets(inst.Store.Get()) {
			if t.Meta().Name == name {
				return t, true
			}
		}
		return zero, false
	}
	metas := func() []config.TargetMeta {
		if inst.Store == nil {
			return nil
		}
		var out []config.TargetMeta
		for _, t := range e.Targets(inst.Store.Get()) {
			out = append(out, t.Meta())
		}
		return out
	}

	mux := http.NewServeMux()
	inflight := *f.MaxRequests
	mux.Handle("/metrics", limit(inflight, f, e.metricsHandler(self, f, logger, single, haveSingle)))
	mux.Handle("/probe", limit(inflight, f, &probe.Handler[T]{
		Lookup: lookup, Build: e.Build, Describe: e.Describe, Logger: logger,
		TimeoutOffset: *f.TimeoutOffset, DefaultTimeout: *f.DefaultTimeout,
	}))
	mux.Handle("/sd", probe.SD(metas))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Healthy") })
	mux.HandleFunc("/-/reload", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			http.Error(w, "use POST to reload the config", http.StatusMethodNotAllowed)
			return
		}
		if inst.Store == nil {
			http.Error(w, "no --config.file to reload", http.StatusBadRequest)
			return
		}
		if err := inst.Store.Reload(); err != nil {
			http.Error(w, "reload failed, the running config is kept: "+err.Error(), http.StatusInternalServerError)
			return
		}
		fmt.Fprintln(w, "reloaded")
	})
	landing, err := web.NewLandingPage(web.LandingConfig{
		Name:        e.Name,
		Description: e.Description,
		Version:     version.Info(),
		Links: []web.LandingLinks{
			{Address: "metrics", Text: "Metrics", Description: "Exporter self-metrics (and the flag-configured target)"},
			{Address: "sd", Text: "Service discovery", Description: "Configured targets as Prometheus HTTP SD"},
			{Address: "-/healthy", Text: "Health"},
		},
	})
	if err != nil {
		return nil, err
	}
	mux.Handle("/", landing)
	inst.Handler = mux
	return inst, nil
}

func (e *Exporter[C, T]) metricsHandler(self *prometheus.Registry, f *Flags, logger *slog.Logger, single T, haveSingle bool) http.Handler {
	opts := promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError}
	if !haveSingle {
		return promhttp.HandlerFor(self, opts)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), probe.Timeout(r, *f.TimeoutOffset, *f.DefaultTimeout))
		defer cancel()
		reg := prometheus.NewRegistry()
		reg.MustRegister(collector.NewRunner(ctx, e.Build(ctx, logger, single)))
		promhttp.HandlerFor(prometheus.Gatherers{self, reg}, opts).ServeHTTP(w, r)
	})
}

// limit lets at most n scrapes run at once; the others wait for a slot until their own
// scrape deadline (from Prometheus' timeout header) and then get 503.
func limit(n int, f *Flags, h http.Handler) http.Handler {
	if n <= 0 {
		return h
	}
	sem := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), probe.Timeout(r, *f.TimeoutOffset, *f.DefaultTimeout))
		defer cancel()
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
			h.ServeHTTP(w, r)
		case <-ctx.Done():
			http.Error(w, "too many concurrent scrapes (--web.max-requests)", http.StatusServiceUnavailable)
		}
	})
}

// Main parses args, handles --config.check, sets up and serves until SIGTERM/SIGINT.
// It returns the process exit code. app must already hold the exporter's own flags.
func (e *Exporter[C, T]) Main(app *kingpin.Application, f *Flags, args []string) int {
	if _, err := app.Parse(args); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", e.Name, err)
		return 2
	}
	logger := promslog.New(f.Log)
	if *f.ConfigCheck {
		if *f.ConfigFile == "" {
			fmt.Fprintln(os.Stderr, "--config.check needs --config.file")
			return 1
		}
		if _, err := e.Load(*f.ConfigFile); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("%s: OK\n", *f.ConfigFile)
		return 0
	}
	logger.Info("starting "+e.Name, "version", version.Info())
	inst, err := e.Setup(f, logger)
	if err != nil {
		logger.Error("cannot start", "err", err)
		return 1
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if inst.Store != nil {
				_ = inst.Store.Reload()
			}
		}
	}()
	srv := &http.Server{Handler: inst.Handler, ReadHeaderTimeout: 10 * time.Second}
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	errc := make(chan error, 1)
	go func() { errc <- web.ListenAndServe(srv, f.Web, logger) }()
	select {
	case err := <-errc:
		logger.Error("server stopped", "err", err)
		return 1
	case s := <-stop:
		logger.Info("shutting down", "signal", s.String())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		return 0
	}
}
