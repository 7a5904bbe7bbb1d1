package config

import (
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Store holds the running config and swaps it on reload only when the new one is valid.
type Store[C any] struct {
	path string
	load func(string) (*C, error)
	log  *slog.Logger

	mu  sync.RWMutex
	cur *C

	success   prometheus.Gauge
	timestamp prometheus.Gauge
}

// NewStore loads path once (the error is returned: a bad config at start is fatal) and
// registers <ns>_exporter_config_last_reload_successful and
// <ns>_exporter_config_last_reload_success_timestamp_seconds on reg.
func NewStore[C any](ns, path string, load func(string) (*C, error), reg prometheus.Registerer, log *slog.Logger) (*Store[C], error) {
	s := &Store[C]{
		path: path, load: load, log: log,
		success: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: ns + "_exporter_config_last_reload_successful",
			Help: "Whether the last configuration reload attempt was successful.",
		}),
		timestamp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: ns + "_exporter_config_last_reload_success_timestamp_seconds",
			Help: "Timestamp of the last successful configuration reload.",
		}),
	}
	c, err := load(path)
	if err != nil {
		return nil, err
	}
	s.cur = c
	s.success.Set(1)
	s.timestamp.SetToCurrentTime()
	if reg != nil {
		reg.MustRegister(s.success, s.timestamp)
	}
	return s, nil
}

// Get returns the running config. Callers must not modify it.
func (s *Store[C]) Get() *C {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

// Reload reads the file again; on error the running config stays and the error is returned.
func (s *Store[C]) Reload() error {
	c, err := s.load(s.path)
	if err != nil {
		s.success.Set(0)
		s.log.Error("config reload failed, keeping the running config", "err", err)
		return err
	}
	s.mu.Lock()
	s.cur = c
	s.mu.Unlock()
	s.success.Set(1)
	s.timestamp.Set(float64(time.Now().Unix()))
	s.log.Info("config reloaded", "file", s.path)
	return nil
}
