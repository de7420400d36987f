package api

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// caller is the authenticated user of a request with their unit: the user
// is re-read from the database on every request (a changed role or unit
// takes effect at once); the unit comes from the reference cache (30 s).
type caller struct {
	User models.User
	Unit models.Unit
	// TokenID and TokenExpires identify the access token, for logout.
	TokenID      string
	TokenExpires time.Time
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

// errDisabledToken refuses the tokens of a disabled account at once: the
// user is re-read on every request, so disabling ends every session.
var errDisabledToken = problem(http.StatusUnauthorized,
	"Tài khoản đã bị vô hiệu hóa; liên hệ quản trị hệ thống.",
	"The account is disabled.")

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
		var revoked int64
		if err := s.DB.WithContext(c.Request().Context()).Model(&models.RevokedToken{}).
			Where("jti = ?", claims.ID).Count(&revoked).Error; err != nil {
			return err
		}
		if revoked > 0 {
			return errUnauthenticated
		}
		who := caller{TokenID: claims.ID, TokenExpires: claims.ExpiresAt.Time}
		err = s.DB.WithContext(c.Request().Context()).First(&who.User, "id = ?", claims.Subject).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return errUnauthenticated
		}
		if err != nil {
			return err
		}
		if who.User.DisabledAt != nil {
			return errDisabledToken
		}
		if claims.Generation != who.User.Generation {
			return errUnauthenticated // opened before the password was reset
		}
		if who.Unit, err = s.reference().Unit(c.Request().Context(), who.User.UnitID); err != nil {
			return err
		}
		c.Set(callerKey, who)
		return next(c)
	}
}

// roleAccountAdmin, in a route's roles, admits an administrator of any
// unit. models.RoleAdmin admits only the province's: an administrator
// below it (a department's) manages its units' accounts, and nothing
// that reaches across the province — rounds, deadlines, decisions, every
// dossier.
const roleAccountAdmin = "account-admin"

// provinceWide reports whether the caller acts for the whole province:
// an administrator of the province itself.
func provinceWide(who caller) bool {
	return who.User.Role == models.RoleAdmin && who.Unit.Kind == models.KindProvince
}

// require allows only the listed roles.
func (s *Server) require(roles ...string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			who := currentCaller(c)
			role := who.User.Role
			for _, r := range roles {
				if r == role && (role != models.RoleAdmin || provinceWide(who)) ||
					r == roleAccountAdmin && role == models.RoleAdmin {
					return next(c)
				}
			}
			if role == models.RoleAdmin && !provinceWide(who) && slices.Contains(roles, models.RoleAdmin) {
				return problem(http.StatusForbidden,
					"Chỉ quản trị cấp tỉnh được thực hiện thao tác này; quản trị của đơn vị quản lý tài khoản của đơn vị mình.",
					"Only the province's administrator may do this; a unit's administrator manages its units' accounts.")
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
		// Spend the same time as a real check, and lock out as a real
		// account does, so usernames cannot be probed by timing or by
		// the lock-out.
		now := s.now()
		if until, ok := s.unknown.lockedUntil(req.Username, now); ok {
			return locked(until, now, c)
		}
		_, _ = checkPassword(c, dummyHash, req.Password)
		if until, ok := s.unknown.fail(req.Username, now); ok {
			return locked(until, now, c)
		}
		return bad
	}
	if err != nil {
		return err
	}
	now := s.now()
	if u.LockedUntil != nil && now.Before(*u.LockedUntil) {
		return locked(*u.LockedUntil, now, c)
	}
	ok, err := checkPassword(c, u.PasswordHash, req.Password)
	if err != nil {
		return err
	}
	if !ok {
		set := map[string]any{"failed_logins": gorm.Expr("failed_logins + 1")}
		if u.FailedLogins+1 >= maxFailedLogins {
			until := now.Add(lockout).UTC()
			set["locked_until"], set["failed_logins"] = until, 0
			if err := s.DB.WithContext(c.Request().Context()).Model(&u).Updates(set).Error; err != nil {
				return err
			}
			s.Log.Warn("account locked after repeated failed logins", "user", u.Username, "until", until)
			return locked(until, now, c)
		}
		if err := s.DB.WithContext(c.Request().Context()).Model(&u).Updates(set).Error; err != nil {
			return err
		}
		return bad
	}
	// Only the right password learns that the account is disabled.
	if u.DisabledAt != nil {
		return problem(http.StatusForbidden, "Tài khoản đã bị vô hiệu hóa; liên hệ quản trị hệ thống.", "The account is disabled.")
	}
	if u.FailedLogins > 0 || u.LockedUntil != nil {
		if err := s.DB.WithContext(c.Request().Context()).Model(&u).
			Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error; err != nil {
			return err
		}
	}
	token, exp, err := s.Tokens.Issue(u.ID, u.Role, u.UnitID, u.Generation)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, loginResponse{Token: token, ExpiresAt: exp.Format("2006-01-02T15:04:05Z07:00")})
}

var dummyHash, _ = auth.HashPassword("tdkt-timing-equaliser")

func required(ptr string) FieldError {
	return FieldError{Pointer: ptr, Message: "Bắt buộc nhập.", MessageEN: "Required."}
}

// Lock-out: after maxFailedLogins consecutive wrong passwords an account
// refuses logins for the lockout period.
const (
	maxFailedLogins = 5
	lockout         = 15 * time.Minute
)

func locked(until, now time.Time, c echo.Context) error {
	wait := int(math.Ceil(until.Sub(now).Seconds()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
	return problem(http.StatusTooManyRequests,
		fmt.Sprintf("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau %d phút.", (wait+59)/60),
		fmt.Sprintf("Account locked after repeated failed logins; retry in %d s.", wait))
}

// rateLimit limits requests per client IP to perMinute a minute (in
// bursts of as many), answering 429 with Retry-After: logins, and the
// public objection form.
func (s *Server) rateLimit(perMinute int) echo.MiddlewareFunc {
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
			Rate: rate.Limit(float64(perMinute) / 60), Burst: perMinute, ExpiresIn: 10 * time.Minute}),
		IdentifierExtractor: func(c echo.Context) (string, error) { return c.RealIP(), nil },
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", "60")
			return problem(http.StatusTooManyRequests, "Quá nhiều yêu cầu từ địa chỉ này; thử lại sau một phút.",
				"Too many requests from this address; retry in a minute.")
		},
		ErrorHandler: func(c echo.Context, err error) error { return err },
	})
}

// logout revokes the caller's token until it would have expired.
func (s *Server) logout(c echo.Context) error {
	who := currentCaller(c)
	err := s.DB.WithContext(c.Request().Context()).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&models.RevokedToken{JTI: who.TokenID, ExpiresAt: who.TokenExpires}).Error
	if err != nil {
		return err
	}
	// Expired revocations are no longer needed: the token is refused anyway.
	s.DB.WithContext(c.Request().Context()).Where("expires_at < ?", s.now().UTC()).Delete(&models.RevokedToken{})
	return c.NoContent(http.StatusNoContent)
}

// hashing bounds the password checks running at once: each takes 19 MiB
// (argon2id), so a flood of logins queues instead of exhausting memory.
var hashing = make(chan struct{}, 4)

func checkPassword(c echo.Context, hash, password string) (bool, error) {
	select {
	case hashing <- struct{}{}:
	case <-c.Request().Context().Done():
		return false, c.Request().Context().Err()
	}
	defer func() { <-hashing }()
	return auth.CheckPassword(hash, password)
}
