package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/service"
)

// post stores an accepted Prime Minister's Bằng khen nomination of Phường
// Đông Hòa under public posting since an hour ago, and returns when the
// posting ends.
func post(t *testing.T, ui *UI, id, nominee string) time.Time {
	t.Helper()
	start := time.Now().UTC().Add(-time.Hour)
	ends := start.Add(14 * 24 * time.Hour)
	for _, v := range []any{
		&models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
			NomineeKind: "individual", NomineeName: nominee, Award: "bang-khen-thu-tuong", Dossier: "{}",
			Status: "accepted", Route: `{"steps":[]}`},
		&models.Posting{NominationID: id, RoundID: seed.DemoRoundID, StartsAt: start, EndsAt: ends},
	} {
		if err := ui.svc.DB().Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	return ends
}

// objections are those recorded against a nomination.
func objections(t *testing.T, ui *UI, id string) []models.Objection {
	t.Helper()
	var out []models.Objection
	if err := ui.svc.DB().Where("nomination_id = ?", id).Order("created_at").Find(&out).Error; err != nil {
		t.Fatal(err)
	}
	return out
}

// TestObjectionLimitOnTheWebPath: the web form takes at most 5 objections
// a minute from one address, as the API does, and both count against the
// same allowance; another address is not limited.
func TestObjectionLimitOnTheWebPath(t *testing.T) {
	ui := newUI(t, Options{})
	post(t, ui, "n-1", "Lâm Văn Phúc")
	c := newClient(t, ui)
	tok := csrfOf(t, c.do("GET", "/ui/postings", nil))
	object := func(i int) int {
		return c.do("POST", "/ui/postings/n-1/objections", url.Values{"csrf": {tok}, "author": {"Nguyễn Văn Dân"},
			"text": {"Đề nghị xác minh lại thành tích, lần " + string(rune('0'+i)) + "."}}).Code
	}
	for i := 0; i < 4; i++ {
		if code := object(i); code != http.StatusSeeOther {
			t.Fatalf("objection %d: %d", i, code)
		}
	}
	// The fifth from this address comes through the API's way into the
	// service (the test client's address is httptest's 192.0.2.1).
	api := service.Caller{Address: "192.0.2.1"}
	if _, err := ui.svc.Object(t.Context(), api, "n-1", func(in *service.ObjectionInput) error {
		*in = service.ObjectionInput{Author: "Trần Thị B", Text: "Thành tích cần được xác minh."}
		return nil
	}); err != nil {
		t.Fatalf("objection through the API's path: %v", err)
	}
	w := c.do("POST", "/ui/postings/n-1/objections", url.Values{"csrf": {tok}, "author": {"Nguyễn Văn Dân"},
		"text": {"Đề nghị xác minh lại thành tích năm 2024."}})
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "60" || !strings.Contains(w.Body.String(), "Quá nhiều yêu cầu") ||
		!strings.Contains(w.Body.String(), `value="Nguyễn Văn Dân"`) {
		t.Fatalf("sixth objection within a minute: %d %v %s", w.Code, w.Header(), w.Body.String())
	}
	if got := len(objections(t, ui, "n-1")); got != 5 {
		t.Fatalf("%d objections recorded, want 5", got)
	}
	other := service.Caller{Address: "192.0.2.2"}
	if _, err := ui.svc.Object(t.Context(), other, "n-1", func(in *service.ObjectionInput) error {
		*in = service.ObjectionInput{Author: "Lê Văn C", Text: "Đề nghị công khai thêm thành tích."}
		return nil
	}); err != nil {
		t.Fatalf("another address: %v", err)
	}
}
