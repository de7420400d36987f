package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// These tests cover the endpoints that do not reach Temporal (the
// workflow paths are tested end to end in package e2e).

const testPassword = "mat-khau"

var testSecret = []byte(strings.Repeat("s", 32))

type env struct {
	t   *testing.T
	srv *httptest.Server
	s   *testServer
}

func newEnv(t *testing.T) *env { t.Helper(); return newEnvWith(t, nil) }

// newEnvWith is newEnv with the server configured by configure before
// its handler (and its service) is built.
func newEnvWith(t *testing.T, configure func(*testServer)) *env {
	t.Helper()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "api.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: testPassword}); err != nil {
		t.Fatal(err)
	}
	s := &testServer{DB: db, Log: slog.New(slog.DiscardHandler), MaxBodyBytes: 64 << 10,
		Tokens: auth.Tokens{Secret: testSecret, TTL: time.Hour, Issuer: "tdkt"}}
	if configure != nil {
		configure(s)
	}
	e := &env{t: t, s: s, srv: httptest.NewServer(s.Handler())}
	t.Cleanup(e.srv.Close)
	return e
}

func (e *env) token(user string) string {
	e.t.Helper()
	var u models.User
	if err := e.s.DB.First(&u, "username = ?", user).Error; err != nil {
		e.t.Fatal(err)
	}
	tok, _, err := e.s.Tokens.Issue(u.ID, u.Role, u.UnitID, u.Generation)
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

func (e *env) do(method, path, token, contentType string, body []byte) (int, http.Header, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return res.StatusCode, res.Header, m
}

func (e *env) countNominations() int64 {
	var n int64
	e.s.DB.Model(&models.Nomination{}).Count(&n)
	return n
}

func TestLogin(t *testing.T) {
	e := newEnv(t)
	body, _ := json.Marshal(map[string]string{"username": "xet.dian", "password": testPassword})
	code, _, m := e.do("POST", "/api/v1/auth/login", "", "application/json", body)
	if code != 200 || m["token"] == nil || m["expires_at"] == nil {
		t.Fatalf("login: %d %v", code, m)
	}
	code, _, me := e.do("GET", "/api/v1/me", m["token"].(string), "", nil)
	if code != 200 || me["level"] != "district" || me["role"] != "reviewer" {
		t.Fatalf("me: %d %v", code, me)
	}
	for _, creds := range []map[string]string{
		{"username": "xet.dian", "password": "sai"},
		{"username": "khong-co", "password": testPassword},
	} {
		body, _ := json.Marshal(creds)
		if code, _, m := e.do("POST", "/api/v1/auth/login", "", "application/json", body); code != 401 || m["status"] != float64(401) {
			t.Errorf("login %v: %d %v", creds, code, m)
		}
	}
	code, _, m = e.do("POST", "/api/v1/auth/login", "", "application/json", []byte(`{"username":""}`))
	if code != 422 || len(m["errors"].([]any)) != 2 {
		t.Errorf("empty login: %d %v", code, m)
	}
}

func TestTokensRefused(t *testing.T) {
	e := newEnv(t)
	expired := auth.Tokens{Secret: testSecret, TTL: time.Hour, Issuer: "tdkt",
		Now: func() time.Time { return time.Now().Add(-3 * time.Hour) }}
	old, _, _ := expired.Issue("u-xet.dian", "reviewer", "huyen-di-an", 0)
	forged, _, _ := auth.Tokens{Secret: []byte(strings.Repeat("x", 32)), TTL: time.Hour, Issuer: "tdkt"}.Issue("u-quantri", "admin", "binh-duong", 0)
	none, _ := jwt.NewWithClaims(jwt.SigningMethodNone, jwt.MapClaims{"sub": "u-quantri", "iss": "tdkt",
		"exp": time.Now().Add(time.Hour).Unix()}).SignedString(jwt.UnsafeAllowNoneSignatureType)
	ghost, _, _ := e.s.Tokens.Issue("u-deleted", "admin", "binh-duong", 0)
	for name, tok := range map[string]string{"none": "", "expired": old, "forged": forged, "alg none": none, "unknown user": ghost, "garbage": "abc"} {
		code, h, m := e.do("GET", "/api/v1/nominations", tok, "", nil)
		if code != 401 || h.Get("Content-Type") != "application/problem+json" || m["type"] != "/problems/unauthorized" {
			t.Errorf("%s token: %d %s %v", name, code, h.Get("Content-Type"), m)
		}
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	valid := `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"Nguyễn Văn A","award":"bang-khen-tinh"}`
	cases := []struct {
		name, ct, body string
		status         int
		pointer        string
	}{
		{"malformed", "application/json", `{"round_id":`, 400, ""},
		{"not json", "text/plain", valid, 415, ""},
		{"wrong type", "application/json", `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":42,"award":"bang-khen-tinh"}`, 422, "/nominee_name"},
		{"unknown field", "application/json", `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"A","award":"bang-khen-tinh","admin":true}`, 422, "/admin"},
		{"invalid utf-8", "application/json", "{\"round_id\":\"so-ket-2025\",\"nominee_kind\":\"individual\",\"nominee_name\":\"\xff\xfe\",\"award\":\"bang-khen-tinh\"}", 400, ""},
		{"control char", "application/json", `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"A\u0000B","award":"bang-khen-tinh"}`, 422, "/nominee_name"},
		{"control in dossier", "application/json", `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"A","award":"bang-khen-tinh","dossier":{"x":["ok","\u001b[31m"]}}`, 422, "/dossier/x/1"},
		{"dossier not object", "application/json", `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"A","award":"bang-khen-tinh","dossier":[1]}`, 422, "/dossier"},
		{"unknown award", "application/json", `{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"A","award":"huan-chuong"}`, 422, "/award"},
		{"unknown round", "application/json", `{"round_id":"khong-co","nominee_kind":"individual","nominee_name":"A","award":"bang-khen-tinh"}`, 422, "/round_id"},
		{"trailing data", "application/json", valid + `{}`, 400, ""},
		{"oversize", "application/json", `{"round_id":"` + strings.Repeat("a", 70<<10) + `"}`, 413, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, h, m := e.do("POST", "/api/v1/nominations", tok, c.ct, []byte(c.body))
			if code != c.status {
				t.Fatalf("status %d, want %d: %v", code, c.status, m)
			}
			if h.Get("Content-Type") != "application/problem+json" || m["status"] != float64(c.status) || m["detail"] == "" || m["request_id"] == "" {
				t.Fatalf("not a problem document: %s %v", h.Get("Content-Type"), m)
			}
			if c.pointer != "" {
				found := false
				for _, fe := range m["errors"].([]any) {
					f := fe.(map[string]any)
					if f["pointer"] == c.pointer && f["message"] != "" && f["message_en"] != "" {
						found = true
					}
				}
				if !found {
					t.Fatalf("no error at %s: %v", c.pointer, m["errors"])
				}
			}
			if n := e.countNominations(); n != 0 {
				t.Fatalf("%d nominations stored after bad input", n)
			}
		})
	}
}

func TestTextIsNormalized(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	nfd := norm.NFD.String("Nguyễn Thị Hồng")
	body, _ := json.Marshal(map[string]any{"round_id": "thu-nghiem", "nominee_kind": "individual",
		"nominee_name": "  " + nfd + " ", "award": "bang-khen-tinh",
		"dossier": map[string]any{"notes": []any{norm.NFD.String("Học tập suốt đời"), "<script>alert(1)</script>"}}})
	code, _, m := e.do("POST", "/api/v1/nominations", tok, "application/json", body)
	if code != 201 {
		t.Fatalf("create: %d %v", code, m)
	}
	if m["nominee_name"] != "Nguyễn Thị Hồng" {
		t.Fatalf("name %q not trimmed NFC", m["nominee_name"])
	}
	notes := m["dossier"].(map[string]any)["notes"].([]any)
	if notes[0] != "Học tập suốt đời" || notes[1] != "<script>alert(1)</script>" {
		t.Fatalf("dossier strings: %q", notes)
	}
	// Accent-insensitive search finds it.
	code, _, list := e.do("GET", "/api/v1/nominations?q=nguyen+thi+hong", tok, "", nil)
	if code != 200 || list["total"] != float64(1) {
		t.Fatalf("search: %d %v", code, list)
	}
}

func TestScopes(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"Lê Văn B","award":"bang-khen-tinh"}`)
	code, _, m := e.do("POST", "/api/v1/nominations", e.token("donvi.donghoa"), "application/json", body)
	if code != 201 {
		t.Fatalf("create: %d %v", code, m)
	}
	id := m["id"].(string)
	// Another body, and a reviewer (a draft has no route yet), see nothing.
	for _, user := range []string{"donvi.chuyenhungvuong", "xet.dian"} {
		if code, _, _ := e.do("GET", "/api/v1/nominations/"+id, e.token(user), "", nil); code != 404 {
			t.Errorf("%s sees another unit's draft: %d", user, code)
		}
		if code, _, m := e.do("GET", "/api/v1/nominations", e.token(user), "", nil); code != 200 || m["total"] != float64(0) {
			t.Errorf("%s lists another unit's draft: %d %v", user, code, m)
		}
	}
	// Another body cannot edit it; a reviewer may not create nominations;
	// a nominator may not create rounds.
	if code, _, _ := e.do("PATCH", "/api/v1/nominations/"+id, e.token("donvi.chuyenhungvuong"), "application/json", []byte(`{"nominee_name":"X"}`)); code != 404 {
		t.Errorf("other body patches: %d", code)
	}
	if code, _, _ := e.do("POST", "/api/v1/nominations", e.token("xet.dian"), "application/json", body); code != 403 {
		t.Errorf("reviewer creates: %d", code)
	}
	if code, _, _ := e.do("POST", "/api/v1/rounds", e.token("donvi.donghoa"), "application/json", []byte(`{}`)); code != 403 {
		t.Errorf("nominator creates a round: %d", code)
	}
	// The owner edits; the name stays searchable.
	if code, _, m := e.do("PATCH", "/api/v1/nominations/"+id, e.token("donvi.donghoa"), "application/json", []byte(`{"nominee_name":"Lê Văn Bình"}`)); code != 200 || m["nominee_name"] != "Lê Văn Bình" {
		t.Errorf("owner patches: %d %v", code, m)
	}
}

func TestRounds(t *testing.T) {
	e := newEnv(t)
	admin := e.token("quantri")
	good := map[string]any{"code": "hang-nam-2027", "name": "Khen thưởng hằng năm 2027", "kind": "annual",
		"period_from": 2027, "period_to": 2027, "opens_at": "2027-01-01T00:00:00+07:00", "closes_at": "2027-11-20T17:00:00+07:00",
		"chain": "two-tier", "reference_date": "2027-01-01", "due_working_days": 10, "awards": []string{"giay-khen-xa", "bang-khen-tinh"}}
	body, _ := json.Marshal(good)
	if code, _, m := e.do("POST", "/api/v1/rounds", admin, "application/json", body); code != 201 || m["code"] != "hang-nam-2027" {
		t.Fatalf("create round: %d %v", code, m)
	}
	if code, _, _ := e.do("POST", "/api/v1/rounds", admin, "application/json", body); code != 409 {
		t.Fatalf("duplicate round code: %d", code)
	}
	bad := map[string]any{"code": "X", "name": "", "kind": "weekly", "period_from": 2020, "period_to": 2019,
		"opens_at": "2027-02-01T00:00:00Z", "closes_at": "2027-01-01T00:00:00Z", "chain": "one-tier",
		"reference_date": "01/01/2027", "due_working_days": 0, "awards": []string{"huan-chuong"}}
	body, _ = json.Marshal(bad)
	code, _, m := e.do("POST", "/api/v1/rounds", admin, "application/json", body)
	if code != 422 {
		t.Fatalf("bad round: %d %v", code, m)
	}
	got := map[string]bool{}
	for _, fe := range m["errors"].([]any) {
		got[fe.(map[string]any)["pointer"].(string)] = true
	}
	for _, p := range []string{"/code", "/name", "/kind", "/period_to", "/closes_at", "/chain", "/reference_date", "/due_working_days", "/awards/0"} {
		if !got[p] {
			t.Errorf("no error at %s (got %v)", p, got)
		}
	}
	// A quota for a district in a round after the district level was
	// abolished names a unit not in force at the round's reference date.
	late := maps.Clone(good)
	late["code"] = "hang-nam-2027-b"
	late["quotas"] = []map[string]any{{"unit_id": seed.NewCommuneID("Phường Đông Hòa"), "award": "bang-khen-tinh", "max": 2},
		{"unit_id": seed.DistrictID("di-an"), "award": "bang-khen-tinh", "max": 2}}
	body, _ = json.Marshal(late)
	code, _, m = e.do("POST", "/api/v1/rounds", admin, "application/json", body)
	if code != 422 || len(m["errors"].([]any)) != 1 || m["errors"].([]any)[0].(map[string]any)["pointer"] != "/quotas/1/unit_id" {
		t.Fatalf("quota of a unit not in force: %d %v", code, m)
	}
	code, _, m = e.do("GET", "/api/v1/rounds", e.token("donvi.donghoa"), "", nil)
	if code != 200 || m["total"] != float64(6) {
		t.Fatalf("list rounds: %d %v", code, m)
	}
}

func TestRouterErrorsAreProblems(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		method, path string
		status       int
	}{
		{"GET", "/api/v1/khong-co", 404},
		{"DELETE", "/healthz", 405},
		{"DELETE", "/api/v1/rounds", 405},
		{"PUT", "/api/v1/nominations/x", 405},
		{"GET", "/api/v1/nominations/../../etc/passwd", 404},
		{"GET", "/api/v1/nominations/%FF", 400},
		{"GET", "/api/v1/nominations?status=%FF", 400},
		{"GET", "/api/v1/nominations?q=a%00b", 400},
	} {
		code, h, m := e.do(c.method, c.path, e.token("quantri"), "", nil)
		if code != c.status || h.Get("Content-Type") != "application/problem+json" || h.Get("X-Request-Id") == "" || m["request_id"] != h.Get("X-Request-Id") {
			t.Errorf("%s %s: %d %s %v", c.method, c.path, code, h.Get("Content-Type"), m)
		}
	}
	code, _, m := e.do("GET", "/api/v1/units?kind=commune", e.token("quantri"), "", nil)
	if code != 200 || m["total"].(float64) < 90 {
		t.Fatalf("units: %d total %v", code, m["total"])
	}
}

func TestLockoutRateLimitAndLogout(t *testing.T) {
	e := newEnv(t)
	login := func(user, pw string) (int, http.Header, map[string]any) {
		body, _ := json.Marshal(map[string]string{"username": user, "password": pw})
		return e.do("POST", "/api/v1/auth/login", "", "application/json", body)
	}
	for i := 0; i < 4; i++ {
		if code, _, _ := login("xet.dian", "sai"); code != 401 {
			t.Fatalf("wrong password %d: %d", i, code)
		}
	}
	code, h, m := login("xet.dian", "sai")
	if code != 429 || h.Get("Retry-After") == "" || m["type"] != "/problems/rate-limited" {
		t.Fatalf("fifth wrong password: %d %v %v", code, h, m)
	}
	if code, _, _ := login("xet.dian", testPassword); code != 429 {
		t.Fatalf("right password during lock-out: %d", code)
	}
	// Another account is not locked, and the right password clears the count.
	code, _, m = login("xet.sogddt", testPassword)
	if code != 200 {
		t.Fatalf("other account: %d %v", code, m)
	}
	tok := m["token"].(string)

	// The per-IP limit: by now 7 attempts; a burst of 10 is allowed.
	limited := false
	for i := 0; i < 6; i++ {
		code, h, _ := login("khong-co", "x")
		if code == 429 && h.Get("Retry-After") != "" {
			limited = true
		}
	}
	if !limited {
		t.Fatal("13 login attempts from one address within a second were not limited")
	}

	if code, _, _ := e.do("GET", "/api/v1/me", tok, "", nil); code != 200 {
		t.Fatalf("token before logout: %d", code)
	}
	if code, _, _ := e.do("POST", "/api/v1/auth/logout", tok, "", nil); code != 204 {
		t.Fatalf("logout: %d", code)
	}
	if code, _, _ := e.do("GET", "/api/v1/me", tok, "", nil); code != 401 {
		t.Fatalf("token after logout: %d", code)
	}
}

// TestLockoutDoesNotRevealAccounts: a username without an account locks
// out like an account, with the same answer, so the lock-out does not
// tell which usernames exist.
func TestLockoutDoesNotRevealAccounts(t *testing.T) {
	e := newEnv(t)
	fifth := func(user string) (int, http.Header, map[string]any) {
		body, _ := json.Marshal(map[string]string{"username": user, "password": "sai"})
		for i := 0; i < 4; i++ {
			if code, _, m := e.do("POST", "/api/v1/auth/login", "", "application/json", body); code != 401 {
				t.Fatalf("%s, wrong password %d: %d %v", user, i, code, m)
			}
		}
		return e.do("POST", "/api/v1/auth/login", "", "application/json", body)
	}
	code, h, m := fifth("xet.dian")
	if code != 429 || h.Get("Retry-After") != "900" || !strings.Contains(m["detail"].(string), "15 phút") {
		t.Fatalf("an account's fifth failure: %d %v %v", code, h, m)
	}
	uCode, uH, uM := fifth("khong.ton.tai")
	if uCode != code || uH.Get("Retry-After") != h.Get("Retry-After") || uM["detail"] != m["detail"] || uM["type"] != m["type"] {
		t.Fatalf("unknown user's fifth failure: %d %v %v, an account's: %d %v %v", uCode, uH, uM, code, h, m)
	}
}

func TestExportsAndSorting(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	for _, name := range []string{"Trần Văn Bình", "=HYPERLINK(\"http://x\")", "Âu Thị An"} {
		body, _ := json.Marshal(map[string]any{"round_id": "thu-nghiem", "nominee_kind": "individual",
			"nominee_name": name, "award": "bang-khen-tinh"})
		if code, _, m := e.do("POST", "/api/v1/nominations", tok, "application/json", body); code != 201 {
			t.Fatalf("create: %d %v", code, m)
		}
	}
	code, _, m := e.do("GET", "/api/v1/nominations?sort=nominee_name", tok, "", nil)
	if code != 200 {
		t.Fatalf("sorted list: %d %v", code, m)
	}
	var names []string
	for _, it := range m["items"].([]any) {
		names = append(names, it.(map[string]any)["nominee_name"].(string))
	}
	// Sorted by the folded name: "=hyperlink…", "au thi an", "tran van binh".
	if len(names) != 3 || names[1] != "Âu Thị An" || names[2] != "Trần Văn Bình" {
		t.Fatalf("order %q", names)
	}
	if code, _, _ := e.do("GET", "/api/v1/nominations?sort=password_hash", tok, "", nil); code != 422 {
		t.Fatalf("unknown sort key: %d", code)
	}

	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/nominations.csv?sort=-nominee_name", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	text := strings.TrimPrefix(string(raw), "\uFEFF")
	if len(text) == len(raw) {
		t.Fatal("csv has no UTF-8 BOM")
	}
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "STT,Mã hồ sơ,Đối tượng") ||
		!strings.Contains(lines[1], "Trần Văn Bình") || !strings.Contains(lines[1], "Đang soạn") {
		t.Fatalf("csv lines %q", lines)
	}
	if !strings.Contains(text, `"'=HYPERLINK(""http://x"")"`) {
		t.Fatalf("formula not neutralised: %s", text)
	}

	req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/nominations.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	f, err := excelize.OpenReader(res.Body)
	if err != nil {
		t.Fatalf("xlsx unreadable: %v", err)
	}
	rows, err := f.GetRows("Danh sách")
	if err != nil || len(rows) != 4 || rows[0][2] != "Đối tượng" || rows[0][4] != "Hình thức khen thưởng" {
		t.Fatalf("xlsx rows %q %v", rows, err)
	}
	found := false
	for _, r := range rows[1:] {
		if r[2] == "Âu Thị An" && r[4] == "Bằng khen của Chủ tịch UBND thành phố" && r[6] == "Phường Đông Hòa" {
			found = true
		}
	}
	if !found {
		t.Fatalf("xlsx lacks the expected row: %q", rows)
	}
	// Another unit's clerk exports nothing of ours.
	req, _ = http.NewRequest("GET", e.srv.URL+"/api/v1/nominations.csv", nil)
	req.Header.Set("Authorization", "Bearer "+e.token("donvi.chuyenhungvuong"))
	res2, _ := http.DefaultClient.Do(req)
	raw, _ = io.ReadAll(res2.Body)
	res2.Body.Close()
	if strings.Count(strings.TrimSpace(string(raw)), "\n") != 0 {
		t.Fatalf("other unit's export has rows: %s", raw)
	}
}

func TestHygiene(t *testing.T) {
	e := newEnv(t)
	// Without Temporal the service is alive but not ready.
	if code, _, _ := e.do("GET", "/healthz", "", "", nil); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	code, h, m := e.do("GET", "/readyz", "", "", nil)
	if code != 503 || h.Get("Content-Type") != "application/problem+json" || !strings.Contains(m["detail_en"].(string), "temporal=") {
		t.Fatalf("readyz without Temporal: %d %v", code, m)
	}
	for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
		"Content-Security-Policy": csp, "Referrer-Policy": "same-origin"} {
		if got := h.Get(name); got != want {
			t.Errorf("header %s = %q, want %q", name, got, want)
		}
	}

	// CORS answers only the configured origins.
	e.s.AllowOrigins = []string{"https://tdkt.binhduong.gov.vn"}
	srv := httptest.NewServer(e.s.Handler())
	defer srv.Close()
	for origin, allowed := range map[string]bool{"https://tdkt.binhduong.gov.vn": true, "https://evil.example": false} {
		req, _ := http.NewRequest("OPTIONS", srv.URL+"/api/v1/nominations", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if got := res.Header.Get("Access-Control-Allow-Origin") == origin; got != allowed {
			t.Errorf("preflight from %s: allow-origin %q", origin, res.Header.Get("Access-Control-Allow-Origin"))
		}
	}

	// A panic in a handler is a 500 problem without internals.
	ech := e.s.Handler()
	ech.GET("/boom", func(echo.Context) error { panic("secret internal detail") })
	rec := httptest.NewRecorder()
	ech.ServeHTTP(rec, httptest.NewRequest("GET", "/boom", nil))
	if rec.Code != 500 || strings.Contains(rec.Body.String(), "secret") || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("panic: %d %s", rec.Code, rec.Body.String())
	}
}

func TestUnitMustExistInTheRound(t *testing.T) {
	e := newEnv(t)
	// A district nominator: districts were abolished on 1 July 2025.
	e.s.DB.Create(&models.User{ID: "u-huyen", Username: "donvi.huyen", FullName: "Văn thư huyện", Role: models.RoleNominator,
		UnitID: seed.DistrictID("di-an"), PasswordHash: "x"})
	body := []byte(`{"round_id":"tong-ket-2030","nominee_kind":"collective","nominee_name":"Phòng GD&ĐT","award":"bang-khen-tinh"}`)
	code, _, m := e.do("POST", "/api/v1/nominations", e.token("donvi.huyen"), "application/json", body)
	if code != 422 || !strings.Contains(fmt.Sprint(m["errors"]), "/round_id") {
		t.Fatalf("district body in a 2030 round: %d %v", code, m)
	}
	body = []byte(`{"round_id":"thu-nghiem","nominee_kind":"collective","nominee_name":"Phòng GD&ĐT","award":"bang-khen-tinh"}`)
	if code, _, m := e.do("POST", "/api/v1/nominations", e.token("donvi.huyen"), "application/json", body); code != 201 {
		t.Fatalf("district body in a three-tier round: %d %v", code, m)
	}
}

func TestSearchEscapesWildcards(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	for _, name := range []string{"Chi hội 50% hội viên", "Chi hội 500 hội viên", "Tổ a_b", "Tổ axb"} {
		body, _ := json.Marshal(map[string]any{"round_id": "thu-nghiem", "nominee_kind": "collective", "nominee_name": name, "award": "bang-khen-tinh"})
		if code, _, m := e.do("POST", "/api/v1/nominations", tok, "application/json", body); code != 201 {
			t.Fatalf("create %q: %d %v", name, code, m)
		}
	}
	for q, want := range map[string]float64{"50%25": 1, "a_b": 1, "hoi": 2} {
		if code, _, m := e.do("GET", "/api/v1/nominations?q="+q, tok, "", nil); code != 200 || m["total"] != want {
			t.Errorf("q=%s: %d total %v, want %v", q, code, m["total"], want)
		}
	}
}

func (e *env) upload(token, id, name string, data []byte) (int, map[string]any) {
	e.t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	code, _, m := e.do("POST", "/api/v1/nominations/"+id+"/attachments", token, w.FormDataContentType(), b.Bytes())
	return code, m
}

func TestAttachments(t *testing.T) {
	dir := t.TempDir()
	e := newEnvWith(t, func(s *testServer) { s.MaxUploadBytes, s.DataDir = 4<<10, dir })
	tok := e.token("donvi.donghoa")
	body := []byte(`{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"Lê Thị Hạnh","award":"bang-khen-tinh"}`)
	_, _, m := e.do("POST", "/api/v1/nominations", tok, "application/json", body)
	id := m["id"].(string)

	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 100)...)
	code, m := e.upload(tok, id, "../../etc/Biên bản họp.pdf", pdf)
	if code != 201 || m["file_name"] != "Biên bản họp.pdf" || m["content_type"] != "application/pdf" || m["size"] != float64(len(pdf)) {
		t.Fatalf("upload: %d %v", code, m)
	}
	fileID := m["id"].(string)
	if entries, _ := os.ReadDir(filepath.Join(e.s.DataDir, "attachments")); len(entries) != 1 || entries[0].Name() != fileID {
		t.Fatalf("stored as %v, want only %s", entries, fileID)
	}
	png := []byte("\x89PNG\r\n\x1a\n....")
	if code, m := e.upload(tok, id, "anh.jpg", png); code != 201 || m["content_type"] != "image/png" {
		t.Fatalf("PNG named .jpg: %d %v", code, m)
	}
	for name, data := range map[string][]byte{"gia.pdf": []byte("<html>not a pdf</html>"), "virus.exe": []byte("MZ\x90\x00")} {
		if code, m := e.upload(tok, id, name, data); code != 422 {
			t.Errorf("%s: %d %v", name, code, m)
		}
	}
	if code, _ := e.upload(tok, id, "lon.pdf", append([]byte("%PDF-"), bytes.Repeat([]byte("x"), 8<<10)...)); code != 413 {
		t.Errorf("oversize: %d", code)
	}
	other := e.token("donvi.chuyenhungvuong")
	if code, _ := e.upload(other, id, "x.pdf", pdf); code != 404 {
		t.Errorf("other unit uploads: %d", code)
	}
	code, _, list := e.do("GET", "/api/v1/nominations/"+id+"/attachments", tok, "", nil)
	if code != 200 || list["total"] != float64(2) {
		t.Fatalf("list: %d %v", code, list)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/nominations/"+id+"/attachments/"+fileID, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !bytes.Equal(got, pdf) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("download: %d %q %s", res.StatusCode, res.Header.Get("Content-Disposition"), got[:10])
	}
	if code, _, _ := e.do("GET", "/api/v1/nominations/"+id+"/attachments/"+fileID, other, "", nil); code != 404 {
		t.Errorf("other unit downloads: %d", code)
	}
}

func TestExcelImport(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/nominations/import-template.xlsx", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("template: %d", res.StatusCode)
	}
	upload := func(book []byte) (int, map[string]any) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		fw, _ := w.CreateFormFile("file", "ho-so.xlsx")
		fw.Write(book)
		w.Close()
		code, _, m := e.do("POST", "/api/v1/nominations/import?round=thu-nghiem", tok, w.FormDataContentType(), b.Bytes())
		return code, m
	}
	edit := func(book []byte, change func(f *excelize.File)) []byte {
		f, err := excelize.OpenReader(bytes.NewReader(book))
		if err != nil {
			t.Fatal(err)
		}
		change(f)
		var out bytes.Buffer
		if err := f.Write(&out); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	// The template as it is: its example rows, one per nominee kind, are
	// refused, each by its sheet and row.
	code, m := upload(tmpl)
	if code != 422 || len(m["errors"].([]any)) != len(forms.Kinds()) ||
		m["errors"].([]any)[0].(map[string]any)["pointer"] != "/Cá nhân/2" {
		t.Fatalf("import the template unchanged: %d %v", code, m)
	}
	// Every example row with its achievements written anew: six drafts,
	// one per kind.
	filled := edit(tmpl, func(f *excelize.File) {
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for j, h := range rows[0] {
				if strings.HasPrefix(h, "Thành tích") || strings.HasPrefix(h, "Kết quả thực hiện") {
					cellName, _ := excelize.CoordinatesToCellName(j+1, 2)
					f.SetCellValue(sheet, cellName, rows[1][j]+" Năm 2026 tiếp tục duy trì 100% chỉ tiêu.")
				}
			}
		}
	})
	code, m = upload(filled)
	if code != 201 || m["created"] != float64(len(forms.Kinds())) {
		t.Fatalf("import the filled template: %d %v", code, m)
	}
	kinds := map[string]bool{}
	for _, id := range m["ids"].([]any) {
		var n models.Nomination
		if err := e.s.DB.First(&n, "id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		kinds[n.NomineeKind] = true
		if n.Status != "draft" || n.Award != "bang-khen-tinh" || n.NomineeName == "" {
			t.Fatalf("imported %+v", n)
		}
	}
	if len(kinds) != len(forms.Kinds()) {
		t.Fatalf("imported kinds %v", kinds)
	}
	setRow := func(f *excelize.File, sheet string, line int, r []string) {
		vals := make([]any, len(r))
		for j, v := range r {
			vals[j] = v
		}
		f.SetSheetRow(sheet, "A"+strconv.Itoa(line), &vals)
	}
	// Two more individuals, one of them wrong, and a collective written with
	// an abbreviation: nothing is imported; each error names its sheet, row
	// and column.
	book := edit(filled, func(f *excelize.File) {
		rows, _ := f.GetRows("Cá nhân")
		good := append([]string(nil), rows[1]...)
		good[0], good[3] = "Trần Thị Mai", "074185777777"
		bad := append([]string(nil), rows[1]...)
		bad[0], bad[3], bad[9] = "Lê Văn Tư", "12AB", ""
		setRow(f, "Cá nhân", 3, good)
		setRow(f, "Cá nhân", 4, bad)
		rows, _ = f.GetRows("Tập thể")
		abbr := append([]string(nil), rows[1]...)
		abbr[0] = "Trường THPT Bình Phú"
		setRow(f, "Tập thể", 2, abbr)
	})
	before := e.countNominations()
	code, m = upload(book)
	if code != 422 {
		t.Fatalf("import with a bad row: %d %v", code, m)
	}
	pointers := map[string]bool{}
	for _, fe := range m["errors"].([]any) {
		pointers[fe.(map[string]any)["pointer"].(string)] = true
	}
	if !pointers["/Cá nhân/4/D"] || !pointers["/Cá nhân/4/J"] || !pointers["/Tập thể/2/A"] || len(pointers) != 3 {
		t.Fatalf("errors %v, want Cá nhân row 4 columns D (CCCD) and J (achievements), Tập thể row 2 column A (name)", pointers)
	}
	if e.countNominations() != before {
		t.Fatal("a rejected import created nominations")
	}
	// Only the households' sheet left, the award written by its name rather
	// than its code; a workbook from another template is refused by its
	// header.
	book = edit(filled, func(f *excelize.File) {
		for _, sh := range []string{"Cá nhân", "Dòng họ", "Tập thể", "Doanh nghiệp", "Cộng đồng"} {
			f.DeleteSheet(sh)
		}
		rows, _ := f.GetRows("Hộ gia đình")
		for j, h := range rows[0] {
			if strings.HasPrefix(h, "Hình thức khen thưởng") {
				cellName, _ := excelize.CoordinatesToCellName(j+1, 2)
				f.SetCellValue("Hộ gia đình", cellName, "bằng khen của chủ tịch UBND tỉnh")
			}
		}
	})
	if code, m = upload(book); code != 201 || m["created"] != float64(1) {
		t.Fatalf("households only: %d %v", code, m)
	}
	// The same person twice: the second row is at fault, by its name; a
	// renamed sheet is not left out in silence.
	book = edit(filled, func(f *excelize.File) {
		rows, _ := f.GetRows("Cá nhân")
		twice := append([]string(nil), rows[1]...)
		twice[3] = "074185888888"
		setRow(f, "Cá nhân", 3, twice)
	})
	code, m = upload(book)
	pointers = map[string]bool{}
	for _, fe := range m["errors"].([]any) {
		pointers[fe.(map[string]any)["pointer"].(string)] = true
	}
	if code != 422 || !pointers["/Cá nhân/3/A"] || len(pointers) != 1 {
		t.Fatalf("a name twice: %d %v", code, pointers)
	}
	book = edit(filled, func(f *excelize.File) { f.SetSheetName("Dòng họ", "Dong ho") })
	if code, m = upload(book); code != 422 || !strings.Contains(fmt.Sprint(m["errors"]), "pointer:/Dong ho") {
		t.Fatalf("a renamed sheet: %d %v", code, m)
	}
	book = edit(filled, func(f *excelize.File) { f.SetCellValue("Cá nhân", "D1", "CCCD") })
	if code, m = upload(book); code != 422 || !strings.Contains(fmt.Sprint(m["errors"]), "/Cá nhân/1/D") {
		t.Fatalf("old header: %d %v", code, m)
	}
	if e.countNominations() != before+1 {
		t.Fatal("a refused workbook created nominations")
	}
	if code, _ := upload([]byte("not a workbook")); code != 422 {
		t.Fatalf("garbage upload: %d", code)
	}
}

func TestCreateIsIdempotent(t *testing.T) {
	e := newEnv(t)
	tok := e.token("donvi.donghoa")
	body := []byte(`{"round_id":"thu-nghiem","nominee_kind":"individual","nominee_name":"Hà Thị Thu","award":"bang-khen-tinh"}`)
	var ids []string
	for i := 0; i < 2; i++ {
		req, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/nominations", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Idempotency-Key", "tao-ho-so-1")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		json.NewDecoder(res.Body).Decode(&m)
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("create %d: %d %v", i, res.StatusCode, m)
		}
		ids = append(ids, m["id"].(string))
	}
	if ids[0] != ids[1] || e.countNominations() != 1 {
		t.Fatalf("two creations with one key: %v, %d stored", ids, e.countNominations())
	}
}
