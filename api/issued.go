package api

import (
	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// issuedView is the certificate issued for a nomination and its decision
// (service/certificates.go).
type issuedView = service.IssuedView

// issuedFor returns the certificate issued for a nomination, nil if none.
func (s *Server) issuedFor(c echo.Context, nominationID string) (*issuedView, error) {
	return s.svc.IssuedFor(c.Request().Context(), currentCaller(c), nominationID)
}
