package collector

import (
	"fmt"
	"strings"
	"testing"
)

// format renders s as the server would (Tengine's layout when HasRequestTime is set): the
// inverse of ParseStubStatus.
func format(s Status) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Active connections: %d \n", s.Active)
	if s.HasRequestTime {
		fmt.Fprintf(&b, "server accepts handled requests request_time\n %d %d %d %d\n", s.Accepted, s.Handled, s.Requests, s.RequestTimeMillis)
	} else {
		fmt.Fprintf(&b, "server accepts handled requests\n %d %d %d \n", s.Accepted, s.Handled, s.Requests)
	}
	fmt.Fprintf(&b, "Reading: %d Writing: %d Waiting: %d \n", s.Reading, s.Writing, s.Waiting)
	return b.String()
}

func TestParseStubStatus(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		want     Status
	}{
		{"nginx", "Active connections: 291 \nserver accepts handled requests\n 16630948 16630948 31070465 \nReading: 6 Writing: 179 Waiting: 106 \n",
			Status{Active: 291, Accepted: 16630948, Handled: 16630948, Requests: 31070465, Reading: 6, Writing: 179, Waiting: 106}},
		{"tengine", "Active connections: 1 \nserver accepts handled requests request_time\n 55 55 55 175255\nReading: 0 Writing: 1 Waiting: 0 \n",
			Status{Active: 1, Accepted: 55, Handled: 55, Requests: 55, HasRequestTime: true, RequestTimeMillis: 175255, Writing: 1}},
		{"no trailing newline, blank lines", "\nActive connections: 3\n\nserver accepts handled requests\n1 2 3\nReading: 4 Writing: 5 Waiting: 6",
			Status{Active: 3, Accepted: 1, Handled: 2, Requests: 3, Reading: 4, Writing: 5, Waiting: 6}},
		{"columns in another order, unknown column ignored", "Active connections: 1\nserver requests future_col accepts handled\n 9 77 5 4\nReading: 0 Writing: 1 Waiting: 0\n",
			Status{Active: 1, Accepted: 5, Handled: 4, Requests: 9, Writing: 1}},
		{"max uint64", "Active connections: 18446744073709551615\nserver accepts handled requests\n 0 0 0\nReading: 0 Writing: 0 Waiting: 0\n",
			Status{Active: 18446744073709551615}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseStubStatus([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestParseStubStatusErrors(t *testing.T) {
	long := strings.Repeat("x", 5000)
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "want 4 lines, got 0"},
		{"html", "<html>\n<body>\n<h1>Welcome to nginx!</h1>\n</body>\n</html>\n", "want 4 lines, got 5"},
		{"first line", "Passive: 1\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1 Waiting: 0\n", "line 1"},
		{"negative", "Active connections: -1\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1 Waiting: 0\n", "not a non-negative integer"},
		{"overflow", "Active connections: 18446744073709551616\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1 Waiting: 0\n", "not a non-negative integer"},
		{"value count", "Active connections: 1\nserver accepts handled requests\n 1 1\nReading: 0 Writing: 1 Waiting: 0\n", "lines 2-3"},
		{"missing column", "Active connections: 1\nserver accepts handled\n 1 1\nReading: 0 Writing: 1 Waiting: 0\n", `column "requests" is missing`},
		{"duplicate column", "Active connections: 1\nserver accepts accepts handled requests\n 1 1 1 1\nReading: 0 Writing: 1 Waiting: 0\n", "twice"},
		{"bad value", "Active connections: 1\nserver accepts handled requests\n 1 x 1\nReading: 0 Writing: 1 Waiting: 0\n", `column "handled"`},
		{"last line", "Active connections: 1\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1\n", "line 4"},
		{"last line value", "Active connections: 1\nserver accepts handled requests\n 1 1 1\nReading: 0 Writing: 1 Waiting: z\n", "Waiting:"},
		{"long line is not echoed", "Active connections: 1\nserver accepts handled requests\n 1 1 1\n" + long + "\n", "line 4"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseStubStatus([]byte(tc.in))
			if err == nil {
				t.Fatalf("no error for %q", tc.in)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
			if len(err.Error()) > 200 {
				t.Errorf("error is %d bytes long: input must not be echoed in full", len(err.Error()))
			}
		})
	}
}
