package calendar

import (
	"strings"
	"testing"
	"time"
)

// dataFile is the calendar the suite ships.
const dataFile = "../../rules/calendar/calendar.yml"

func load(t *testing.T) *Calendar {
	t.Helper()
	c, err := Load(dataFile)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func at(t *testing.T, c *Calendar, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, c.Loc())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestQueries(t *testing.T) {
	c := load(t)
	for _, tc := range []struct {
		when                            string
		workingDay, office, workingTime bool
		holiday                         string
		periods                         string
	}{
		{"2026-01-01 10:00", false, true, false, "new_years_day", ""},
		{"2026-01-04 10:00", true, true, true, "", ""},   // Sunday, 调休 working day
		{"2026-01-05 08:29", true, false, false, "", ""}, // Monday before office hours
		{"2026-01-05 08:30", true, true, true, "", ""},
		{"2026-01-05 17:29", true, true, true, "", ""},
		{"2026-01-05 17:30", true, false, false, "", ""}, // end is exclusive
		{"2026-01-10 10:00", false, true, false, "", ""}, // ordinary Saturday
		{"2026-02-14 10:00", true, true, true, "", "spring_festival"},
		{"2026-02-15 03:00", false, false, true, "spring_festival", "spring_festival"}, // key period: working time at night
		{"2026-02-23 10:00", false, true, true, "spring_festival", "spring_festival"},  // Monday, still a holiday
		{"2026-03-09 22:00", true, false, true, "", "two_sessions"},
		{"2026-07-01 12:00", true, true, true, "", "party_founding_day"},
		{"2026-10-10 09:00", true, true, true, "", "national_day"}, // Saturday 调休 inside a key period
		{"2026-12-15 09:00", true, true, true, "", ""},
		{"2027-02-14 09:00", true, true, true, "", "spring_festival"}, // Sunday 调休 (unverified year)
		{"2027-06-09 09:00", false, true, false, "dragon_boat", ""},
		{"2028-01-03 09:00", true, true, true, "", ""}, // no data: Monday to Friday
		{"2028-01-01 09:00", false, true, false, "", ""},
	} {
		w := at(t, c, tc.when)
		var names []string
		for _, k := range c.KeyPeriods(w) {
			names = append(names, k.Name)
		}
		h, _ := c.Holiday(w)
		got := []any{c.WorkingDay(w), c.OfficeHours(w), c.WorkingTime(w), h.Name, strings.Join(names, ",")}
		want := []any{tc.workingDay, tc.office, tc.workingTime, tc.holiday, tc.periods}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: got (day, office, working time, holiday, periods) %v, want %v", tc.when, got, want)
				break
			}
		}
	}
}

// The zone matters: 09:00 in Beijing is 01:00 UTC, and a UTC time must be read in Beijing.
func TestQueriesUseTheCalendarZone(t *testing.T) {
	c := load(t)
	utc := time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC) // Monday 09:00 Beijing
	if !c.WorkingTime(utc) {
		t.Error("Monday 09:00 Beijing given as UTC is not working time")
	}
	sundayUTC := time.Date(2026, 1, 3, 23, 0, 0, 0, time.UTC) // Sunday 2026-01-04 07:00 Beijing (调休)
	if !c.WorkingDay(sundayUTC) || c.WorkingTime(sundayUTC) {
		t.Error("2026-01-04 07:00 Beijing: want a working day outside office hours")
	}
}

func TestWorkingDayCounts(t *testing.T) {
	c := load(t)
	for year, want := range map[int]int{2026: 248, 2027: 248} {
		n := 0
		for d := (Date{year, time.January, 1}); d.Year == year; d = d.AddDays(1) {
			if c.WorkingDay(d.In(c.Loc()).Add(12 * time.Hour)) {
				n++
			}
		}
		if n != want {
			t.Errorf("%d: %d working days, want %d", year, n, want)
		}
	}
}

func TestCovers(t *testing.T) {
	c := load(t)
	if !c.Covers(2026) {
		t.Error("2026 is verified data")
	}
	if c.Covers(2027) || !c.HasYear(2027) {
		t.Error("2027 is present but unverified: Covers must be false until verified")
	}
	if c.Covers(2028) || c.HasYear(2028) {
		t.Error("2028 has no data")
	}
	if got := strings.Join(c.KeyPeriodNames(), ","); got != "city_two_sessions,national_day,party_founding_day,spring_festival,two_sessions" {
		t.Errorf("key period names %s", got)
	}
	if got := len(c.HolidayNames()); got != 7 {
		t.Errorf("%d holiday names, want 7", got)
	}
}

const good = `location: Asia/Shanghai
office_hours: {start: "08:30", end: "17:30"}
years:
  - year: 2026
    verified: true
    source: notice
    holidays:
      - {name: new_years_day, title: 元旦, from: 2026-01-01, to: 2026-01-03}
    workdays:
      - {date: 2026-01-04, for: new_years_day}
key_periods:
  - {name: spring_festival, title: 春节, from: 2026-02-11, to: 2026-02-25}
`

func TestValidationErrorsNameTheLine(t *testing.T) {
	if _, err := Parse("cal.yml", []byte(good)); err != nil {
		t.Fatalf("good file rejected: %v", err)
	}
	for _, tc := range []struct{ old, new, want string }{
		{"location: Asia/Shanghai", "location: Mars/Olympus", "cal.yml:1: location"},
		{`start: "08:30"`, `start: "8:30"`, "cal.yml:2: office_hours.start"},
		{`end: "17:30"`, `end: "08:00"`, "cal.yml:2: office_hours: start 08:30 is not before end 08:00"},
		{"verified: true", "verified: true\n    colour: red", "cal.yml:6: field colour not found"},
		{"source: notice", "source: ''", "cal.yml:6: years[0].source"},
		{"to: 2026-01-03}", "to: 2025-12-31}", "cal.yml:8: years[0].holidays[0].to"},
		{"from: 2026-01-01", "from: 2026-13-01", "not a date"},
		{"name: new_years_day, title", "name: New Year, title", "cal.yml:8: years[0].holidays[0].name"},
		{"{date: 2026-01-04", "{date: 2026-01-05", "cal.yml:10: years[0].workdays[0].date: 2026-01-05 is a Monday"},
		{"for: new_years_day}", "for: labour_day}", "cal.yml:10: years[0].workdays[0].for"},
		{"{date: 2026-01-04", "{date: 2026-01-03", "is already a holiday or working day"},
		{"to: 2026-02-25}", "to: 2026-02-10}", "cal.yml:12: key_periods[0].to"},
		{"title: 春节, ", "", "key_periods[0].title"},
		{"  - year: 2026", "  - year: 1999", "cal.yml:4: years[0].year"},
	} {
		bad := strings.Replace(good, tc.old, tc.new, 1)
		if bad == good {
			t.Fatalf("replacement %q not applied", tc.old)
		}
		_, err := Parse("cal.yml", []byte(bad))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q -> %q: error %v, want it to contain %q", tc.old, tc.new, err, tc.want)
		}
	}
}

func TestYearsMustBeAscendingAndUnique(t *testing.T) {
	two := good + `  - {name: x, title: X, from: 2026-05-01, to: 2026-05-02}
`
	if _, err := Parse("cal.yml", []byte(two)); err != nil {
		t.Fatalf("two key periods rejected: %v", err)
	}
	dup := strings.Replace(good, "key_periods:", `  - year: 2026
    holidays:
      - {name: labour_day, title: 劳动节, from: 2026-05-01, to: 2026-05-05}
key_periods:`, 1)
	if _, err := Parse("cal.yml", []byte(dup)); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("duplicate year: %v", err)
	}
	desc := strings.Replace(good, "key_periods:", `  - year: 2025
    holidays:
      - {name: labour_day, title: 劳动节, from: 2025-05-01, to: 2025-05-05}
key_periods:`, 1)
	if _, err := Parse("cal.yml", []byte(desc)); err == nil || !strings.Contains(err.Error(), "ascending") {
		t.Errorf("descending years: %v", err)
	}
}

func TestLateDecemberHolidayOfNextNotice(t *testing.T) {
	// Notices sometimes start the New Year holiday on 30/31 December of the year before.
	c, err := Parse("cal.yml", []byte(strings.Replace(good, "from: 2026-01-01", "from: 2025-12-31", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if c.WorkingDay(time.Date(2025, 12, 31, 10, 0, 0, 0, c.Loc())) {
		t.Error("2025-12-31 is a holiday of the 2026 notice")
	}
}
