package board

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// TestSchema validates the committed JSON against the SDK's own types. The Go module of
// grafana-foundation-sdk ships no JSON schema files, so the check is:
//   - strict unmarshalling (UnmarshalJSONStrict: unknown, missing required or mistyped
//     fields are errors; panel options, field config and Prometheus queries are decoded by
//     their plugin types) and the SDK's Validate;
//   - a lossless round trip through the SDK's (plugin-aware) types back to the same JSON,
//     with every panel's options decoded into its plugin's Go type.
//
// SDK v0.0.22 quirk: its strict decoders return a nil cog.BuildErrors as a non-nil error,
// so they keep reporting real errors but drop some decoded values (panels, options); the
// round trip therefore uses the SDK's regular UnmarshalJSON.
func TestSchema(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	for _, b := range All() {
		t.Run(b.File, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(jsonDir, b.File))
			if err != nil {
				t.Fatal(err)
			}
			if err := strict(raw); err != nil {
				t.Fatalf("strict unmarshal: %v", err)
			}
			var d dashboard.Dashboard
			if err := json.Unmarshal(raw, &d); err != nil {
				t.Fatal(err)
			}
			if err := sdkErr(d.Validate()); err != nil {
				t.Fatalf("validate: %v", err)
			}
			for _, p := range Panels(d) {
				if reflect.TypeOf(p.Options) == nil || reflect.TypeOf(p.Options).Kind() == reflect.Map {
					t.Errorf("panel %q (%s): options not decoded by a plugin type", deref(p.Title), p.Type)
				}
			}
			back, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			var a, z any
			_ = json.Unmarshal(raw, &a)
			_ = json.Unmarshal(back, &z)
			if !reflect.DeepEqual(a, z) {
				t.Errorf("round trip through the SDK types changes the JSON:\n%s", firstDiff(raw, back))
			}
		})
	}
}

// TestSchemaRejects: the strict check is not a no-op: it catches an unknown field and a
// mistyped one, in the dashboard, in a panel's options and in a query.
func TestSchemaRejects(t *testing.T) {
	plugins.RegisterDefaultPlugins()
	raw, err := os.ReadFile(filepath.Join(jsonDir, "wall.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string][2]string{
		"unknown dashboard field": {`"weekStart": "monday"`, `"weekStart": "monday", "wallMode": true`},
		"unknown stat option":     {`"colorMode": "background"`, `"colorMode": "background", "blink": true`},
		"mistyped query field":    {`"instant": true`, `"instant": "yes"`},
		"mistyped gridPos":        {`"h": 3,`, `"h": "three",`},
	} {
		bad := strings.Replace(string(raw), edit[0], edit[1], 1)
		if bad == string(raw) {
			t.Fatalf("%s: %q not found in wall.json", name, edit[0])
		}
		if err := strict([]byte(bad)); err == nil {
			t.Errorf("%s: strict unmarshal accepted it", name)
		}
	}
}

func strict(raw []byte) error {
	var d dashboard.Dashboard
	return sdkErr(d.UnmarshalJSONStrict(raw))
}

// sdkErr: the SDK returns a nil cog.BuildErrors as a non-nil error.
func sdkErr(err error) error {
	if be, ok := err.(cog.BuildErrors); ok && len(be) == 0 {
		return nil
	}
	return err
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func firstDiff(a, b []byte) string {
	var x, y bytes.Buffer
	_ = json.Indent(&x, a, "", " ")
	_ = json.Indent(&y, b, "", " ")
	xa, ya := x.Bytes(), y.Bytes()
	i := 0
	for i < len(xa) && i < len(ya) && xa[i] == ya[i] {
		i++
	}
	lo := max(0, i-200)
	return "want …" + string(xa[lo:min(len(xa), i+200)]) + "\n got …" + string(ya[lo:min(len(ya), i+200)])
}
