package calendar

import (
	"sort"
	"time"
)

// Loc is the calendar's time zone.
func (c *Calendar) Loc() *time.Location { return c.loc }

// Local is t in the calendar's zone.
func (c *Calendar) Local(t time.Time) time.Time { return t.In(c.loc) }

// WorkingDay reports whether t falls on a working day: Monday to Friday unless a statutory
// holiday, plus the adjusted working weekends (调休). For a year without data the plain
// Monday-to-Friday rule applies (and Covers reports the gap).
func (c *Calendar) WorkingDay(t time.Time) bool {
	d := DateOf(c.Local(t))
	if info, ok := c.days[d]; ok {
		return info.workday
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// OfficeHours reports whether the local clock at t is within office hours, whatever the day.
func (c *Calendar) OfficeHours(t time.Time) bool {
	l := c.Local(t)
	m := l.Hour()*60 + l.Minute()
	return m >= c.start && m < c.end
}

// WorkingTime is what the response deadlines and routing call working time: office hours of
// a working day, or any time in a key duty period (24 h duty counts as working time).
func (c *Calendar) WorkingTime(t time.Time) bool {
	return c.WorkingDay(t) && c.OfficeHours(t) || len(c.KeyPeriods(t)) > 0
}

// Holiday returns the statutory holiday t falls in, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	if info, ok := c.days[DateOf(c.Local(t))]; ok && info.holiday != nil {
		return *info.holiday, true
	}
	return Holiday{}, false
}

// KeyPeriods returns the key duty periods t falls in.
func (c *Calendar) KeyPeriods(t time.Time) []KeyPeriod {
	d := DateOf(c.Local(t))
	var out []KeyPeriod
	for _, k := range c.Periods {
		if !d.Before(k.From) && !k.To.Before(d) {
			out = append(out, k)
		}
	}
	return out
}

// Covers reports whether the file holds verified data (checked against the State Council
// notice) for year.
func (c *Calendar) Covers(year int) bool {
	y, ok := c.years[year]
	return ok && y.Verified
}

// HasYear reports whether the file holds data for year, verified or not.
func (c *Calendar) HasYear(year int) bool {
	_, ok := c.years[year]
	return ok
}

// HolidayNames are the distinct holiday keys of every year, sorted.
func (c *Calendar) HolidayNames() []string {
	seen := map[string]bool{}
	for _, y := range c.Years {
		for _, h := range y.Holidays {
			seen[h.Name] = true
		}
	}
	return sortedKeys(seen)
}

// KeyPeriodNames are the distinct key period names, sorted.
func (c *Calendar) KeyPeriodNames() []string {
	seen := map[string]bool{}
	for _, k := range c.Periods {
		seen[k.Name] = true
	}
	return sortedKeys(seen)
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
