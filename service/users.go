package service

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Accounts are managed by administrators, each over their own unit and
// every unit that sits, or ever sat, under it: the province's
// administrator manages every account, a department's administrator the
// accounts of the department and its schools. An account outside that
// scope is not disclosed (not found); a new account cannot be placed
// outside it (forbidden). Every change is logged and kept as an
// AuditEvent.

// UserView is an account as its administrator sees it.
type UserView struct {
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

func (s *Service) viewUser(u models.User, unitNames map[string]string) UserView {
	v := UserView{ID: u.ID, Username: u.Username, FullName: u.FullName, Email: u.Email, Role: u.Role, UnitID: u.UnitID,
		UnitName: unitNames[u.UnitID], Head: u.Head, Disabled: u.DisabledAt != nil, DisabledAt: u.DisabledAt,
		CreatedAt: u.CreatedAt}
	// A lock-out that has run out is not worth showing.
	if u.LockedUntil != nil && s.now().Before(*u.LockedUntil) {
		v.LockedUntil = u.LockedUntil
	}
	return v
}

// managedUnits is the set of units whose accounts who manages: their unit
// and its descendants over every period (a district's administrator keeps
// its communes' accounts after the 2025 reform).
func (s *Service) managedUnits(ctx context.Context, who Caller) (map[string]bool, error) {
	links, err := models.AllUnitParents(ctx, s.db)
	if err != nil {
		return nil, err
	}
	// The units the caller's unit comes from are its own history: the
	// city's administrator manages what Bình Dương's communes were too.
	out := map[string]bool{}
	for _, unit := range who.units() {
		for _, id := range models.Descendants(links, unit) {
			out[id] = true
		}
	}
	return out, nil
}

// UserFilter narrows the accounts listed.
type UserFilter struct {
	Unit string
	Role string
	Q    string // in the username or the name, accents ignored
}

// Users lists the accounts who manages, by username.
func (s *Service) Users(ctx context.Context, who Caller, f UserFilter) ([]UserView, error) {
	if err := who.Require(RoleAccountAdmin); err != nil {
		return nil, err
	}
	managed, err := s.managedUnits(ctx, who)
	if err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Order("username")
	if f.Unit != "" {
		q = q.Where("unit_id = ?", f.Unit)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	var users []models.User
	if err := q.Find(&users).Error; err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	term := textnorm.Fold(f.Q)
	out := []UserView{}
	for _, u := range users {
		if managed[u.UnitID] && (term == "" || strings.Contains(textnorm.Fold(u.Username+" "+u.FullName), term)) {
			out = append(out, s.viewUser(u, names))
		}
	}
	return out, nil
}

// UserInput is a new account with its initial password.
type UserInput struct {
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

// validate cleans the text and checks the fields that need no database.
func (r *UserInput) validate() []FieldError {
	errs := cleanText(map[string]*string{"/username": &r.Username, "/full_name": &r.FullName, "/email": &r.Email,
		"/role": &r.Role, "/unit_id": &r.UnitID, "/password": &r.Password})
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
		errs = append(errs, Required("/unit_id"))
	}
	return append(errs, checkPasswordRule("/password", r.Password, r.Username)...)
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
func roleFits(role string, u models.Unit) []FieldError {
	switch {
	case role == models.RoleReviewer && u.ReviewLevel == "":
		return []FieldError{{Pointer: "/role", Message: "Đơn vị này không xét duyệt hồ sơ: không thể có cán bộ xét duyệt.", MessageEN: "This unit does not review nominations: it cannot have a reviewer."}}
	case role == models.RoleInterior && u.ReviewLevel != string(routing.Interior):
		return []FieldError{{Pointer: "/role", Message: "Chỉ Sở Nội vụ có tài khoản vai trò Sở Nội vụ.", MessageEN: "Only the Interior Department holds Interior accounts."}}
	}
	return nil
}

// CreateUser creates an account with an initial password in a unit who
// manages.
func (s *Service) CreateUser(ctx context.Context, who Caller, in UserInput) (UserView, error) {
	if err := who.Require(RoleAccountAdmin); err != nil {
		return UserView{}, err
	}
	errs := in.validate()
	unit, err := s.ref.Unit(ctx, in.UnitID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		if in.UnitID != "" {
			errs = append(errs, FieldError{Pointer: "/unit_id", Message: "Đơn vị không tồn tại.", MessageEN: "No such unit."})
		}
	case err != nil:
		return UserView{}, err
	default:
		errs = append(errs, roleFits(in.Role, unit)...)
	}
	if err := InvalidIf(errs); err != nil {
		return UserView{}, err
	}
	managed, err := s.managedUnits(ctx, who)
	if err != nil {
		return UserView{}, err
	}
	if !managed[unit.ID] {
		e := Forbidden("Đơn vị này không thuộc phạm vi quản trị của bạn.", "You do not manage this unit's accounts.")
		e.Fields = []FieldError{{Pointer: "/unit_id", Message: "Đơn vị không thuộc phạm vi quản trị của bạn.", MessageEN: "Outside the units you manage."}}
		return UserView{}, e
	}
	hash, err := hashPassword(ctx, in.Password)
	if err != nil {
		return UserView{}, fmt.Errorf("hash the password of %s: %w", in.Username, err)
	}
	u := models.User{ID: uuid.NewString(), Username: in.Username, FullName: in.FullName, Email: in.Email,
		Role: in.Role, UnitID: unit.ID, Head: in.Head, PasswordHash: hash}
	ev := s.auditEvent(who, "user.create", u.Username, map[string]any{"id": u.ID, "role": u.Role, "unit_id": u.UnitID, "head": u.Head})
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		e := Conflict("Tên đăng nhập "+in.Username+" đã có người dùng.", "The username "+in.Username+" is taken.")
		e.Fields = []FieldError{{Pointer: "/username", Message: "Tên đăng nhập đã có người dùng.", MessageEN: "This username is taken."}}
		return UserView{}, e
	}
	if err != nil {
		return UserView{}, fmt.Errorf("create user %s: %w", u.Username, err)
	}
	s.logAudit(ev)
	return s.viewUser(u, map[string]string{unit.ID: unit.Name}), nil
}

// managedUser loads an account who manages; any other is not found.
func (s *Service) managedUser(ctx context.Context, who Caller, id string) (models.User, error) {
	if err := who.Require(RoleAccountAdmin); err != nil {
		return models.User{}, err
	}
	var u models.User
	err := s.db.WithContext(ctx).First(&u, "id = ?", id).Error
	notFound := NotFound("Không có tài khoản này.", "No such account.")
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, notFound
	}
	if err != nil {
		return u, fmt.Errorf("load user %s: %w", id, err)
	}
	managed, err := s.managedUnits(ctx, who)
	if err != nil {
		return u, err
	}
	if !managed[u.UnitID] {
		return u, notFound
	}
	return u, nil
}

// UserPatch changes an account: for now, whether it is disabled.
type UserPatch struct {
	Disabled *bool `json:"disabled"`
}

// PatchUser disables or re-enables the account id. A disabled account's
// tokens are refused from the next request on, and stay refused once it
// is enabled again.
func (s *Service) PatchUser(ctx context.Context, who Caller, id string, in UserPatch) (UserView, error) {
	u, err := s.managedUser(ctx, who, id)
	if err != nil {
		return UserView{}, err
	}
	if in.Disabled == nil {
		return UserView{}, Invalid(Required("/disabled"))
	}
	disable := *in.Disabled
	if disable && u.ID == who.User.ID {
		return UserView{}, Conflict("Không thể tự vô hiệu hóa tài khoản của mình.", "You cannot disable your own account.")
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return UserView{}, err
	}
	if disable == (u.DisabledAt != nil) {
		return s.viewUser(u, names), nil // already so: nothing to record
	}
	action := "user.enable"
	var at *time.Time
	set := map[string]any{}
	if disable {
		now := s.now().UTC()
		action, at = "user.disable", &now
		// The sessions end for good: enabling the account again does not
		// revive a token someone else may hold.
		set["generation"] = gorm.Expr("generation + 1")
	}
	set["disabled_at"] = at
	ev := s.auditEvent(who, action, u.Username, map[string]any{"id": u.ID})
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&u).Updates(set).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	if err != nil {
		return UserView{}, fmt.Errorf("%s %s: %w", action, u.Username, err)
	}
	s.logAudit(ev)
	u.DisabledAt = at
	return s.viewUser(u, names), nil
}

// PasswordInput is a new password chosen by an administrator.
type PasswordInput struct {
	Password string `json:"password"`
}

// ResetPassword sets the account id's password, ends its sessions and
// lifts a lock-out after failed logins.
func (s *Service) ResetPassword(ctx context.Context, who Caller, id string, in PasswordInput) error {
	u, err := s.managedUser(ctx, who, id)
	if err != nil {
		return err
	}
	errs := cleanText(map[string]*string{"/password": &in.Password})
	if err := InvalidIf(append(errs, checkPasswordRule("/password", in.Password, u.Username)...)); err != nil {
		return err
	}
	hash, err := hashPassword(ctx, in.Password)
	if err != nil {
		return fmt.Errorf("hash the password of %s: %w", u.Username, err)
	}
	ev := s.auditEvent(who, "user.password", u.Username, map[string]any{"id": u.ID})
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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
	return nil
}
