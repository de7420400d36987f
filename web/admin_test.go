package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

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

// TestUsersPage: the accounts page lists, filtered, the accounts the
// administrator manages (names escaped, a disabled one offered
// re-enabling, no disable button for oneself); a refused account comes
// back beside its fields without the password; a created, an enabled and
// a refused reset reach the service; and the page is the administrators'.
func TestUsersPage(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	if err := db.Model(&models.User{}).Where("username = ?", "xet.donghoa").
		Updates(map[string]any{"full_name": `<b id="x">Hội đồng</b> TĐKT phường Đông Hòa`, "disabled_at": time.Now()}).Error; err != nil {
		t.Fatal(err)
	}
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/admin/users?role=reviewer&q=d%C3%B4ng", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "&lt;b id=&#34;x&#34;&gt;Hội đồng&lt;/b&gt;") || !strings.Contains(page, "Kích hoạt lại") {
		t.Fatalf("users page: %d %s", w.Code, page)
	}
	// Filtered by role and by the name typed without its accents.
	for _, other := range []string{"donvi.donghoa", "xet.dian", "quantri"} {
		if strings.Contains(page, ">"+other+"<") {
			t.Errorf("the filtered list shows %s", other)
		}
	}
	// No disable button for oneself.
	page = c.do("GET", "/ui/admin/users", nil).Body.String()
	if strings.Contains(page, `action="/ui/admin/users/u-quantri/disabled"`) || !strings.Contains(page, `action="/ui/admin/users/u-xet.donghoa/disabled"`) {
		t.Fatal("disable buttons: one for every account but one's own")
	}
	tok := csrfOf(t, w)
	form := url.Values{"csrf": {tok}, "/username": {"Sai Ten"}, "/full_name": {"Văn thư"}, "/role": {"nominator"},
		"/unit_id": {"xa-dong-hoa"}, "/password": {"bi-mat-9"}, "/head": {"true"}, "back": {"/ui/admin/users?role=reviewer"}}
	w = c.do("POST", "/ui/admin/users", form)
	page = w.Body.String()
	if w.Code != 422 || !strings.Contains(page, `id="f-username-error"`) || !strings.Contains(page, `id="f-password-error"`) ||
		!strings.Contains(page, `value="Sai Ten"`) || strings.Contains(page, "bi-mat-9") ||
		!strings.Contains(page, `<option value="xa-dong-hoa" selected>`) {
		t.Fatalf("refused account: %d %s", w.Code, page)
	}
	form.Set("/username", "vanthu.moi")
	form.Set("/password", "bi-mat-du-dai")
	if w = c.do("POST", "/ui/admin/users", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/users?q=vanthu.moi" {
		t.Fatalf("created: %d %s", w.Code, w.Header().Get("Location"))
	}
	var created models.User
	if err := db.First(&created, "username = ?", "vanthu.moi").Error; err != nil || !created.Head || created.Role != "nominator" ||
		created.Email != "" || created.UnitID != "xa-dong-hoa" || created.FullName != "Văn thư" {
		t.Fatalf("created %+v (%v)", created, err)
	}
	w = c.do("POST", "/ui/admin/users/u-xet.donghoa/disabled", url.Values{"csrf": {tok}, "disabled": {"false"}, "back": {"//evil.example/"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/" {
		t.Fatalf("enable: %d %s", w.Code, w.Header().Get("Location"))
	}
	var enabled models.User
	if err := db.First(&enabled, "username = ?", "xet.donghoa").Error; err != nil || enabled.DisabledAt != nil {
		t.Fatalf("not enabled: %+v (%v)", enabled, err)
	}
	var audits int64
	db.Model(&models.AuditEvent{}).Where("action IN ?", []string{"user.create", "user.enable"}).Count(&audits)
	if audits != 2 {
		t.Fatalf("%d audit rows, want the creation's and the enabling's", audits)
	}
	w = c.do("POST", "/ui/admin/users/u-xet.donghoa/password", url.Values{"csrf": {tok}, "password": {"ngan"}, "back": {"/ui/admin/users"}})
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, "Mật khẩu từ 10 đến 128 ký tự.") || !strings.Contains(page, `<details open>`) {
		t.Fatalf("refused reset: %d %s", w.Code, page)
	}
	// The page is the administrators': the service refuses anyone else.
	c.loginAs("donvi.donghoa")
	if w = c.do("GET", "/ui/admin/users", nil); w.Code != http.StatusForbidden {
		t.Fatalf("a nominator's accounts page: %d", w.Code)
	}
}

// TestHolidaysPage: a year's calendar with its make-up working days; a
// refused day comes back beside its field; a deleted one is gone; below
// the province the calendar is read-only, and the service refuses a
// change.
func TestHolidaysPage(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/admin/holidays?year=2026", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "02/09/2026") || !strings.Contains(page, "Thứ Tư") || !strings.Contains(page, "Làm bù") ||
		!strings.Contains(page, `action="/ui/admin/holidays/2026-09-02/delete"`) {
		t.Fatalf("calendar: %d %s", w.Code, page)
	}
	tok := csrfOf(t, w)
	// 20 November 2026 is a Friday: not a make-up working day.
	w = c.do("POST", "/ui/admin/holidays", url.Values{"csrf": {tok}, "/date": {"2026-11-20"}, "/name": {"Thử"}, "/workday": {"true"}})
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, `id="f-workday-error"`) || !strings.Contains(page, "Lịch ngày nghỉ năm 2026") ||
		!strings.Contains(page, "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật.") {
		t.Fatalf("refused day: %d %s", w.Code, page)
	}
	var n int64
	if db.Model(&models.Holiday{}).Where("date = ?", "2026-11-20").Count(&n); n != 0 {
		t.Fatal("a refused day was stored")
	}
	w = c.do("POST", "/ui/admin/holidays", url.Values{"csrf": {tok}, "/date": {"2026-11-21"}, "/name": {"Làm bù thử"}, "/workday": {"true"}})
	var added models.Holiday
	if w.Code != http.StatusSeeOther || db.First(&added, "date = ?", "2026-11-21").Error != nil || !added.Workday || added.Name != "Làm bù thử" {
		t.Fatalf("added: %d %+v", w.Code, added)
	}
	w = c.do("POST", "/ui/admin/holidays/2026-09-02/delete", url.Values{"csrf": {tok}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/holidays?year=2026" {
		t.Fatalf("delete: %d %s", w.Code, w.Header().Get("Location"))
	}
	if db.Model(&models.Holiday{}).Where("date = ?", "2026-09-02").Count(&n); n != 0 {
		t.Fatal("the deleted day is still in the calendar")
	}
	// Below the province the calendar is read-only.
	c.loginAs(departmentAdmin(t, ui))
	w = c.do("GET", "/ui/admin/holidays?year=2026", nil)
	if page = w.Body.String(); strings.Contains(page, "/delete") || strings.Contains(page, `id="holiday-add"`) {
		t.Fatal("a department's administrator gets the calendar's forms")
	}
	if w = c.do("POST", "/ui/admin/holidays/2026-09-01/delete", url.Values{"csrf": {csrfOf(t, w)}}); w.Code != http.StatusForbidden {
		t.Fatalf("a department's administrator deletes a day: %d", w.Code)
	}
}

// TestRoundFormQuotas: the per-level terms and the quota rows reach the
// service; blank rows are skipped, and the service's errors, numbered over
// the rows sent, come back beside the rows typed.
func TestRoundFormQuotas(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/rounds", nil)
	page := w.Body.String()
	for _, want := range []string{`name="/level_due_days/commune"`, `name="/quotas/2/max"`, `name="/quotas#rows" value="3"`, `<optgroup label="Xã, phường, đặc khu">`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the round form lacks %s", want)
		}
	}
	form := url.Values{"csrf": {csrfOf(t, w)}, "/code": {"dot-moi"}, "/name": {"Đợt mới"}, "/kind": {"annual"},
		"/period_from": {"2027"}, "/period_to": {"2027"}, "/opens_at": {"2027-01-01T00:00"}, "/closes_at": {"2027-11-20T17:00"},
		"/chain": {"two-tier"}, "/reference_date": {"2027-01-01"}, "/due_working_days": {"10"},
		"/awards": {"giay-khen-xa"}, "/quotas#rows": {"3"},
		"/level_due_days/commune": {"7"}, "/level_due_days/district": {"99"}, "/level_due_days/education": {""},
		"/quotas/0/unit_id": {""}, "/quotas/0/award": {""}, "/quotas/0/max": {""},
		"/quotas/1/unit_id": {seed.NewCommuneID("Phường Đông Hòa")}, "/quotas/1/award": {"giay-khen-xa"}, "/quotas/1/max": {"5"},
		"/quotas/2/unit_id": {seed.CityEducationID}, "/quotas/2/award": {"giay-khen-xa"}, "/quotas/2/max": {"0"}}
	w = c.do("POST", "/ui/rounds", form)
	page = w.Body.String()
	// The service's row 1 is the form's row 2 (row 0 was blank). Refused,
	// the form keeps its rows and offers blank ones.
	if w.Code != 422 || !strings.Contains(page, `id="f-quotas-1-max-error"`) || !strings.Contains(page, "Chỉ tiêu từ 1 đến 100000.") ||
		!strings.Contains(page, `id="f-level_due_days-district-error"`) || !strings.Contains(page, `value="99"`) ||
		!strings.Contains(page, `name="/quotas#rows" value="5"`) || strings.Contains(page, `id="f-quotas-0-max-error"`) ||
		strings.Contains(page, `id="f-level_due_days-commune-error"`) {
		t.Fatalf("refused round: %d %s", w.Code, page)
	}
	count := func() int64 {
		t.Helper()
		var n int64
		if err := db.Model(&models.Round{}).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	rounds := count()
	form.Set("op", "more-quotas")
	if w = c.do("POST", "/ui/rounds", form); w.Code != 200 || !strings.Contains(w.Body.String(), `name="/quotas#rows" value="5"`) {
		t.Fatalf("more rows: %d", w.Code)
	}
	if count() != rounds {
		t.Fatal("asking for more rows sent the round")
	}
	// Corrected, the round is created with the terms and quotas typed.
	form.Del("op")
	form.Set("/level_due_days/district", "15")
	form.Set("/quotas/2/max", "3")
	if w = c.do("POST", "/ui/rounds", form); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/ui/rounds/") {
		t.Fatalf("created: %d %s", w.Code, w.Body.String())
	}
	var r models.Round
	if err := db.First(&r, "code = ?", "dot-moi").Error; err != nil || r.LevelDueDays != `{"commune":7,"district":15}` || r.RemindWorkingDays != 2 {
		t.Fatalf("round %+v (%v)", r, err)
	}
	var quotas []models.RoundQuota
	if err := db.Where("round_id = ?", r.ID).Order("unit_id").Find(&quotas).Error; err != nil || len(quotas) != 2 ||
		quotas[0].UnitID != seed.CityEducationID || quotas[0].Max != 3 || quotas[1].UnitID != seed.NewCommuneID("Phường Đông Hòa") || quotas[1].Max != 5 {
		t.Fatalf("quotas %+v (%v)", quotas, err)
	}
	if page = c.do("GET", w.Header().Get("Location"), nil).Body.String(); !strings.Contains(page, "<h1>Đợt mới</h1>") || !strings.Contains(page, ": 0/3") || !strings.Contains(page, ": 0/5") {
		t.Fatalf("the new round's page: %s", page)
	}
}

// TestPublicPostings: the page needs no session; an objection needs the
// pre-session's CSRF token, is recorded anonymously, and its errors come
// back beside the posting's fields.
func TestPublicPostings(t *testing.T) {
	ui := newUI(t, Options{})
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
