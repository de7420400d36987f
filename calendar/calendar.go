// Package calendar counts working days (ngày làm việc): legal deadlines in
// Vietnam skip Saturdays, Sundays and public holidays (Tết included), and
// count the Saturdays worked in exchange for a bridge day off. Vietnam
// keeps one time zone without daylight saving, so days are counted in
// UTC+7.
package calendar

import (
	"fmt"
	"time"
)

// Zone is Vietnam's time zone (Asia/Ho_Chi_Minh, UTC+7, no DST), fixed so
// that no tz database is needed.
var Zone = time.FixedZone("ICT", 7*60*60)

// Calendar knows the days off and the make-up working days.
type Calendar struct {
	off     map[string]bool
	workday map[string]bool
}

// New builds a calendar from holiday dates and make-up Saturdays
// (YYYY-MM-DD).
func New(holidays, makeUpWorkdays []string) (Calendar, error) {
	c := Calendar{off: map[string]bool{}, workday: map[string]bool{}}
	for _, d := range holidays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return c, fmt.Errorf("holiday %q: %w", d, err)
		}
		c.off[d] = true
	}
	for _, d := range makeUpWorkdays {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return c, fmt.Errorf("make-up workday %q: %w", d, err)
		}
		c.workday[d] = true
	}
	return c, nil
}

// IsWorkingDay reports whether offices work on the day of t (in Vietnam).
func (c Calendar) IsWorkingDay(t time.Time) bool {
	day := t.In(Zone)
	key := day.Format(time.DateOnly)
	if c.workday[key] {
		return true
	}
	if c.off[key] {
		return false
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// startOfDay is midnight in Vietnam of the day of t.
func startOfDay(t time.Time) time.Time {
	y, m, d := t.In(Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Zone)
}

// Due returns the deadline of a task received at t with n working days to
// act: the end of the n-th working day after the day it was received (the
// day of receipt does not count, as in administrative procedure). The
// result is the midnight that ends that day.
func (c Calendar) Due(t time.Time, n int) time.Time {
	day := startOfDay(t)
	for counted := 0; counted < n; {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkingDay(day) {
			counted++
		}
	}
	return day.AddDate(0, 0, 1)
}

// Before returns the start of the working day that lies k working days
// before the working day that ends at due: with k = 2 and a deadline at
// the end of Friday, the start of Wednesday — when a reminder goes out.
func (c Calendar) Before(due time.Time, k int) time.Time {
	day := startOfDay(due.Add(-time.Nanosecond)) // the last day of the term
	for counted := 0; counted < k; {
		day = day.AddDate(0, 0, -1)
		if c.IsWorkingDay(day) {
			counted++
		}
	}
	return day
}

// WorkingDaysBetween counts the working days in [from, to) by calendar day.
func (c Calendar) WorkingDaysBetween(from, to time.Time) int {
	n := 0
	for day := startOfDay(from); day.Before(to); day = day.AddDate(0, 0, 1) {
		if c.IsWorkingDay(day) {
			n++
		}
	}
	return n
}
