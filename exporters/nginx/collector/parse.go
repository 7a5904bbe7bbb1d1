package collector

import (
	"fmt"
	"strconv"
	"strings"
)

// Status is a parsed stub_status page.
type Status struct {
	Active, Reading, Writing, Waiting uint64
	Accepted, Handled, Requests       uint64
	// HasRequestTime is set for Tengine's stub_status, which adds a request_time column:
	// the total time, in milliseconds, spent on main requests since the start.
	HasRequestTime    bool
	RequestTimeMillis uint64
}

// ParseStubStatus parses the stub_status page of nginx:
//
//	Active connections: 291
//	server accepts handled requests
//	 16630948 16630948 31070465
//	Reading: 6 Writing: 179 Waiting: 106
//
// and Tengine's variant (built with T_NGX_HTTP_STUB_STATUS, the default), whose second and
// third lines carry a fourth column:
//
//	server accepts handled requests request_time
//	 1140 1140 1140 75806
//
// The columns of lines 2-3 are matched by name, so further columns are tolerated and
// ignored; accepts, handled and requests are required.
func ParseStubStatus(b []byte) (Status, error) {
	var s Status
	var lines []string
	for _, l := range strings.Split(string(b), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 4 {
		return s, fmt.Errorf("stub_status: want 4 lines, got %d", len(lines))
	}

	active, ok := strings.CutPrefix(lines[0], "Active connections:")
	if !ok {
		return s, fmt.Errorf("stub_status line 1: want %q, got %s", "Active connections: N", excerpt(lines[0]))
	}
	var err error
	if s.Active, err = parseUint(strings.TrimSpace(active)); err != nil {
		return s, fmt.Errorf("stub_status line 1: %w", err)
	}

	head, vals := strings.Fields(lines[1]), strings.Fields(lines[2])
	if len(head) < 2 || head[0] != "server" || len(vals) != len(head)-1 {
		return s, fmt.Errorf("stub_status lines 2-3: want a header \"server <column>...\" and one value per column, got %s / %s", excerpt(lines[1]), excerpt(lines[2]))
	}
	seen := map[string]bool{}
	for i, name := range head[1:] {
		if seen[name] {
			return s, fmt.Errorf("stub_status line 2: column %s twice", excerpt(name))
		}
		seen[name] = true
		v, err := parseUint(vals[i])
		if err != nil {
			return s, fmt.Errorf("stub_status line 3, column %s: %w", excerpt(name), err)
		}
		switch name {
		case "accepts":
			s.Accepted = v
		case "handled":
			s.Handled = v
		case "requests":
			s.Requests = v
		case "request_time":
			s.HasRequestTime, s.RequestTimeMillis = true, v
		}
	}
	for _, need := range []string{"accepts", "handled", "requests"} {
		if !seen[need] {
			return s, fmt.Errorf("stub_status line 2: column %q is missing", need)
		}
	}

	f := strings.Fields(lines[3])
	if len(f) != 6 || f[0] != "Reading:" || f[2] != "Writing:" || f[4] != "Waiting:" {
		return s, fmt.Errorf("stub_status line 4: want %q, got %s", "Reading: N Writing: N Waiting: N", excerpt(lines[3]))
	}
	for i, dst := range []*uint64{&s.Reading, &s.Writing, &s.Waiting} {
		if *dst, err = parseUint(f[2*i+1]); err != nil {
			return s, fmt.Errorf("stub_status line 4, %s %w", f[2*i], err)
		}
	}
	return s, nil
}

// parseUint parses a decimal counter.
func parseUint(v string) (uint64, error) {
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s is not a non-negative integer", excerpt(v))
	}
	return n, nil
}

// excerpt quotes at most 32 bytes of s for an error message, so that a wrong page (HTML,
// binary) does not flood the log.
func excerpt(s string) string {
	const max = 32
	if len(s) <= max {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:max]) + "..."
}
