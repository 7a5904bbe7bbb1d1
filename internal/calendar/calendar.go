// Package calendar is China's working calendar as the suite uses it: statutory holidays and
// 调休 working days per year (data published by the State Council each November), office
// hours, and key duty periods (重点时期). One YAML file (rules/calendar/calendar.yml) is the
// single truth: the calendar exporter serves it as series, and the Alertmanager time
// intervals are generated from it.
package calendar

import (
	"fmt"
	"regexp"
	"sort"
	"time"

	"github.com/ggzy/ggzy-exporters/internal/config"
)

// Calendar is the YAML file. Load it with Load or Parse: the unexported indexes are built
// by Validate.
type Calendar struct {
	// Location is the IANA zone every date and time of the file is in.
	Location string `yaml:"location"`
	// Office is the office hours of a working day, local time, start inclusive, end exclusive.
	Office Window `yaml:"office_hours"`
	// Years holds each year's statutory holidays and adjusted working days.
	Years []Year `yaml:"years"`
	// Periods are the key duty periods; they count as working time.
	Periods []KeyPeriod `yaml:"key_periods"`

	loc        *time.Location
	start, end int // office hours in minutes after midnight
	days       map[Date]dayInfo
	years      map[int]*Year
}

// Window is a daily window "HH:MM"–"HH:MM".
type Window struct {
	Start string `yaml:"start"`
	End   string `yaml:"end"`
}

// Year is one year's notice.
type Year struct {
	Year int `yaml:"year"`
	// Verified is true once the dates were checked against the State Council notice.
	Verified bool `yaml:"verified"`
	// Source names the notice (or the provisional source while unverified).
	Source   string    `yaml:"source"`
	Holidays []Holiday `yaml:"holidays"`
	Workdays []Workday `yaml:"workdays"`
}

// Holiday is a run of statutory days off, weekends inside the run included.
type Holiday struct {
	// Name is the English key (new_years_day, spring_festival, ...), used as a label value.
	Name string `yaml:"name"`
	// Title is the Chinese name (元旦, 春节, ...).
	Title string `yaml:"title"`
	From  Date   `yaml:"from"`
	To    Date   `yaml:"to"`
}

// Workday is a weekend day that is a working day (调休上班).
type Workday struct {
	Date Date `yaml:"date"`
	// For names the holiday the day was swapped for.
	For string `yaml:"for"`
}

// KeyPeriod is a key duty period, whole days from From to To inclusive.
type KeyPeriod struct {
	Name  string `yaml:"name"`
	Title string `yaml:"title"`
	From  Date   `yaml:"from"`
	To    Date   `yaml:"to"`
}

type dayInfo struct {
	holiday *Holiday
	workday bool
}

// Load reads and validates a calendar file.
func Load(path string) (*Calendar, error) { return config.Load[Calendar](path) }

// Parse validates a calendar already read; path is used in error messages.
func Parse(path string, raw []byte) (*Calendar, error) { return config.Parse[Calendar](path, raw) }

var (
	keyRe  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	hhmmRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])$`)
)

// Validate implements config.Validator and builds the indexes the queries use.
func (c *Calendar) Validate(string) error {
	if c.Location == "" {
		return config.Errorf("location", "location is required (e.g. Asia/Shanghai)")
	}
	loc, err := time.LoadLocation(c.Location)
	if err != nil {
		return config.Errorf("location", "%q is not a known time zone", c.Location)
	}
	c.loc = loc
	if c.start, err = minutes(c.Office.Start); err != nil {
		return config.Errorf("office_hours.start", "%v", err)
	}
	if c.end, err = minutes(c.Office.End); err != nil {
		return config.Errorf("office_hours.end", "%v", err)
	}
	if c.start >= c.end {
		return config.Errorf("office_hours", "start %s is not before end %s", c.Office.Start, c.Office.End)
	}
	if len(c.Years) == 0 {
		return config.Errorf("years", "at least one year of holiday data is required")
	}
	c.days = map[Date]dayInfo{}
	c.years = map[int]*Year{}
	for i := range c.Years {
		if err := c.addYear(i); err != nil {
			return err
		}
	}
	if !sort.SliceIsSorted(c.Years, func(i, j int) bool { return c.Years[i].Year < c.Years[j].Year }) {
		return config.Errorf("years", "years must be listed in ascending order")
	}
	for i, k := range c.Periods {
		p := fmt.Sprintf("key_periods[%d]", i)
		if !keyRe.MatchString(k.Name) {
			return config.Errorf(p+".name", "%q is not a lower_snake_case key", k.Name)
		}
		if k.Title == "" {
			return config.Errorf(p+".title", "title (the Chinese name) is required")
		}
		if err := checkRange(p, k.From, k.To, 62); err != nil {
			return err
		}
	}
	return nil
}

func (c *Calendar) addYear(i int) error {
	y := &c.Years[i]
	p := fmt.Sprintf("years[%d]", i)
	if y.Year < 2000 || y.Year > 2199 {
		return config.Errorf(p+".year", "%d is not a plausible year", y.Year)
	}
	if _, dup := c.years[y.Year]; dup {
		return config.Errorf(p+".year", "%d is listed twice", y.Year)
	}
	c.years[y.Year] = y
	if y.Verified && y.Source == "" {
		return config.Errorf(p+".source", "a verified year must name its source (the State Council notice)")
	}
	if len(y.Holidays) == 0 {
		return config.Errorf(p+".holidays", "no holidays listed for %d", y.Year)
	}
	names := map[string]bool{}
	for j := range y.Holidays {
		h := &y.Holidays[j]
		hp := fmt.Sprintf("%s.holidays[%d]", p, j)
		if !keyRe.MatchString(h.Name) {
			return config.Errorf(hp+".name", "%q is not a lower_snake_case key", h.Name)
		}
		if names[h.Name] {
			return config.Errorf(hp+".name", "%q is listed twice in %d", h.Name, y.Year)
		}
		names[h.Name] = true
		if h.Title == "" {
			return config.Errorf(hp+".title", "title (the Chinese name) is required")
		}
		if err := checkRange(hp, h.From, h.To, 15); err != nil {
			return err
		}
		// A notice may start a holiday in the last days of the year before (元旦).
		if !h.From.inNoticeYear(y.Year) || !h.To.inNoticeYear(y.Year) {
			return config.Errorf(hp+".from", "%s–%s is outside the notice year %d", h.From, h.To, y.Year)
		}
		for d := h.From; !h.To.Before(d); d = d.AddDays(1) {
			if _, dup := c.days[d]; dup {
				return config.Errorf(hp, "%s is already a holiday or working day", d)
			}
			c.days[d] = dayInfo{holiday: h}
		}
	}
	for j, w := range y.Workdays {
		wp := fmt.Sprintf("%s.workdays[%d]", p, j)
		if w.Date.IsZero() {
			return config.Errorf(wp+".date", "date is required")
		}
		if !w.Date.inNoticeYear(y.Year) {
			return config.Errorf(wp+".date", "%s is outside the notice year %d", w.Date, y.Year)
		}
		if wd := w.Date.Weekday(); wd != time.Saturday && wd != time.Sunday {
			return config.Errorf(wp+".date", "%s is a %s: an adjusted working day (调休) is always a Saturday or Sunday", w.Date, wd)
		}
		if !names[w.For] {
			return config.Errorf(wp+".for", "%q is not a holiday of %d", w.For, y.Year)
		}
		if _, dup := c.days[w.Date]; dup {
			return config.Errorf(wp+".date", "%s is already a holiday or working day", w.Date)
		}
		c.days[w.Date] = dayInfo{workday: true}
	}
	return nil
}

func checkRange(path string, from, to Date, maxDays int) error {
	if from.IsZero() {
		return config.Errorf(path+".from", "from is required")
	}
	if to.IsZero() {
		return config.Errorf(path+".to", "to is required")
	}
	if to.Before(from) {
		return config.Errorf(path+".to", "%s is before from %s", to, from)
	}
	if n := from.DaysUntil(to) + 1; n > maxDays {
		return config.Errorf(path+".to", "%d days is longer than %d", n, maxDays)
	}
	return nil
}

func minutes(hhmm string) (int, error) {
	m := hhmmRe.FindStringSubmatch(hhmm)
	if m == nil {
		return 0, fmt.Errorf("%q is not a time HH:MM", hhmm)
	}
	return (int(m[1][0]-'0')*10+int(m[1][1]-'0'))*60 + int(m[2][0]-'0')*10 + int(m[2][1]-'0'), nil
}
