package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// The unit hierarchy (service/units.go): everyone reads it, the
// province's administrator changes it.

// getUnit returns one unit with the history of its parents.
func (s *Server) getUnit(c echo.Context) error {
	v, err := s.svc.Unit(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// createUnit creates a unit in force from a day under a parent in force
// that day.
func (s *Server) createUnit(c echo.Context) error {
	var req service.UnitInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.CreateUnit(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// patchUnit renames a unit, moves it under another parent from a day
// (parent_id with parent_from), or ends it (effective_to).
func (s *Server) patchUnit(c echo.Context) error {
	var req service.UnitPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.PatchUnit(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// setSuccessors records the units an ended unit went into, replacing what
// was recorded.
func (s *Server) setSuccessors(c echo.Context) error {
	var req service.SuccessorsInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.SetSuccessors(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// succeedUnit moves an ended unit's accounts to its successor.
func (s *Server) succeedUnit(c echo.Context) error {
	var req service.SucceedInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.Succeed(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// unitAwards lists what a unit's nominees received
// (?with_predecessors=true: also those of the units it comes from).
func (s *Server) unitAwards(c echo.Context) error {
	with, errs := withPredecessors(c)
	if len(errs) > 0 {
		return invalid(errs)
	}
	out, err := s.svc.UnitAwards(c.Request().Context(), currentCaller(c), c.Param("id"), with)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}
