package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// A nomination's lifecycle: submit, withdraw, decide, extend
// (service/lifecycle.go). Each carries the request's Idempotency-Key,
// which becomes the workflow update's ID.

func idempotencyKey(c echo.Context) string { return c.Request().Header.Get("Idempotency-Key") }

// answer sends the nomination an action left, or the action's refusal.
func answer(c echo.Context, v service.NominationView, err error) error {
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// submitNomination sends a draft into review or resubmits a returned one.
func (s *Server) submitNomination(c echo.Context) error {
	if _, err := s.loadVisible(c); err != nil {
		return err // 404 before the body is read: another unit's nomination is not disclosed
	}
	var req service.SubmitInput
	if err := decodeOptional(c, &req); err != nil {
		return err
	}
	v, err := s.svc.Submit(c.Request().Context(), currentCaller(c), c.Param("id"), req, idempotencyKey(c))
	return answer(c, v, err)
}

func (s *Server) withdrawNomination(c echo.Context) error {
	if _, err := s.loadVisible(c); err != nil {
		return err // 404 before the body is read: another unit's nomination is not disclosed
	}
	var req service.WithdrawInput
	if err := decodeOptional(c, &req); err != nil {
		return err
	}
	v, err := s.svc.Withdraw(c.Request().Context(), currentCaller(c), c.Param("id"), req, idempotencyKey(c))
	return answer(c, v, err)
}

// decide records a reviewer's approve, return or reject.
func (s *Server) decide(c echo.Context) error {
	if _, err := s.loadVisible(c); err != nil {
		return err // 404 before the body is read: another unit's nomination is not disclosed
	}
	var req service.DecisionInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.Decide(c.Request().Context(), currentCaller(c), c.Param("id"), req, idempotencyKey(c))
	return answer(c, v, err)
}

// extendDeadline gives the current step more working days.
func (s *Server) extendDeadline(c echo.Context) error {
	if _, err := s.loadVisible(c); err != nil {
		return err // 404 before the body is read: another unit's nomination is not disclosed
	}
	var req service.ExtendInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.Extend(c.Request().Context(), currentCaller(c), c.Param("id"), req, idempotencyKey(c))
	return answer(c, v, err)
}
