package api

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// call sends a JSON body (nil: none) and returns the status and answer.
func (e *env) call(method, path, token string, body any) (int, map[string]any) {
	e.t.Helper()
	var raw []byte
	ct := ""
	if body != nil {
		raw, _ = json.Marshal(body)
		ct = "application/json"
	}
	code, _, m := e.do(method, path, token, ct, raw)
	return code, m
}

// pointers lists the JSON pointers of a problem's field errors.
func pointers(m map[string]any) []string {
	var out []string
	errs, _ := m["errors"].([]any)
	for _, e := range errs {
		out = append(out, e.(map[string]any)["pointer"].(string))
	}
	sort.Strings(out)
	return out
}

// usernames lists the usernames of GET /users.
func usernames(m map[string]any) map[string]bool {
	out := map[string]bool{}
	items, _ := m["items"].([]any)
	for _, it := range items {
		out[it.(map[string]any)["username"].(string)] = true
	}
	return out
}

func (e *env) audits(action, target string) int64 {
	var n int64
	e.s.DB.Model(&models.AuditEvent{}).Where("action = ? AND target = ?", action, target).Count(&n)
	return n
}

func TestUsers(t *testing.T) {
	e := newEnv(t)
	admin := e.token("quantri")
	code, m := e.call("GET", "/api/v1/users", admin, nil)
	if code != 200 || m["total"] != float64(len(seed.DemoUsers)) {
		t.Fatalf("list as the province's admin: %d %v", code, m)
	}
	if strings.Contains(func() string { b, _ := json.Marshal(m); return string(b) }(), "argon2") {
		t.Fatal("the list shows password hashes")
	}
	// Pages of 5 cover every account once, in username order.
	seen := map[string]bool{}
	for page := 1; page <= (len(seed.DemoUsers)+4)/5; page++ {
		code, m := e.call("GET", fmt.Sprintf("/api/v1/users?per_page=5&page=%d", page), admin, nil)
		if code != 200 || m["total"] != float64(len(seed.DemoUsers)) || len(m["items"].([]any)) > 5 {
			t.Fatalf("page %d: %d %v", page, code, m)
		}
		for u := range usernames(m) {
			if seen[u] {
				t.Fatalf("%s on two pages", u)
			}
			seen[u] = true
		}
	}
	if len(seen) != len(seed.DemoUsers) {
		t.Fatalf("the pages hold %d of %d accounts", len(seen), len(seed.DemoUsers))
	}
	if code, _ := e.call("GET", "/api/v1/users?per_page=0", admin, nil); code != 422 {
		t.Fatalf("per_page=0: %d", code)
	}
	if code, m := e.call("GET", "/api/v1/users?q=dong%20hoa&role=reviewer", admin, nil); code != 200 || len(usernames(m)) != 1 || !usernames(m)["xet.donghoa"] {
		t.Fatalf("filtered list: %d %v", code, m)
	}
	if code, _ := e.call("GET", "/api/v1/users", e.token("canbo.sonoivu"), nil); code != 403 {
		t.Fatalf("Interior lists users: %d", code)
	}

	// Every field is checked, each error by its pointer.
	code, m = e.call("POST", "/api/v1/users", admin, map[string]any{"username": "A b", "full_name": "", "email": "not mail",
		"role": "chief", "unit_id": "", "password": "short"})
	if got := strings.Join(pointers(m), " "); code != 422 || got != "/email /full_name /password /role /unit_id /username" {
		t.Fatalf("invalid user: %d %s", code, got)
	}
	code, m = e.call("POST", "/api/v1/users", admin, map[string]any{"username": "xet.truong", "full_name": "Giáo viên",
		"role": "reviewer", "unit_id": "thpt-chuyen-hung-vuong", "password": "xet.truong"})
	if got := strings.Join(pointers(m), " "); code != 422 || got != "/password /role" {
		t.Fatalf("reviewer at a school, password = username: %d %s", code, got)
	}
	if code, m = e.call("POST", "/api/v1/users", admin, map[string]any{"username": "x.y", "full_name": "X", "role": "nominator",
		"unit_id": "khong-co", "password": "mat-khau-dai-du"}); code != 422 || pointers(m)[0] != "/unit_id" {
		t.Fatalf("unknown unit: %d %v", code, m)
	}

	// An administrator for the Department of Education.
	newAdmin := map[string]any{"username": "quantri.sogddt", "full_name": "Quản trị Sở GD&ĐT", "email": "qt@sogddt.local",
		"role": "admin", "unit_id": seed.EducationID, "password": "mat-khau-so-gddt"}
	code, m = e.call("POST", "/api/v1/users", admin, newAdmin)
	if code != 201 || m["username"] != "quantri.sogddt" || m["disabled"] != false || m["unit_name"] == "" || m["password"] != nil {
		t.Fatalf("create: %d %v", code, m)
	}
	if e.audits("user.create", "quantri.sogddt") != 1 {
		t.Fatal("the creation was not audited")
	}
	if code, m = e.call("POST", "/api/v1/users", admin, newAdmin); code != 409 || pointers(m)[0] != "/username" {
		t.Fatalf("taken username: %d %v", code, m)
	}
	code, m = e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "quantri.sogddt", "password": "mat-khau-so-gddt"})
	if code != 200 {
		t.Fatalf("the new admin cannot log in: %d %v", code, m)
	}
	dept := m["token"].(string)

	// It manages the department and its schools, nothing else.
	_, m = e.call("GET", "/api/v1/users", dept, nil)
	if got := usernames(m); len(got) != 3 || !got["quantri.sogddt"] || !got["xet.sogddt"] || !got["donvi.chuyenhungvuong"] {
		t.Fatalf("the department's admin sees %v", got)
	}
	teacher := map[string]any{"username": "donvi.dian", "full_name": "Văn thư", "role": "nominator", "unit_id": "thpt-di-an",
		"password": "mat-khau-truong"}
	if code, m = e.call("POST", "/api/v1/users", dept, teacher); code != 201 {
		t.Fatalf("create at a school of the department: %d %v", code, m)
	}
	teacher["username"], teacher["unit_id"] = "donvi.khac", seed.CommuneID("dong-hoa")
	if code, m = e.call("POST", "/api/v1/users", dept, teacher); code != 403 || pointers(m)[0] != "/unit_id" {
		t.Fatalf("create outside the department: %d %v", code, m)
	}
	if code, _ = e.call("PATCH", "/api/v1/users/u-donvi.donghoa", dept, map[string]any{"disabled": true}); code != 404 {
		t.Fatalf("disable outside the department: %d", code)
	}
	if code, _ = e.call("POST", "/api/v1/users/u-donvi.donghoa/password", dept, map[string]any{"password": "mat-khau-moi-123"}); code != 404 {
		t.Fatalf("reset outside the department: %d", code)
	}

	// Disabling ends the sessions at once and refuses the login; enabling
	// restores both.
	reviewer := e.token("xet.dian")
	if code, _ := e.call("GET", "/api/v1/me", reviewer, nil); code != 200 {
		t.Fatal("reviewer's token refused before anything happened")
	}
	if code, m = e.call("PATCH", "/api/v1/users/u-xet.dian", admin, map[string]any{}); code != 422 || pointers(m)[0] != "/disabled" {
		t.Fatalf("patch without disabled: %d %v", code, m)
	}
	if code, m = e.call("PATCH", "/api/v1/users/u-xet.dian", admin, map[string]any{"disabled": true}); code != 200 || m["disabled"] != true {
		t.Fatalf("disable: %d %v", code, m)
	}
	if code, m := e.call("GET", "/api/v1/me", reviewer, nil); code != 401 || !strings.Contains(m["detail"].(string), "vô hiệu hóa") {
		t.Fatalf("a disabled account's token: %d %v", code, m)
	}
	creds := map[string]string{"username": "xet.dian", "password": testPassword}
	if code, m := e.call("POST", "/api/v1/auth/login", "", creds); code != 403 {
		t.Fatalf("a disabled account logs in: %d %v", code, m)
	}
	if code, _ := e.call("POST", "/api/v1/auth/login", "", map[string]string{"username": "xet.dian", "password": "sai-mat-khau"}); code != 401 {
		t.Fatalf("a wrong password on a disabled account: %d, want 401 (the state is not disclosed)", code)
	}
	if code, _ = e.call("PATCH", "/api/v1/users/u-xet.dian", admin, map[string]any{"disabled": true}); code != 200 || e.audits("user.disable", "xet.dian") != 1 {
		t.Fatal("disabling twice is not a no-op")
	}
	if code, m = e.call("PATCH", "/api/v1/users/u-xet.dian", admin, map[string]any{"disabled": false}); code != 200 || m["disabled"] != false {
		t.Fatalf("enable: %d %v", code, m)
	}
	if code, _ := e.call("GET", "/api/v1/me", reviewer, nil); code != 401 {
		t.Fatal("enabling the account revived a token from before it was disabled")
	}
	reviewer = e.token("xet.dian")
	if code, _ = e.call("PATCH", "/api/v1/users/u-quantri", admin, map[string]any{"disabled": true}); code != 409 {
		t.Fatalf("self-disable: %d", code)
	}

	// A reset sets the password and lifts a lock-out.
	e.s.DB.Model(&models.User{}).Where("id = ?", "u-xet.dian").
		Updates(map[string]any{"failed_logins": 3, "locked_until": time.Now().Add(time.Hour)})
	if code, m = e.call("POST", "/api/v1/users/u-xet.dian/password", admin, map[string]any{"password": "ngan"}); code != 422 || pointers(m)[0] != "/password" {
		t.Fatalf("short password: %d %v", code, m)
	}
	if code, _ = e.call("POST", "/api/v1/users/u-xet.dian/password", admin, map[string]any{"password": "mat-khau-moi-2026"}); code != 204 {
		t.Fatalf("reset: %d", code)
	}
	if code, _ := e.call("POST", "/api/v1/auth/login", "", creds); code != 401 {
		t.Fatalf("the old password still works: %d", code)
	}
	// The reset ends the sessions opened with the old password.
	if code, _ := e.call("GET", "/api/v1/me", reviewer, nil); code != 401 {
		t.Fatalf("a token from before the reset: %d, want 401", code)
	}
	creds["password"] = "mat-khau-moi-2026"
	code, m = e.call("POST", "/api/v1/auth/login", "", creds)
	if code != 200 {
		t.Fatalf("the new password: %d %v", code, m)
	}
	if code, _ := e.call("GET", "/api/v1/me", m["token"].(string), nil); code != 200 {
		t.Fatalf("a token from after the reset: %d", code)
	}
	if e.audits("user.password", "xet.dian") != 1 || e.audits("user.enable", "xet.dian") != 1 {
		t.Fatal("reset or enable not audited")
	}
	var ev models.AuditEvent
	e.s.DB.First(&ev, "action = ?", "user.password")
	if ev.ActorName != "quantri" || strings.Contains(ev.Detail, "mat-khau") {
		t.Fatalf("audit event %+v", ev)
	}
}

func TestHolidays(t *testing.T) {
	e := newEnv(t)
	admin := e.token("quantri")
	code, m := e.call("GET", "/api/v1/holidays?year=2026", admin, nil)
	if code != 200 || m["year"] != float64(2026) || m["total"].(float64) < 5 {
		t.Fatalf("2026: %d %v", code, m)
	}
	if code, m = e.call("GET", "/api/v1/holidays?year=abc", admin, nil); code != 422 || pointers(m)[0] != "/year" {
		t.Fatalf("bad year: %d %v", code, m)
	}
	if code, _ = e.call("GET", "/api/v1/holidays", e.token("donvi.donghoa"), nil); code != 403 {
		t.Fatalf("a nominating body reads the calendar admin: %d", code)
	}

	// The API's cached calendar sees a change at once.
	ctx := context.Background()
	day := time.Date(2026, 11, 20, 0, 0, 0, 0, calendar.Zone) // a Friday
	cal, err := e.s.reference().Calendar(ctx)
	if err != nil || !cal.IsWorkingDay(day) {
		t.Fatalf("20/11/2026 should be a working day to start with: %v", err)
	}
	for _, bad := range []struct {
		body map[string]any
		ptrs string
	}{
		{map[string]any{"date": "2026-13-01", "name": ""}, "/date /name"},
		{map[string]any{"date": "2026-11-20", "name": "Làm bù", "workday": true}, "/workday"},
	} {
		if code, m := e.call("POST", "/api/v1/holidays", admin, bad.body); code != 422 || strings.Join(pointers(m), " ") != bad.ptrs {
			t.Errorf("%v: %d %v", bad.body, code, m)
		}
	}
	code, m = e.call("POST", "/api/v1/holidays", admin, map[string]any{"date": "2026-11-20", "name": "Ngày Nhà giáo Việt Nam (thử)"})
	if code != 201 || m["date"] != "2026-11-20" || m["workday"] != false {
		t.Fatalf("add: %d %v", code, m)
	}
	if cal, _ := e.s.reference().Calendar(ctx); cal.IsWorkingDay(day) {
		t.Fatal("the cached calendar still counts 20/11/2026 as a working day")
	}
	if code, m = e.call("POST", "/api/v1/holidays", admin, map[string]any{"date": "2026-11-20", "name": "Lần hai"}); code != 409 || pointers(m)[0] != "/date" {
		t.Fatalf("the same day twice: %d %v", code, m)
	}
	saturday := map[string]any{"date": "2026-11-28", "name": "Làm bù cho ngày 20/11", "workday": true}
	if code, _ = e.call("POST", "/api/v1/holidays", admin, saturday); code != 201 {
		t.Fatalf("make-up Saturday: %d", code)
	}
	if cal, _ := e.s.reference().Calendar(ctx); !cal.IsWorkingDay(time.Date(2026, 11, 28, 0, 0, 0, 0, calendar.Zone)) {
		t.Fatal("the make-up Saturday is not a working day")
	}

	// Below the province, an administrator reads the calendar only.
	e.s.DB.Create(&models.User{ID: "u-qt-so", Username: "qt.so", FullName: "QT Sở", Role: models.RoleAdmin,
		UnitID: seed.EducationID, PasswordHash: "x"})
	dept := e.token("qt.so")
	if code, _ = e.call("GET", "/api/v1/holidays?year=2026", dept, nil); code != 200 {
		t.Fatalf("the department's admin reads: %d", code)
	}
	if code, _ = e.call("POST", "/api/v1/holidays", dept, map[string]any{"date": "2026-12-01", "name": "X"}); code != 403 {
		t.Fatalf("the department's admin adds: %d", code)
	}
	if code, _ = e.call("DELETE", "/api/v1/holidays/2026-11-20", dept, nil); code != 403 {
		t.Fatalf("the department's admin deletes: %d", code)
	}

	if code, _ = e.call("DELETE", "/api/v1/holidays/2026-11-20", admin, nil); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	if cal, _ := e.s.reference().Calendar(ctx); !cal.IsWorkingDay(day) {
		t.Fatal("20/11/2026 is still a holiday after its deletion")
	}
	for _, path := range []string{"/api/v1/holidays/2026-11-20", "/api/v1/holidays/khong-phai-ngay"} {
		if code, _ = e.call("DELETE", path, admin, nil); code != 404 {
			t.Errorf("DELETE %s: %d, want 404", path, code)
		}
	}
	if e.audits("holiday.add", "2026-11-20") != 1 || e.audits("holiday.delete", "2026-11-20") != 1 || e.audits("holiday.add", "2026-11-28") != 1 {
		t.Fatal("calendar changes not audited")
	}
}
