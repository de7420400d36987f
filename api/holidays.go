package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// The holiday calendar (service/holidays.go): administrators read it,
// the province's administrator changes it.

// listHolidays lists a year's holidays and make-up working days (?year=,
// default this year in Vietnam).
func (s *Server) listHolidays(c echo.Context) error {
	out, err := s.svc.Holidays(c.Request().Context(), currentCaller(c), c.QueryParam("year"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// addHoliday adds a public holiday or a make-up working day.
func (s *Server) addHoliday(c echo.Context) error {
	who := currentCaller(c)
	// Refused before the body is read, as the route's role is.
	if err := service.RequireCalendarEditor(who); err != nil {
		return err
	}
	var req service.HolidayInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.AddHoliday(c.Request().Context(), who, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// deleteHoliday removes a day from the calendar.
func (s *Server) deleteHoliday(c echo.Context) error {
	if err := s.svc.DeleteHoliday(c.Request().Context(), currentCaller(c), c.Param("date")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
