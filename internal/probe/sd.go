package probe

import (
	"encoding/json"
	"net/http"
	"sort"

	"github.com/ggzy/ggzy-exporters/internal/config"
)

// SDGroup is one entry of Prometheus' HTTP service discovery format.
type SDGroup struct {
	Targets []string          `json:"targets"`
	Labels  map[string]string `json:"labels"`
}

// SD serves GET /sd: one group per configured target, the target being its name (which
// Prometheus relabels into ?target= on /probe) with the target's labels.
func SD(list func() []config.TargetMeta) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		metas := list()
		sort.Slice(metas, func(i, j int) bool { return metas[i].Name < metas[j].Name })
		groups := make([]SDGroup, 0, len(metas))
		for _, m := range metas {
			groups = append(groups, SDGroup{Targets: []string{m.Name}, Labels: m.SDLabels()})
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		_ = enc.Encode(groups)
	})
}
