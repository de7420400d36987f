package api

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
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

// document sends a document the service rendered, as a file to save.
func document(c echo.Context, d service.Document) error {
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"`, d.Name))
	return c.Blob(http.StatusOK, d.ContentType, d.Body)
}
