package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
)

// fingerprint hashes every row of every table, so a test can tell that a
// refused request changed nothing.
func fingerprint(t *testing.T, db *gorm.DB) string {
	t.Helper()
	h := sha256.New()
	for _, m := range models.All() {
		stmt := &gorm.Statement{DB: db}
		if err := stmt.Parse(m); err != nil {
			t.Fatal(err)
		}
		var rows []map[string]any
		if err := db.Table(stmt.Schema.Table).Order("1").Find(&rows).Error; err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(rows)
		fmt.Fprintf(h, "%s:%d:%x\n", stmt.Schema.Table, len(rows), sha256.Sum256(b))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// TestBadInputCorpus sends a corpus of bad requests to every POST and
// PATCH endpoint: each gets a precise 4xx problem and the database is
// unchanged, compared row by row before and after.
func TestBadInputCorpus(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	mine := createDraft(t, s, "Hồ Thị Mai")
	submit(t, s, mine)
	draft := createDraft(t, s, "Hồ Thị Lan")
	// Another unit's nomination: a provincial school's.
	r := must(t, s.call("donvi.chuyenhungvuong", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
		"nominee_kind": "collective", "nominee_name": "Tổ Toán", "award": "bang-khen-tinh"}), http.StatusCreated, "other")
	others := r.str("id")
	for _, u := range []string{"donvi.donghoa", "xet.donghoa", "quantri"} {
		s.token(u)
	}

	secret := []byte(strings.Repeat("e2e-secret", 4))
	expired, _, _ := auth.Tokens{Secret: secret, TTL: time.Hour, Issuer: "tdkt",
		Now: func() time.Time { return time.Now().Add(-2 * time.Hour) }}.Issue("u-quantri", "admin", "binh-duong", 0)
	forged, _, _ := auth.Tokens{Secret: []byte(strings.Repeat("x", 40)), TTL: time.Hour, Issuer: "tdkt"}.Issue("u-quantri", "admin", "binh-duong", 0)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "u-quantri", "iss": "tdkt",
		"exp": time.Now().Add(time.Hour).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)

	endpoints := []struct {
		user, method, path string
	}{
		{"quantri", "POST", "/api/v1/rounds"},
		{"quantri", "PATCH", "/api/v1/rounds/thu-nghiem"},
		{"donvi.donghoa", "POST", "/api/v1/nominations"},
		{"donvi.donghoa", "PATCH", "/api/v1/nominations/" + draft},
		{"donvi.donghoa", "POST", "/api/v1/nominations/" + draft + "/submit"},
		{"donvi.donghoa", "POST", "/api/v1/nominations/" + mine + "/withdraw"},
		{"xet.donghoa", "POST", "/api/v1/nominations/" + mine + "/decisions"},
		{"quantri", "POST", "/api/v1/nominations/" + mine + "/deadline"},
		{"quantri", "POST", "/api/v1/users"},
		{"quantri", "PATCH", "/api/v1/users/u-xet.dian"},
		{"quantri", "POST", "/api/v1/users/u-xet.dian/password"},
		{"quantri", "POST", "/api/v1/holidays"},
		{"quantri", "POST", "/api/v1/units"},
		{"quantri", "PATCH", "/api/v1/units/so-gddt"},
	}
	type bad struct {
		name, contentType, token string
		body                     []byte
		status                   int
	}
	corpus := []bad{
		{"malformed JSON", "application/json", "", []byte(`{"comment":`), 400},
		{"trailing garbage", "application/json", "", []byte(`{} x`), 400},
		{"array for object", "application/json", "", []byte(`[1,2]`), 422},
		{"unknown field", "application/json", "", []byte(`{"is_admin":true}`), 422},
		{"wrong type", "application/json", "", []byte(`{"action":["approve"],"nominee_name":{"x":1},"opens_at":12,"working_days":"mười","comment":7,"reason":false,"code":3}`), 422},
		{"invalid UTF-8", "application/json", "", []byte("{\"comment\":\"\xff\xfe\"}"), 400},
		{"control character", "application/json", "", []byte(`{"reason":"a\u0007b","comment":"a\u0007b","name":"a\u0007b","nominee_name":"a\u0007b","action":"a\u0007b"}`), 422},
		{"oversize", "application/json", "", append([]byte(`{"comment":"`), append(bytes.Repeat([]byte("a"), 2<<20), '"', '}')...), 413},
		{"not JSON", "text/html", "", []byte(`<script>alert(1)</script>`), 415},
		{"expired token", "application/json", expired, []byte(`{}`), 401},
		{"forged token", "application/json", forged, []byte(`{}`), 401},
		{"alg none token", "application/json", none, []byte(`{}`), 401},
	}
	before := fingerprint(t, s.db)
	for _, ep := range endpoints {
		for _, c := range corpus {
			req, _ := http.NewRequest(ep.method, s.http.URL+ep.path, bytes.NewReader(c.body))
			req.Header.Set("Content-Type", c.contentType)
			tok := c.token
			if tok == "" {
				tok = s.token(ep.user)
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			var p map[string]any
			_ = json.Unmarshal(raw, &p)
			if res.StatusCode != c.status || res.Header.Get("Content-Type") != "application/problem+json" || p["detail"] == "" {
				t.Errorf("%s %s, %s: %d %s, want %d problem: %.300s", ep.method, ep.path, c.name, res.StatusCode,
					res.Header.Get("Content-Type"), c.status, raw)
			}
		}
	}
	// Another unit's nomination, path tricks and unknown IDs.
	for _, path := range []string{"/api/v1/nominations/" + others, "/api/v1/nominations/" + others + "/submit",
		"/api/v1/nominations/..%2F..%2Fetc%2Fpasswd/submit", "/api/v1/nominations/x'%20OR%20'1'='1/withdraw"} {
		method := "POST"
		if !strings.HasSuffix(path, "submit") && !strings.HasSuffix(path, "withdraw") {
			method = "PATCH"
		}
		res := s.call("donvi.donghoa", method, path, map[string]any{"nominee_name": "Chiếm quyền"})
		if res.status != http.StatusNotFound {
			t.Errorf("%s %s: %d, want 404: %s", method, path, res.status, res.raw)
		}
	}
	if after := fingerprint(t, s.db); after != before {
		t.Fatal("refused requests changed the database")
	}

	// Markup and SQL in text are not errors: stored literally, harmless.
	evil := `Robert'); DROP TABLE nominations;-- <img src=x onerror=alert(1)>`
	r = must(t, s.call("donvi.donghoa", "PATCH", "/api/v1/nominations/"+draft, map[string]any{"nominee_name": evil}), http.StatusOK, "markup")
	if r.str("nominee_name") != evil {
		t.Fatalf("stored %q", r.str("nominee_name"))
	}
	must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations?q="+url.QueryEscape("'; DROP TABLE nominations;--"), nil), http.StatusOK, "SQL in search")
	var n int64
	if err := s.db.Model(&models.Nomination{}).Count(&n).Error; err != nil || n != 3 {
		t.Fatalf("nominations table after SQL text: %d %v", n, err)
	}
}
