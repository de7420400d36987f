package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// Accounts (service/users.go): an administrator manages those of their
// unit and the units under it.

// listUsers lists a page of the accounts the caller manages, by
// username; ?unit=, ?role= and ?q= (username or name, accents ignored)
// filter them, ?page= and ?per_page= page them as the other lists.
func (s *Server) listUsers(c echo.Context) error {
	page, perPage := 1, 100
	if errs := readPage(c, &page, &perPage); len(errs) > 0 {
		return invalid(errs)
	}
	out, err := s.svc.Users(c.Request().Context(), currentCaller(c),
		service.UserFilter{Unit: c.QueryParam("unit"), Role: c.QueryParam("role"), Q: c.QueryParam("q")})
	if err != nil {
		return err
	}
	total := len(out)
	from := min((page-1)*perPage, total)
	return c.JSON(http.StatusOK, map[string]any{"items": out[from:min(from+perPage, total)], "total": total, "page": page, "per_page": perPage})
}

// createUser creates an account with an initial password.
func (s *Server) createUser(c echo.Context) error {
	var req service.UserInput
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.CreateUser(c.Request().Context(), currentCaller(c), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

// patchUser disables or re-enables an account.
func (s *Server) patchUser(c echo.Context) error {
	var req service.UserPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	out, err := s.svc.PatchUser(c.Request().Context(), currentCaller(c), c.Param("id"), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// resetPassword sets a new password chosen by the administrator.
func (s *Server) resetPassword(c echo.Context) error {
	var req service.PasswordInput
	if err := decode(c, &req); err != nil {
		return err
	}
	if err := s.svc.ResetPassword(c.Request().Context(), currentCaller(c), c.Param("id"), req); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
