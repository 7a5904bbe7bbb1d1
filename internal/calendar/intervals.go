package calendar

import (
	"fmt"
	"strings"
	"time"
)

// Names of the generated Alertmanager time intervals.
const (
	// IntervalWorkingTime is WorkingTime: office hours of working days, and key periods.
	IntervalWorkingTime = "working_time"
	// IntervalKeyPeriod is any key duty period, all day.
	IntervalKeyPeriod = "key_period"
)

// fallback years: outside the years of the file, Monday to Friday in office hours counts.
const (
	firstFallbackYear = 1970
	lastFallbackYear  = 2199
)

// AlertmanagerTimeIntervals renders the top-level time_intervals block of an Alertmanager
// configuration (0.25 or later: `location` is needed so times are Beijing time, not UTC).
// It is deterministic: the same file gives the same bytes.
func (c *Calendar) AlertmanagerTimeIntervals() string {
	var b strings.Builder
	b.WriteString("time_intervals:\n")
	fmt.Fprintf(&b, "  # %s: office hours (%s–%s %s) of working days, and whole key duty periods.\n",
		IntervalWorkingTime, c.Office.Start, c.Office.End, c.Location)
	fmt.Fprintf(&b, "  - name: %s\n    time_intervals:\n", IntervalWorkingTime)
	first, last := c.dataYears()
	if first > firstFallbackYear {
		b.WriteString("      # years without holiday data: Monday to Friday\n")
		c.writeSpec(&b, spec{office: true, weekdays: true, years: fmt.Sprintf("%d:%d", firstFallbackYear, first-1)})
	}
	for y := first; y <= last; y++ {
		runs := c.workingRuns(y)
		status := "no data, Monday to Friday"
		if yr, ok := c.years[y]; ok {
			status = "unverified: check against the State Council notice"
			if yr.Verified {
				status = "verified: " + yr.Source
			}
		}
		fmt.Fprintf(&b, "      # %d: %d working days (%s)\n", y, countDays(runs), status)
		for _, r := range runs {
			c.writeSpec(&b, spec{office: true, years: fmt.Sprint(y), month: r.month, from: r.from, to: r.to})
		}
	}
	if last < lastFallbackYear {
		b.WriteString("      # years without holiday data: Monday to Friday\n")
		c.writeSpec(&b, spec{office: true, weekdays: true, years: fmt.Sprintf("%d:%d", last+1, lastFallbackYear)})
	}
	c.writeKeyPeriods(&b)
	fmt.Fprintf(&b, "  # %s: key duty periods (24 h duty), all day.\n", IntervalKeyPeriod)
	fmt.Fprintf(&b, "  - name: %s\n    time_intervals:\n", IntervalKeyPeriod)
	if len(c.Periods) == 0 {
		// An interval with no spec never matches.
		b.WriteString("      []\n")
	}
	c.writeKeyPeriods(&b)
	return b.String()
}

func (c *Calendar) writeKeyPeriods(b *strings.Builder) {
	for _, k := range c.Periods {
		fmt.Fprintf(b, "      # key period %s (%s) %s – %s\n", k.Name, k.Title, k.From, k.To)
		for _, r := range splitByMonth(k.From, k.To) {
			c.writeSpec(b, spec{years: fmt.Sprint(r.year), month: r.month, from: r.from, to: r.to})
		}
	}
}

// dataYears is the span of calendar years the file's dates touch.
func (c *Calendar) dataYears() (first, last int) {
	first, last = c.Years[0].Year, c.Years[len(c.Years)-1].Year
	for d := range c.days {
		first = min(first, d.Year)
		last = max(last, d.Year)
	}
	return first, last
}

type run struct {
	year     int
	month    time.Month
	from, to int
}

// workingRuns are the runs of consecutive working days of year y, split at month ends.
func (c *Calendar) workingRuns(y int) []run {
	var out []run
	for d := (Date{y, time.January, 1}); d.Year == y; d = d.AddDays(1) {
		if !c.WorkingDay(d.In(c.loc).Add(12 * time.Hour)) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].month == d.Month && out[n-1].to == d.Day-1 {
			out[n-1].to = d.Day
			continue
		}
		out = append(out, run{year: y, month: d.Month, from: d.Day, to: d.Day})
	}
	return out
}

func splitByMonth(from, to Date) []run {
	var out []run
	for d := from; !to.Before(d); d = d.AddDays(1) {
		if n := len(out); n > 0 && out[n-1].year == d.Year && out[n-1].month == d.Month {
			out[n-1].to = d.Day
			continue
		}
		out = append(out, run{year: d.Year, month: d.Month, from: d.Day, to: d.Day})
	}
	return out
}

func countDays(runs []run) int {
	n := 0
	for _, r := range runs {
		n += r.to - r.from + 1
	}
	return n
}

type spec struct {
	office, weekdays bool
	years            string
	month            time.Month
	from, to         int
}

// writeSpec writes one Alertmanager time interval spec in flow style on one line.
func (c *Calendar) writeSpec(b *strings.Builder, s spec) {
	parts := []string{fmt.Sprintf("years: ['%s']", s.years)}
	if s.month != 0 {
		days := fmt.Sprintf("'%d:%d'", s.from, s.to)
		if s.from == s.to {
			days = fmt.Sprintf("'%d'", s.from)
		}
		parts = append(parts, fmt.Sprintf("months: [%s]", strings.ToLower(s.month.String())), "days_of_month: ["+days+"]")
	}
	if s.weekdays {
		parts = append(parts, "weekdays: ['monday:friday']")
	}
	if s.office {
		parts = append(parts, fmt.Sprintf("times: [{start_time: '%s', end_time: '%s'}]", c.Office.Start, c.Office.End))
	}
	parts = append(parts, "location: "+c.Location)
	fmt.Fprintf(b, "      - {%s}\n", strings.Join(parts, ", "))
}
