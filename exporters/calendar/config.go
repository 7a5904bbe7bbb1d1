package main

import (
	"errors"

	"github.com/ggzy/ggzy-exporters/internal/config"
)

// Config exists for the framework: the calendar exporter has one target, its data file
// (--calendar.file), served on /metrics; it takes no --config.file.
type Config struct{}

// Target is the calendar file.
type Target struct {
	config.TargetMeta `yaml:",inline"`
	File              string `yaml:"file"`
}

func newTarget(file string) Target {
	return Target{TargetMeta: config.TargetMeta{Name: "calendar"}, File: file}
}

// Validate implements config.Validator.
func (c *Config) Validate(string) error { return nil }

func loadConfig(string) (*Config, error) {
	return nil, errors.New("ggzy_calendar_exporter takes no --config.file: give the data file with --calendar.file")
}
