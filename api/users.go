package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
)

// Accounts are managed by administrators, each over their own unit and
// every unit that sits, or ever sat, under it: the province's
// administrator manages every account, a department's administrator the
// accounts of the department and its schools. An account outside that
// scope is not disclosed (404); a new account cannot be placed outside it
// (403). Every change is logged and kept as an AuditEvent.

type userView struct {
	ID          string     `json:"id"`
	Username    string     `json:"username"`
	FullName    string     `json:"full_name"`
	Email       string     `json:"email,omitempty"`
	Role        string     `json:"role"`
	UnitID      string     `json:"unit_id"`
	UnitName    string     `json:"unit_name,omitempty"`
	Head        bool       `json:"head"`
	Disabled    bool       `json:"disabled"`
	DisabledAt  *time.Time `json:"disabled_at,omitempty"`
	LockedUntil *time.Time `json:"locked_until,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
}

func (s *Server) viewUser(u models.User, unitNames map[string]string) userView {
	v := userView{ID: u.ID, Username: u.Username, FullName: u.FullName, Email: u.Email, Role: u.Role, UnitID: u.UnitID,
		UnitName: unitNames[u.UnitID], Head: u.Head, Disabled: u.DisabledAt != nil, DisabledAt: u.DisabledAt,
		CreatedAt: u.CreatedAt}
	// A lock-out that has run out is not worth showing.
	if u.LockedUntil != nil && s.now().Before(*u.LockedUntil) {
		v.LockedUntil = u.LockedUntil
	}
	return v
}

// managedUnits is the set of units whose accounts the caller manages:
// their unit and its descendants over every period (a district's
// administrator keeps its communes' accounts after the 2025 reform).
func (s *Server) managedUnits(ctx context.Context, who caller) (map[string]bool, error) {
	var links []models.UnitParent
	if err := s.DB.WithContext(ctx).Find(&links).Error; err != nil {
		return nil, fmt.Errorf("load unit parents: %w", err)
	}
	children := map[string][]string{}
	for _, l := range links {
		children[l.ParentID] = append(children[l.ParentID], l.UnitID)
	}
	out := map[string]bool{who.User.UnitID: true}
	queue := []string{who.User.UnitID}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		for _, c := range children[u] {
			if !out[c] {
				out[c] = true
				queue = append(queue, c)
			}
		}
	}
	return out, nil
}

// listUsers lists the accounts the caller manages, by username; ?unit=,
// ?role= and ?q= (username or name, accents ignored) filter them.
func (s *Server) listUsers(c echo.Context) error {
	ctx := c.Request().Context()
	managed, err := s.managedUnits(ctx, currentCaller(c))
	if err != nil {
		return err
	}
	q := s.DB.WithContext(ctx).Order("username")
	if v := c.QueryParam("unit"); v != "" {
		q = q.Where("unit_id = ?", v)
	}
	if v := c.QueryParam("role"); v != "" {
		q = q.Where("role = ?", v)
	}
	var users []models.User
	if err := q.Find(&users).Error; err != nil {
		return fmt.Errorf("list users: %w", err)
	}
	names, err := s.reference().UnitNames(ctx)
	if err != nil {
		return err
	}
	term := textnorm.Fold(c.QueryParam("q"))
	out := []userView{}
	for _, u := range users {
		if managed[u.UnitID] && (term == "" || strings.Contains(textnorm.Fold(u.Username+" "+u.FullName), term)) {
			out = append(out, s.viewUser(u, names))
		}
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}

type userRequest struct {
	Username string `json:"username"`
	FullName string `json:"full_name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	UnitID   string `json:"unit_id"`
	Head     bool   `json:"head"`
	Password string `json:"password"`
}

var usernamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{2,63}$`)

var roles = []string{models.RoleNominator, models.RoleReviewer, models.RoleInterior, models.RoleAdmin}

// validate checks the fields that need no database.
func (r userRequest) validate() []FieldError {
	var errs []FieldError
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	if !usernamePattern.MatchString(r.Username) {
		add("/username", "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang, gạch dưới.",
			"Username: 3–64 lowercase ASCII letters, digits, dots, dashes or underscores.")
	}
	if r.FullName == "" || len([]rune(r.FullName)) > 255 {
		add("/full_name", "Họ tên bắt buộc, tối đa 255 ký tự.", "The full name is required, at most 255 characters.")
	}
	if r.Email != "" {
		if a, err := mail.ParseAddress(r.Email); err != nil || a.Address != r.Email || len(r.Email) > 255 {
			add("/email", "Địa chỉ thư điện tử không hợp lệ.", "Not a valid e-mail address.")
		}
	}
	if !slices.Contains(roles, r.Role) {
		add("/role", "Vai trò phải là nominator, reviewer, interior hoặc admin.", "Role must be nominator, reviewer, interior or admin.")
	}
	if r.UnitID == "" {
		errs = append(errs, required("/unit_id"))
	}
	errs = append(errs, checkPasswordRule("/password", r.Password, r.Username)...)
	return errs
}

// checkPasswordRule: 10 to 128 characters, not the username.
func checkPasswordRule(ptr, password, username string) []FieldError {
	if n := len([]rune(password)); n < 10 || n > 128 {
		return []FieldError{{Pointer: ptr, Message: "Mật khẩu từ 10 đến 128 ký tự.", MessageEN: "The password needs 10 to 128 characters."}}
	}
	if strings.EqualFold(password, username) {
		return []FieldError{{Pointer: ptr, Message: "Mật khẩu không được trùng tên đăng nhập.", MessageEN: "The password must differ from the username."}}
	}
	return nil
}

// roleFits checks that a unit can hold an account of this role: a
// reviewer belongs to a reviewing unit, an Interior officer to Interior.
func roleFits(role string, u models.Unit) *FieldError {
	switch {
	case role == models.RoleReviewer && u.ReviewLevel == "":
		return &FieldError{Pointer: "/role", Message: "Đơn vị này không xét duyệt hồ sơ: không thể có cán bộ xét duyệt.", MessageEN: "This unit does not review nominations: it cannot have a reviewer."}
	case role == models.RoleInterior && u.ReviewLevel != string(routing.Interior):
		return &FieldError{Pointer: "/role", Message: "Chỉ Sở Nội vụ có tài khoản vai trò Sở Nội vụ.", MessageEN: "Only the Interior Department holds Interior accounts."}
	}
	return nil
}

// createUser creates an account with an initial password in a unit the
// caller manages.
func (s *Server) createUser(c echo.Context) error {
	ctx := c.Request().Context()
	var req userRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	errs := req.validate()
	unit, err := s.reference().Unit(ctx, req.UnitID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		if req.UnitID != "" {
			errs = append(errs, FieldError{Pointer: "/unit_id", Message: "Đơn vị không tồn tại.", MessageEN: "No such unit."})
		}
	case err != nil:
		return err
	default:
		if fe := roleFits(req.Role, unit); fe != nil {
			errs = append(errs, *fe)
		}
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	managed, err := s.managedUnits(ctx, currentCaller(c))
	if err != nil {
		return err
	}
	if !managed[unit.ID] {
		p := problem(http.StatusForbidden, "Đơn vị này không thuộc phạm vi quản trị của bạn.", "You do not manage this unit's accounts.")
		p.Errors = []FieldError{{Pointer: "/unit_id", Message: "Đơn vị không thuộc phạm vi quản trị của bạn.", MessageEN: "Outside the units you manage."}}
		return p
	}
	hash, err := hashPassword(c, req.Password)
	if err != nil {
		return err
	}
	u := models.User{ID: uuid.NewString(), Username: req.Username, FullName: req.FullName, Email: req.Email,
		Role: req.Role, UnitID: unit.ID, Head: req.Head, PasswordHash: hash}
	ev := s.auditEvent(c, "user.create", u.Username, map[string]any{"id": u.ID, "role": u.Role, "unit_id": u.UnitID, "head": u.Head})
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		p := problem(http.StatusConflict, "Tên đăng nhập "+req.Username+" đã có người dùng.", "The username "+req.Username+" is taken.")
		p.Errors = []FieldError{{Pointer: "/username", Message: "Tên đăng nhập đã có người dùng.", MessageEN: "This username is taken."}}
		return p
	}
	if err != nil {
		return fmt.Errorf("create user %s: %w", u.Username, err)
	}
	s.logAudit(ev)
	return c.JSON(http.StatusCreated, s.viewUser(u, map[string]string{unit.ID: unit.Name}))
}

// loadManaged loads an account the caller manages, or answers 404.
func (s *Server) loadManaged(c echo.Context) (models.User, error) {
	ctx := c.Request().Context()
	var u models.User
	err := s.DB.WithContext(ctx).First(&u, "id = ?", c.Param("id")).Error
	notFound := problem(http.StatusNotFound, "Không có tài khoản này.", "No such account.")
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, notFound
	}
	if err != nil {
		return u, fmt.Errorf("load user: %w", err)
	}
	managed, err := s.managedUnits(ctx, currentCaller(c))
	if err != nil {
		return u, err
	}
	if !managed[u.UnitID] {
		return u, notFound
	}
	return u, nil
}

type userPatch struct {
	Disabled *bool `json:"disabled"`
}

// patchUser disables or re-enables an account. A disabled account's
// tokens are refused from the next request on.
func (s *Server) patchUser(c echo.Context) error {
	u, err := s.loadManaged(c)
	if err != nil {
		return err
	}
	var req userPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	if req.Disabled == nil {
		return invalid([]FieldError{required("/disabled")})
	}
	if *req.Disabled && u.ID == currentCaller(c).User.ID {
		return problem(http.StatusConflict, "Không thể tự vô hiệu hóa tài khoản của mình.", "You cannot disable your own account.")
	}
	ctx := c.Request().Context()
	names, err := s.reference().UnitNames(ctx)
	if err != nil {
		return err
	}
	if *req.Disabled == (u.DisabledAt != nil) {
		return c.JSON(http.StatusOK, s.viewUser(u, names)) // already so: nothing to record
	}
	action := "user.enable"
	var at *time.Time
	if *req.Disabled {
		now := s.now().UTC()
		action, at = "user.disable", &now
	}
	ev := s.auditEvent(c, action, u.Username, map[string]any{"id": u.ID})
	set := map[string]any{"disabled_at": at}
	if *req.Disabled {
		// The sessions end for good: enabling the account again does not
		// revive a token someone else may hold.
		set["generation"] = gorm.Expr("generation + 1")
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&u).Updates(set).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if err != nil {
		return fmt.Errorf("%s %s: %w", action, u.Username, err)
	}
	s.logAudit(ev)
	u.DisabledAt = at
	return c.JSON(http.StatusOK, s.viewUser(u, names))
}

type passwordRequest struct {
	Password string `json:"password"`
}

// resetPassword sets a new password chosen by the administrator and lifts
// a lock-out after failed logins.
func (s *Server) resetPassword(c echo.Context) error {
	u, err := s.loadManaged(c)
	if err != nil {
		return err
	}
	var req passwordRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if errs := checkPasswordRule("/password", req.Password, u.Username); len(errs) > 0 {
		return invalid(errs)
	}
	hash, err := hashPassword(c, req.Password)
	if err != nil {
		return err
	}
	ev := s.auditEvent(c, "user.password", u.Username, map[string]any{"id": u.ID})
	err = s.DB.WithContext(c.Request().Context()).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&u).Updates(map[string]any{"password_hash": hash, "failed_logins": 0, "locked_until": nil,
			"generation": gorm.Expr("generation + 1")}).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if err != nil {
		return fmt.Errorf("reset password of %s: %w", u.Username, err)
	}
	s.logAudit(ev)
	return c.NoContent(http.StatusNoContent)
}

func hashPassword(c echo.Context, password string) (string, error) {
	return service.HashPassword(c.Request().Context(), password)
}
