package compose_test

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"time"

	"github.com/prometheus/alertmanager/pkg/labels"
	"github.com/prometheus/alertmanager/timeinterval"
	"gopkg.in/yaml.v2"
)

// router answers "which receivers notify for these labels at this time" for the generated
// Alertmanager config: amtool cannot (it ignores time), and the receiver of a major incident
// depends on the calendar. It uses Alertmanager's own matcher and time-interval packages and
// walks the routing tree as dispatch.Route.Match does; Alertmanager's config and dispatch
// packages are not imported because they pull in its whole server (AWS, gRPC, tracing).
type router struct {
	root      *amRoute
	intervals *timeinterval.Intervener
}

type amRoute struct {
	Receiver            string            `yaml:"receiver"`
	Match               map[string]string `yaml:"match"`
	MatchRE             map[string]string `yaml:"match_re"`
	Matchers            []string          `yaml:"matchers"`
	Continue            bool              `yaml:"continue"`
	Routes              []*amRoute        `yaml:"routes"`
	ActiveTimeIntervals []string          `yaml:"active_time_intervals"`
	MuteTimeIntervals   []string          `yaml:"mute_time_intervals"`
}

type namedIntervals struct {
	Name          string                      `yaml:"name"`
	TimeIntervals []timeinterval.TimeInterval `yaml:"time_intervals"`
}

func newRouter(path string) (*router, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var cfg struct {
		Route             *amRoute         `yaml:"route"`
		TimeIntervals     []namedIntervals `yaml:"time_intervals"`
		MuteTimeIntervals []namedIntervals `yaml:"mute_time_intervals"`
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cfg.Route == nil {
		return nil, fmt.Errorf("%s: no route", path)
	}
	ti := map[string][]timeinterval.TimeInterval{}
	for _, i := range append(cfg.TimeIntervals, cfg.MuteTimeIntervals...) {
		ti[i.Name] = i.TimeIntervals
	}
	return &router{root: cfg.Route, intervals: timeinterval.NewIntervener(ti)}, nil
}

// receivers are the receivers that would send a notification for ls at t.
func (r *router) receivers(ls map[string]string, t time.Time) ([]string, error) {
	ms, err := match(r.root, "", ls)
	if err != nil {
		return nil, err
	}
	set := map[string]bool{}
	for _, m := range ms {
		if len(m.active) > 0 {
			in, _, err := r.intervals.Mutes(m.active, t)
			if err != nil {
				return nil, err
			}
			if !in {
				continue
			}
		}
		if len(m.mute) > 0 {
			in, _, err := r.intervals.Mutes(m.mute, t)
			if err != nil {
				return nil, err
			}
			if in {
				continue
			}
		}
		set[m.receiver] = true
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

type matched struct {
	receiver     string
	active, mute []string
}

// match: depth first; stop at the first matching child unless it has continue; the node
// itself when no child matches; receivers are inherited, time intervals are not.
func match(r *amRoute, receiver string, ls map[string]string) ([]matched, error) {
	if r.Receiver != "" {
		receiver = r.Receiver
	}
	ok, err := matches(r, ls)
	if err != nil || !ok {
		return nil, err
	}
	var all []matched
	for _, c := range r.Routes {
		m, err := match(c, receiver, ls)
		if err != nil {
			return nil, err
		}
		all = append(all, m...)
		if m != nil && !c.Continue {
			break
		}
	}
	if len(all) == 0 {
		all = append(all, matched{receiver, r.ActiveTimeIntervals, r.MuteTimeIntervals})
	}
	return all, nil
}

func matches(r *amRoute, ls map[string]string) (bool, error) {
	for k, v := range r.Match {
		if ls[k] != v {
			return false, nil
		}
	}
	for k, v := range r.MatchRE {
		re, err := regexp.Compile("^(?:" + v + ")$")
		if err != nil {
			return false, err
		}
		if !re.MatchString(ls[k]) {
			return false, nil
		}
	}
	for _, s := range r.Matchers {
		m, err := labels.ParseMatcher(s)
		if err != nil {
			return false, fmt.Errorf("matcher %q: %w", s, err)
		}
		if !m.Matches(ls[m.Name]) {
			return false, nil
		}
	}
	return true, nil
}
