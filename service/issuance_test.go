package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
)

// accepted stores an accepted nomination of body for award, routed
// through the given steps, passed by the council when the city decides
// it.
func accepted(t *testing.T, db *gorm.DB, id, body string, award routing.Award, steps ...routing.Step) {
	t.Helper()
	route := fmt.Sprintf(`{"chain":"two-tier","award":%q,"steps":[`, award)
	for i, st := range steps {
		if i > 0 {
			route += ","
		}
		route += fmt.Sprintf(`{"level":%q,"unit_id":%q}`, st.Level, st.UnitID)
	}
	route += "]}"
	n := models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: body, CreatedBy: "u", NomineeKind: "collective",
		NomineeName: "Hộ gia đình ông " + id, Award: string(award), Dossier: "{}", Status: "accepted", Route: route}
	if err := db.Create(&n).Error; err != nil {
		t.Fatal(err)
	}
	if award == routing.BangKhenTinh {
		s := models.CouncilSession{ID: "s-" + id, RoundID: seed.DemoRoundID, HeldOn: time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC),
			MembersTotal: 11, MembersPresent: 9, ThresholdPercent: 50}
		v := models.CouncilVote{SessionID: s.ID, NominationID: id, For: 9, Passed: true}
		if err := db.Create(&s).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Create(&v).Error; err != nil {
			t.Fatal(err)
		}
	}
}

// head adds the head of unit, who records its chairman's or director's
// decisions, and returns them as the service sees them.
func head(t *testing.T, db *gorm.DB, username, unit string, isHead bool) service.Caller {
	t.Helper()
	u := models.User{ID: "u-" + username, Username: username, FullName: username, Email: username + "@tdkt.local",
		Role: models.RoleReviewer, UnitID: unit, Head: isHead, PasswordHash: "x"}
	if err := db.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	return caller(t, db, username)
}

func issue(s *service.Service, who service.Caller, number, signed string, ids ...string) (service.DecisionView, error) {
	return s.IssueDecision(context.Background(), who, service.IssueInput{RoundID: seed.DemoRoundID, Number: number,
		SignedOn: signed, SignerTitle: "CHỦ TỊCH", SignerName: "Trần Văn Bình", NominationIDs: ids})
}

// decisionText renders decision id's PDF and reads its text back.
func decisionText(t *testing.T, s *service.Service, who service.Caller, id string) string {
	t.Helper()
	doc, err := s.DecisionPDF(context.Background(), who, id)
	if err != nil {
		t.Fatal(err)
	}
	return pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "quyet-dinh.pdf", doc.Body), 0))
}

// TestIssueAtEveryLevel: the chairman of Phường Dĩ An issues the phường's
// Giấy khen in its own name and register; Xã Bàu Bàng numbers its own
// 12/QĐ-UBND; neither issues the other's, nor Interior a commune's, nor a
// reviewer who is not the head; the district's Giấy khen cannot be signed
// after the districts ended; a Sunday is accepted with a warning.
func TestIssueAtEveryLevel(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	dian, baubang := seed.NewCommuneID("Phường Dĩ An"), seed.NewCommuneID("Xã Bàu Bàng")
	accepted(t, db, "n-dian", dian, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: dian})
	accepted(t, db, "n-dian-sunday", dian, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: dian})
	accepted(t, db, "n-bb", baubang, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: baubang})
	accepted(t, db, "n-huyen", seed.CommuneID("dong-hoa"), routing.GiayKhenHuyen,
		routing.Step{Level: routing.Commune, UnitID: seed.CommuneID("dong-hoa")}, routing.Step{Level: routing.District, UnitID: seed.DistrictID("di-an")})
	chairDiAn := head(t, db, "chutich.dian", dian, true)
	chairBauBang := head(t, db, "chutich.baubang", baubang, true)
	clerk := head(t, db, "xet.phuongdian", dian, false)

	d, err := issue(s, chairDiAn, "12/QĐ-UBND", "2026-11-25", "n-dian")
	if err != nil {
		t.Fatal(err)
	}
	if d.IssuerUnitID != dian || d.Certificates[0].RegisterNumber != 1 || len(d.Warnings) != 0 {
		t.Fatalf("Phường Dĩ An's decision: %+v", d)
	}
	if d2, err := issue(s, chairBauBang, "12/QĐ-UBND", "2026-11-25", "n-bb"); err != nil || d2.IssuerUnitID != baubang || d2.Certificates[0].RegisterNumber != 1 {
		t.Fatalf("Xã Bàu Bàng's 12/QĐ-UBND: %+v %v", d2, err)
	}
	text := decisionText(t, s, chairDiAn, d.ID)
	for _, want := range []string{"ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN", "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN", "Dĩ An, ngày 25 tháng 11 năm 2026",
		"Trần Văn Bình", "Số: 12/QĐ-UBND", "Về việc tặng Giấy khen của Chủ tịch Ủy ban nhân dân phường Dĩ An"} {
		if !strings.Contains(text, want) {
			t.Errorf("Phường Dĩ An's decision lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "BÌNH DƯƠNG") || strings.Contains(text, "TỈNH") {
		t.Errorf("Phường Dĩ An's decision names the old province:\n%s", text)
	}
	if v, err := s.Verify(context.Background(), "", d.Certificates[0].VerifyCode); err != nil ||
		v.Award != "Giấy khen của Chủ tịch Ủy ban nhân dân phường Dĩ An" || v.Issuer != "Phường Dĩ An" {
		t.Errorf("the verification page: %+v %v", v, err)
	}
	if _, err := s.DecisionPDF(context.Background(), chairBauBang, d.ID); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("Xã Bàu Bàng reads Phường Dĩ An's decision: %v", err)
	}

	for _, c := range []struct {
		name string
		who  service.Caller
		id   string
		date string
	}{
		{"another commune's nomination", chairDiAn, "n-bb", "2026-11-25"},
		{"Interior on a commune's Giấy khen", caller(t, db, "canbo.sonoivu"), "n-dian-sunday", "2026-11-25"},
		{"the district's Giấy khen after 30 June 2025", caller(t, db, "xet.dian"), "n-huyen", "2025-07-01"},
	} {
		_, err := issue(s, c.who, "13/QĐ-UBND", c.date, c.id)
		var e *service.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Pointer != "/nomination_ids/0" {
			t.Errorf("%s: %v, want a refusal of /nomination_ids/0", c.name, err)
		}
	}
	if _, err := issue(s, clerk, "13/QĐ-UBND", "2026-11-25", "n-dian-sunday"); !errors.Is(err, service.ErrForbidden) {
		t.Errorf("a reviewer who is not the head: %v", err)
	}
	var n int64
	db.Model(&models.Decision{}).Count(&n)
	if n != 2 {
		t.Errorf("%d decisions stored, want the 2 issued", n)
	}

	sunday, err := issue(s, chairDiAn, "14/QĐ-UBND", "2026-11-29", "n-dian-sunday")
	if err != nil || len(sunday.Warnings) != 1 || !strings.Contains(sunday.Warnings[0], "không phải ngày làm việc") {
		t.Fatalf("a decision signed on a Sunday: %+v %v", sunday, err)
	}
	var ev models.AuditEvent
	if err := db.First(&ev, "action = ? AND target = ?", "decision.issue", sunday.ID).Error; err != nil || !strings.Contains(ev.Detail, "không phải ngày làm việc") {
		t.Errorf("the Sunday's warning in the audit trail: %+v %v", ev, err)
	}
}

// TestIssuerOnTheDecisionsDay: a Bằng khen signed on 20 June 2025 is Bình
// Dương's, with its committee and place; one signed in 2026 for the same
// route is the city's, in the city's register; the Sở's Giấy khen of 2026
// has the city's committee above the Sở.
func TestIssuerOnTheDecisionsDay(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	body := seed.CommuneID("dong-hoa")
	steps := []routing.Step{{Level: routing.Commune, UnitID: body}, {Level: routing.Education, UnitID: seed.EducationID},
		{Level: routing.Interior, UnitID: seed.InteriorID}}
	accepted(t, db, "n-2025", body, routing.BangKhenTinh, steps...)
	accepted(t, db, "n-2026", body, routing.BangKhenTinh, steps...)
	accepted(t, db, "n-so", body, routing.GiayKhenSo, steps[:2]...)
	interior := caller(t, db, "canbo.sonoivu")

	old, err := issue(s, interior, "7/QĐ-UBND", "2025-06-20", "n-2025")
	if err != nil || old.IssuerUnitID != seed.InteriorID {
		t.Fatalf("June 2025: %+v %v", old, err)
	}
	text := decisionText(t, s, interior, old.ID)
	for _, want := range []string{"ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG", "Bình Dương, ngày 20 tháng 6 năm 2025", "Xét đề nghị của Giám đốc Sở Nội vụ",
		"Căn cứ Nghị định số 98/2023/NĐ-CP"} {
		if !strings.Contains(text, want) {
			t.Errorf("the decision of 20 June 2025 lacks %q:\n%s", want, text)
		}
	}
	city, err := issue(s, interior, "7/QĐ-UBND", "2026-11-25", "n-2026")
	if err != nil || city.IssuerUnitID != seed.CityInteriorID || city.Certificates[0].RegisterNumber != 1 {
		t.Fatalf("2026, the city's: %+v %v", city, err)
	}
	text = decisionText(t, s, interior, city.ID)
	if !strings.Contains(text, "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH") || !strings.Contains(text, "Thành phố Hồ Chí Minh, ngày 25 tháng 11 năm 2026") ||
		!strings.Contains(text, "Căn cứ Nghị định số 152/2025/NĐ-CP") || !strings.Contains(text, "Bằng khen của Chủ tịch Ủy ban nhân dân thành phố Hồ Chí Minh") || strings.Contains(text, "BÌNH DƯƠNG") || strings.Contains(text, "98/2023") {
		t.Errorf("the city's decision of 2026:\n%s", text)
	}

	so, err := issue(s, caller(t, db, "xet.sogddt"), "3/QĐ-SGDĐT", "2026-11-25", "n-so")
	if err != nil || so.IssuerUnitID != seed.CityEducationID {
		t.Fatalf("the Sở's Giấy khen: %+v %v", so, err)
	}
	text = decisionText(t, s, caller(t, db, "xet.sogddt"), so.ID)
	for _, want := range []string{"ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH SỞ GIÁO DỤC VÀ ĐÀO TẠO",
		"GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO THÀNH PHỐ HỒ CHÍ MINH"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Sở's decision lacks %q:\n%s", want, text)
		}
	}
}

// TestParallelIssuanceNumbersWithoutGaps: 50 decisions recorded at once
// by one commune give its register the numbers 1 to 50, each once.
func TestParallelIssuanceNumbersWithoutGaps(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	dian := seed.NewCommuneID("Phường Dĩ An")
	chair := head(t, db, "chutich.dian", dian, true)
	const n = 50
	for i := range n {
		accepted(t, db, fmt.Sprintf("n-%02d", i), dian, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: dian})
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = issue(s, chair, fmt.Sprintf("%d/QĐ-UBND", i+1), "2026-11-25", fmt.Sprintf("n-%02d", i))
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var numbers []int
	if err := db.Model(&models.Certificate{}).Where("issuer_unit_id = ? AND year = ?", dian, 2026).
		Order("register_number").Pluck("register_number", &numbers).Error; err != nil {
		t.Fatal(err)
	}
	for i, got := range numbers {
		if got != i+1 {
			t.Fatalf("register numbers %v, want 1..%d", numbers, n)
		}
	}
	if len(numbers) != n {
		t.Fatalf("%d certificates, want %d", len(numbers), n)
	}
}

// TestSignerFromTheRoster: the roster of Phường Dĩ An's signers gives a
// decision left unsigned the chairman of its date; a name typed outside
// its term is refused by field, and so are overlapping or reversed terms.
func TestSignerFromTheRoster(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	dian := seed.NewCommuneID("Phường Dĩ An")
	admin := caller(t, db, "quantri")
	chair := "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
	for _, in := range []service.SignerInput{
		{UnitID: dian, Name: "Trần Văn Bình", Title: chair, ValidFrom: "2025-07-01", ValidTo: "2026-10-31"},
		{UnitID: dian, Name: "Lê Thị Cúc", Title: chair, ValidFrom: "2026-11-01"},
	} {
		if _, err := s.AddSigner(ctx, admin, in); err != nil {
			t.Fatal(err)
		}
	}
	for ptr, in := range map[string]service.SignerInput{
		"/valid_from": {UnitID: dian, Name: "Phạm Văn Dũng", Title: chair, ValidFrom: "2026-06-01", ValidTo: "2026-12-31"},
		"/valid_to":   {UnitID: dian, Name: "Phạm Văn Dũng", Title: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", ValidFrom: "2026-06-01", ValidTo: "2026-01-31"},
		"/unit_id":    {UnitID: "khong-co", Name: "Phạm Văn Dũng", Title: chair, ValidFrom: "2026-06-01"},
	} {
		_, err := s.AddSigner(ctx, admin, in)
		var e *service.Error
		if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Pointer != ptr {
			t.Errorf("%s: %v", ptr, err)
		}
	}
	if got, err := s.Signers(ctx, admin, dian, "2026-11-25"); err != nil || len(got) != 1 || got[0].Name != "Lê Thị Cúc" {
		t.Errorf("serving on 25/11/2026: %+v %v", got, err)
	}

	chairman := head(t, db, "chutich.dian", dian, true)
	accepted(t, db, "n-1", dian, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: dian})
	d, err := s.IssueDecision(ctx, chairman, service.IssueInput{RoundID: seed.DemoRoundID, Number: "20/QĐ-UBND", SignedOn: "2026-11-25",
		NominationIDs: []string{"n-1"}})
	if err != nil || d.SignerName != "Lê Thị Cúc" || d.SignerTitle != chair {
		t.Fatalf("a decision left unsigned: %+v %v", d, err)
	}
	accepted(t, db, "n-2", dian, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: dian})
	_, err = s.IssueDecision(ctx, chairman, service.IssueInput{RoundID: seed.DemoRoundID, Number: "21/QĐ-UBND", SignedOn: "2026-11-25",
		SignerName: "Trần Văn Bình", SignerTitle: chair, NominationIDs: []string{"n-2"}})
	var e *service.Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Pointer != "/signer_name" {
		t.Errorf("a signer outside their term: %v", err)
	}
}

// TestDatedRename: Phường Dĩ An renamed from 1 January 2027 heads its
// decisions of 2026 with its old name and those of 2027 with the new;
// a rename dated before the unit's start, or a day without a name, is
// refused by field.
func TestDatedRename(t *testing.T) {
	s, db := newService(t, time.Date(2026, 11, 25, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	dian := seed.NewCommuneID("Phường Dĩ An")
	admin := caller(t, db, "quantri")
	for ptr, in := range map[string]service.UnitPatch{
		"/name_from": {Name: strp("Phường Dĩ An Mới"), NameFrom: strp("2025-01-01")},
		"":           {NameFrom: strp("2027-01-01")},
	} {
		_, err := s.PatchUnit(ctx, admin, dian, in)
		var e *service.Error
		if !errors.As(err, &e) || len(e.Fields) == 0 || (ptr != "" && e.Fields[0].Pointer != ptr) {
			t.Errorf("%q: %v", ptr, err)
		}
	}
	if _, err := s.PatchUnit(ctx, admin, dian, service.UnitPatch{Name: strp("Phường Dĩ An Mới"), NameFrom: strp("2027-01-01")}); err != nil {
		t.Fatal(err)
	}
	chair := head(t, db, "chutich.dian", dian, true)
	for day, want := range map[string]string{
		"2026-11-25": "ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN CỘNG HÒA", "2027-01-05": "ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN MỚI CỘNG HÒA"} {
		id := "n-" + day
		accepted(t, db, id, dian, routing.GiayKhenXa, routing.Step{Level: routing.Commune, UnitID: dian})
		d, err := issue(s, chair, "1"+day[3:4]+"/QĐ-UBND", day, id)
		if err != nil {
			t.Fatal(err)
		}
		text := decisionText(t, s, chair, d.ID)
		if !strings.Contains(text, want) {
			t.Errorf("the decision of %s lacks %q:\n%s", day, want, text)
		}
		if day < "2027" && strings.Contains(text, "Mới") {
			t.Errorf("the decision of %s names the phường as renamed later:\n%s", day, text)
		}
	}
}

func strp(s string) *string { return &s }
