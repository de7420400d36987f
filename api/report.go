package api

import (
	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// reportScope reads a report's ?unit= and ?with_predecessors=.
func reportScope(c echo.Context) (service.ReportScope, error) {
	with, errs := withPredecessors(c)
	if len(errs) > 0 {
		return service.ReportScope{}, invalid(errs)
	}
	return service.ReportScope{UnitID: c.QueryParam("unit"), WithPredecessors: with}, nil
}

// roundReport serves the round's report as a workbook
// (service/reports.go).
func (s *Server) roundReport(c echo.Context) error {
	scope, err := reportScope(c)
	if err != nil {
		return err
	}
	d, err := s.svc.RoundReportXLSX(c.Request().Context(), currentCaller(c), c.Param("id"), scope)
	if err != nil {
		return err
	}
	return document(c, d)
}

// roundReportPDF serves the same report as a PDF.
func (s *Server) roundReportPDF(c echo.Context) error {
	scope, err := reportScope(c)
	if err != nil {
		return err
	}
	d, err := s.svc.RoundReportPDF(c.Request().Context(), currentCaller(c), c.Param("id"), scope)
	if err != nil {
		return err
	}
	return document(c, d)
}
