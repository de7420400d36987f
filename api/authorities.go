package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// The award authorities, who may award what on a day
// (service/authorities.go): every user reads them, the province's
// administrator adds and corrects them.

// listAuthorities lists every authority, or (?date=) those held on a day,
// or (?award=) one award's.
func (s *Server) listAuthorities(c echo.Context) error {
	out, err := s.svc.Authorities(c.Request().Context(), currentCaller(c), c.QueryParam("date"), c.QueryParam("award"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// createAuthority adds an authority.
func (s *Server) createAuthority(c echo.Context) error {
	var req service.AuthorityInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.CreateAuthority(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// patchAuthority corrects an authority.
func (s *Server) patchAuthority(c echo.Context) error {
	var req service.AuthorityPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.PatchAuthority(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
