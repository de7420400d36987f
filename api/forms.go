package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// The dossier forms (service/forms.go).

func (s *Server) listForms(c echo.Context) error {
	out := s.svc.Forms()
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// getForm serves the JSON Schema of a kind's dossier: the version in force
// today, or with ?version= an older one, which nominations filed under it
// keep.
func (s *Server) getForm(c echo.Context) error {
	version := 0
	if v := c.QueryParam("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return invalid([]FieldError{{Pointer: "/version", Message: "Phiên bản phải là số nguyên dương.", MessageEN: "version must be a positive integer."}})
		}
		version = n
	}
	schema, err := s.svc.FormSchema(c.Param("kind"), version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, schema)
}

// formExample gives a filled-in dossier of the kind for ?name= and ?award=.
func (s *Server) formExample(c echo.Context) error {
	d, err := s.svc.FormExample(c.Param("kind"), c.QueryParam("name"), c.QueryParam("award"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
