package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
)

// TestAuthoritiesPage: the table of a day lists the awards held then; a
// refused row comes back beside its field with nothing stored; an added
// row has its page, where a correction is refused beside the day at fault
// or saved; below the province the table is read-only and the service
// refuses a change.
func TestAuthoritiesPage(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/admin/authorities?date=2026-01-15", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "Giấy khen của Chủ tịch UBND xã") || strings.Contains(page, ">giay-khen-huyen<") ||
		!strings.Contains(page, "15/01/2026") || !strings.Contains(page, `id="authority-add"`) {
		t.Fatalf("the table of 15 January 2026: %d %s", w.Code, page)
	}
	if page = c.do("GET", "/ui/admin/authorities", nil).Body.String(); !strings.Contains(page, ">giay-khen-huyen<") ||
		!strings.Contains(page, "30/06/2025") || !strings.Contains(page, "Hội đồng Thi đua – Khen thưởng thành phố") {
		t.Fatalf("the whole table: %s", page)
	}
	if page = c.do("GET", "/ui/admin", nil).Body.String(); !strings.Contains(page, `href="/ui/admin/authorities"`) {
		t.Fatal("the administration does not link the authorities")
	}
	tok := csrfOf(t, w)
	var before int64
	db.Model(&models.Authority{}).Count(&before)
	form := url.Values{"csrf": {tok}, "/award": {"giay-khen-huyen"}, "/valid_from": {""}, "/valid_to": {"2023-12-31"},
		"/council": {"Hội đồng Thi đua – Khen thưởng huyện"}, "/source": {"Luật Thi đua, khen thưởng 2003 (thử)"}, "/position": {"15"}}
	w = c.do("POST", "/ui/admin/authorities", form)
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, `id="f-valid_from-error"`) ||
		!strings.Contains(page, "Ngày bắt đầu có thẩm quyền bắt buộc") || !strings.Contains(page, `value="2023-12-31"`) {
		t.Fatalf("refused row: %d %s", w.Code, page)
	}
	var n int64
	if db.Model(&models.Authority{}).Count(&n); n != before {
		t.Fatal("a refused row was stored")
	}
	form.Set("/valid_from", "2023-01-01")
	w = c.do("POST", "/ui/admin/authorities", form)
	var added models.Authority
	if err := db.First(&added, "award = ? AND valid_from < ?", "giay-khen-huyen", "2024-01-01").Error; err != nil || w.Code != http.StatusSeeOther ||
		w.Header().Get("Location") != "/ui/admin/authorities/"+itoa(added.ID) {
		t.Fatalf("added: %d %s %+v %v", w.Code, w.Header().Get("Location"), added, err)
	}
	if added.Name != "Giấy khen của Chủ tịch UBND huyện" || added.LastLevel != "district" {
		t.Errorf("the routing table's name and level: %+v", added)
	}
	path := "/ui/admin/authorities/" + itoa(added.ID)
	if page = c.do("GET", path, nil).Body.String(); !strings.Contains(page, "Luật Thi đua, khen thưởng 2003 (thử)") ||
		!strings.Contains(page, `id="authority-correct"`) || !strings.Contains(page, "31/12/2023") {
		t.Fatalf("the row's page: %s", page)
	}
	// Running into the seeded row, which holds it from 1 January 2024.
	form.Set("/valid_to", "2024-02-01")
	w = c.do("POST", path, form)
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, `id="f-valid_to-error"`) || !strings.Contains(page, `value="2024-02-01"`) {
		t.Fatalf("refused correction: %d %s", w.Code, page)
	}
	form.Set("/valid_to", "2023-12-30")
	form.Set("/source", "Luật Thi đua, khen thưởng 2003 (đã sửa)")
	if w = c.do("POST", path, form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != path {
		t.Fatalf("correction: %d %s", w.Code, w.Header().Get("Location"))
	}
	var fixed models.Authority
	if err := db.First(&fixed, "id = ?", added.ID).Error; err != nil || fixed.Source != "Luật Thi đua, khen thưởng 2003 (đã sửa)" ||
		fixed.ValidTo == nil || fixed.ValidTo.Format("2006-01-02") != "2023-12-30" {
		t.Fatalf("corrected %+v %v", fixed, err)
	}
	var audits int64
	db.Model(&models.AuditEvent{}).Where("action IN ? AND target = ?", []string{"authority.create", "authority.update"}, itoa(added.ID)).Count(&audits)
	if audits != 2 {
		t.Fatalf("%d audit rows, want the addition's and the correction's", audits)
	}
	// Below the province the table is read-only.
	c.loginAs(departmentAdmin(t, ui))
	w = c.do("GET", "/ui/admin/authorities", nil)
	if page = w.Body.String(); w.Code != 200 || strings.Contains(page, `id="authority-add"`) || !strings.Contains(page, "Chỉ quản trị cấp tỉnh") {
		t.Fatal("a department's administrator gets the forms")
	}
	if w = c.do("POST", path, url.Values{"csrf": {csrfOf(t, w)}, "/source": {"x"}}); w.Code != http.StatusForbidden {
		t.Fatalf("a department's administrator corrects a row: %d", w.Code)
	}
}
