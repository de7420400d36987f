package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// listVersions returns every submitted version of a dossier with what
// changed since the version before (service/versions.go).
func (s *Server) listVersions(c echo.Context) error {
	out, err := s.svc.Versions(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}
