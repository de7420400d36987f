package service

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
)

// LoginInput is a login form or request.
type LoginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Session is an access token and when it expires.
type Session struct {
	Token     string `json:"token"`
	ExpiresAt string `json:"expires_at"`
}

// Lock-out: after maxFailedLogins consecutive wrong passwords an account
// refuses logins for the lockout period.
const (
	maxFailedLogins = 5
	lockout         = 15 * time.Minute
)

// Per-address limits, per minute (in bursts of as many): logins, and the
// public objection form.
const (
	loginsPerMinute     = 10
	objectionsPerMinute = 5
)

// dummyHash is checked against for usernames without an account, so that
// they take as long as a real check.
var dummyHash = func() string {
	h, err := auth.HashPassword("tdkt-timing-equaliser")
	if err != nil {
		panic("service: cannot hash the timing equaliser: " + err.Error()) // no randomness: nothing can log in
	}
	return h
}()

// Login checks a username and password and opens a session. Logins are
// limited per client address (address may be empty in tools), and an
// account locks after repeated wrong passwords — a username without an
// account locks the same way, so the answers do not tell which exist.
func (s *Service) Login(ctx context.Context, address string, in LoginInput) (Session, error) {
	if err := s.limits.allow("login", address, loginsPerMinute, time.Now()); err != nil { // wall time: a pinned test clock must not stop the refill
		return Session{}, err
	}
	var errs []FieldError
	if in.Username == "" {
		errs = append(errs, Required("/username"))
	}
	if in.Password == "" {
		errs = append(errs, Required("/password"))
	}
	if err := InvalidIf(errs); err != nil {
		return Session{}, err
	}
	bad := Unauthorized("Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong username or password.")
	var u models.User
	err := s.db.WithContext(ctx).First(&u, "username = ?", in.Username).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		// Spend the same time as a real check, and lock out as a real
		// account does, so usernames cannot be probed by timing or by
		// the lock-out.
		now := s.now()
		n, until, ok := s.unknown.claim(in.Username, now)
		if !ok {
			return Session{}, locked(until, now)
		}
		_, _ = checkPassword(ctx, dummyHash, in.Password) // the outcome is known: only the time matters
		if until, ok := s.unknown.fail(in.Username, n, now); ok {
			return Session{}, locked(until, now)
		}
		return Session{}, bad
	}
	if err != nil {
		return Session{}, fmt.Errorf("load user %q: %w", in.Username, err)
	}
	now := s.now()
	n, err := s.claimAttempt(ctx, u, now)
	if err != nil {
		return Session{}, err
	}
	ok, err := checkPassword(ctx, u.PasswordHash, in.Password)
	if err != nil || !ok {
		// An attempt that could not be checked (the client gave up)
		// counts as a wrong one: its claim is already spent.
		if n >= maxFailedLogins {
			until := now.Add(lockout).UTC()
			if lerr := s.db.WithContext(ctx).Model(&models.User{}).Where("id = ?", u.ID).
				Updates(map[string]any{"locked_until": until, "failed_logins": 0}).Error; lerr != nil {
				return Session{}, fmt.Errorf("lock %s: %w", u.Username, lerr)
			}
			s.log.Warn("account locked after repeated failed logins", "user", u.Username, "until", until)
			if err == nil {
				return Session{}, locked(until, now)
			}
		}
		if err != nil {
			return Session{}, err
		}
		return Session{}, bad
	}
	// Only the right password learns that the account is disabled.
	if u.DisabledAt != nil {
		return Session{}, Forbidden("Tài khoản đã bị vô hiệu hóa; liên hệ quản trị hệ thống.", "The account is disabled.")
	}
	if err := s.db.WithContext(ctx).Model(&models.User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"failed_logins": 0, "locked_until": nil}).Error; err != nil {
		return Session{}, fmt.Errorf("clear failed logins of %s: %w", u.Username, err)
	}
	token, exp, err := s.cfg.Tokens.Issue(u.ID, u.Role, u.UnitID, u.Generation)
	if err != nil {
		return Session{}, fmt.Errorf("issue token: %w", err)
	}
	return Session{Token: token, ExpiresAt: exp.Format(time.RFC3339)}, nil
}

// claimAttempt takes one of the account's attempts before its password
// is checked, in one conditional UPDATE: the count is raised in the
// database only while the account is not locked and has attempts left,
// and the raised count comes back with it. Reading the count and writing
// it back after the check let parallel guesses (from many addresses, or
// many api replicas) all be checked; a claim cannot be taken twice, so at
// most maxFailedLogins guesses are checked whatever the concurrency. It
// returns the attempt's number (1…maxFailedLogins), or the lock-out's
// refusal.
func (s *Service) claimAttempt(ctx context.Context, u models.User, now time.Time) (int, error) {
	var counts []int
	err := s.db.WithContext(ctx).Raw(`UPDATE users SET failed_logins = failed_logins + 1
		WHERE id = ? AND failed_logins < ? AND (locked_until IS NULL OR locked_until <= ?)
		RETURNING failed_logins`, u.ID, maxFailedLogins, now.UTC()).Scan(&counts).Error
	if err != nil {
		return 0, fmt.Errorf("count login attempt of %s: %w", u.Username, err)
	}
	if len(counts) == 1 {
		return counts[0], nil
	}
	// Refused: the account is locked, or its last attempts are being
	// checked right now. The latter is locked here and then, as the last
	// of them would if wrong (and as it must if that check never ends:
	// a process killed mid-check would leave the count at the limit).
	until := now.Add(lockout).UTC()
	if err := s.db.WithContext(ctx).Model(&models.User{}).
		Where("id = ? AND failed_logins >= ? AND (locked_until IS NULL OR locked_until <= ?)", u.ID, maxFailedLogins, now.UTC()).
		Updates(map[string]any{"locked_until": until, "failed_logins": 0}).Error; err != nil {
		return 0, fmt.Errorf("lock %s: %w", u.Username, err)
	}
	var cur models.User
	if err := s.db.WithContext(ctx).Select("locked_until").First(&cur, "id = ?", u.ID).Error; err != nil {
		return 0, fmt.Errorf("load lock-out of %s: %w", u.Username, err)
	}
	if cur.LockedUntil != nil && now.Before(*cur.LockedUntil) {
		until = *cur.LockedUntil
	}
	return 0, locked(until, now)
}

func locked(until, now time.Time) error {
	wait := int(math.Ceil(until.Sub(now).Seconds()))
	return TooMany(wait,
		fmt.Sprintf("Tài khoản tạm khóa do nhập sai mật khẩu nhiều lần; thử lại sau %d phút.", (wait+59)/60),
		fmt.Sprintf("Account locked after repeated failed logins; retry in %d s.", wait))
}

// Logout revokes the caller's token until it would have expired.
func (s *Service) Logout(ctx context.Context, who Caller) error {
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
		Create(&models.RevokedToken{JTI: who.TokenID, ExpiresAt: who.TokenExpires}).Error
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	// Expired revocations are no longer needed: the token is refused
	// anyway. A failure here only leaves rows for the next logout.
	if err := s.db.WithContext(ctx).Where("expires_at < ?", s.now().UTC()).Delete(&models.RevokedToken{}).Error; err != nil {
		s.log.Warn("prune revoked tokens", "error", err)
	}
	return nil
}

// hashing bounds the password checks running at once: each takes 19 MiB
// (argon2id), so a flood of logins queues instead of exhausting memory.
var hashing = make(chan struct{}, 4)

func checkPassword(ctx context.Context, hash, password string) (bool, error) {
	select {
	case hashing <- struct{}{}:
	case <-ctx.Done():
		return false, ctx.Err()
	}
	defer func() { <-hashing }()
	return auth.CheckPassword(hash, password)
}

// hashPassword hashes under the same bound as the login's checks.
func hashPassword(ctx context.Context, password string) (string, error) {
	select {
	case hashing <- struct{}{}:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	defer func() { <-hashing }()
	return auth.HashPassword(password)
}
