package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// The legal bases decisions cite (service/legalbases.go): every user
// reads them, the province's administrator adds and corrects them.

// listLegalBases lists every legal basis, or (?date=) those in force on a
// day.
func (s *Server) listLegalBases(c echo.Context) error {
	out, err := s.svc.LegalBases(c.Request().Context(), currentCaller(c), c.QueryParam("date"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// createLegalBasis adds a legal basis.
func (s *Server) createLegalBasis(c echo.Context) error {
	var req service.LegalBasisInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.CreateLegalBasis(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// patchLegalBasis corrects a legal basis.
func (s *Server) patchLegalBasis(c echo.Context) error {
	var req service.LegalBasisPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.PatchLegalBasis(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
