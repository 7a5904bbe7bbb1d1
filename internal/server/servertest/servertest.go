// Package servertest builds an exporter in-process from command-line args for tests, as
// its main does. (It is apart from promtest because the server package's own tests use
// promtest.)
package servertest

import (
	"log/slog"
	"testing"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/internal/config"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

// TrySetup declares the exporter's flags (newExporter) and the common ones (server.AddFlags,
// listening on defaultAddress by default) on a kingpin app called name, parses args and
// sets the exporter up. It logs at debug level into the returned buffer.
func TrySetup[C any, T config.Metas](name, defaultAddress string, newExporter func(*kingpin.Application) *server.Exporter[C, T], args ...string) (*server.Instance[C, T], *promtest.LogBuffer, error) {
	app := kingpin.New(name, "test")
	e := newExporter(app)
	f := server.AddFlags(app, defaultAddress)
	if _, err := app.Parse(args); err != nil {
		return nil, nil, err
	}
	logs := &promtest.LogBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	inst, err := e.Setup(f, logger)
	return inst, logs, err
}

// Setup is TrySetup that fails the test on an error.
func Setup[C any, T config.Metas](t testing.TB, name, defaultAddress string, newExporter func(*kingpin.Application) *server.Exporter[C, T], args ...string) (*server.Instance[C, T], *promtest.LogBuffer) {
	t.Helper()
	inst, logs, err := TrySetup(name, defaultAddress, newExporter, args...)
	if err != nil {
		t.Fatalf("setup %q: %v", args, err)
	}
	return inst, logs
}
