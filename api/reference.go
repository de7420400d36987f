package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

type unitView struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	ReviewLevel   string  `json:"review_level,omitempty"`
	ParentID      string  `json:"parent_id,omitempty"`
	EffectiveFrom string  `json:"effective_from"`
	EffectiveTo   *string `json:"effective_to,omitempty"`
}

func viewUnit(u models.Unit, parentID string) unitView {
	v := unitView{ID: u.ID, Name: u.Name, Kind: u.Kind, ReviewLevel: u.ReviewLevel, ParentID: parentID,
		EffectiveFrom: u.EffectiveFrom.Format(time.DateOnly)}
	if u.EffectiveTo != nil {
		s := u.EffectiveTo.Format(time.DateOnly)
		v.EffectiveTo = &s
	}
	return v
}

type meView struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	FullName string   `json:"full_name"`
	Role     string   `json:"role"`
	Level    string   `json:"level,omitempty"`
	Unit     unitView `json:"unit"`
}

func (s *Server) me(c echo.Context) error {
	who := currentCaller(c)
	return c.JSON(http.StatusOK, meView{ID: who.User.ID, Username: who.User.Username, FullName: who.User.FullName,
		Role: who.User.Role, Level: string(who.Level()), Unit: viewUnit(who.Unit, "")})
}

// listUnits returns the units in force on ?at= (default today), optionally
// filtered by ?kind= and ?parent=.
func (s *Server) listUnits(c echo.Context) error {
	at := s.today()
	if v := c.QueryParam("at"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return invalid([]FieldError{{Pointer: "/at", Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."}})
		}
		at = t
	}
	q := s.DB.WithContext(c.Request().Context()).Order("kind, name")
	if k := c.QueryParam("kind"); k != "" {
		q = q.Where("kind = ?", k)
	}
	var units []models.Unit
	if err := q.Find(&units).Error; err != nil {
		return err
	}
	parents, err := models.ParentsAt(c.Request().Context(), s.DB, at)
	if err != nil {
		return err
	}
	parent := c.QueryParam("parent")
	out := []unitView{}
	for _, u := range units {
		if u.InForce(at) && (parent == "" || parents[u.ID] == parent) {
			out = append(out, viewUnit(u, parents[u.ID]))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

func (s *Server) listAwards(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"items": routing.Awards, "chains": routing.Chains})
}
