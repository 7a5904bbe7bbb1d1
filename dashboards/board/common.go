package board

import (
	"github.com/grafana/grafana-foundation-sdk/go/bargauge"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/variants"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/table"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// Timezone of every dashboard: the duty room is in China.
const Timezone = "Asia/Shanghai"

// DatasourceVar is the name of the Prometheus datasource variable every dashboard has.
const DatasourceVar = "datasource"

// Colours used for states (Grafana's named palette).
const (
	green  = "green"
	amber  = "orange"
	red    = "red"
	blue   = "blue"
	grey   = "text"
	purple = "purple"
)

func strp(s string) *string  { return &s }
func f64(v float64) *float64 { return &v }

// ds is the reference every panel and query uses: the datasource variable.
func ds() common.DataSourceRef {
	return common.DataSourceRef{Type: strp("prometheus"), Uid: strp("${" + DatasourceVar + "}")}
}

// page builds one dashboard: common settings, panel ids in order of addition.
type page struct {
	b  *dashboard.DashboardBuilder
	id uint32
}

func newPage(uid, title, desc string, tags ...string) *page {
	b := dashboard.NewDashboardBuilder(title).
		Uid(uid).
		Description(desc).
		Tags(append([]string{"ggzy"}, tags...)).
		Timezone(Timezone).
		WeekStart("monday").
		Refresh("1m").
		Time("now-6h", "now").
		Tooltip(dashboard.DashboardCursorSyncCrosshair).
		WithVariable(dashboard.NewDatasourceVariableBuilder(DatasourceVar).
			Label("数据源").
			Type("prometheus"))
	return &page{b: b}
}

// labelVar adds a multi-value variable over a label of a metric, "All" matching everything.
func (p *page) labelVar(name, label, metric, lbl string) *page {
	q := "label_values(" + metric + ", " + lbl + ")"
	p.b.WithVariable(dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Query(dashboard.StringOrMap{String: strp(q)}).
		Definition(q).
		Datasource(ds()).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		Multi(true).
		IncludeAll(true).
		AllValue(".*").
		Current(dashboard.VariableOption{
			Selected: cog.ToPtr(true),
			Text:     dashboard.StringOrArrayOfString{String: strp("All")},
			Value:    dashboard.StringOrArrayOfString{String: strp("$__all")},
		}))
	return p
}

// idPanel sets a stable panel id when the panel is built.
type idPanel struct {
	b  cog.Builder[dashboard.Panel]
	id uint32
}

func (w idPanel) Build() (dashboard.Panel, error) {
	p, err := w.b.Build()
	id := w.id
	p.Id = &id
	return p, err
}

func (p *page) add(panels ...cog.Builder[dashboard.Panel]) *page {
	for _, b := range panels {
		p.id++
		p.b.WithPanel(idPanel{b: b, id: p.id})
	}
	return p
}

func (p *page) row(title string) *page {
	p.id++
	p.b.WithRow(dashboard.NewRowBuilder(title).Id(p.id))
	return p
}

func (p *page) build() (dashboard.Dashboard, error) { return p.b.Build() }

// q is a range query (time series panels).
func q(expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().Datasource(ds()).Expr(expr).LegendFormat(legend).Range()
}

// qi is an instant query (stat tiles and tables).
func qi(expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().Datasource(ds()).Expr(expr).LegendFormat(legend).Instant()
}

// qt is an instant query returned as a table (one column per label, and "Value #<refId>"
// for the value; refIds are A, B, C… in the panel's order).
func qt(expr string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().Datasource(ds()).Expr(expr).
		Format(prometheus.PromQueryFormatTable).Instant()
}

func targets(qs []*prometheus.DataqueryBuilder) []cog.Builder[variants.Dataquery] {
	out := make([]cog.Builder[variants.Dataquery], 0, len(qs))
	for i, b := range qs {
		out = append(out, b.RefId(string(rune('A'+i))))
	}
	return out
}

func steps(base string, more ...any) cog.Builder[dashboard.ThresholdsConfig] {
	st := []dashboard.Threshold{{Value: nil, Color: base}}
	for i := 0; i+1 < len(more); i += 2 {
		st = append(st, dashboard.Threshold{Value: f64(toF(more[i])), Color: more[i+1].(string)})
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(st)
}

func toF(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	panic("threshold value must be int or float64")
}

// valueText maps exact values to a text and colour: valueText("1", "正常", green, "0", "故障", red).
func valueText(pairs ...string) []dashboard.ValueMapping {
	opts := map[string]dashboard.ValueMappingResult{}
	for i := 0; i+2 < len(pairs); i += 3 {
		idx := int32(i / 3)
		opts[pairs[i]] = dashboard.ValueMappingResult{Text: strp(pairs[i+1]), Color: strp(pairs[i+2]), Index: &idx}
	}
	return []dashboard.ValueMapping{{ValueMap: &dashboard.ValueMap{Type: dashboard.MappingTypeValueToText, Options: opts}}}
}

func upMapping() []dashboard.ValueMapping {
	return valueText("1", "正常", green, "0", "故障", red)
}

// ts is a time series panel.
func ts(title, desc, unit string, w, h uint32, qs ...*prometheus.DataqueryBuilder) *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title(title).Description(desc).Unit(unit).
		Datasource(ds()).
		Span(w).Height(h).
		LineWidth(1).FillOpacity(10).
		ShowPoints(common.VisibilityModeNever).
		Legend(common.NewVizLegendOptionsBuilder().
			DisplayMode(common.LegendDisplayModeList).
			Placement(common.LegendPlacementBottom).
			ShowLegend(true)).
		Tooltip(common.NewVizTooltipOptionsBuilder().Mode(common.TooltipDisplayModeMulti).Sort(common.SortOrderDescending)).
		Targets(targets(qs))
}

// st is a stat panel; colour by thresholds.
func st(title, desc, unit string, w, h uint32, qs ...*prometheus.DataqueryBuilder) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).Description(desc).Unit(unit).
		Datasource(ds()).
		Span(w).Height(h).
		ColorMode(common.BigValueColorModeBackground).
		GraphMode(common.BigValueGraphModeNone).
		TextMode(common.BigValueTextModeValueAndName).
		JustifyMode(common.BigValueJustifyModeCenter).
		Orientation(common.VizOrientationAuto).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false)).
		Targets(targets(qs))
}

// tbl is a table panel over instant table queries, merged into one row per label set.
func tbl(title, desc, unit string, w, h uint32, rename map[string]string, order []string, qs ...*prometheus.DataqueryBuilder) *table.PanelBuilder {
	exclude := map[string]bool{"Time": true, "Value": true}
	index := map[string]int{}
	for i, c := range order {
		index[c] = i
		delete(exclude, c)
	}
	return table.NewPanelBuilder().
		Title(title).Description(desc).Unit(unit).
		Datasource(ds()).
		Span(w).Height(h).
		CellHeight(common.TableCellHeightSm).
		ShowHeader(true).
		Filterable(true).
		Footer(common.NewTableFooterOptionsBuilder().Show(false).Reducer([]string{"sum"})).
		Targets(targets(qs)).
		WithTransformation(dashboard.DataTransformerConfig{Id: "merge", Options: map[string]any{}}).
		WithTransformation(dashboard.DataTransformerConfig{Id: "organize", Options: map[string]any{
			"excludeByName": exclude,
			"renameByName":  rename,
			"indexByName":   index,
		}})
}

// unitOverride sets the unit (and optionally thresholds) of one column of a table.
func unitOverride(field, unit string) cog.Builder[dashboard.DashboardFieldConfigSourceOverrides] {
	return dashboard.NewDashboardFieldConfigSourceOverridesBuilder().
		Matcher(dashboard.MatcherConfig{Id: "byName", Options: field}).
		Properties([]dashboard.DynamicConfigValue{{Id: "unit", Value: unit}})
}

func colorOverride(field string, th cog.Builder[dashboard.ThresholdsConfig]) cog.Builder[dashboard.DashboardFieldConfigSourceOverrides] {
	t, _ := th.Build()
	return dashboard.NewDashboardFieldConfigSourceOverridesBuilder().
		Matcher(dashboard.MatcherConfig{Id: "byName", Options: field}).
		Properties([]dashboard.DynamicConfigValue{
			{Id: "thresholds", Value: t},
			{Id: "custom.cellOptions", Value: map[string]any{"type": "color-background"}},
		})
}

// bar is a horizontal bar gauge (top-N lists on the wall).
func bar(title, desc, unit string, w, h uint32, th cog.Builder[dashboard.ThresholdsConfig], qs ...*prometheus.DataqueryBuilder) *bargauge.PanelBuilder {
	return bargauge.NewPanelBuilder().
		Title(title).Description(desc).Unit(unit).
		Datasource(ds()).
		Span(w).Height(h).
		Min(0).
		Thresholds(th).
		DisplayMode(common.BarGaugeDisplayModeBasic).
		ValueMode(common.BarGaugeValueModeText).
		ShowUnfilled(true).
		Orientation(common.VizOrientationHorizontal).
		ReduceOptions(common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"}).Values(false)).
		Targets(targets(qs))
}
