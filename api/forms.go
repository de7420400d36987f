package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/forms"
)

func (s *Server) listForms(c echo.Context) error {
	type formInfo struct {
		Kind    string `json:"kind"`
		Title   string `json:"title"`
		TitleEN string `json:"title_en"`
		Schema  string `json:"schema"`
	}
	out := []formInfo{}
	for _, k := range forms.Kinds() {
		f := forms.Dossier(k)
		out = append(out, formInfo{Kind: k, Title: f.Title, TitleEN: f.TitleEN, Schema: "/api/v1/forms/" + k})
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// getForm serves the JSON Schema of a kind's dossier: the same definition
// validates submissions and drives the web form.
func (s *Server) getForm(c echo.Context) error {
	if _, ok := forms.Lookup(c.Param("kind")); !ok {
		return problem(http.StatusNotFound, "Không có mẫu hồ sơ cho loại đối tượng này.", "No form for this nominee kind.")
	}
	return c.JSON(http.StatusOK, forms.Dossier(c.Param("kind")).JSONSchema())
}
