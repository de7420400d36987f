package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
)

// The holiday calendar counts the working days of every deadline. It is
// province-wide, so administrators read it and only the province's
// administrator changes it. A change applies to deadlines computed after
// it, in every api and worker process at once (the change bumps the
// reference version in its transaction); running terms keep the due date
// they were given.

// HolidayView is a day of the calendar.
type HolidayView struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Workday bool   `json:"workday"`
}

// HolidaysView is a year of the calendar.
type HolidaysView struct {
	Year  int           `json:"year"`
	Items []HolidayView `json:"items"`
	Total int           `json:"total"`
}

func viewHoliday(h models.Holiday) HolidayView {
	return HolidayView{Date: h.Date, Name: h.Name, Workday: h.Workday}
}

// errYear refuses a year outside 2000–2100.
func errYear() error {
	return Invalid(FieldError{Pointer: "/year", Message: "Năm từ 2000 đến 2100.", MessageEN: "A year between 2000 and 2100."})
}

// Holidays lists the holidays and make-up working days of year, as typed
// (empty: this year in Vietnam).
func (s *Service) Holidays(ctx context.Context, who Caller, year string) (HolidaysView, error) {
	if err := who.Require(RoleAccountAdmin); err != nil {
		return HolidaysView{}, err
	}
	y := s.now().In(calendar.Zone).Year()
	if year != "" {
		var err error
		if y, err = strconv.Atoi(year); err != nil || y < 2000 || y > 2100 {
			return HolidaysView{}, errYear()
		}
	}
	var days []models.Holiday
	if err := s.db.WithContext(ctx).Where("date >= ? AND date <= ?",
		fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y)).Order("date").Find(&days).Error; err != nil {
		return HolidaysView{}, fmt.Errorf("list holidays: %w", err)
	}
	out := HolidaysView{Year: y, Items: make([]HolidayView, 0, len(days)), Total: len(days)}
	for _, d := range days {
		out.Items = append(out.Items, viewHoliday(d))
	}
	return out, nil
}

// RequireCalendarEditor refuses calendar changes to anyone but the
// province's administrator; the API asks it before reading a body, as it
// checks a route's role.
func RequireCalendarEditor(who Caller) error {
	if err := who.Require(RoleAccountAdmin); err != nil {
		return err
	}
	if who.Unit.Kind != models.KindProvince {
		return Forbidden("Chỉ quản trị cấp tỉnh được sửa lịch ngày nghỉ.",
			"Only the province's administrator changes the holiday calendar.")
	}
	return nil
}

// HolidayInput is a day to add to the calendar.
type HolidayInput struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Workday bool   `json:"workday"`
}

// AddHoliday adds a public holiday, or (Workday) a weekend day worked in
// exchange for a bridge day off.
func (s *Service) AddHoliday(ctx context.Context, who Caller, in HolidayInput) (HolidayView, error) {
	if err := RequireCalendarEditor(who); err != nil {
		return HolidayView{}, err
	}
	errs := cleanText(map[string]*string{"/date": &in.Date, "/name": &in.Name})
	day, err := time.Parse(time.DateOnly, in.Date)
	switch {
	case err != nil:
		errs = append(errs, FieldError{Pointer: "/date", Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	case day.Year() < 2000 || day.Year() > 2100:
		errs = append(errs, FieldError{Pointer: "/date", Message: "Năm từ 2000 đến 2100.", MessageEN: "A year between 2000 and 2100."})
	case in.Workday && day.Weekday() != time.Saturday && day.Weekday() != time.Sunday:
		errs = append(errs, FieldError{Pointer: "/workday", Message: "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", MessageEN: "A make-up working day is a Saturday or a Sunday."})
	}
	if in.Name == "" || len([]rune(in.Name)) > 255 {
		errs = append(errs, FieldError{Pointer: "/name", Message: "Tên ngày nghỉ bắt buộc, tối đa 255 ký tự.", MessageEN: "The name is required, at most 255 characters."})
	}
	if err := InvalidIf(errs); err != nil {
		return HolidayView{}, err
	}
	h := models.Holiday{Date: in.Date, Name: in.Name, Workday: in.Workday}
	ev := s.auditEvent(who, "holiday.add", h.Date, map[string]any{"name": h.Name, "workday": h.Workday})
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&h).Error; err != nil {
			return err
		}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		e := Conflict("Ngày "+h.Date+" đã có trong lịch.", "The calendar already has "+h.Date+".")
		e.Fields = []FieldError{{Pointer: "/date", Message: "Ngày này đã có trong lịch.", MessageEN: "This day is already in the calendar."}}
		return HolidayView{}, e
	}
	if err != nil {
		return HolidayView{}, fmt.Errorf("add holiday %s: %w", h.Date, err)
	}
	s.logAudit(ev)
	return viewHoliday(h), nil
}

// DeleteHoliday removes a day (YYYY-MM-DD) from the calendar.
func (s *Service) DeleteHoliday(ctx context.Context, who Caller, date string) error {
	if err := RequireCalendarEditor(who); err != nil {
		return err
	}
	notFound := NotFound("Không có ngày này trong lịch.", "No such day in the calendar.")
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return notFound
	}
	var ev models.AuditEvent
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var h models.Holiday
		if err := tx.First(&h, "date = ?", date).Error; err != nil {
			return err
		}
		if err := tx.Delete(&h).Error; err != nil {
			return err
		}
		ev = s.auditEvent(who, "holiday.delete", h.Date, map[string]any{"name": h.Name, "workday": h.Workday})
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return notFound
	}
	if err != nil {
		return fmt.Errorf("delete holiday %s: %w", date, err)
	}
	s.logAudit(ev)
	return nil
}
