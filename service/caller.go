package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Caller is the authenticated user of a request with their unit. The user
// is re-read from the database on every request (a changed role or unit
// takes effect at once); the unit comes from the reference cache, which
// a change to units drops in every process at once.
type Caller struct {
	User models.User
	Unit models.Unit
	// Predecessors are the units the caller's unit comes from, however far
	// back: a new commune's officers see what the communes it was formed
	// from nominated and received.
	Predecessors []string
	// TokenID and TokenExpires identify the access token, for logout.
	TokenID      string
	TokenExpires time.Time
	// RequestID ties the audit rows a request writes to its log lines.
	RequestID string
	// Address is the client's network address, for per-address limits.
	Address string
	// Origin is the scheme and host the request came in on
	// ("https://tdkt.example"): the links printed on certificates start
	// with it when no public base URL is configured.
	Origin string
}

// Level is the review level the caller acts at, from their unit.
func (c Caller) Level() routing.Level { return routing.Level(c.Unit.ReviewLevel) }

// ProvinceWide reports whether the caller acts for the whole province
// (city): an administrator of the province itself.
func (c Caller) ProvinceWide() bool {
	return c.User.Role == models.RoleAdmin && c.Unit.Kind == models.KindProvince
}

// Actor is the caller as the workflows and the access rules see them.
func (c Caller) Actor() access.Actor {
	a := access.Actor{UserID: c.User.ID, Name: c.User.FullName, Role: c.User.Role,
		UnitID: c.User.UnitID, Level: c.Level(), ProvinceWide: c.ProvinceWide()}
	if c.User.Role == models.RoleNominator {
		a.FormerUnits = c.Predecessors
	}
	return a
}

// RoleAccountAdmin, among the roles Require accepts, admits an
// administrator of any unit. models.RoleAdmin admits only the province's:
// an administrator below it (a department's) manages its units' accounts,
// and nothing that reaches across the province — rounds, deadlines,
// decisions, every dossier.
const RoleAccountAdmin = "account-admin"

// Require refuses a caller whose role is not among roles.
func (c Caller) Require(roles ...string) error {
	role := c.User.Role
	for _, r := range roles {
		if r == role && (role != models.RoleAdmin || c.ProvinceWide()) ||
			r == RoleAccountAdmin && role == models.RoleAdmin {
			return nil
		}
	}
	if role == models.RoleAdmin && !c.ProvinceWide() && slices.Contains(roles, models.RoleAdmin) {
		return Forbidden(
			"Chỉ quản trị cấp tỉnh được thực hiện thao tác này; quản trị của đơn vị quản lý tài khoản của đơn vị mình.",
			"Only the province's administrator may do this; a unit's administrator manages its units' accounts.")
	}
	return Forbidden("Vai trò của bạn không được thực hiện thao tác này.",
		"Your role ("+role+") may not do this; allowed: "+strings.Join(roles, ", ")+".")
}

// ErrSession refuses a missing, invalid, expired or revoked token.
var errSession = Unauthorized("Phiên đăng nhập không hợp lệ hoặc đã hết hạn; vui lòng đăng nhập lại.",
	"Missing, invalid or expired access token.")

// errDisabled refuses the tokens of a disabled account at once: the user
// is re-read on every request, so disabling ends every session.
var errDisabled = Unauthorized("Tài khoản đã bị vô hiệu hóa; liên hệ quản trị hệ thống.", "The account is disabled.")

// ErrMalformedToken is returned (wrapped in an unauthorized refusal) when
// the token does not parse or verify, so the API can say invalid_token.
var ErrMalformedToken = errors.New("invalid token")

// Authenticate resolves an access token to its caller.
func (s *Service) Authenticate(ctx context.Context, token string) (Caller, error) {
	if token == "" {
		return Caller{}, errSession
	}
	claims, err := s.cfg.Tokens.Parse(token)
	if err != nil {
		return Caller{}, fmt.Errorf("%w: %w", errSession, ErrMalformedToken)
	}
	var revoked int64
	if err := s.db.WithContext(ctx).Model(&models.RevokedToken{}).Where("jti = ?", claims.ID).Count(&revoked).Error; err != nil {
		return Caller{}, fmt.Errorf("check revocation: %w", err)
	}
	if revoked > 0 {
		return Caller{}, errSession
	}
	who := Caller{TokenID: claims.ID, TokenExpires: claims.ExpiresAt.Time}
	err = s.db.WithContext(ctx).First(&who.User, "id = ?", claims.Subject).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Caller{}, errSession
	}
	if err != nil {
		return Caller{}, fmt.Errorf("load user: %w", err)
	}
	if who.User.DisabledAt != nil {
		return Caller{}, errDisabled
	}
	if claims.Generation != who.User.Generation {
		return Caller{}, errSession // opened before the password was reset
	}
	if err := s.placeCaller(ctx, &who); err != nil {
		return Caller{}, err
	}
	return who, nil
}

// placeCaller fills in the caller's unit and the units it comes from.
func (s *Service) placeCaller(ctx context.Context, who *Caller) error {
	var err error
	if who.Unit, err = s.ref.Unit(ctx, who.User.UnitID); err != nil {
		return fmt.Errorf("unit of %s: %w", who.User.Username, err)
	}
	lineage, err := s.ref.Lineage(ctx)
	if err != nil {
		return err
	}
	who.Predecessors = models.WithPredecessors(lineage, who.User.UnitID)[1:]
	return nil
}

// units are the caller's unit and those it comes from.
func (c Caller) units() []string { return append([]string{c.User.UnitID}, c.Predecessors...) }

// CallerByUsername is the account username as a caller, for a command run
// by an operator on its behalf (tdkt learning import): the account's role,
// unit and scope apply, and its changes are audited under its name. A
// disabled account is refused.
func (s *Service) CallerByUsername(ctx context.Context, username string) (Caller, error) {
	var who Caller
	err := s.db.WithContext(ctx).First(&who.User, "username = ?", username).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Caller{}, NotFound("Không có tài khoản "+username+".", "No account "+username+".")
	}
	if err != nil {
		return Caller{}, fmt.Errorf("account %s: %w", username, err)
	}
	if who.User.DisabledAt != nil {
		return Caller{}, errDisabled
	}
	if err := s.placeCaller(ctx, &who); err != nil {
		return Caller{}, err
	}
	who.RequestID = "cli"
	return who, nil
}
