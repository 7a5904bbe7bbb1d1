package native

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// Notification is one Alertmanager webhook payload (version 4) as received.
type Notification struct {
	Receiver          string            `json:"receiver"`
	Status            string            `json:"status"` // firing or resolved
	Alerts            []Alert           `json:"alerts"`
	GroupLabels       map[string]string `json:"groupLabels"`
	CommonLabels      map[string]string `json:"commonLabels"`
	CommonAnnotations map[string]string `json:"commonAnnotations"`
	Path              string            `json:"-"` // URL path it was posted to
	At                time.Time         `json:"-"`
}

// Alert is one alert of a notification.
type Alert struct {
	Status      string            `json:"status"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
	StartsAt    time.Time         `json:"startsAt"`
	EndsAt      time.Time         `json:"endsAt"`
}

// Sink is a webhook receiver that records every notification (and passes it to OnNotify).
type Sink struct {
	OnNotify func(Notification)

	mu  sync.Mutex
	got []Notification
}

func (s *Sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST an Alertmanager webhook payload", http.StatusMethodNotAllowed)
		return
	}
	var n Notification
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&n); err != nil {
		http.Error(w, "not a webhook payload: "+err.Error(), http.StatusBadRequest)
		return
	}
	n.Path, n.At = r.URL.Path, time.Now()
	s.mu.Lock()
	s.got = append(s.got, n)
	s.mu.Unlock()
	if s.OnNotify != nil {
		s.OnNotify(n)
	}
	w.WriteHeader(http.StatusOK)
}

// All returns the notifications received so far.
func (s *Sink) All() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Notification(nil), s.got...)
}
