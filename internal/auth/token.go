package auth

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Claims are what an access token asserts about its holder. Role and unit
// are re-read from the database on every request; the token only names the
// user.
type Claims struct {
	jwt.RegisteredClaims
	Role   string `json:"role"`
	UnitID string `json:"unit"`
	// Generation is the account's generation at issue (models.User): a
	// token of an earlier generation is refused.
	Generation int `json:"gen,omitempty"`
}

// Tokens issues and verifies HS256 access tokens.
type Tokens struct {
	Secret []byte
	TTL    time.Duration
	Issuer string
	Now    func() time.Time
}

// ErrInvalidToken covers every token that must be refused: malformed,
// forged, expired, signed with another algorithm.
var ErrInvalidToken = errors.New("invalid or expired token")

func (t Tokens) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Issue signs a token for a user of the given account generation.
func (t Tokens) Issue(userID, role, unitID string, generation int) (token string, expires time.Time, err error) {
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return "", time.Time{}, fmt.Errorf("issue token: %w", err)
	}
	now := t.now()
	expires = now.Add(t.TTL).UTC().Truncate(time.Second)
	claims := Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    t.Issuer,
			Subject:   userID,
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(expires),
			ID:        hex.EncodeToString(id),
		},
		Role:       role,
		UnitID:     unitID,
		Generation: generation,
	}
	token, err = jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(t.Secret)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return token, expires, nil
}

// Parse verifies a token's signature (HS256 only: alg=none and every other
// algorithm are refused), issuer and expiry.
func (t Tokens) Parse(token string) (*Claims, error) {
	var c Claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return t.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(t.Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil || c.Subject == "" {
		return nil, ErrInvalidToken
	}
	return &c, nil
}
