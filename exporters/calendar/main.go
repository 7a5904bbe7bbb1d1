// Command ggzy_calendar_exporter serves China's working calendar (statutory holidays, 调休
// working days, office hours, key duty periods) as series on /metrics, so that alerting rules
// and the wall screen use the same calendar as Alertmanager's generated time intervals.
package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/exporters/calendar/collector"
	"github.com/ggzy/ggzy-exporters/internal/calendar"
	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

func main() {
	app := kingpin.New("ggzy_calendar_exporter", "Prometheus exporter of China's working calendar (holidays, 调休, office hours, key periods).")
	os.Exit(newExporter(app, time.Now).Main(app, server.AddFlags(app, ":9930"), os.Args[1:]))
}

func newExporter(app *kingpin.Application, now func() time.Time) *server.Exporter[Config, Target] {
	file := app.Flag("calendar.file", "Calendar data file (see rules/calendar/calendar.yml); re-read at every scrape.").
		Required().String()
	return &server.Exporter[Config, Target]{
		Name:        "ggzy_calendar_exporter",
		Namespace:   collector.Namespace,
		Description: "Working calendar exporter of the ggzy-exporters suite",
		Load:        loadConfig,
		Targets:     func(*Config) []Target { return nil },
		FlagTarget: func() (Target, bool, error) {
			// Fail at start on a broken file; later edits are picked up (or reported) per scrape.
			if _, err := calendar.Load(*file); err != nil {
				return Target{}, false, err
			}
			return newTarget(*file), true, nil
		},
		Build: func(_ context.Context, logger *slog.Logger, t Target) icollector.Scrape {
			return icollector.Scrape{
				Namespace:  collector.Namespace,
				Collectors: map[string]icollector.Collector{"calendar": collector.Calendar{File: t.File, Now: now}},
				Logger:     logger,
			}
		},
		Describe: func(t Target) any { return t },
	}
}
