package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// After review: Interior's consolidated list, the council, the public
// postings and their objections (service/council.go, service/postings.go).

func (s *Server) getConsolidated(c echo.Context) error {
	items, err := s.svc.Consolidated(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": len(items)})
}

// consolidatedXLSX is the consolidated list as a workbook, for the
// council's papers.
func (s *Server) consolidatedXLSX(c echo.Context) error {
	d, err := s.svc.ConsolidatedXLSX(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return document(c, d)
}

// recordCouncil records a council session and its votes.
func (s *Server) recordCouncil(c echo.Context) error {
	v, err := s.svc.RecordCouncil(c.Request().Context(), currentCaller(c), c.Param("id"),
		func(in *service.CouncilInput) error { return decode(c, in) })
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, v)
}

// startPosting publishes a Prime Minister's Bằng khen nominee for 10
// working days.
func (s *Server) startPosting(c echo.Context) error {
	p, err := s.svc.StartPosting(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, p)
}

// listPostings is public: the names under posting, so that anyone can
// object.
func (s *Server) listPostings(c echo.Context) error {
	out, err := s.svc.Postings(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

// object records a citizen's objection to a posted nominee, at most a few
// a minute from one address.
func (s *Server) object(c echo.Context) error {
	r, err := s.svc.Object(c.Request().Context(), service.Caller{Address: c.RealIP(), RequestID: requestID(c)}, c.Param("id"),
		func(in *service.ObjectionInput) error { return decode(c, in) })
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// resolveObjection records how Interior resolved an objection.
func (s *Server) resolveObjection(c echo.Context) error {
	var in service.ResolveInput
	if err := decode(c, &in); err != nil {
		return err
	}
	if err := s.svc.ResolveObjection(c.Request().Context(), currentCaller(c), c.Param("id"), in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// listObjections shows Interior a nomination's posting and its objections.
func (s *Server) listObjections(c echo.Context) error {
	v, err := s.svc.Objections(c.Request().Context(), currentCaller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}
