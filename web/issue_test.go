package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/service"
)

// TestHeadRecordsTheCommunesDecision: the head of Phường Dĩ An finds,
// from the round's page, the phường's accepted Giấy khen awaiting its
// chairman's decision (and not the province's), records the decision
// with the roster's signer left blank, and lands on the decision's page;
// a refused number is shown beside its field. A reviewer who is not the
// head is refused the list.
func TestHeadRecordsTheCommunesDecision(t *testing.T) {
	ui := newUI(t, Options{CSRFKey: []byte("k")})
	db := ui.svc.DB()
	dian := seed.NewCommuneID("Phường Dĩ An")
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	// The demo's head of Phường Dĩ An (chutich.phuongdian) and a reviewer
	// who is not the head.
	clerk := models.User{ID: "u-xet", Username: "xet.phuongdian", FullName: "Cán bộ", Role: models.RoleReviewer, UnitID: dian, PasswordHash: hash}
	if err := db.Create(&clerk).Error; err != nil {
		t.Fatal(err)
	}
	route := `{"chain":"two-tier","award":"giay-khen-xa","steps":[{"level":"commune","unit_id":"` + dian + `"}]}`
	for id, award := range map[string]string{"n-gk": "giay-khen-xa", "n-bk": "bang-khen-tinh"} {
		n := models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: dian, CreatedBy: "u", NomineeKind: "household",
			NomineeName: "Hộ ông " + id, Award: award, Dossier: "{}", Status: "accepted", Route: route}
		if err := db.Create(&n).Error; err != nil {
			t.Fatal(err)
		}
	}

	head := as(t, ui, "chutich.phuongdian")
	round := head.do("GET", "/ui/rounds/"+seed.DemoRoundID, nil)
	if !strings.Contains(round.Body.String(), `href="/ui/rounds/`+seed.DemoRoundID+`/consolidated"`) {
		t.Fatalf("the round's page offers the head no decisions:\n%s", round.Body.String())
	}
	page := head.do("GET", "/ui/rounds/"+seed.DemoRoundID+"/consolidated", nil)
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, "Hồ sơ chờ quyết định khen thưởng của đơn vị") ||
		!strings.Contains(body, `id="pick-n-gk"`) || strings.Contains(body, "n-bk") || strings.Contains(body, `id="council-submit"`) {
		t.Fatalf("the head's list: %d\n%s", page.Code, body)
	}
	form := url.Values{"csrf": {csrfOf(t, page)}, "/number": {"12/QĐ"}, "/signed_on": {"2026-11-25"},
		"/signer_title": {"CHỦ TỊCH"}, "/signer_name": {"Trần Văn Bình"}, "/nomination_ids": {"n-gk"}}
	refused := head.do("POST", "/ui/rounds/"+seed.DemoRoundID+"/decision", form)
	if refused.Code != http.StatusUnprocessableEntity || !strings.Contains(refused.Body.String(), "123/QĐ-UBND") {
		t.Fatalf("a bad number: %d\n%s", refused.Code, refused.Body.String())
	}
	form.Set("/number", "12/QĐ-UBND")
	done := head.do("POST", "/ui/rounds/"+seed.DemoRoundID+"/decision", form)
	if done.Code != http.StatusSeeOther || !strings.HasPrefix(done.Header().Get("Location"), "/ui/decisions/") {
		t.Fatalf("the decision: %d %s\n%s", done.Code, done.Header().Get("Location"), done.Body.String())
	}
	var d models.Decision
	if err := db.First(&d, "number = ?", "12/QĐ-UBND").Error; err != nil || d.IssuerUnitID != dian {
		t.Fatalf("stored decision %+v %v", d, err)
	}
	if w := head.do("GET", done.Header().Get("Location"), nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "12/QĐ-UBND") {
		t.Errorf("the decision's page: %d", w.Code)
	}

	if w := as(t, ui, "xet.phuongdian").do("GET", "/ui/rounds/"+seed.DemoRoundID+"/consolidated", nil); w.Code != http.StatusForbidden {
		t.Errorf("a reviewer who is not the head: %d", w.Code)
	}
}

// TestUnitPageRosterAndDatedRename: on Phường Dĩ An's page the
// administrator adds its chairman's term to the roster (shown in the
// table), sees an overlapping term refused beside its field, and renames
// the phường from a day, which keeps the old name before it.
func TestUnitPageRosterAndDatedRename(t *testing.T) {
	ui := newUI(t, Options{CSRFKey: []byte("k")})
	dian := seed.NewCommuneID("Phường Dĩ An")
	admin := as(t, ui, "quantri")
	page := admin.do("GET", "/ui/admin/units/"+dian, nil)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), `id="signer-add"`) {
		t.Fatalf("the unit's page: %d\n%s", page.Code, page.Body.String())
	}
	signer := url.Values{"csrf": {csrfOf(t, page)}, "op": {"signer"}, "/name": {"Trần Văn Bình"},
		"/title": {"TM. ỦY BAN NHÂN DÂN\r\nCHỦ TỊCH"}, "/valid_from": {"2025-07-01"}}
	if w := admin.do("POST", "/ui/admin/units/"+dian, signer); w.Code != http.StatusSeeOther {
		t.Fatalf("add a signer: %d\n%s", w.Code, w.Body.String())
	}
	if body := admin.do("GET", "/ui/admin/units/"+dian, nil).Body.String(); !strings.Contains(body, "<td>Trần Văn Bình</td>") {
		t.Fatalf("the roster does not show the signer:\n%s", body)
	}
	signer.Set("/name", "Lê Thị Cúc")
	signer.Set("/valid_from", "2026-01-01")
	refused := admin.do("POST", "/ui/admin/units/"+dian, signer)
	if refused.Code != http.StatusUnprocessableEntity || !strings.Contains(refused.Body.String(), "Nhiệm kỳ trùng với Trần Văn Bình") {
		t.Fatalf("an overlapping term: %d\n%s", refused.Code, refused.Body.String())
	}
	rename := url.Values{"csrf": {csrfOf(t, page)}, "op": {"rename"}, "/name": {"Phường Dĩ An Mới"}, "/name_from": {"2027-01-01"}}
	if w := admin.do("POST", "/ui/admin/units/"+dian, rename); w.Code != http.StatusSeeOther {
		t.Fatalf("a dated rename: %d\n%s", w.Code, w.Body.String())
	}
	names, err := models.NamesOf(context.Background(), ui.svc.DB(), dian)
	if err != nil || len(names) != 2 || names[0].Name != "Phường Dĩ An" || names[1].Name != "Phường Dĩ An Mới" {
		t.Fatalf("dated names %+v %v", names, err)
	}
}

// TestCentralAwardOffersNoPDF: the pages of a Prime Minister's Bằng khen
// — the nomination's, with its recorded certificate, and its decision's —
// offer no PDF (no draft, no certificate, no decision, no print batch) but
// say that the Government issues it and tdkt only records the decision,
// with the verification page still linked; the city's Bằng khen beside it
// keeps its links. The certificate's address answers the refusal.
func TestCentralAwardOffersNoPDF(t *testing.T) {
	ui := newUI(t, Options{CSRFKey: []byte("k")})
	db := ui.svc.DB()
	session := models.CouncilSession{ID: "s-1", RoundID: seed.DemoRoundID, HeldOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		MembersTotal: 11, MembersPresent: 9, ThresholdPercent: 50}
	if err := db.Create(&session).Error; err != nil {
		t.Fatal(err)
	}
	for id, award := range map[string]string{"n-pm": "bang-khen-thu-tuong", "n-city": "bang-khen-tinh"} {
		for _, v := range []any{
			&models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
				NomineeKind: "individual", NomineeName: "Nguyễn Văn " + id, Award: award, Dossier: "{}", Status: "accepted", Route: `{"steps":[]}`},
			&models.CouncilVote{SessionID: session.ID, NominationID: id, For: 9, Passed: true},
		} {
			if err := db.Create(v).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	var interior service.Caller
	if err := db.First(&interior.User, "username = ?", "canbo.sonoivu").Error; err != nil {
		t.Fatal(err)
	}
	if err := db.First(&interior.Unit, "id = ?", interior.User.UnitID).Error; err != nil {
		t.Fatal(err)
	}
	decisions := map[string]service.DecisionView{}
	for id, number := range map[string]string{"n-pm": "1520/QĐ-TTg", "n-city": "12/QĐ-UBND"} {
		d, err := ui.svc.IssueDecision(context.Background(), interior, service.IssueInput{RoundID: seed.DemoRoundID, Number: number,
			SignedOn: "2026-11-25", SignerTitle: "THỦ TƯỚNG", SignerName: "Nguyễn Văn An", NominationIDs: []string{id}})
		if err != nil {
			t.Fatalf("%s: %v", number, err)
		}
		decisions[id] = d
	}
	const recorded = "Bằng khen do Thủ tướng Chính phủ cấp; hệ thống chỉ ghi nhận quyết định."

	body := as(t, ui, "donvi.donghoa")
	page := body.do("GET", "/ui/nominations/n-pm", nil).Body.String()
	if !strings.Contains(page, `id="recorded-only"`) || !strings.Contains(page, `id="issued-recorded"`) || !strings.Contains(page, recorded) ||
		strings.Contains(page, `id="draft-link"`) || strings.Contains(page, `id="issued-pdf"`) || strings.Contains(page, ".pdf") ||
		!strings.Contains(page, `id="issued-verify"`) {
		t.Fatalf("the Prime Minister's Bằng khen's page:\n%s", page)
	}
	page = body.do("GET", "/ui/nominations/n-city", nil).Body.String()
	if !strings.Contains(page, `id="draft-link"`) || !strings.Contains(page, `id="issued-pdf"`) || strings.Contains(page, recorded) {
		t.Fatalf("the city's Bằng khen's page:\n%s", page)
	}
	w := body.do("GET", "/ui/certificates/"+decisions["n-pm"].Certificates[0].ID+".pdf", nil)
	if w.Code != http.StatusConflict || !strings.Contains(w.Body.String(), "Bằng khen do Thủ tướng Chính phủ cấp") {
		t.Fatalf("the certificate's address: %d\n%s", w.Code, w.Body.String())
	}

	officer := as(t, ui, "canbo.sonoivu")
	page = officer.do("GET", "/ui/decisions/"+decisions["n-pm"].ID, nil).Body.String()
	if !strings.Contains(page, `id="recorded-only"`) || !strings.Contains(page, recorded) || strings.Contains(page, ".pdf") ||
		!strings.Contains(page, `class="verify-link"`) {
		t.Fatalf("the Prime Minister's decision's page:\n%s", page)
	}
	page = officer.do("GET", "/ui/decisions/"+decisions["n-city"].ID, nil).Body.String()
	if !strings.Contains(page, `id="decision-pdf"`) || !strings.Contains(page, `id="batch-pdf"`) ||
		!strings.Contains(page, "/ui/certificates/"+decisions["n-city"].Certificates[0].ID+".pdf") || strings.Contains(page, recorded) {
		t.Fatalf("the city's decision's page:\n%s", page)
	}
}
