package collector

import (
	"github.com/prometheus/client_golang/prometheus"
)

// def describes one metric read from a SHOW STATUS / SHOW VARIABLES name.
type def struct {
	key   string // lower-cased variable name
	desc  *prometheus.Desc
	typ   prometheus.ValueType
	scale float64 // multiplier to base units (0 means 1)
}

func newDesc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(Namespace+"_"+name, help, labels, nil)
}

func counter(key, name, help string) def {
	return def{key: key, desc: newDesc(name, help), typ: prometheus.CounterValue}
}

func gauge(key, name, help string) def {
	return def{key: key, desc: newDesc(name, help), typ: prometheus.GaugeValue}
}

func (d def) scaled(f float64) def { d.scale = f; return d }

// emit sends every def whose key is in vals with a numeric value.
func emit(ch chan<- prometheus.Metric, vals map[string]string, defs []def) {
	for _, d := range defs {
		s, ok := vals[d.key]
		if !ok {
			continue
		}
		v, ok := parseNumber(s)
		if !ok {
			continue
		}
		if d.scale != 0 {
			v *= d.scale
		}
		ch <- prometheus.MustNewConstMetric(d.desc, d.typ, v)
	}
}

// labelled is a family with one label whose values come from a fixed list of variables.
type labelled struct {
	desc   *prometheus.Desc
	typ    prometheus.ValueType
	values map[string]string // variable (lower case) -> label value
}

func (l labelled) emit(ch chan<- prometheus.Metric, vals map[string]string) {
	for key, label := range l.values {
		if s, ok := vals[key]; ok {
			if v, ok := parseNumber(s); ok {
				ch <- prometheus.MustNewConstMetric(l.desc, l.typ, v, label)
			}
		}
	}
}
