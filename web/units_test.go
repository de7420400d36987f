package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

func ptr[T any](v T) *T { return &v }

// units2024 is a piece of the 2024 hierarchy, out of order.
var units2024 = []Unit{
	{ID: "xa-dong-hoa", Name: "Phường Đông Hòa", Kind: "commune", ReviewLevel: "commune", ParentID: "huyen-di-an", EffectiveFrom: "2023-01-01"},
	{ID: "huyen-di-an", Name: "Thành phố Dĩ An", Kind: "district", ReviewLevel: "district", ParentID: "binh-duong",
		EffectiveFrom: "2023-01-01", EffectiveTo: ptr("2025-07-01")},
	{ID: "so-gddt", Name: "Sở GD&ĐT", Kind: "department", ReviewLevel: "education", ParentID: "binh-duong", EffectiveFrom: "2023-01-01"},
	{ID: "binh-duong", Name: "Tỉnh Bình Dương", Kind: "province", EffectiveFrom: "2023-01-01"},
	{ID: "xa-an-binh", Name: "Phường An Bình", Kind: "commune", ReviewLevel: "commune", ParentID: "huyen-di-an", EffectiveFrom: "2023-01-01"},
}

func TestHierarchyOrder(t *testing.T) {
	var got []string
	for _, r := range hierarchy(units2024) {
		got = append(got, strings.Repeat(".", r.Depth)+r.ID+"<"+r.ParentName)
	}
	want := "binh-duong< .so-gddt<Tỉnh Bình Dương .huyen-di-an<Tỉnh Bình Dương ..xa-an-binh<Thành phố Dĩ An ..xa-dong-hoa<Thành phố Dĩ An"
	if strings.Join(got, " ") != want {
		t.Fatalf("tree order:\n%s\nwant\n%s", strings.Join(got, " "), want)
	}
}

// TestUnitPages: the hierarchy on a day as a tree with the create form;
// a refused unit comes back beside its fields on the day shown; a unit's
// page with its parents over time and the forms to rename, move (a move
// reaching back to a routed round refused beside its day) and end it (its
// remaining accounts pointed out); read-only below the province, where the
// service refuses a change.
func TestUnitPages(t *testing.T) {
	ui := newUI(t, Options{})
	db := ui.svc.DB()
	// A nomination of Phường Đông Hòa routed in the demo round (reference
	// date 1 March 2025), decided: the projection is stood in for.
	if err := db.Create(&models.Nomination{ID: "n-routed", RoundID: seed.DemoRoundID, UnitID: "xa-dong-hoa", CreatedBy: "u-donvi.donghoa",
		NomineeKind: "individual", NomineeName: "Lê Văn Định", Award: "giay-khen-xa", Dossier: "{}", Status: "accepted"}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&models.RouteStep{NominationID: "n-routed", Step: 0, Level: "commune", UnitID: "xa-dong-hoa"}).Error; err != nil {
		t.Fatal(err)
	}
	c := newClient(t, ui)
	c.loginAs()

	w := c.do("GET", "/ui/admin/units?at=2024-06-01", nil)
	page := w.Body.String()
	for _, want := range []string{"Cây đơn vị ngày 01/06/2024", `<tr id="unit-xa-dong-hoa">`, `style="padding-left: 2.5rem"`,
		`href="/ui/admin/units/xa-dong-hoa"`, "Thành phố Dĩ An", "30/06/2025", `id="unit-create"`, `name="at" value="2024-06-01"`,
		`<option value="xa-dong-hoa">Phường Đông Hòa (đến hết 30/06/2025)</option>`, `value="2024-06-01"`, "Mã số 25951", `id="f-code"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("hierarchy page lacks %s: %d %s", want, w.Code, page)
		}
	}
	district, commune := strings.Index(page, `id="unit-huyen-di-an"`), strings.Index(page, `id="unit-xa-an-binh-di-an"`)
	if district < 0 || commune < 0 || district > commune {
		t.Fatalf("the district at %d, its commune at %d: want both, the district first", district, commune)
	}
	tok := csrfOf(t, w)
	form := url.Values{"csrf": {tok}, "at": {"2024-06-01"}, "/id": {"TH Mới"}, "/name": {"Trường Tiểu học Mới"}, "/kind": {"school"},
		"/review_level": {"commune"}, "/parent_id": {"xa-dong-hoa"}, "/effective_from": {"2024-09-05"}}
	w = c.do("POST", "/ui/admin/units", form)
	page = w.Body.String()
	if w.Code != 422 || !strings.Contains(page, `id="f-id-error"`) || !strings.Contains(page, `id="f-review_level-error"`) ||
		!strings.Contains(page, `value="TH Mới"`) || !strings.Contains(page, `<option value="xa-dong-hoa" selected>`) ||
		!strings.Contains(page, `<option value="school" selected>`) || !strings.Contains(page, "Cây đơn vị ngày 01/06/2024") {
		t.Fatalf("refused unit: %d %s", w.Code, page)
	}
	// No review level chosen: the school reviews nothing.
	form.Set("/id", "th-moi")
	form.Set("/review_level", "")
	form.Set("/parent_id", "xa-an-binh-di-an")
	if w = c.do("POST", "/ui/admin/units", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/units/th-moi" {
		t.Fatalf("created: %d %s %s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	var school models.Unit
	if err := db.First(&school, "id = ?", "th-moi").Error; err != nil || school.ReviewLevel != "" || school.Kind != "school" ||
		school.EffectiveFrom.Format(time.DateOnly) != "2024-09-05" {
		t.Fatalf("created %+v (%v)", school, err)
	}
	if page = c.do("GET", "/ui/admin/units/th-moi", nil).Body.String(); !strings.Contains(page, "Phường An Bình") {
		t.Fatal("the new school's page does not name its parent")
	}

	// An ended unit's page: its parents over time, its last day, its
	// successor and the form moving its accounts there; no move or end.
	newDongHoa := seed.NewCommuneID("Phường Đông Hòa")
	w = c.do("GET", "/ui/admin/units/xa-dong-hoa", nil)
	page = w.Body.String()
	for _, want := range []string{"<h1>Phường Đông Hòa</h1>", `<table id="parents">`, "Thành phố Dĩ An", "30/06/2025", "25951",
		`<table id="unit_successors">`, `href="/ui/admin/units/` + newDongHoa + `"`, "toàn bộ", `id="unit-succeed"`, `id="unit-ended"`, `id="unit-rename"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("the ended unit's page lacks %s: %d %s", want, w.Code, page)
		}
	}
	if strings.Contains(page, `id="unit-move"`) || strings.Contains(page, `id="unit-end"`) {
		t.Fatal("the ended unit is still offered a move or an end")
	}
	tok = csrfOf(t, w)
	// A move reaching back into the routed demo round is refused (the
	// page of an ended unit has no move form: the refusal is in its
	// summary).
	w = c.do("POST", "/ui/admin/units/xa-dong-hoa", url.Values{"csrf": {tok}, "op": {"move"}, "/parent_id": {"huyen-thuan-an"}, "/parent_from": {"2025-02-01"}})
	page = w.Body.String()
	if w.Code != 409 || !strings.Contains(page, "Chọn một ngày sau 01/03/2025.") || !strings.Contains(page, "1 hồ sơ liên quan đến đơn vị đã được gửi") {
		t.Fatalf("refused move: %d %s", w.Code, page)
	}
	if links, err := models.UnitLinks(context.Background(), db, "xa-dong-hoa"); err != nil || len(links) != 1 {
		t.Fatalf("a refused move changed the links: %v (%v)", links, err)
	}
	// Its clerk's account moves to the successor.
	w = c.do("POST", "/ui/admin/units/xa-dong-hoa", url.Values{"csrf": {tok}, "op": {"succeed"}, "/to": {newDongHoa}})
	var clerk models.User
	if w.Code != http.StatusSeeOther || db.First(&clerk, "username = ?", "donvi.donghoa").Error != nil || clerk.UnitID != newDongHoa {
		t.Fatalf("succeed: %d %s, the clerk under %q", w.Code, w.Body.String(), clerk.UnitID)
	}

	// The successor's page: its predecessors and the three forms.
	w = c.do("GET", "/ui/admin/units/"+newDongHoa, nil)
	page = w.Body.String()
	for _, want := range []string{"<h1>Phường Đông Hòa</h1>", `<table id="unit_predecessors">`, "Phường Bình Thắng", "Thành phố Hồ Chí Minh",
		`id="unit-rename"`, `id="unit-move"`, `id="unit-end"`, `name="op" value="move"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("unit page lacks %s: %d %s", want, w.Code, page)
		}
	}
	w = c.do("POST", "/ui/admin/units/"+newDongHoa, url.Values{"csrf": {tok}, "op": {"rename"}, "/name": {" Phường Đông Hòa mới "}})
	var renamed models.Unit
	if w.Code != http.StatusSeeOther || db.First(&renamed, "id = ?", newDongHoa).Error != nil || renamed.Name != "Phường Đông Hòa mới" {
		t.Fatalf("rename: %d %q", w.Code, renamed.Name)
	}
	w = c.do("POST", "/ui/admin/units/"+newDongHoa, url.Values{"csrf": {tok}, "op": {"end"}, "/effective_to": {"2027-01-01"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/units/"+newDongHoa {
		t.Fatalf("end: %d %s %s", w.Code, w.Header().Get("Location"), w.Body.String())
	}
	if page = c.do("GET", "/ui/admin/units/"+newDongHoa, nil).Body.String(); !strings.Contains(page, "vẫn còn tài khoản đang hoạt động") ||
		!strings.Contains(page, "<h1>Phường Đông Hòa mới</h1>") || !strings.Contains(page, "31/12/2026") {
		t.Fatal("no word of the ended unit's accounts, or of its last day")
	}
	if page = c.do("GET", "/ui/admin/units/th-moi?lang=en", nil).Body.String(); !strings.Contains(page, "Move under another parent") {
		t.Fatal("no English")
	}

	// Below the province the hierarchy is read-only.
	c.loginAs(departmentAdmin(t, ui))
	if page = c.do("GET", "/ui/admin/units?lang=vi", nil).Body.String(); strings.Contains(page, `id="unit-create"`) || !strings.Contains(page, "Chỉ quản trị cấp tỉnh") {
		t.Fatal("a department's administrator gets the create form")
	}
	w = c.do("GET", "/ui/admin/units/thpt-di-an", nil)
	if page = w.Body.String(); strings.Contains(page, `name="op"`) {
		t.Fatal("a department's administrator gets the change forms")
	}
	w = c.do("POST", "/ui/admin/units/thpt-di-an", url.Values{"csrf": {csrfOf(t, w)}, "op": {"rename"}, "/name": {"Trường THPT Dĩ An (mới)"}})
	if w.Code != http.StatusForbidden {
		t.Fatalf("a department's administrator renames a school: %d", w.Code)
	}
}
