package web

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// routeAPI is a fake API answering from a table of routes ("METHOD
// /path"), recording each request and its JSON body. Every caller is the
// user me.
type routeAPI struct {
	mu     sync.Mutex
	routes map[string]func(w http.ResponseWriter, body map[string]any)
	calls  []apiCall
}

type apiCall struct {
	route, auth string
	body        map[string]any
}

func (f *routeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	if r.Body != nil {
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
	}
	route := r.Method + " " + r.URL.Path
	f.mu.Lock()
	f.calls = append(f.calls, apiCall{route: route, auth: r.Header.Get("Authorization"), body: body})
	f.mu.Unlock()
	if h, ok := f.routes[route]; ok {
		h(w, body)
		return
	}
	switch route {
	case "GET /api/v1/units":
		jsonOK(w, 200, map[string]any{"items": []Unit{{ID: "binh-duong", Name: "Tỉnh Bình Dương", Kind: "province"},
			{ID: "xa-dong-hoa", Name: "Phường Đông Hòa", Kind: "commune"}, {ID: "so-gddt", Name: "Sở GD&ĐT", Kind: "department"}}, "total": 3})
	case "GET /api/v1/rounds":
		jsonOK(w, 200, map[string]any{"items": []Round{}, "total": 0})
	case "GET /api/v1/awards":
		jsonOK(w, 200, map[string]any{"items": []Award{{Code: "giay-khen-xa", Name: "Giấy khen xã"}, {Code: "bang-khen-tinh", Name: "Bằng khen tỉnh"}}})
	default:
		problemJSON(w, 404, "Không tìm thấy.")
	}
}

// last returns the last call to route.
func (f *routeAPI) last(route string) *apiCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.calls) - 1; i >= 0; i-- {
		if f.calls[i].route == route {
			return &f.calls[i]
		}
	}
	return nil
}

func jsonOK(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func problemJSON(w http.ResponseWriter, status int, detail string, errs ...FieldError) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(Problem{Status: status, Detail: detail, DetailEN: detail, Errors: errs})
}

// loginAs signs the client in as a seeded account (default: the
// province's administrator, quantri).
func (c *client) loginAs(username ...string) {
	c.t.Helper()
	user := "quantri"
	if len(username) > 0 {
		user = username[0]
	}
	tok := csrfOf(c.t, c.do("GET", "/ui/login", nil))
	if w := c.do("POST", "/ui/login", url.Values{"csrf": {tok}, "username": {user}, "password": {testPassword}}); w.Code != http.StatusSeeOther {
		c.t.Fatalf("login as %s: %d", user, w.Code)
	}
}

// departmentAdmin adds an administrator of Sở GD&ĐT and returns their
// username: an administrator below the province.
func departmentAdmin(t *testing.T, ui *UI) string {
	t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := models.User{ID: "u-quantri.sogddt", Username: "quantri.sogddt", FullName: "Quản trị Sở GD&ĐT",
		Role: models.RoleAdmin, UnitID: seed.EducationID, PasswordHash: hash}
	if err := ui.svc.DB().Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	return u.Username
}

func TestUsersPage(t *testing.T) {
	api := &routeAPI{routes: map[string]func(http.ResponseWriter, map[string]any){
		"GET /api/v1/users": func(w http.ResponseWriter, _ map[string]any) {
			jsonOK(w, 200, map[string]any{"items": []User{
				{ID: "u-quantri", Username: "quantri", FullName: "Quản trị", Role: roleAdmin, UnitID: "binh-duong"},
				{ID: "u-2", Username: "xet.donghoa", FullName: `<b id="x">Hội đồng</b>`, Role: roleReviewer, UnitID: "xa-dong-hoa", Disabled: true},
			}, "total": 2})
		},
		"POST /api/v1/users": func(w http.ResponseWriter, body map[string]any) {
			if body["username"] == "vanthu.moi" {
				jsonOK(w, 201, User{ID: "u-3", Username: "vanthu.moi"})
				return
			}
			problemJSON(w, 422, "Dữ liệu chưa hợp lệ.", FieldError{Pointer: "/username", Message: "Tên đăng nhập gồm chữ thường.", MessageEN: "Lowercase."},
				FieldError{Pointer: "/password", Message: "Mật khẩu từ 10 ký tự.", MessageEN: "10 characters."})
		},
		"PATCH /api/v1/users/u-2": func(w http.ResponseWriter, _ map[string]any) { jsonOK(w, 200, User{ID: "u-2"}) },
		"POST /api/v1/users/u-2/password": func(w http.ResponseWriter, _ map[string]any) {
			problemJSON(w, 422, "Sai.", FieldError{Pointer: "/password", Message: "Quá ngắn.", MessageEN: "Too short."})
		},
	}}
	ui := newUI(t, api, Options{})
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/admin/users?role=reviewer&q=d%C3%B4ng", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "&lt;b id=&#34;x&#34;&gt;Hội đồng&lt;/b&gt;") || !strings.Contains(page, "Kích hoạt lại") {
		t.Fatalf("users page: %d %s", w.Code, page)
	}
	if got := api.last("GET /api/v1/users"); got == nil {
		t.Fatal("the list was not asked for")
	}
	// No disable button for oneself.
	if strings.Contains(page, `action="/ui/admin/users/u-quantri/disabled"`) || !strings.Contains(page, `action="/ui/admin/users/u-2/disabled"`) {
		t.Fatal("disable buttons: one for every account but one's own")
	}
	tok := csrfOf(t, w)
	form := url.Values{"csrf": {tok}, "/username": {"Sai Ten"}, "/full_name": {"Văn thư"}, "/role": {"nominator"},
		"/unit_id": {"xa-dong-hoa"}, "/password": {"bi-mat-ngan"}, "/head": {"true"}, "back": {"/ui/admin/users?role=reviewer"}}
	w = c.do("POST", "/ui/admin/users", form)
	page = w.Body.String()
	if w.Code != 422 || !strings.Contains(page, `id="f-username-error"`) || !strings.Contains(page, `id="f-password-error"`) ||
		!strings.Contains(page, `value="Sai Ten"`) || strings.Contains(page, "bi-mat-ngan") ||
		!strings.Contains(page, `<option value="xa-dong-hoa" selected>`) {
		t.Fatalf("refused account: %d %s", w.Code, page)
	}
	if b := api.last("POST /api/v1/users").body; b["head"] != true || b["role"] != "nominator" || b["email"] != nil {
		t.Fatalf("sent %v", b)
	}
	form.Set("/username", "vanthu.moi")
	if w = c.do("POST", "/ui/admin/users", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/users?q=vanthu.moi" {
		t.Fatalf("created: %d %s", w.Code, w.Header().Get("Location"))
	}
	w = c.do("POST", "/ui/admin/users/u-2/disabled", url.Values{"csrf": {tok}, "disabled": {"false"}, "back": {"//evil.example/"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/" || api.last("PATCH /api/v1/users/u-2").body["disabled"] != false {
		t.Fatalf("enable: %d %s", w.Code, w.Header().Get("Location"))
	}
	w = c.do("POST", "/ui/admin/users/u-2/password", url.Values{"csrf": {tok}, "password": {"ngan"}, "back": {"/ui/admin/users"}})
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, "Quá ngắn.") || !strings.Contains(page, `<details open>`) {
		t.Fatalf("refused reset: %d %s", w.Code, page)
	}
}

func TestHolidaysPage(t *testing.T) {
	api := &routeAPI{routes: map[string]func(http.ResponseWriter, map[string]any){
		"GET /api/v1/holidays": func(w http.ResponseWriter, _ map[string]any) {
			jsonOK(w, 200, map[string]any{"year": 2026, "items": []Holiday{{Date: "2026-09-02", Name: "Quốc khánh"},
				{Date: "2026-01-03", Name: "Làm bù", Workday: true}}, "total": 2})
		},
		"POST /api/v1/holidays": func(w http.ResponseWriter, _ map[string]any) {
			problemJSON(w, 422, "Sai.", FieldError{Pointer: "/workday", Message: "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.", MessageEN: "Weekend."})
		},
		"DELETE /api/v1/holidays/2026-09-02": func(w http.ResponseWriter, _ map[string]any) { w.WriteHeader(204) },
	}}
	ui := newUI(t, api, Options{})
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/admin/holidays?year=2026", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "02/09/2026") || !strings.Contains(page, "Thứ Tư") || !strings.Contains(page, "Làm bù") ||
		!strings.Contains(page, `action="/ui/admin/holidays/2026-09-02/delete"`) {
		t.Fatalf("calendar: %d %s", w.Code, page)
	}
	tok := csrfOf(t, w)
	w = c.do("POST", "/ui/admin/holidays", url.Values{"csrf": {tok}, "/date": {"2026-11-20"}, "/name": {"Thử"}, "/workday": {"true"}})
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, `id="f-workday-error"`) || !strings.Contains(page, "Lịch ngày nghỉ năm 2026") {
		t.Fatalf("refused day: %d %s", w.Code, page)
	}
	if b := api.last("POST /api/v1/holidays").body; b["workday"] != true || b["date"] != "2026-11-20" {
		t.Fatalf("sent %v", b)
	}
	w = c.do("POST", "/ui/admin/holidays/2026-09-02/delete", url.Values{"csrf": {tok}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/holidays?year=2026" {
		t.Fatalf("delete: %d %s", w.Code, w.Header().Get("Location"))
	}
	// Below the province the calendar is read-only.
	c.loginAs(departmentAdmin(t, ui))
	if page = c.do("GET", "/ui/admin/holidays?year=2026", nil).Body.String(); strings.Contains(page, "/delete") || strings.Contains(page, `id="holiday-add"`) {
		t.Fatal("a department's administrator gets the calendar's forms")
	}
}

// TestRoundFormQuotas: the per-level terms and the quota rows reach the
// API; blank rows are skipped, and the API's errors, numbered over the rows
// sent, come back beside the rows typed.
func TestRoundFormQuotas(t *testing.T) {
	api := &routeAPI{routes: map[string]func(http.ResponseWriter, map[string]any){
		"POST /api/v1/rounds": func(w http.ResponseWriter, _ map[string]any) {
			problemJSON(w, 422, "Sai.", FieldError{Pointer: "/quotas/1/max", Message: "Chỉ tiêu từ 1 đến 100000.", MessageEN: "1 to 100000."},
				FieldError{Pointer: "/level_due_days/district", Message: "Từ 1 đến 60 ngày làm việc.", MessageEN: "1 to 60."})
		},
	}}
	ui := newUI(t, api, Options{})
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/rounds", nil)
	page := w.Body.String()
	for _, want := range []string{`name="/level_due_days/commune"`, `name="/quotas/2/max"`, `name="/quotas#rows" value="3"`, `<optgroup label="Xã, phường, thị trấn">`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the round form lacks %s", want)
		}
	}
	form := url.Values{"csrf": {csrfOf(t, w)}, "/code": {"dot-moi"}, "/awards": {"giay-khen-xa"}, "/quotas#rows": {"3"},
		"/level_due_days/commune": {"7"}, "/level_due_days/district": {"99"}, "/level_due_days/education": {""},
		"/quotas/0/unit_id": {""}, "/quotas/0/award": {""}, "/quotas/0/max": {""},
		"/quotas/1/unit_id": {"xa-dong-hoa"}, "/quotas/1/award": {"giay-khen-xa"}, "/quotas/1/max": {"5"},
		"/quotas/2/unit_id": {"so-gddt"}, "/quotas/2/award": {"giay-khen-xa"}, "/quotas/2/max": {"0"}}
	w = c.do("POST", "/ui/rounds", form)
	page = w.Body.String()
	sent := api.last("POST /api/v1/rounds").body
	quotas, _ := sent["quotas"].([]any)
	if len(quotas) != 2 || quotas[0].(map[string]any)["unit_id"] != "xa-dong-hoa" || quotas[1].(map[string]any)["max"] != float64(0) {
		t.Fatalf("quotas sent: %v", sent["quotas"])
	}
	if due := sent["level_due_days"].(map[string]any); len(due) != 2 || due["commune"] != float64(7) {
		t.Fatalf("terms sent: %v", sent["level_due_days"])
	}
	// The API's row 1 is the form's row 2 (row 0 was blank). Refused, the
	// form keeps its rows and offers blank ones.
	if w.Code != 422 || !strings.Contains(page, `id="f-quotas-1-max-error"`) || !strings.Contains(page, "Chỉ tiêu từ 1 đến 100000.") ||
		!strings.Contains(page, `id="f-level_due_days-district-error"`) || !strings.Contains(page, `value="99"`) ||
		!strings.Contains(page, `name="/quotas#rows" value="5"`) {
		t.Fatalf("refused round: %d %s", w.Code, page)
	}
	n := len(api.calls)
	form.Set("op", "more-quotas")
	if w = c.do("POST", "/ui/rounds", form); w.Code != 200 || !strings.Contains(w.Body.String(), `name="/quotas#rows" value="5"`) {
		t.Fatalf("more rows: %d", w.Code)
	}
	for _, call := range api.calls[n:] {
		if call.route == "POST /api/v1/rounds" {
			t.Fatal("asking for more rows sent the round")
		}
	}
}

// TestPublicPostings: the page needs no session; an objection needs the
// pre-session's CSRF token, is recorded anonymously, and its errors come
// back beside the posting's fields.
func TestPublicPostings(t *testing.T) {
	ui := newUI(t, http.NotFoundHandler(), Options{})
	ends := post(t, ui, "n-1", `Lâm <i>Văn</i> Phúc`)
	// A posting that has ended is not shown.
	post(t, ui, "n-0", "Hồ Văn Cũ")
	if err := ui.svc.DB().Model(&models.Posting{}).Where("nomination_id = ?", "n-0").
		Update("ends_at", time.Now().UTC().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	c := newClient(t, ui)
	w := c.do("GET", "/ui/postings", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "Lâm &lt;i&gt;Văn&lt;/i&gt; Phúc") || !strings.Contains(page, `id="obj-n-1-text"`) || cookie(w, preCookie) == nil ||
		!strings.Contains(page, ends.In(zone).Format("02/01/2006 15:04")) || !strings.Contains(page, "Phường Đông Hòa") ||
		strings.Contains(page, "Hồ Văn Cũ") {
		t.Fatalf("postings: %d %s", w.Code, page)
	}
	tok := csrfOf(t, w)
	if w = c.do("POST", "/ui/postings/n-1/objections", url.Values{"author": {"Dân"}, "text": {"Xin xác minh lại thành tích."}}); w.Code != 403 ||
		len(objections(t, ui, "n-1")) != 0 {
		t.Fatalf("objection without a token: %d", w.Code)
	}
	w = c.do("POST", "/ui/postings/n-1/objections", url.Values{"csrf": {tok}, "author": {"Nguyễn Văn Dân"}, "text": {"ngắn"}})
	page = w.Body.String()
	if w.Code != 422 || !strings.Contains(page, `id="f-text-error"`) || !strings.Contains(page, `value="Nguyễn Văn Dân"`) || !strings.Contains(page, "<details open>") {
		t.Fatalf("refused objection: %d %s", w.Code, page)
	}
	w = c.do("POST", "/ui/postings/n-1/objections", url.Values{"csrf": {tok}, "author": {"Nguyễn Văn Dân"}, "contact": {"0909"},
		"text": {"Đề nghị xác minh lại thành tích năm 2024."}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/postings" {
		t.Fatalf("objection: %d", w.Code)
	}
	if got := objections(t, ui, "n-1"); len(got) != 1 || got[0].Contact != "0909" || got[0].Author != "Nguyễn Văn Dân" {
		t.Fatalf("recorded %+v", got)
	}
	if page = c.do("GET", "/ui/postings", nil).Body.String(); !strings.Contains(page, "Đã gửi ý kiến phản ánh") {
		t.Fatal("no confirmation after the objection")
	}
}
