package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/service"
)

// Rounds (service/rounds.go): everyone lists them, the province's
// administrator creates and reschedules them.

func (s *Server) listRounds(c echo.Context) error {
	out, err := s.svc.Rounds(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// createRound stores a round with its quotas and starts its workflow.
func (s *Server) createRound(c echo.Context) error {
	var req service.RoundInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.CreateRound(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// rescheduleRound changes a round's window.
func (s *Server) rescheduleRound(c echo.Context) error {
	var req service.RescheduleInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.RescheduleRound(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// pathRound is the round named by the path's :id, or a 404 problem.
func (s *Server) pathRound(c echo.Context) (models.Round, error) {
	round, err := s.reference().Round(c.Request().Context(), c.Param("id"))
	if errors.Is(err, models.ErrNotFound) {
		return round, problem(http.StatusNotFound, "Không có đợt xét này.", "No such round.")
	}
	return round, err
}

// roundDashboard summarises a round for Interior and administrators.
func (s *Server) roundDashboard(c echo.Context) error {
	d, err := s.svc.RoundDashboard(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}
