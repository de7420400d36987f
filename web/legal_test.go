package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
)

// TestLegalBasesPage: the table of a day lists what a decision signed
// then cites; a refused row comes back beside its field with nothing
// stored; an added row has its page, where a correction is refused beside
// the day at fault or saved; below the province the table is read-only
// and the service refuses a change.
func TestLegalBasesPage(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	c := newClient(t, ui)
	c.loginAs()
	w := c.do("GET", "/ui/admin/legal-bases?date=2025-06-20", nil)
	page := w.Body.String()
	if w.Code != 200 || !strings.Contains(page, "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023") ||
		strings.Contains(page, "Căn cứ Nghị định số 152/2025/NĐ-CP") || !strings.Contains(page, "20/06/2025") || !strings.Contains(page, `id="legal-add"`) {
		t.Fatalf("the table of 20 June 2025: %d %s", w.Code, page)
	}
	if page = c.do("GET", "/ui/admin/legal-bases", nil).Body.String(); !strings.Contains(page, "Căn cứ Nghị định số 152/2025/NĐ-CP") ||
		!strings.Contains(page, "01/07/2025") {
		t.Fatalf("the whole table: %s", page)
	}
	tok := csrfOf(t, w)
	var before int64
	db.Model(&models.LegalBasis{}).Count(&before)
	form := url.Values{"csrf": {tok}, "/code": {"200/2027/NĐ-CP"}, "/kind": {"nghị định"}, "/title": {"Nghị định số 200/2027/NĐ-CP (thử)"},
		"/valid_from": {""}, "/source": {"Công báo (thử)"}, "/position": {"30"}}
	w = c.do("POST", "/ui/admin/legal-bases", form)
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, `id="f-valid_from-error"`) ||
		!strings.Contains(page, "Ngày có hiệu lực bắt buộc") || !strings.Contains(page, `value="200/2027/NĐ-CP"`) {
		t.Fatalf("refused row: %d %s", w.Code, page)
	}
	var n int64
	if db.Model(&models.LegalBasis{}).Count(&n); n != before {
		t.Fatal("a refused row was stored")
	}
	form.Set("/valid_from", "2027-04-01")
	w = c.do("POST", "/ui/admin/legal-bases", form)
	var added models.LegalBasis
	if err := db.First(&added, "code = ?", "200/2027/NĐ-CP").Error; err != nil || w.Code != http.StatusSeeOther ||
		w.Header().Get("Location") != "/ui/admin/legal-bases/"+itoa(added.ID) {
		t.Fatalf("added: %d %s %+v %v", w.Code, w.Header().Get("Location"), added, err)
	}
	path := "/ui/admin/legal-bases/" + itoa(added.ID)
	if page = c.do("GET", path, nil).Body.String(); !strings.Contains(page, "Căn cứ Nghị định số 200/2027/NĐ-CP (thử);") ||
		!strings.Contains(page, `id="legal-correct"`) || !strings.Contains(page, "Chưa xác minh") {
		t.Fatalf("the row's page: %s", page)
	}
	form.Set("/valid_to", "2027-03-01")
	w = c.do("POST", path, form)
	if page = w.Body.String(); w.Code != 422 || !strings.Contains(page, `id="f-valid_to-error"`) || !strings.Contains(page, `value="2027-03-01"`) {
		t.Fatalf("refused correction: %d %s", w.Code, page)
	}
	form.Set("/valid_to", "2027-12-31")
	form.Set("/title", "Nghị định số 200/2027/NĐ-CP (đã sửa)")
	if w = c.do("POST", path, form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != path {
		t.Fatalf("correction: %d %s", w.Code, w.Header().Get("Location"))
	}
	var fixed models.LegalBasis
	if err := db.First(&fixed, "id = ?", added.ID).Error; err != nil || fixed.Title != "Nghị định số 200/2027/NĐ-CP (đã sửa)" ||
		fixed.ValidTo == nil || fixed.ValidTo.Format("2006-01-02") != "2027-12-31" {
		t.Fatalf("corrected %+v %v", fixed, err)
	}
	var audits int64
	db.Model(&models.AuditEvent{}).Where("action IN ? AND target = ?", []string{"legal_basis.create", "legal_basis.update"}, itoa(added.ID)).Count(&audits)
	if audits != 2 {
		t.Fatalf("%d audit rows, want the addition's and the correction's", audits)
	}
	// Below the province the table is read-only.
	c.loginAs(departmentAdmin(t, ui))
	w = c.do("GET", "/ui/admin/legal-bases", nil)
	if page = w.Body.String(); w.Code != 200 || strings.Contains(page, `id="legal-add"`) || !strings.Contains(page, "Chỉ quản trị cấp tỉnh") {
		t.Fatal("a department's administrator gets the forms")
	}
	if w = c.do("POST", path, url.Values{"csrf": {csrfOf(t, w)}, "/source": {"x"}}); w.Code != http.StatusForbidden {
		t.Fatalf("a department's administrator corrects a row: %d", w.Code)
	}
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
