package collector

import (
	"bufio"
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

// Status is a parsed stub_status page.
type Status struct {
	Active, Reading, Writing, Waiting uint64
	Accepted, Handled, Requests       uint64
	// Tengine's extended stub_status adds request_time (milliseconds, total).
	HasRequestTime    bool
	RequestTimeMillis uint64
}

// ParseStubStatus parses nginx's stub_status text:
//
//	Active connections: 291
//	server accepts handled requests
//	 16630948 16630948 31070465
//	Reading: 6 Writing: 179 Waiting: 106
func ParseStubStatus(b []byte) (Status, error) {
	var s Status
	sc := bufio.NewScanner(bytes.NewReader(b))
	var lines []string
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) != 4 {
		return s, fmt.Errorf("stub_status: want 4 lines, got %d", len(lines))
	}
	active, ok := strings.CutPrefix(lines[0], "Active connections:")
	if !ok {
		return s, fmt.Errorf("stub_status line 1: want \"Active connections: N\", got %q", lines[0])
	}
	var err error
	if s.Active, err = strconv.ParseUint(strings.TrimSpace(active), 10, 64); err != nil {
		return s, fmt.Errorf("stub_status line 1: %w", err)
	}
	head := strings.Fields(lines[1])
	vals := strings.Fields(lines[2])
	if len(head) < 4 || head[0] != "server" || len(vals) != len(head)-1 {
		return s, fmt.Errorf("stub_status lines 2-3: unexpected header %q / values %q", lines[1], lines[2])
	}
	for i, name := range head[1:] {
		v, err := strconv.ParseUint(vals[i], 10, 64)
		if err != nil {
			return s, fmt.Errorf("stub_status line 3, %s: %w", name, err)
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
	f := strings.Fields(lines[3])
	if len(f) != 6 || f[0] != "Reading:" || f[2] != "Writing:" || f[4] != "Waiting:" {
		return s, fmt.Errorf("stub_status line 4: want \"Reading: N Writing: N Waiting: N\", got %q", lines[3])
	}
	for i, dst := range []*uint64{&s.Reading, &s.Writing, &s.Waiting} {
		if *dst, err = strconv.ParseUint(f[2*i+1], 10, 64); err != nil {
			return s, fmt.Errorf("stub_status line 4, %s %w", f[2*i], err)
		}
	}
	return s, nil
}
