package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// Interior's decisions (service/decisions.go).

// issueDecision issues a decision over accepted nominations; its
// certificates' PDFs are rendered by the decision's workflow.
func (s *Server) issueDecision(c echo.Context) error {
	var in service.IssueInput
	if err := decode(c, &in); err != nil {
		return err
	}
	d, err := s.svc.IssueDecision(c.Request().Context(), currentCaller(c), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, d)
}

func (s *Server) getDecision(c echo.Context) error {
	d, err := s.svc.Decision(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// revokeCertificate marks an issued certificate revoked, with the reason
// the verification page shows.
func (s *Server) revokeCertificate(c echo.Context) error {
	var in service.RevokeInput
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.svc.RevokeCertificate(c.Request().Context(), currentCaller(c), c.Param("id"), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
