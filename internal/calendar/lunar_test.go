package calendar

import (
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
	lunar "github.com/6tail/lunar-go/calendar"
)

// lunar-go names its holidays in Chinese; our keys are English.
var lunarNames = map[string]string{
	"元旦节": "new_years_day", "春节": "spring_festival", "清明节": "qingming", "劳动节": "labour_day",
	"端午节": "dragon_boat", "中秋节": "mid_autumn", "国庆节": "national_day",
}

// TestAgreesWithLunarGo compares every day of every year in the data file with
// 6tail/lunar-go v1.4.7's table of statutory holidays and adjusted working days
// (a second, independent transcription of the State Council notices).
func TestAgreesWithLunarGo(t *testing.T) {
	c := load(t)
	for _, y := range c.Years {
		if HolidayUtil.GetHolidaysByYear(y.Year).Len() == 0 {
			// A year published after this lunar-go release: the festival-date check below still
			// covers it; raise lunar-go in go.mod once a release has the year.
			t.Logf("lunar-go v1.4.7 has no data for %d: not cross-checked", y.Year)
			continue
		}
		for d := (Date{y.Year, time.January, 1}); d.Year == y.Year; d = d.AddDays(1) {
			noon := d.In(c.Loc()).Add(12 * time.Hour)
			ours, isHoliday := c.Holiday(noon)
			adjusted := c.WorkingDay(noon) && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday)
			theirs := HolidayUtil.GetHolidayByYmd(d.Year, int(d.Month), d.Day)
			switch {
			case theirs == nil:
				if isHoliday || adjusted {
					t.Errorf("%s: ours is holiday=%v adjusted workday=%v, lunar-go has nothing", d, isHoliday, adjusted)
				}
			case theirs.IsWork():
				if !adjusted {
					t.Errorf("%s: lunar-go has an adjusted working day (for %s), ours does not", d, theirs.GetName())
				}
			default:
				if want := lunarNames[theirs.GetName()]; !isHoliday || ours.Name != want {
					t.Errorf("%s: lunar-go has holiday %s (%s), ours has %q", d, theirs.GetName(), want, ours.Name)
				}
			}
		}
	}
}

// TestFestivalDaysInsideTheirHolidays checks each traditional festival's own date, computed from
// the lunar calendar (and the Qingming solar term), against the holiday run that should hold it.
func TestFestivalDaysInsideTheirHolidays(t *testing.T) {
	c := load(t)
	for _, y := range c.Years {
		festivals := map[string]*lunar.Solar{
			"spring_festival": lunar.NewLunarFromYmd(y.Year, 1, 1).GetSolar(),
			"dragon_boat":     lunar.NewLunarFromYmd(y.Year, 5, 5).GetSolar(),
			"mid_autumn":      lunar.NewLunarFromYmd(y.Year, 8, 15).GetSolar(),
			"qingming":        lunar.NewLunarFromYmd(y.Year, 3, 1).GetJieQiTable()["清明"],
		}
		for name, s := range festivals {
			day := time.Date(s.GetYear(), time.Month(s.GetMonth()), s.GetDay(), 12, 0, 0, 0, c.Loc())
			if h, ok := c.Holiday(day); !ok || h.Name != name {
				t.Errorf("%d: %s falls on %s, which is not inside the %s holiday (got %q)", y.Year, name, s.ToYmd(), name, h.Name)
			}
		}
	}
}
