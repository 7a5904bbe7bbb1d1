package config

import (
	"fmt"
	"regexp"
)

// TargetMeta is the part of every target entry the framework knows: its name (the only
// thing /probe accepts) and the labels /sd publishes. Exporters embed it inline:
//
//	type Target struct {
//		config.TargetMeta `yaml:",inline"`
//		URL string `yaml:"url"`
//	}
type TargetMeta struct {
	Name     string            `yaml:"name"`
	Platform string            `yaml:"platform,omitempty"`
	Zone     string            `yaml:"zone,omitempty"`
	Service  string            `yaml:"service,omitempty"`
	Labels   map[string]string `yaml:"labels,omitempty"`
}

// Meta returns the target's meta (promoted to every exporter target type).
func (m TargetMeta) Meta() TargetMeta { return m }

// SDLabels are the labels /sd publishes for the target.
func (m TargetMeta) SDLabels() map[string]string {
	out := make(map[string]string, len(m.Labels)+3)
	for k, v := range m.Labels {
		out[k] = v
	}
	for k, v := range map[string]string{"platform": m.Platform, "zone": m.Zone, "service": m.Service} {
		if v != "" {
			out[k] = v
		}
	}
	return out
}

var (
	nameRe  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$`)
	labelRe = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// reserved labels are set by the fields of the same name or by Prometheus itself.
var reserved = map[string]bool{"platform": true, "zone": true, "service": true, "instance": true, "job": true}

// Metas is implemented by target slices so ValidateTargets can check them.
type Metas interface{ Meta() TargetMeta }

// ValidateTargets checks names (set, well-formed, unique) and labels of every target;
// path is the YAML key of the list ("targets").
func ValidateTargets[T Metas](path string, targets []T) error {
	seen := map[string]int{}
	for i, t := range targets {
		m := t.Meta()
		p := fmt.Sprintf("%s[%d]", path, i)
		if m.Name == "" {
			return Errorf(p, "name is required")
		}
		if !nameRe.MatchString(m.Name) {
			return Errorf(p+".name", "%q is not a valid target name (letters, digits, . _ : -; at most 128)", m.Name)
		}
		if j, dup := seen[m.Name]; dup {
			return Errorf(p+".name", "%q is already the name of %s[%d]", m.Name, path, j)
		}
		seen[m.Name] = i
		for k := range m.Labels {
			if !labelRe.MatchString(k) || len(k) > 1 && k[:2] == "__" {
				return Errorf(p+".labels", "%q is not a valid label name", k)
			}
			if reserved[k] {
				return Errorf(p+".labels", "%q is reserved: use the field of that name", k)
			}
		}
	}
	return nil
}

// ValidateEach checks the targets as ValidateTargets does, then each target with check,
// in order, giving it the target's path ("targets[2]"); check gets a pointer, so it may
// fill in defaults and resolve paths. The first error is returned.
func ValidateEach[T Metas](path string, targets []T, check func(t *T, path string) error) error {
	if err := ValidateTargets(path, targets); err != nil {
		return err
	}
	for i := range targets {
		if err := check(&targets[i], fmt.Sprintf("%s[%d]", path, i)); err != nil {
			return err
		}
	}
	return nil
}
