package collector

import (
	"fmt"
	"sort"

	"github.com/alecthomas/kingpin/v2"
)

// Set is the list of collectors an exporter knows, each with an enable flag.
// Every exporter builds its own Set in main; there is no global registry.
type Set struct {
	entries []entry
}

type entry struct {
	name      string
	defaultOn bool
	help      string
	enabled   *bool
}

// Register adds a collector name. Call it before BindFlags.
func (s *Set) Register(name string, defaultOn bool, help string) {
	s.entries = append(s.entries, entry{name: name, defaultOn: defaultOn, help: help})
}

// BindFlags adds --[no-]collector.<name> for every registered collector.
func (s *Set) BindFlags(app *kingpin.Application) {
	for i := range s.entries {
		e := &s.entries[i]
		state := "disabled"
		if e.defaultOn {
			state = "enabled"
		}
		e.enabled = app.Flag("collector."+e.name, fmt.Sprintf("%s (default: %s).", e.help, state)).
			Default(fmt.Sprint(e.defaultOn)).Bool()
	}
}

// Enabled reports whether the named collector is on. Before BindFlags the default counts.
func (s *Set) Enabled(name string) bool {
	for _, e := range s.entries {
		if e.name == name {
			if e.enabled == nil {
				return e.defaultOn
			}
			return *e.enabled
		}
	}
	return false
}

// Names lists the registered collectors in order.
func (s *Set) Names() []string {
	out := make([]string, 0, len(s.entries))
	for _, e := range s.entries {
		out = append(out, e.name)
	}
	sort.Strings(out)
	return out
}

// Set overrides a collector's state (tests, or a per-target collector list).
func (s *Set) Set(name string, on bool) error {
	for i := range s.entries {
		if s.entries[i].name == name {
			v := on
			s.entries[i].enabled = &v
			return nil
		}
	}
	return fmt.Errorf("unknown collector %q", name)
}
