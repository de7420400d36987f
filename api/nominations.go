package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// Nominations: create, edit, read, list and inbox (service/nominations.go).

type nominationView = service.NominationView

func (s *Server) createNomination(c echo.Context) error {
	var req service.NominationInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.CreateNomination(c.Request().Context(), currentCaller(c), req, c.Request().Header.Get("Idempotency-Key"))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/nominations/"+v.ID)
	return c.JSON(http.StatusCreated, v)
}

// loadVisible loads the nomination of the path that the caller may see,
// or answers 404 (not 403: another unit's nominations are not disclosed).
func (s *Server) loadVisible(c echo.Context) (service.Nomination, error) {
	return s.svc.VisibleNomination(c.Request().Context(), currentCaller(c), c.Param("id"))
}

func (s *Server) getNomination(c echo.Context) error {
	v, err := s.svc.Nomination(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) patchNomination(c echo.Context) error {
	if _, err := s.loadVisible(c); err != nil {
		return err // 404 before the body is read: another unit's nomination is not disclosed
	}
	var req service.NominationInput
	if err := decode(c, &req); err != nil {
		return err
	}
	v, err := s.svc.PatchNomination(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

func (s *Server) listNominations(c echo.Context) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	p, err := s.svc.Nominations(c.Request().Context(), currentCaller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

func (s *Server) inbox(c echo.Context) error {
	q, err := listQuery(c)
	if err != nil {
		return err
	}
	p, err := s.svc.Inbox(c.Request().Context(), currentCaller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// listQuery reads a list's filters (round, status, level, unit and
// with_predecessors, award, overdue, q), ?sort= and the page (?page=, ?per_page=: 1-based, 20 per
// page, at most 100).
func listQuery(c echo.Context) (service.ListQuery, error) {
	q := service.ListQuery{RoundID: c.QueryParam("round"), Status: c.QueryParam("status"), Level: c.QueryParam("level"),
		BodyUnitID: c.QueryParam("unit"), Award: c.QueryParam("award"), Sort: c.QueryParam("sort"), Page: 1, PerPage: 20}
	if v := c.QueryParam("q"); v != "" {
		q.Search = textnorm.Fold(v)
	}
	var errs []FieldError
	switch c.QueryParam("overdue") {
	case "":
	case "true", "false":
		b := c.QueryParam("overdue") == "true"
		q.Overdue = &b
	default:
		errs = append(errs, FieldError{Pointer: "/overdue", Message: "overdue phải là true hoặc false.", MessageEN: "overdue must be true or false."})
	}
	var perr []FieldError
	q.WithPredecessors, perr = withPredecessors(c)
	errs = append(errs, perr...)
	errs = append(errs, readPage(c, &q.Page, &q.PerPage)...)
	if len(errs) > 0 {
		return q, invalid(errs)
	}
	return q, nil
}

// readPage reads ?page= (1-based) and ?per_page= (1 to 100) into page and
// perPage, leaving each as it is when absent: every list pages so.
func readPage(c echo.Context, page, perPage *int) []FieldError {
	var errs []FieldError
	if v := c.QueryParam("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			errs = append(errs, FieldError{Pointer: "/page", Message: "Số trang phải là số nguyên dương.", MessageEN: "page must be a positive integer."})
		}
		*page = n
	}
	if v := c.QueryParam("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			errs = append(errs, FieldError{Pointer: "/per_page", Message: "Số dòng mỗi trang từ 1 đến 100.", MessageEN: "per_page must be between 1 and 100."})
		}
		*perPage = n
	}
	return errs
}

// withPredecessors reads ?with_predecessors= (true or false, default
// false): a unit's list with the units it comes from.
func withPredecessors(c echo.Context) (bool, []FieldError) {
	switch c.QueryParam("with_predecessors") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, []FieldError{{Pointer: "/with_predecessors", Message: "with_predecessors phải là true hoặc false.", MessageEN: "with_predecessors must be true or false."}}
}
