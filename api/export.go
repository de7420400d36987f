package api

import (
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// Exports of the caller's list and inbox as .xlsx or .csv, from the path's
// extension (service/exports.go).

func (s *Server) exportNominations(c echo.Context) error {
	return s.export(c, false, "danh-sach-ho-so")
}

func (s *Server) exportInbox(c echo.Context) error { return s.export(c, true, "ho-so-cho-xu-ly") }

func (s *Server) export(c echo.Context, inbox bool, name string) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	format := service.FormatXLSX
	if strings.HasSuffix(c.Path(), ".csv") {
		format = service.FormatCSV
	}
	d, err := s.svc.Export(c.Request().Context(), currentCaller(c), q, inbox, format, name)
	if err != nil {
		return err
	}
	return document(c, d)
}
