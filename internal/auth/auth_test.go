package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestPassword(t *testing.T) {
	h, err := HashPassword("Mật khẩu 2024!")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$") {
		t.Fatalf("hash %q is not argon2id", h)
	}
	if ok, err := CheckPassword(h, "Mật khẩu 2024!"); !ok || err != nil {
		t.Fatalf("right password refused: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "mật khẩu 2024!"); ok {
		t.Fatal("wrong password accepted")
	}
	h2, _ := HashPassword("Mật khẩu 2024!")
	if h2 == h {
		t.Fatal("two hashes of one password are equal: salt missing")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=x$a$b", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("hash %q accepted", bad)
		}
	}
}

func TestTokens(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	tk := Tokens{Secret: []byte(strings.Repeat("k", 32)), TTL: time.Hour, Issuer: "tdkt", Now: func() time.Time { return now }}
	tok, exp, err := tk.Issue("u1", "reviewer", "dian", 3)
	if err != nil {
		t.Fatal(err)
	}
	if !exp.Equal(now.Add(time.Hour)) {
		t.Fatalf("expires %v", exp)
	}
	c, err := tk.Parse(tok)
	if err != nil || c.Subject != "u1" || c.Role != "reviewer" || c.UnitID != "dian" || c.Generation != 3 {
		t.Fatalf("parse: %+v %v", c, err)
	}

	forged := Tokens{Secret: []byte(strings.Repeat("x", 32)), TTL: time.Hour, Issuer: "tdkt", Now: tk.Now}
	ftok, _, _ := forged.Issue("u1", "admin", "sonv", 0)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, Claims{RegisteredClaims: jwt.RegisteredClaims{
		Subject: "u1", Issuer: "tdkt", ExpiresAt: jwt.NewNumericDate(now.Add(time.Hour))}}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	later := tk
	later.Now = func() time.Time { return now.Add(2 * time.Hour) }
	for name, bad := range map[string]string{"forged": ftok, "alg none": none, "garbage": "a.b.c", "empty": ""} {
		if _, err := tk.Parse(bad); err == nil {
			t.Errorf("%s token accepted", name)
		}
	}
	if _, err := later.Parse(tok); err == nil {
		t.Error("expired token accepted")
	}
}
