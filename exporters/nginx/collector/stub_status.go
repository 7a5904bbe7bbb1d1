// Package collector reads nginx's stub_status page (and Tengine's extended variant).
package collector

import (
	"context"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ggzy/ggzy-exporters/internal/httpclient"
)

// Namespace of every metric of this exporter.
const Namespace = "nginx"

// maxBody bounds the stub_status response: the real page is about 110 bytes.
const maxBody = 64 << 10

var (
	connectionsDesc = prometheus.NewDesc(Namespace+"_connections",
		"Client connections by state: active (all open client connections, the sum of reading, writing and waiting; do not sum over state), reading (request header), writing (response), waiting (idle keep-alive).",
		[]string{"state"}, nil)
	acceptedDesc = prometheus.NewDesc(Namespace+"_connections_accepted_total",
		"Client connections accepted.", nil, nil)
	handledDesc = prometheus.NewDesc(Namespace+"_connections_handled_total",
		"Client connections handled (accepted minus those dropped at a resource limit such as worker_connections).", nil, nil)
	droppedDesc = prometheus.NewDesc(Namespace+"_connections_dropped_total",
		"Client connections dropped: accepted minus handled.", nil, nil)
	requestsDesc = prometheus.NewDesc(Namespace+"_http_requests_total",
		"Client HTTP requests.", nil, nil)
	reqTimeDesc = prometheus.NewDesc(Namespace+"_http_request_time_seconds_total",
		"Total time spent on main requests (Tengine's stub_status request_time column; absent on nginx).", nil, nil)
)

// StubStatus fetches and parses one stub_status page.
type StubStatus struct {
	Client *http.Client
	URL    string
	Auth   *httpclient.BasicAuth
}

// Update implements collector.Collector.
func (s StubStatus) Update(ctx context.Context, ch chan<- prometheus.Metric) error {
	body, err := httpclient.Get(ctx, s.Client, s.URL, s.Auth, maxBody)
	if err != nil {
		return err
	}
	st, err := ParseStubStatus(body)
	if err != nil {
		return err
	}
	emit(st, ch)
	return nil
}

// emit sends the metrics of a parsed page.
func emit(st Status, ch chan<- prometheus.Metric) {
	for _, c := range []struct {
		state string
		v     uint64
	}{{"active", st.Active}, {"reading", st.Reading}, {"writing", st.Writing}, {"waiting", st.Waiting}} {
		ch <- prometheus.MustNewConstMetric(connectionsDesc, prometheus.GaugeValue, float64(c.v), c.state)
	}
	ch <- prometheus.MustNewConstMetric(acceptedDesc, prometheus.CounterValue, float64(st.Accepted))
	ch <- prometheus.MustNewConstMetric(handledDesc, prometheus.CounterValue, float64(st.Handled))
	dropped := uint64(0)
	if st.Accepted > st.Handled {
		dropped = st.Accepted - st.Handled
	}
	ch <- prometheus.MustNewConstMetric(droppedDesc, prometheus.CounterValue, float64(dropped))
	ch <- prometheus.MustNewConstMetric(requestsDesc, prometheus.CounterValue, float64(st.Requests))
	if st.HasRequestTime {
		ch <- prometheus.MustNewConstMetric(reqTimeDesc, prometheus.CounterValue, float64(st.RequestTimeMillis)/1000)
	}
}
