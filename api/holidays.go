package api

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
)

// The holiday calendar counts the working days of every deadline. It is
// province-wide, so administrators read it and only the province's
// administrator changes it. A change applies to deadlines computed after
// it (this process at once, the worker within the reference cache's TTL);
// running terms keep the due date they were given.

type holidayView struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Workday bool   `json:"workday"`
}

// listHolidays lists a year's holidays and make-up working days (?year=,
// default this year in Vietnam).
func (s *Server) listHolidays(c echo.Context) error {
	year := s.now().In(calendar.Zone).Year()
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 2100 {
			return invalid([]FieldError{{Pointer: "/year", Message: "Năm từ 2000 đến 2100.", MessageEN: "A year between 2000 and 2100."}})
		}
		year = y
	}
	var days []models.Holiday
	if err := s.DB.WithContext(c.Request().Context()).Where("date >= ? AND date <= ?",
		fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)).Order("date").Find(&days).Error; err != nil {
		return fmt.Errorf("list holidays: %w", err)
	}
	out := make([]holidayView, 0, len(days))
	for _, d := range days {
		out = append(out, holidayView{Date: d.Date, Name: d.Name, Workday: d.Workday})
	}
	return c.JSON(http.StatusOK, map[string]any{"year": year, "items": out, "total": len(out)})
}

// requireProvinceAdmin refuses calendar changes to an administrator below
// the province.
func requireProvinceAdmin(c echo.Context) error {
	if currentCaller(c).Unit.Kind != models.KindProvince {
		return problem(http.StatusForbidden, "Chỉ quản trị cấp tỉnh được sửa lịch ngày nghỉ.",
			"Only the province's administrator changes the holiday calendar.")
	}
	return nil
}

type holidayRequest struct {
	Date    string `json:"date"`
	Name    string `json:"name"`
	Workday bool   `json:"workday"`
}

// addHoliday adds a public holiday, or (workday) a weekend day worked in
// exchange for a bridge day off.
func (s *Server) addHoliday(c echo.Context) error {
	if err := requireProvinceAdmin(c); err != nil {
		return err
	}
	var req holidayRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	day, err := time.Parse(time.DateOnly, req.Date)
	switch {
	case err != nil:
		errs = append(errs, FieldError{Pointer: "/date", Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	case day.Year() < 2000 || day.Year() > 2100:
		errs = append(errs, FieldError{Pointer: "/date", Message: "Năm từ 2000 đến 2100.", MessageEN: "A year between 2000 and 2100."})
	case req.Workday && day.Weekday() != time.Saturday && day.Weekday() != time.Sunday:
		errs = append(errs, FieldError{Pointer: "/workday", Message: "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", MessageEN: "A make-up working day is a Saturday or a Sunday."})
	}
	if req.Name == "" || len([]rune(req.Name)) > 255 {
		errs = append(errs, FieldError{Pointer: "/name", Message: "Tên ngày nghỉ bắt buộc, tối đa 255 ký tự.", MessageEN: "The name is required, at most 255 characters."})
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	h := models.Holiday{Date: req.Date, Name: req.Name, Workday: req.Workday}
	ev := s.auditEvent(c, "holiday.add", h.Date, map[string]any{"name": h.Name, "workday": h.Workday})
	err = s.DB.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&h).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		p := problem(http.StatusConflict, "Ngày "+h.Date+" đã có trong lịch.", "The calendar already has "+h.Date+".")
		p.Errors = []FieldError{{Pointer: "/date", Message: "Ngày này đã có trong lịch.", MessageEN: "This day is already in the calendar."}}
		return p
	}
	if err != nil {
		return fmt.Errorf("add holiday %s: %w", h.Date, err)
	}
	s.reference().Invalidate()
	s.logAudit(ev)
	return c.JSON(http.StatusCreated, holidayView{Date: h.Date, Name: h.Name, Workday: h.Workday})
}

// deleteHoliday removes a day from the calendar.
func (s *Server) deleteHoliday(c echo.Context) error {
	if err := requireProvinceAdmin(c); err != nil {
		return err
	}
	date := c.Param("date")
	notFound := problem(http.StatusNotFound, "Không có ngày này trong lịch.", "No such day in the calendar.")
	if _, err := time.Parse(time.DateOnly, date); err != nil {
		return notFound
	}
	var ev models.AuditEvent
	err := s.DB.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		var h models.Holiday
		if err := tx.First(&h, "date = ?", date).Error; err != nil {
			return err
		}
		if err := tx.Delete(&h).Error; err != nil {
			return err
		}
		ev = s.auditEvent(c, "holiday.delete", h.Date, map[string]any{"name": h.Name, "workday": h.Workday})
		return tx.Create(&ev).Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return notFound
	}
	if err != nil {
		return fmt.Errorf("delete holiday %s: %w", date, err)
	}
	s.logAudit(ev)
	s.reference().Invalidate()
	return c.NoContent(http.StatusNoContent)
}
