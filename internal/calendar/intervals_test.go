package calendar

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/timeinterval"
	"gopkg.in/yaml.v3"
)

// parseIntervals reads a generated time_intervals block with Alertmanager's own types.
func parseIntervals(t *testing.T, text string) map[string][]timeinterval.TimeInterval {
	t.Helper()
	var doc struct {
		TimeIntervals []struct {
			Name          string                      `yaml:"name"`
			TimeIntervals []timeinterval.TimeInterval `yaml:"time_intervals"`
		} `yaml:"time_intervals"`
	}
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		t.Fatalf("generated intervals do not parse: %v\n%s", err, text)
	}
	out := map[string][]timeinterval.TimeInterval{}
	for _, ti := range doc.TimeIntervals {
		out[ti.Name] = ti.TimeIntervals
	}
	return out
}

// active is Alertmanager's test: the interval is active when any of its specs contains now,
// and Alertmanager passes now in UTC.
func active(specs []timeinterval.TimeInterval, now time.Time) bool {
	for _, s := range specs {
		if s.ContainsTime(now.UTC()) {
			return true
		}
	}
	return false
}

// agree walks [from, to) in steps and compares the generated intervals with the queries.
func agree(t *testing.T, c *Calendar, from, to time.Time, step time.Duration) {
	t.Helper()
	iv := parseIntervals(t, c.AlertmanagerTimeIntervals())
	work, key := iv[IntervalWorkingTime], iv[IntervalKeyPeriod]
	bad := 0
	for now := from; now.Before(to) && bad < 10; now = now.Add(step) {
		if got, want := active(work, now), c.WorkingTime(now); got != want {
			t.Errorf("%s: %s active=%v, WorkingTime=%v", c.Local(now).Format(time.DateTime), IntervalWorkingTime, got, want)
			bad++
		}
		if got, want := active(key, now), len(c.KeyPeriods(now)) > 0; got != want {
			t.Errorf("%s: %s active=%v, in a key period=%v", c.Local(now).Format(time.DateTime), IntervalKeyPeriod, got, want)
			bad++
		}
	}
}

func TestIntervalsAgreeWithQueriesOnEdgeCases(t *testing.T) {
	// A New Year holiday that starts in December of the year before, a key period across the
	// year boundary, office hours that do not start on the hour, and a Sunday 调休.
	src := `location: Asia/Shanghai
office_hours: {start: "09:15", end: "18:00"}
years:
  - year: 2030
    verified: true
    source: test
    holidays:
      - {name: new_years_day, title: 元旦, from: 2029-12-31, to: 2030-01-01}
      - {name: labour_day, title: 劳动节, from: 2030-05-01, to: 2030-05-05}
    workdays:
      - {date: 2030-04-28, for: labour_day}
key_periods:
  - {name: winter_watch, title: 冬季值守, from: 2029-12-30, to: 2030-01-02}
`
	c, err := Parse("edge.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	loc := c.Loc()
	agree(t, c, time.Date(2029, 12, 1, 0, 0, 0, 0, loc), time.Date(2030, 6, 1, 0, 0, 0, 0, loc), 15*time.Minute)
	// Years without data fall back to Monday to Friday on both sides.
	agree(t, c, time.Date(2031, 1, 1, 0, 0, 0, 0, loc), time.Date(2031, 2, 1, 0, 0, 0, 0, loc), 15*time.Minute)
	agree(t, c, time.Date(2028, 3, 1, 0, 0, 0, 0, loc), time.Date(2028, 4, 1, 0, 0, 0, 0, loc), 15*time.Minute)
}

func TestIntervalsWithoutKeyPeriods(t *testing.T) {
	src := strings.SplitN(good, "key_periods:", 2)[0]
	c, err := Parse("nokey.yml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	iv := parseIntervals(t, c.AlertmanagerTimeIntervals())
	if _, ok := iv[IntervalKeyPeriod]; !ok || len(iv[IntervalKeyPeriod]) != 0 {
		t.Fatalf("want an empty %s interval, got %v", IntervalKeyPeriod, iv[IntervalKeyPeriod])
	}
	loc := c.Loc()
	agree(t, c, time.Date(2026, 1, 1, 0, 0, 0, 0, loc), time.Date(2026, 2, 1, 0, 0, 0, 0, loc), 15*time.Minute)
}

func TestIntervalsAreDeterministic(t *testing.T) {
	c := load(t)
	a := c.AlertmanagerTimeIntervals()
	for i := 0; i < 5; i++ {
		if b := load(t).AlertmanagerTimeIntervals(); a != b {
			t.Fatal("two renderings of the same file differ")
		}
	}
	if !strings.Contains(a, "# 2026: 248 working days (verified: ") || !strings.Contains(a, "# 2027: 248 working days (unverified") {
		t.Errorf("year headers missing:\n%s", a[:min(len(a), 600)])
	}
}
