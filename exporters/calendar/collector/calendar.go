// Package collector turns the working calendar into series at scrape time.
package collector

import (
	"context"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/ggzy/ggzy-exporters/internal/calendar"
)

// Namespace of every metric of this exporter.
const Namespace = "calendar"

var (
	workingTimeDesc = prometheus.NewDesc(Namespace+"_working_time",
		"1 in office hours of a working day or during a key duty period (response deadlines of working time apply), else 0.", nil, nil)
	workingDayDesc = prometheus.NewDesc(Namespace+"_working_day",
		"1 on a working day (Monday to Friday except statutory holidays, plus adjusted working weekends), else 0.", nil, nil)
	officeHoursDesc = prometheus.NewDesc(Namespace+"_office_open",
		"1 while the local clock is within office hours, whatever the day, else 0.", nil, nil)
	holidayDesc = prometheus.NewDesc(Namespace+"_holiday",
		"1 on a day of the named statutory holiday, else 0; one series per holiday of the data file.", []string{"name"}, nil)
	keyPeriodDesc = prometheus.NewDesc(Namespace+"_key_period",
		"1 while in the named key duty period (24 h duty), else 0; one series per configured period name.", []string{"name"}, nil)
	coversYearDesc = prometheus.NewDesc(Namespace+"_data_covers_year",
		"1 if the data file holds verified holiday data for the year (current and next year), else 0.", []string{"year"}, nil)
	coversCurrentDesc = prometheus.NewDesc(Namespace+"_data_covers_current_year",
		"1 if the data file holds verified holiday data for the current year, else 0.", nil, nil)
	coversNextDesc = prometheus.NewDesc(Namespace+"_data_covers_next_year",
		"1 if the data file holds verified holiday data for next year, else 0.", nil, nil)
)

// Calendar reads the calendar file at every scrape, so an edited file counts at the next scrape.
type Calendar struct {
	File string
	// Now is the clock (tests pin it).
	Now func() time.Time
}

// Update implements collector.Collector.
func (c Calendar) Update(_ context.Context, ch chan<- prometheus.Metric) error {
	cal, err := calendar.Load(c.File)
	if err != nil {
		return err
	}
	now := c.Now()
	gauge := func(d *prometheus.Desc, on bool, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, b2f(on), labels...)
	}
	gauge(workingTimeDesc, cal.WorkingTime(now))
	gauge(workingDayDesc, cal.WorkingDay(now))
	gauge(officeHoursDesc, cal.OfficeHours(now))
	holiday, _ := cal.Holiday(now)
	for _, name := range cal.HolidayNames() {
		gauge(holidayDesc, holiday.Name == name, name)
	}
	active := map[string]bool{}
	for _, k := range cal.KeyPeriods(now) {
		active[k.Name] = true
	}
	for _, name := range cal.KeyPeriodNames() {
		gauge(keyPeriodDesc, active[name], name)
	}
	year := cal.Local(now).Year()
	for _, y := range []int{year, year + 1} {
		gauge(coversYearDesc, cal.Covers(y), strconv.Itoa(y))
	}
	gauge(coversCurrentDesc, cal.Covers(year))
	gauge(coversNextDesc, cal.Covers(year+1))
	return nil
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
