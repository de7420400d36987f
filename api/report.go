package api

import (
	"github.com/labstack/echo/v4"
)

// roundReport serves the round's report as a workbook
// (service/reports.go).
func (s *Server) roundReport(c echo.Context) error {
	d, err := s.svc.RoundReportXLSX(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return document(c, d)
}

// roundReportPDF serves the same report as a PDF.
func (s *Server) roundReportPDF(c echo.Context) error {
	d, err := s.svc.RoundReportPDF(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return document(c, d)
}
