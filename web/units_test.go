package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
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

func TestUnitPages(t *testing.T) {
	detail := UnitDetail{Unit: units2024[0], Parents: []UnitLink{
		{ParentID: "huyen-di-an", ParentName: "Thành phố Dĩ An", EffectiveFrom: "2023-01-01", EffectiveTo: ptr("2025-07-01")},
		{ParentID: "binh-duong", ParentName: "Tỉnh Bình Dương", EffectiveFrom: "2025-07-01"}}}
	detail.ParentID = "binh-duong"
	api := &routeAPI{routes: map[string]func(http.ResponseWriter, map[string]any){
		"GET /api/v1/units": func(w http.ResponseWriter, _ map[string]any) {
			jsonOK(w, 200, map[string]any{"items": units2024, "total": len(units2024)})
		},
		"POST /api/v1/units": func(w http.ResponseWriter, body map[string]any) {
			if body["id"] == "th-moi" {
				jsonOK(w, 201, UnitDetail{Unit: Unit{ID: "th-moi"}})
				return
			}
			problemJSON(w, 422, "Dữ liệu chưa hợp lệ.", FieldError{Pointer: "/id", Message: "Mã đơn vị gồm chữ thường.", MessageEN: "Lowercase."},
				FieldError{Pointer: "/review_level", Message: "Cấp xét duyệt không phù hợp.", MessageEN: "Does not fit."})
		},
		"GET /api/v1/units/xa-dong-hoa": func(w http.ResponseWriter, _ map[string]any) { jsonOK(w, 200, detail) },
		"PATCH /api/v1/units/xa-dong-hoa": func(w http.ResponseWriter, body map[string]any) {
			switch {
			case body["parent_from"] == "2025-02-01":
				problemJSON(w, 409, "3 hồ sơ đã gửi của đợt «Sơ kết».", FieldError{Pointer: "/parent_from", Message: "Chọn một ngày sau 01/03/2025.", MessageEN: "After 2025-03-01."})
			case body["effective_to"] != nil:
				jsonOK(w, 200, UnitDetail{Unit: units2024[0], ActiveAccounts: ptr(2)})
			default:
				jsonOK(w, 200, detail)
			}
		},
	}}
	ui := newUI(t, api, Options{})
	c := newClient(t, ui)
	c.loginAs()

	w := c.do("GET", "/ui/admin/units?at=2024-06-01", nil)
	page := w.Body.String()
	for _, want := range []string{"Cây đơn vị ngày 01/06/2024", `<tr id="unit-xa-dong-hoa">`, `style="padding-left: 2.5rem"`,
		`href="/ui/admin/units/xa-dong-hoa"`, "Thành phố Dĩ An", "01/07/2025", `id="unit-create"`, `name="at" value="2024-06-01"`,
		`<option value="xa-dong-hoa">Phường Đông Hòa</option>`, `value="2024-06-01"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("hierarchy page lacks %s: %d %s", want, w.Code, page)
		}
	}
	district, commune := strings.Index(page, `id="unit-huyen-di-an"`), strings.Index(page, `id="unit-xa-an-binh"`)
	if district < 0 || commune < 0 || district > commune {
		t.Fatalf("the district at %d, its commune at %d: want both, the district first", district, commune)
	}
	tok := csrfOf(t, w)
	form := url.Values{"csrf": {tok}, "at": {"2024-06-01"}, "/id": {"TH Mới"}, "/name": {"Trường Tiểu học Mới"}, "/kind": {"school"},
		"/review_level": {""}, "/parent_id": {"xa-dong-hoa"}, "/effective_from": {"2024-09-05"}}
	w = c.do("POST", "/ui/admin/units", form)
	page = w.Body.String()
	if w.Code != 422 || !strings.Contains(page, `id="f-id-error"`) || !strings.Contains(page, `id="f-review_level-error"`) ||
		!strings.Contains(page, `value="TH Mới"`) || !strings.Contains(page, `<option value="xa-dong-hoa" selected>`) ||
		!strings.Contains(page, `<option value="school" selected>`) || !strings.Contains(page, "Cây đơn vị ngày 01/06/2024") {
		t.Fatalf("refused unit: %d %s", w.Code, page)
	}
	if b := api.last("POST /api/v1/units").body; b["review_level"] != nil || b["effective_from"] != "2024-09-05" || b["parent_id"] != "xa-dong-hoa" {
		t.Fatalf("sent %v", b)
	}
	form.Set("/id", "th-moi")
	if w = c.do("POST", "/ui/admin/units", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/units/th-moi" {
		t.Fatalf("created: %d %s", w.Code, w.Header().Get("Location"))
	}

	// A unit's page: its parents over time and the three forms.
	w = c.do("GET", "/ui/admin/units/xa-dong-hoa", nil)
	page = w.Body.String()
	for _, want := range []string{"<h1>Phường Đông Hòa</h1>", `<table id="parents">`, "Tỉnh Bình Dương", `id="unit-rename"`, `id="unit-move"`,
		`id="unit-end"`, `name="op" value="move"`, `value="Phường Đông Hòa"`} {
		if !strings.Contains(page, want) {
			t.Fatalf("unit page lacks %s: %d %s", want, w.Code, page)
		}
	}
	tok = csrfOf(t, w)
	w = c.do("POST", "/ui/admin/units/xa-dong-hoa", url.Values{"csrf": {tok}, "op": {"move"}, "/parent_id": {"so-gddt"}, "/parent_from": {"2025-02-01"}})
	page = w.Body.String()
	if w.Code != 409 || !strings.Contains(page, `id="f-parent_from-error"`) || !strings.Contains(page, "Chọn một ngày sau 01/03/2025.") ||
		!strings.Contains(page, `value="2025-02-01"`) || !strings.Contains(page, "3 hồ sơ đã gửi") {
		t.Fatalf("refused move: %d %s", w.Code, page)
	}
	if b := api.last("PATCH /api/v1/units/xa-dong-hoa").body; len(b) != 2 || b["parent_id"] != "so-gddt" {
		t.Fatalf("move sent %v", b)
	}
	w = c.do("POST", "/ui/admin/units/xa-dong-hoa", url.Values{"csrf": {tok}, "op": {"rename"}, "/name": {" Phường Đông Hòa mới "}})
	if w.Code != http.StatusSeeOther || api.last("PATCH /api/v1/units/xa-dong-hoa").body["name"] != "Phường Đông Hòa mới" {
		t.Fatalf("rename: %d", w.Code)
	}
	w = c.do("POST", "/ui/admin/units/xa-dong-hoa", url.Values{"csrf": {tok}, "op": {"end"}, "/effective_to": {"2027-01-01"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/ui/admin/units/xa-dong-hoa" {
		t.Fatalf("end: %d %s", w.Code, w.Header().Get("Location"))
	}
	if page = c.do("GET", "/ui/admin/units/xa-dong-hoa", nil).Body.String(); !strings.Contains(page, "vẫn còn tài khoản đang hoạt động") {
		t.Fatal("no word of the ended unit's accounts")
	}
	if page = c.do("GET", "/ui/admin/units/xa-dong-hoa?lang=en", nil).Body.String(); !strings.Contains(page, "Move under another parent") {
		t.Fatal("no English")
	}

	// Below the province the hierarchy is read-only.
	c.loginAs(departmentAdmin(t, ui))
	if page = c.do("GET", "/ui/admin/units?lang=vi", nil).Body.String(); strings.Contains(page, `id="unit-create"`) || !strings.Contains(page, "Chỉ quản trị cấp tỉnh") {
		t.Fatal("a department's administrator gets the create form")
	}
	if page = c.do("GET", "/ui/admin/units/xa-dong-hoa", nil).Body.String(); strings.Contains(page, `name="op"`) {
		t.Fatal("a department's administrator gets the change forms")
	}
}
