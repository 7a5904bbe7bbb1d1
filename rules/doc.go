// Package rules holds no code: it is the Go test suite of the Prometheus rules, the calendar data, the
// runbooks and the Alertmanager configuration in this directory. The tests run promtool, pint and amtool
// (found on PATH, pint also in $(go env GOPATH)/bin; missing tools skip locally and fail under CI=true),
// and check time routing with Alertmanager's own timeinterval package.
package rules
