package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/service"
)

// caller is the authenticated user of a request (service.Caller).
type caller = service.Caller

const callerKey = "tdkt.caller"

func currentCaller(c echo.Context) caller { return c.Get(callerKey).(caller) }

func userID(c echo.Context) string {
	if v, ok := c.Get(callerKey).(caller); ok {
		return v.User.ID
	}
	return ""
}

// roleAccountAdmin, in a route's roles, admits an administrator of any
// unit (service.RoleAccountAdmin).
const roleAccountAdmin = service.RoleAccountAdmin

// authenticate requires a valid bearer token naming an existing user.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		if !ok || token == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="tdkt"`)
		}
		who, err := s.svc.Authenticate(c.Request().Context(), token)
		if errors.Is(err, service.ErrMalformedToken) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="tdkt", error="invalid_token"`)
		}
		if err != nil {
			return err
		}
		who.RequestID, who.Address = requestID(c), c.RealIP()
		who.Origin = c.Scheme() + "://" + c.Request().Host
		c.Set(callerKey, who)
		return next(c)
	}
}

// require allows only the listed roles.
func (s *Server) require(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := currentCaller(c).Require(roles...); err != nil {
				return err
			}
			return next(c)
		}
	}
}

func (s *Server) login(c echo.Context) error {
	var req service.LoginInput
	if err := decode(c, &req); err != nil {
		return err
	}
	sess, err := s.svc.Login(c.Request().Context(), c.RealIP(), req)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sess)
}

// logout revokes the caller's token until it would have expired.
func (s *Server) logout(c echo.Context) error {
	if err := s.svc.Logout(c.Request().Context(), currentCaller(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
