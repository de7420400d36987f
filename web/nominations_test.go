package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// The nominations' pages against the real service (no workflow engine):
// what is stored, what each caller is shown, what is refused.

// as is a client of ui signed in as username.
func as(t *testing.T, ui *UI, username string) *client {
	t.Helper()
	c := newClient(t, ui)
	c.loginAs(username)
	return c
}

// setState projects a state onto nomination id as its workflow would.
func setState(t *testing.T, ui *UI, id string, set map[string]any) {
	t.Helper()
	if err := ui.svc.DB().Model(&models.Nomination{}).Where("id = ?", id).Updates(set).Error; err != nil {
		t.Fatal(err)
	}
}

// inReviewAtDiAn puts nomination id in review at Dĩ An's district level,
// its second step, with a term.
func inReviewAtDiAn(t *testing.T, ui *UI, id string) {
	t.Helper()
	route := `{"chain":"three-tier","award":"giay-khen-xa","issuer":"` + seed.DistrictID("di-an") + `","steps":[` +
		`{"level":"commune","unit_id":"` + seed.CommuneID("dong-hoa") + `","unit_name":"Phường Đông Hòa"},` +
		`{"level":"district","unit_id":"` + seed.DistrictID("di-an") + `","unit_name":"Thành phố Dĩ An"}]}`
	for _, st := range []models.RouteStep{
		{Step: 0, Level: "commune", UnitID: seed.CommuneID("dong-hoa"), UnitName: "Phường Đông Hòa"},
		{Step: 1, Level: "district", UnitID: seed.DistrictID("di-an"), UnitName: "Thành phố Dĩ An"}} {
		st.NominationID = id
		if err := ui.svc.DB().Create(&st).Error; err != nil {
			t.Fatal(err)
		}
	}
	setState(t, ui, id, map[string]any{"route": route, "status": access.StatusInReview, "current_level": "district",
		"current_unit_id": seed.DistrictID("di-an"), "current_step": 1, "dossier_version": 1,
		"due_at": time.Now().Add(72 * time.Hour), "submitted_at": time.Now()})
}

// controls reports which of the page's action controls body shows.
func controls(body string) map[string]bool {
	return map[string]bool{
		"edit":     strings.Contains(body, `id="edit-link"`),
		"submit":   strings.Contains(body, `id="submit-button"`),
		"withdraw": strings.Contains(body, `/withdraw"`),
		"upload":   strings.Contains(body, `id="upload"`),
		"decide":   strings.Contains(body, `id="decide"`),
		"extend":   strings.Contains(body, `/deadline"`),
	}
}

// TestNominationButtons: a nomination's page shows each caller the
// actions the workflow would accept from them, and no other.
func TestNominationButtons(t *testing.T) {
	ui := newUI(t, Options{})
	id := draftOf(t, ui, "donvi.donghoa", "Nguyễn Văn Ba")
	page := func(c *client) map[string]bool {
		t.Helper()
		w := c.do("GET", "/ui/nominations/"+id, nil)
		if w.Code != http.StatusOK {
			t.Fatalf("page: %d %s", w.Code, w.Body.String())
		}
		return controls(w.Body.String())
	}
	only := func(who string, got map[string]bool, want ...string) {
		t.Helper()
		for k, shown := range got {
			wanted := false
			for _, x := range want {
				wanted = wanted || x == k
			}
			if shown != wanted {
				t.Errorf("%s: %s shown %v, want %v", who, k, shown, wanted)
			}
		}
	}
	clerk, reviewer, other, admin, interior := as(t, ui, "donvi.donghoa"), as(t, ui, "xet.dian"),
		as(t, ui, "xet.thuanan"), as(t, ui, "quantri"), as(t, ui, "canbo.sonoivu")
	only("the body, a draft", page(clerk), "edit", "submit", "withdraw", "upload")
	only("the province's administrator, a draft", page(admin))
	// A reviewer does not see a draft: it has no route yet.
	if w := reviewer.do("GET", "/ui/nominations/"+id, nil); w.Code != http.StatusNotFound {
		t.Fatalf("a reviewer opens a draft: %d", w.Code)
	}
	inReviewAtDiAn(t, ui, id)
	only("the body, in review", page(clerk), "withdraw")
	only("the district's reviewer", page(reviewer), "decide")
	only("the province's administrator, in review", page(admin), "extend")
	only("Interior, in review at the district", page(interior))
	if w := other.do("GET", "/ui/nominations/"+id, nil); w.Code != http.StatusNotFound {
		t.Fatalf("another district's reviewer: %d", w.Code)
	}
	// The edit form is for what may be edited: in review, back to the page.
	if w := clerk.do("GET", "/ui/nominations/"+id+"/edit", nil); w.Code != http.StatusSeeOther ||
		w.Header().Get("Location") != "/ui/nominations/"+id {
		t.Fatalf("edit in review: %d %s", w.Code, w.Header().Get("Location"))
	}
	setState(t, ui, id, map[string]any{"status": access.StatusReturned})
	only("the body, returned", page(clerk), "edit", "withdraw", "upload")
	if w := clerk.do("GET", "/ui/nominations/"+id+"/edit", nil); w.Code != http.StatusOK {
		t.Fatalf("edit a returned nomination: %d", w.Code)
	}
}

// TestEditAndWithdrawPages: the dossier form saves through the service,
// its refusals come back beside the fields, and a withdrawn draft has no
// actions left.
func TestEditAndWithdrawPages(t *testing.T) {
	ui := newUI(t, Options{})
	id := draftOf(t, ui, "donvi.donghoa", "Trần Thị Tư")
	clerk := as(t, ui, "donvi.donghoa")
	tok := csrfOf(t, clerk.do("GET", "/ui/nominations/"+id+"/edit", nil))
	stored := func() models.Nomination {
		var row models.Nomination
		if err := ui.svc.DB().First(&row, "id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		return row
	}
	// draftOf's draft asks for giay-khen-xa: the save changes the award too.
	w := clerk.do("POST", "/ui/nominations/"+id+"/edit", url.Values{"csrf": {tok}, "op": {"save"},
		"/nominee_name": {"Trần Thị Tư Hoa"}, "/award": {"giay-khen-huyen"}, "/dossier/nominee/cccd": {"074185000111"}})
	row := stored()
	if w.Code != http.StatusSeeOther || row.NomineeName != "Trần Thị Tư Hoa" || row.Award != "giay-khen-huyen" ||
		!strings.Contains(row.Dossier, `"cccd":"074185000111"`) {
		t.Fatalf("save: %d, stored %+v", w.Code, row)
	}
	// A name on two lines is the service's to refuse, beside its field.
	w = clerk.do("POST", "/ui/nominations/"+id+"/edit", url.Values{"csrf": {tok}, "op": {"save"},
		"/nominee_name": {"Trần\nThị"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="f-nominee_name-error">Tên đối tượng phải nằm trên một dòng.`) ||
		stored().NomineeName != "Trần Thị Tư Hoa" {
		t.Fatalf("a name on two lines: %d %s", w.Code, w.Body.String())
	}
	// Saved and submitted: the dossier's check refuses it; the save stays.
	w = clerk.do("POST", "/ui/nominations/"+id+"/edit", url.Values{"csrf": {tok}, "op": {"submit"},
		"/nominee_name": {"Trần Thị Tư"}, "/award": {"giay-khen-xa"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "Hồ sơ chưa đầy đủ") ||
		stored().NomineeName != "Trần Thị Tư" || stored().Status != access.StatusDraft {
		t.Fatalf("save and submit: %d", w.Code)
	}
	// A reviewer's withdrawal is refused by the service; the body's goes.
	if w := as(t, ui, "canbo.sonoivu").do("POST", "/ui/nominations/"+id+"/withdraw", url.Values{"csrf": {tok}}); w.Code != http.StatusForbidden {
		t.Fatalf("Interior withdraws: %d", w.Code)
	}
	w = clerk.do("POST", "/ui/nominations/"+id+"/withdraw", url.Values{"csrf": {tok}, "reason": {" Trùng hồ sơ "}, "idem": {"rut-1"}})
	if w.Code != http.StatusSeeOther || stored().Status != access.StatusWithdrawn {
		t.Fatalf("withdraw: %d %s", w.Code, stored().Status)
	}
	body := clerk.do("GET", "/ui/nominations/"+id, nil).Body.String()
	for k, shown := range controls(body) {
		if shown {
			t.Errorf("a withdrawn draft shows %s", k)
		}
	}
}

// TestInboxAndBulkPages: what waits for each caller, filtered; a bulk
// approval lists each decision's outcome (here refused: no workflow runs).
func TestInboxAndBulkPages(t *testing.T) {
	ui := newUI(t, Options{})
	waiting, returned := draftOf(t, ui, "donvi.donghoa", "Võ Văn Năm"), draftOf(t, ui, "donvi.donghoa", "Hồ Thị Sáu")
	inReviewAtDiAn(t, ui, waiting)
	setState(t, ui, returned, map[string]any{"status": access.StatusReturned})
	reviewer, clerk := as(t, ui, "xet.dian"), as(t, ui, "donvi.donghoa")
	w := reviewer.do("GET", "/ui/inbox", nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, "Võ Văn Năm") || strings.Contains(body, "Hồ Thị Sáu") ||
		!strings.Contains(body, `id="sel-`+waiting+`"`) || !strings.Contains(body, `id="bulk-approve"`) {
		t.Fatalf("the reviewer's inbox: %d %s", w.Code, body)
	}
	if body := reviewer.do("GET", "/ui/inbox?q=sau", nil).Body.String(); strings.Contains(body, "Võ Văn Năm") {
		t.Fatal("the filtered inbox ignores its filter")
	}
	if body := reviewer.do("GET", "/ui/inbox?q=van+nam", nil).Body.String(); !strings.Contains(body, "Võ Văn Năm") {
		t.Fatal("the filtered inbox lacks its match")
	}
	// The body's inbox is what was returned to it; it approves nothing.
	body = clerk.do("GET", "/ui/inbox", nil).Body.String()
	if !strings.Contains(body, "Hồ Thị Sáu") || strings.Contains(body, "Võ Văn Năm") || strings.Contains(body, `id="bulk-approve"`) {
		t.Fatalf("the body's inbox: %s", body)
	}
	if body := clerk.do("GET", "/ui/nominations", nil).Body.String(); !strings.Contains(body, `id="h-returned"`) ||
		!strings.Contains(body, "/ui/nominations/"+returned+"/edit") {
		t.Fatal("the body's list does not call out the returned nomination")
	}
	tok := csrfOf(t, reviewer.do("GET", "/ui/inbox", nil))
	if w := reviewer.do("POST", "/ui/inbox/approve", url.Values{"csrf": {tok}}); w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bulk approval of nothing: %d", w.Code)
	}
	// One the reviewer may not see is refused before any workflow is
	// asked.
	w = reviewer.do("POST", "/ui/inbox/approve", url.Values{"csrf": {tok}, "idem": {"duyet-0"}, "id": {returned}})
	body = w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, ">"+returned+"</a>") || strings.Count(body, `class="badge rejected"`) != 1 ||
		!strings.Contains(body, "Không tìm thấy hồ sơ đề nghị này.") {
		t.Fatalf("bulk approval of another's: %d %s", w.Code, body)
	}
	// The one waiting for the reviewer goes to its workflow, and there is
	// no engine: the service says so beside it.
	w = reviewer.do("POST", "/ui/inbox/approve", url.Values{"csrf": {tok}, "idem": {"duyet-1"}, "id": {waiting, returned}})
	body = w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, ">Võ Văn Năm</a>") || !strings.Contains(body, ">"+returned+"</a>") ||
		strings.Count(body, `class="badge rejected"`) != 2 || !strings.Contains(body, "Chưa kết nối được máy chủ quy trình") ||
		!strings.Contains(body, "Không tìm thấy hồ sơ đề nghị này.") {
		t.Fatalf("bulk approval: %d %s", w.Code, body)
	}
}

// TestCreateFormPostedTwice: the form's key makes a second post of the
// same form (a double click, a reload) return the draft the first made,
// as an API client's Idempotency-Key does.
func TestCreateFormPostedTwice(t *testing.T) {
	ui := newUI(t, Options{})
	clerk := as(t, ui, "donvi.donghoa")
	tok := csrfOf(t, clerk.do("GET", "/ui/nominations/new", nil))
	form := url.Values{"csrf": {tok}, "idem": {"mau-1"}, "/round_id": {seed.DemoRoundID}, "/nominee_kind": {"individual"},
		"/award": {"giay-khen-xa"}, "/nominee_name": {"Đặng Văn Bảy"}}
	var at []string
	for i := 0; i < 2; i++ {
		w := clerk.do("POST", "/ui/nominations", form)
		if w.Code != http.StatusSeeOther {
			t.Fatalf("post %d: %d %s", i, w.Code, w.Body.String())
		}
		at = append(at, w.Header().Get("Location"))
	}
	var count int64
	if err := ui.svc.DB().Model(&models.Nomination{}).Count(&count).Error; err != nil {
		t.Fatal(err)
	}
	if at[0] != at[1] || count != 1 {
		t.Fatalf("the same form twice: %v, %d stored", at, count)
	}
	// Another form's key is another draft.
	form.Set("idem", "mau-2")
	if w := clerk.do("POST", "/ui/nominations", form); w.Code != http.StatusSeeOther || w.Header().Get("Location") == at[0] {
		t.Fatalf("another form: %d %s", w.Code, w.Header().Get("Location"))
	}
}
