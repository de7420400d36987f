package models

import (
	"context"
	"encoding/json"
	"fmt"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
)

// LoadCalendar builds the working-day calendar from the holidays table.
func LoadCalendar(ctx context.Context, db *gorm.DB) (calendar.Calendar, error) {
	var days []Holiday
	if err := db.WithContext(ctx).Find(&days).Error; err != nil {
		return calendar.Calendar{}, fmt.Errorf("load holidays: %w", err)
	}
	var off, work []string
	for _, d := range days {
		if d.Workday {
			work = append(work, d.Date)
		} else {
			off = append(off, d.Date)
		}
	}
	return calendar.New(off, work)
}

// DueDays is the number of working days a level has to decide in this
// round: the level's override, else the round's default.
func (r Round) DueDays(level string) int {
	if r.LevelDueDays != "" {
		var per map[string]int
		if json.Unmarshal([]byte(r.LevelDueDays), &per) == nil && per[level] > 0 {
			return per[level]
		}
	}
	if r.DueWorkingDays > 0 {
		return r.DueWorkingDays
	}
	return 10
}
