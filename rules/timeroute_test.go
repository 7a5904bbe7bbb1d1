package rules

import (
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/alertmanager/timeinterval"
	"github.com/prometheus/common/model"
	"gopkg.in/yaml.v3"

	"github.com/ggzy/ggzy-exporters/internal/calendar"
)

// amRoute is the part of Alertmanager's route that decides where an alert goes and when.
type amRoute struct {
	Receiver       string         `yaml:"receiver"`
	Matchers       []string       `yaml:"matchers"`
	Continue       bool           `yaml:"continue"`
	Active         []string       `yaml:"active_time_intervals"`
	Mute           []string       `yaml:"mute_time_intervals"`
	RepeatInterval string         `yaml:"repeat_interval"`
	Routes         []*amRoute     `yaml:"routes"`
	Other          map[string]any `yaml:",inline"`
}

// leaf is a route that notifies, with what it inherited. As in Alertmanager's dispatch.newRoute,
// receiver and repeat_interval are inherited, time intervals are not.
type leaf struct {
	receiver     string
	repeat       time.Duration
	active, mute []string
}

var matcherRe = regexp.MustCompile(`^([a-zA-Z_][a-zA-Z0-9_]*)(=~|!~|!=|=)"(.*)"$`)

func matches(ms []string, lset map[string]string) bool {
	for _, m := range ms {
		p := matcherRe.FindStringSubmatch(m)
		if p == nil {
			panic("matcher the walker cannot read: " + m)
		}
		v := lset[p[1]]
		re := regexp.MustCompile("^(?:" + p[3] + ")$")
		ok := map[string]bool{"=": v == p[3], "!=": v != p[3], "=~": re.MatchString(v), "!~": !re.MatchString(v)}[p[2]]
		if !ok {
			return false
		}
	}
	return true
}

// match is Alertmanager's Route.Match: depth first, the first matching child ends the search unless
// it has continue; a route none of whose children match is itself the match.
func (r *amRoute) match(lset map[string]string, parent *leaf) []leaf {
	if !matches(r.Matchers, lset) {
		return nil
	}
	me := leaf{repeat: 4 * time.Hour, active: r.Active, mute: r.Mute} // 4h: Alertmanager's default
	if parent != nil {
		me.receiver, me.repeat = parent.receiver, parent.repeat
	}
	if r.Receiver != "" {
		me.receiver = r.Receiver
	}
	if r.RepeatInterval != "" {
		d, err := model.ParseDuration(r.RepeatInterval)
		if err != nil {
			panic(err)
		}
		me.repeat = time.Duration(d)
	}
	var all []leaf
	for _, c := range r.Routes {
		m := c.match(lset, &me)
		all = append(all, m...)
		if m != nil && !c.Continue {
			break
		}
	}
	if len(all) == 0 {
		all = append(all, me)
	}
	return all
}

func loadAMConfig(t *testing.T) amFile {
	t.Helper()
	raw, err := os.ReadFile(amConfig)
	if err != nil {
		t.Fatal(err)
	}
	var f amFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// loadIntervals reads time_intervals with Alertmanager's own types.
func loadIntervals(t *testing.T) *timeinterval.Intervener {
	t.Helper()
	raw, err := os.ReadFile(amConfig)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		TimeIntervals []struct {
			Name          string                      `yaml:"name"`
			TimeIntervals []timeinterval.TimeInterval `yaml:"time_intervals"`
		} `yaml:"time_intervals"`
	}
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	m := map[string][]timeinterval.TimeInterval{}
	for _, ti := range doc.TimeIntervals {
		m[ti.Name] = ti.TimeIntervals
	}
	if len(m[calendar.IntervalWorkingTime]) == 0 || len(m[calendar.IntervalKeyPeriod]) == 0 {
		t.Fatalf("%s lacks the generated intervals", amConfig)
	}
	return timeinterval.NewIntervener(m)
}

// notifies is Alertmanager's TimeActiveStage and TimeMuteStage: a leaf notifies at now when it has
// no active intervals or one of them contains now, and none of its mute intervals does. in caches
// the interval lookups of one instant.
func notifies(t *testing.T, iv *timeinterval.Intervener, in map[string]bool, l leaf, now time.Time) bool {
	contains := func(name string) bool {
		v, ok := in[name]
		if !ok {
			var err error
			v, _, err = iv.Mutes([]string{name}, now)
			if err != nil {
				t.Fatal(err)
			}
			in[name] = v
		}
		return v
	}
	if len(l.active) > 0 {
		any := false
		for _, n := range l.active {
			any = any || contains(n)
		}
		if !any {
			return false
		}
	}
	for _, n := range l.mute {
		if contains(n) {
			return false
		}
	}
	return true
}

// TestTimeRouting walks every 15 minutes of 2026 and 2027 (Beijing time) through the generated
// configuration: exactly one of the working-time and off-hours routes pages, with a repeat below
// the contract's response deadline; key periods add the 24 h duty desk; and working time is what
// internal/calendar's WorkingTime (the calendar exporter's series) says.
func TestTimeRouting(t *testing.T) {
	cal, err := calendar.Load(calendarFile)
	if err != nil {
		t.Fatal(err)
	}
	iv := loadIntervals(t)
	root := loadAMConfig(t).Route
	classes := []struct {
		class, receiver        string
		workRepeat, offRepeat  time.Duration
		workDeadline, deadline time.Duration
	}{
		{"major", "duty-phone", 5 * time.Minute, 10 * time.Minute, 10 * time.Minute, 20 * time.Minute},
		{"general", "team-chat", 30 * time.Minute, time.Hour, time.Hour, 2 * time.Hour},
	}
	leaves := map[string][]leaf{}
	for _, c := range classes {
		leaves[c.class] = root.match(map[string]string{"alertname": "X", "incident_class": c.class, "severity": "critical"}, nil)
	}
	warning := root.match(map[string]string{"alertname": "X", "severity": "warning"}, nil)
	watchdog := root.match(map[string]string{"alertname": "Watchdog", "severity": "none"}, nil)

	loc := cal.Loc()
	var quarters, working, key, bad int
	for now := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); now.Year() < 2028 && bad < 20; now = now.Add(15 * time.Minute) {
		quarters++
		in := map[string]bool{}
		wt := cal.WorkingTime(now)
		inKey := len(cal.KeyPeriods(now)) > 0
		if wt {
			working++
		}
		if inKey {
			key++
		}
		fail := func(format string, args ...any) {
			bad++
			t.Errorf("%s (working time %v, key period %v): %s", now.Format("2006-01-02 15:04 Mon"), wt, inKey, fmt.Sprintf(format, args...))
		}
		for _, c := range classes {
			var pages []leaf
			duty := 0
			for _, l := range leaves[c.class] {
				if !notifies(t, iv, in, l, now) {
					continue
				}
				switch l.receiver {
				case c.receiver:
					pages = append(pages, l)
				case "duty-24h":
					duty++
				default:
					fail("%s incident notifies %s", c.class, l.receiver)
				}
			}
			if len(pages) != 1 {
				fail("%s incident: %d %s routes notify, want exactly 1", c.class, len(pages), c.receiver)
				continue
			}
			wantRepeat, deadline := c.offRepeat, c.deadline
			if wt {
				wantRepeat, deadline = c.workRepeat, c.workDeadline
			}
			if pages[0].repeat != wantRepeat || pages[0].repeat >= deadline {
				fail("%s incident repeats every %s, want %s (deadline %s)", c.class, pages[0].repeat, wantRepeat, deadline)
			}
			if (duty == 1) != inKey || duty > 1 {
				fail("%s incident reaches duty-24h %d times", c.class, duty)
			}
		}
		for _, l := range warning {
			if l.receiver != "low-noise" || !notifies(t, iv, in, l, now) {
				fail("a warning goes to %s", l.receiver)
			}
		}
		for _, l := range watchdog {
			if l.receiver != "heartbeat" || !notifies(t, iv, in, l, now) {
				fail("Watchdog goes to %s", l.receiver)
			}
		}
	}
	if quarters != (365+365)*96 {
		t.Errorf("walked %d quarter hours", quarters)
	}
	// 248 working days a year of 9 office hours, plus the key periods outside them.
	if working < 2*248*36 || key == 0 {
		t.Errorf("working time %d quarter hours, key periods %d: the calendar looks empty", working, key)
	}
	t.Logf("%d quarter hours: %d working time, %d in key periods", quarters, working, key)
}

// The time routing is Beijing time, not UTC: Monday 2026-01-05 09:00 Beijing is working time, 01:00
// UTC on a Monday that is 09:00 in Beijing is too, and 09:00 UTC (17:00 Beijing) is still, 10:00 UTC
// (18:00 Beijing) is not.
func TestTimeIntervalsAreBeijingTime(t *testing.T) {
	iv := loadIntervals(t)
	for _, tc := range []struct {
		utc  string
		want bool
	}{
		{"2026-01-05T00:29:00Z", false}, // 08:29 Beijing
		{"2026-01-05T00:30:00Z", true},  // 08:30
		{"2026-01-05T09:29:00Z", true},  // 17:29
		{"2026-01-05T09:30:00Z", false}, // 17:30
		{"2026-01-03T02:00:00Z", false}, // Saturday 10:00, New Year holiday
		{"2026-01-04T02:00:00Z", true},  // Sunday 10:00, 调休 working day
		{"2026-02-16T19:00:00Z", true},  // 03:00 on 17 Feb, Spring Festival key period
	} {
		now, _ := time.Parse(time.RFC3339, tc.utc)
		in, _, err := iv.Mutes([]string{calendar.IntervalWorkingTime}, now)
		if err != nil || in != tc.want {
			t.Errorf("%s: working_time active %v, want %v (%v)", tc.utc, in, tc.want, err)
		}
	}
	if !strings.Contains(mustRead(t, amConfig), "location: Asia/Shanghai") {
		t.Error("time intervals carry no location")
	}
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
