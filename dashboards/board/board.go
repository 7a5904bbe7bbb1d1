// Package board builds the suite's Grafana dashboards with the Grafana Foundation SDK.
// The JSON under dashboards/json is generated from it (go run ./dashboards/gen) and
// checked byte for byte by the tests.
package board

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

// Board is one generated dashboard: its file name under dashboards/json and its builder.
type Board struct {
	File  string
	Build func() (dashboard.Dashboard, error)
}

// All is every dashboard of the suite, the wall screen first.
func All() []Board {
	return []Board{
		{"wall.json", Wall},
		{"wall-zone.json", WallZone},
		{"nginx.json", Nginx},
		{"redis.json", Redis},
		{"mysql.json", MySQL},
		{"hosts.json", Hosts},
		{"capacity.json", Capacity},
	}
}

// Render builds b and returns its JSON as committed (two-space indent, trailing newline).
func Render(b Board) ([]byte, error) {
	d, err := b.Build()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", b.File, err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return nil, fmt.Errorf("%s: %w", b.File, err)
	}
	return buf.Bytes(), nil
}

// Query is one PromQL expression of a dashboard, where it is used.
type Query struct {
	Dashboard string // uid
	Panel     string // panel title, or "variable <name>"
	RefID     string // the query's refId in its panel
	PanelType string
	Unit      string
	Expr      string // as written, with Grafana variables
	Instant   bool
	Variable  bool // a label_values(...) variable query (Expr is the metric selector)
}

// Queries lists every query of d: panel targets and query variables.
func Queries(d dashboard.Dashboard) []Query {
	uid := ""
	if d.Uid != nil {
		uid = *d.Uid
	}
	var out []Query
	for _, v := range d.Templating.List {
		if v.Type != "query" || v.Query == nil || v.Query.String == nil {
			continue
		}
		out = append(out, Query{Dashboard: uid, Panel: "variable " + v.Name, Expr: *v.Query.String, Variable: true})
	}
	for _, p := range Panels(d) {
		for _, t := range p.Targets {
			pq, ok := t.(*prometheus.Dataquery)
			if !ok {
				if v, ok2 := t.(prometheus.Dataquery); ok2 {
					pq = &v
				} else {
					continue
				}
			}
			title, unit := "", ""
			if p.Title != nil {
				title = *p.Title
			}
			if p.FieldConfig != nil && p.FieldConfig.Defaults.Unit != nil {
				unit = *p.FieldConfig.Defaults.Unit
			}
			ref := ""
			if pq.RefId != nil {
				ref = *pq.RefId
			}
			out = append(out, Query{Dashboard: uid, Panel: title, RefID: ref, PanelType: p.Type, Unit: unit,
				Expr: pq.Expr, Instant: pq.Instant != nil && *pq.Instant})
		}
	}
	return out
}

// Panels flattens d's panels (rows' collapsed panels included).
func Panels(d dashboard.Dashboard) []dashboard.Panel {
	var out []dashboard.Panel
	for _, p := range d.Panels {
		if p.Panel != nil {
			out = append(out, *p.Panel)
		}
		if p.RowPanel != nil {
			out = append(out, p.RowPanel.Panels...)
		}
	}
	return out
}
