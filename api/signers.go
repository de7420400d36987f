package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// The roster of signers (service/signers.go): who signs for each body in
// each term.

// listSigners lists a unit's signers (?date=: those serving that day).
func (s *Server) listSigners(c echo.Context) error {
	out, err := s.svc.Signers(c.Request().Context(), currentCaller(c), c.Param("id"), c.QueryParam("date"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// addSigner records a signer's term.
func (s *Server) addSigner(c echo.Context) error {
	who := currentCaller(c)
	if err := service.RequireCalendarEditor(who); err != nil {
		return err
	}
	var req service.SignerInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.AddSigner(c.Request().Context(), who, req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}
