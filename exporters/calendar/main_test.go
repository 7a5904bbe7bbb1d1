package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/kingpin/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/promslog"

	icollector "github.com/ggzy/ggzy-exporters/internal/collector"
	"github.com/ggzy/ggzy-exporters/internal/promtest"
	"github.com/ggzy/ggzy-exporters/internal/server"
)

const testCalendar = "testdata/calendar.yml"

var beijing = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

// setup builds the exporter as main does, with a pinned clock.
func setup(t *testing.T, now time.Time, args ...string) (*server.Exporter[Config, Target], *server.Instance[Config, Target], error) {
	t.Helper()
	app := kingpin.New("test", "")
	e := newExporter(app, func() time.Time { return now })
	flags := server.AddFlags(app, ":0")
	if _, err := app.Parse(args); err != nil {
		t.Fatal(err)
	}
	inst, err := e.Setup(flags, promslog.NewNopLogger())
	return e, inst, err
}

// scrape runs one scrape of the calendar target into a fresh registry.
func scrape(t *testing.T, e *server.Exporter[Config, Target], file string) *prometheus.Registry {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	ctx := context.Background()
	reg.MustRegister(icollector.NewRunner(ctx, e.Build(ctx, promslog.NewNopLogger(), newTarget(file))))
	return reg
}

// The goldens pin the clock at moments that exercise each rule of the calendar.
var goldenTimes = []struct{ name, when string }{
	{"adjusted_workday", "2026-01-04 10:00"},      // Sunday, 调休 working day
	{"spring_festival_night", "2026-02-16 03:00"}, // holiday and key period: working time at night
	{"labour_day", "2026-05-02 10:00"},            // holiday, no key period
	{"december_evening", "2026-12-15 20:00"},      // next year's data unverified
	{"unverified_year", "2027-03-08 09:00"},       // Two Sessions, current year unverified
}

func TestGolden(t *testing.T) {
	var goldens []string
	for _, g := range goldenTimes {
		now, err := time.ParseInLocation("2006-01-02 15:04", g.when, beijing)
		if err != nil {
			t.Fatal(err)
		}
		e, _, err := setup(t, now, "--calendar.file="+testCalendar)
		if err != nil {
			t.Fatal(err)
		}
		reg := scrape(t, e, testCalendar)
		promtest.Lint(t, reg)
		path := filepath.Join("testdata", g.name+".prom")
		promtest.Golden(t, path, promtest.Render(t, reg, promtest.Volatile))
		goldens = append(goldens, path)
	}
	promtest.ReadmeMetrics(t, "README.md", goldens...)
}

// A UTC clock gives the same answers: the exporter reads time in the calendar's zone.
func TestClockZoneDoesNotMatter(t *testing.T) {
	local := time.Date(2026, 2, 16, 3, 0, 0, 0, beijing)
	a, _, _ := setup(t, local, "--calendar.file="+testCalendar)
	b, _, _ := setup(t, local.UTC(), "--calendar.file="+testCalendar)
	ra := string(promtest.Render(t, scrape(t, a, testCalendar), promtest.Volatile))
	rb := string(promtest.Render(t, scrape(t, b, testCalendar), promtest.Volatile))
	if ra != rb {
		t.Errorf("Beijing and UTC clocks differ:\n%s\n---\n%s", ra, rb)
	}
}

func TestMetricsEndpoint(t *testing.T) {
	_, inst, err := setup(t, time.Date(2026, 1, 5, 9, 0, 0, 0, beijing), "--calendar.file="+testCalendar)
	if err != nil {
		t.Fatal(err)
	}
	code, body := promtest.Do(t, inst.Handler, "GET", "/metrics", nil)
	if code != 200 {
		t.Fatalf("/metrics: HTTP %d: %s", code, body)
	}
	for _, want := range []string{"calendar_up 1", "calendar_working_time 1", `calendar_data_covers_year{year="2026"} 1`, "ggzy_calendar_exporter_build_info"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	promtest.LintText(t, []byte(body))
	if code, _ := promtest.Do(t, inst.Handler, "GET", "/probe?target=calendar", nil); code != 400 {
		t.Errorf("/probe answered %d: the calendar has no probe targets", code)
	}
}

func TestBrokenFileAtStartIsFatal(t *testing.T) {
	dir := promtest.TempDir(t, "cal")
	bad := promtest.WriteFile(t, dir, "cal.yml", "location: Asia/Shanghai\nofice_hours: {}\n")
	if _, _, err := setup(t, time.Now(), "--calendar.file="+bad); err == nil || !strings.Contains(err.Error(), "cal.yml:2") {
		t.Errorf("want an error naming line 2, got %v", err)
	}
	if _, _, err := setup(t, time.Now(), "--calendar.file="+filepath.Join(dir, "missing.yml")); err == nil {
		t.Error("missing file accepted")
	}
	if _, _, err := setup(t, time.Now(), "--calendar.file="+testCalendar, "--config.file="+testCalendar); err == nil {
		t.Error("--config.file accepted")
	}
}

// A file broken after start makes the scrape report calendar_up 0, not stale values.
func TestBrokenFileAfterStart(t *testing.T) {
	dir := promtest.TempDir(t, "cal")
	good, err := os.ReadFile(testCalendar)
	if err != nil {
		t.Fatal(err)
	}
	file := promtest.WriteFile(t, dir, "cal.yml", string(good))
	e, inst, err := setup(t, time.Date(2026, 1, 5, 9, 0, 0, 0, beijing), "--calendar.file="+file)
	if err != nil {
		t.Fatal(err)
	}
	promtest.WriteFile(t, dir, "cal.yml", string(good)+"bogus: 1\n")
	body := string(promtest.Render(t, scrape(t, e, file), nil))
	for _, want := range []string{"calendar_up 0", `calendar_scrape_collector_success{collector="calendar"} 0`} {
		if !strings.Contains(body, want) {
			t.Errorf("after breaking the file, output lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "calendar_working_time") {
		t.Error("stale calendar_working_time served from a broken file")
	}
	_, page := promtest.Do(t, inst.Handler, "GET", "/metrics", nil)
	if !strings.Contains(page, "calendar_up 0") {
		t.Error("/metrics does not report calendar_up 0")
	}
}

// The binary starts on a free loopback port and serves the shipped calendar.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := promtest.BuildBinary(t, "./exporters/calendar")
	_, addr := promtest.StartListening(t, bin, func(l string) []string {
		return []string{"--web.listen-address=" + l, "--calendar.file=../../rules/calendar/calendar.yml"}
	})
	code, body := promtest.Get(t, "http://"+addr+"/metrics")
	if code != 200 || !strings.Contains(body, "calendar_up 1") || !strings.Contains(body, "calendar_working_time ") {
		t.Errorf("HTTP %d:\n%s", code, body)
	}
}

func kingpinApp() *kingpin.Application { return kingpin.New("bench", "") }
