package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

func (s *Server) me(c echo.Context) error { return c.JSON(http.StatusOK, service.Me(currentCaller(c))) }

// listUnits returns the tree in force on ?date= (or ?at=; default today),
// optionally filtered by ?kind= (kind or legal kind), ?code= and ?parent=.
func (s *Server) listUnits(c echo.Context) error {
	f := service.UnitFilter{Kind: c.QueryParam("kind"), Code: c.QueryParam("code"), Parent: c.QueryParam("parent")}
	for _, name := range []string{"date", "at"} {
		v := c.QueryParam(name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return invalid([]FieldError{{Pointer: "/" + name, Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."}})
		}
		f.At = t
		break
	}
	out, err := s.svc.Units(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// listAwards lists the awards and chains, each award's valid_to as its
// authorities have it.
func (s *Server) listAwards(c echo.Context) error {
	out, err := s.svc.AwardCatalogue(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}
