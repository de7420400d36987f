package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestNominationPageShowsTheRegister: a household whose claimed "Gia đình
// học tập" the register lacks shows the warning with its message among
// the eligibility checks, and its reviewer is told a comment is needed to
// approve; a collective in the sơ kết demo round shows its unit's
// learning indicators beside the dossier.
func TestNominationPageShowsTheRegister(t *testing.T) {
	ui := newUI(t, Options{CSRFKey: []byte("k")})
	db := ui.svc.DB()
	dian := seed.NewCommuneID("Phường Dĩ An")
	route := `{"chain":"two-tier","award":"giay-khen-xa","steps":[{"level":"commune","unit_id":"` + dian + `"}]}`
	const warning = "Hồ sơ khai Gia đình học tập 2023–2025; sổ ghi nhận: 2024, 2025; thiếu 2023."
	for _, n := range []models.Nomination{
		{ID: "n-ho", NomineeKind: "household", FormCode: "HSKT-HGD", NomineeName: "Hộ ông Trần Văn Bình",
			Eligibility: `[{"rule_id":"learning-register","status":"warning","message":"` + warning + `","message_en":"x","pointer":"/nominee/titles/0"}]`},
		{ID: "n-tt", NomineeKind: "collective", FormCode: "HSKT-TT", NomineeName: "Trường Tiểu học Dĩ An"},
	} {
		n.RoundID, n.UnitID, n.CreatedBy, n.Award, n.Dossier, n.FormVersion = seed.DemoTwoTierRoundID, dian, "u", "giay-khen-xa", "{}", 2
		n.Status, n.Route, n.CurrentLevel, n.CurrentUnitID = "in_review", route, "commune", dian
		if err := db.Create(&n).Error; err != nil {
			t.Fatal(err)
		}
		if err := models.SaveRoute(db, n.ID, routing.Route{Chain: "two-tier", Award: "giay-khen-xa",
			Steps: []routing.Step{{Level: "commune", UnitID: dian}}}); err != nil {
			t.Fatal(err)
		}
	}
	head := as(t, ui, "chutich.phuongdian")
	w := head.do("GET", "/ui/nominations/n-ho", nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, warning) || !strings.Contains(body, `rule-warning`) || !strings.Contains(body, `id="register-flag"`) {
		t.Fatalf("the household's page: %d\n%s", w.Code, body)
	}
	if strings.Contains(body, `id="learning-indicators"`) {
		t.Error("a household shows the unit's indicators")
	}
	w = head.do("GET", "/ui/nominations/n-tt", nil)
	body = w.Body.String()
	if w.Code != http.StatusOK || !strings.Contains(body, `id="learning-indicators"`) || !strings.Contains(body, "Gia đình học tập") ||
		!strings.Contains(body, "năm 2025") || strings.Contains(body, `id="register-flag"`) {
		t.Fatalf("the collective's page: %d\n%s", w.Code, body)
	}
}
