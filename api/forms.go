package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// The dossier forms (service/forms.go).

func (s *Server) listForms(c echo.Context) error {
	out := s.svc.Forms()
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// getForm serves the JSON Schema of a kind's dossier.
func (s *Server) getForm(c echo.Context) error {
	schema, err := s.svc.FormSchema(c.Param("kind"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, schema)
}
