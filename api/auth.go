package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// caller is the authenticated user of a request with their unit, re-read
// from the database so that a changed role or unit takes effect at once.
type caller struct {
	User models.User
	Unit models.Unit
}

// Level is the review level the caller acts at, from their unit.
func (c caller) Level() routing.Level { return routing.Level(c.Unit.ReviewLevel) }

func (c caller) actor() workflows.Actor {
	return workflows.Actor{UserID: c.User.ID, Name: c.User.FullName, Role: c.User.Role,
		UnitID: c.User.UnitID, Level: c.Level()}
}

const callerKey = "tdkt.caller"

func currentCaller(c echo.Context) caller { return c.Get(callerKey).(caller) }

func userID(c echo.Context) string {
	if v, ok := c.Get(callerKey).(caller); ok {
		return v.User.ID
	}
	return ""
}

var errUnauthenticated = problem(http.StatusUnauthorized,
	"Phiên đăng nhập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại.",
	"Missing, invalid or expired access token.")

// authenticate requires a valid bearer token naming an existing user.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="tdkt"`)
			return errUnauthenticated
		}
		claims, err := s.Tokens.Parse(token)
		if err != nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="tdkt", error="invalid_token"`)
			return errUnauthenticated
		}
		var who caller
		err = s.DB.WithContext(c.Request().Context()).First(&who.User, "id = ?", claims.Subject).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errUnauthenticated
		}
		if err != nil {
			return err
		}
		if who.Unit, err = s.reference().Unit(c.Request().Context(), who.User.UnitID); err != nil {
			return err
		}
		c.Set(callerKey, who)
		return next(c)
	}
}

// require allows only the listed roles.
func (s *Server) require(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			role := currentCaller(c).User.Role
			for _, r := range roles {
				if r == role {
					return next(c)
				}
			}
			return problem(http.StatusForbidden,
				"Vai trò của bạn không được thực hiện thao tác này.",
				"Your role ("+role+") may not do this; allowed: "+strings.Join(roles, ", ")+".")
		}
	}
}

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

func (s *Server) login(c echo.Context) error {
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	if req.Username == "" {
		errs = append(errs, required("/username"))
	}
	if req.Password == "" {
		errs = append(errs, required("/password"))
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	bad := problem(http.StatusUnauthorized, "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password.")
	var u models.User
	err := s.DB.WithContext(c.Request().Context()).First(&u, "username = ?", req.Username).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Spend the same time as a real check, so usernames cannot be
		// probed by timing.
		_, _ = auth.CheckPassword(dummyHash, req.Password)
		return bad
	}
	if err != nil {
		return err
	}
	ok, err := auth.CheckPassword(u.PasswordHash, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		return bad
	}
	token, exp, err := s.Tokens.Issue(u.ID, u.Role, u.UnitID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: exp.Format("2006-01-02T15:04:05Z07:00")})
}

var dummyHash, _ = auth.HashPassword("tdkt-timing-equaliser")

func required(ptr string) FieldError {
	return FieldError{Pointer: ptr, Message: "Bắt buộc nhập.", MessageEN: "Required."}
}
