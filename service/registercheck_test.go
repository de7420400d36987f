package service

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// householdClaiming is a household draft of Phường Dĩ An in the two-tier
// demo round whose dossier claims "Gia đình học tập" in years.
func householdClaiming(t *testing.T, s *Service, who Caller, head string, years ...int) models.Nomination {
	t.Helper()
	d, err := forms.ExampleFor(forms.KindHousehold, head, routing.GiayKhenXa, 1)
	if err != nil {
		t.Fatal(err)
	}
	var titles []any
	for _, y := range years {
		titles = append(titles, map[string]any{"title": forms.TitleLearningFamily, "year": y, "decision": "15/QĐ-UBND"})
	}
	d["nominee"].(map[string]any)["titles"] = titles
	raw, _ := json.Marshal(d)
	v, err := s.CreateNomination(context.Background(), who, NominationInput{RoundID: strp(seed.DemoTwoTierRoundID),
		NomineeKind: strp(forms.KindHousehold), NomineeName: strp("Hộ ông " + head), Award: strp(string(routing.GiayKhenXa)), Dossier: raw}, "")
	if err != nil {
		t.Fatalf("create %s: %v", head, err)
	}
	var n models.Nomination
	if err := s.db.First(&n, "id = ?", v.ID).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// registerResultOf is the learning-register result of a checked dossier.
func registerResultOf(t *testing.T, c checkedDossier) (forms.Result, bool) {
	t.Helper()
	var res []forms.Result
	if err := json.Unmarshal([]byte(c.results), &res); err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if strings.HasPrefix(r.RuleID, "learning-register") {
			return r, true
		}
	}
	return forms.Result{}, false
}

// TestEligibilityFromTheRegister: a household claiming "Gia đình học
// tập" 2023–2025 where the register holds 2024 and 2025 is flagged naming
// the missing 2023; with 2023 recorded it passes. An approval of the
// flagged nomination needs a comment, until the register holds the year.
func TestEligibilityFromTheRegister(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	lineage, _ := s.ref.Lineage(ctx)
	old := models.WithPredecessors(lineage, dian)[1]

	h, err := s.CreateHolder(ctx, clerk, HolderInput{Kind: "household", Name: "Hộ ông Trần Văn Bình", HeadName: "Trần Văn Bình",
		UnitID: dian, Area: "Khu phố Nhị Đồng 1", SinceYear: 2010})
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range []struct {
		year int
		unit string
	}{{2024, old}, {2025, ""}} {
		if _, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: y.year, UnitID: y.unit,
			Status: "recognised", DecisionNumber: "15/QĐ-UBND"}); err != nil {
			t.Fatalf("%d: %v", y.year, err)
		}
	}

	n := householdClaiming(t, s, clerk, "Trần Văn Bình", 2023, 2024, 2025)
	checked, err := s.checkDossier(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := registerResultOf(t, checked)
	want := "Hồ sơ khai Gia đình học tập 2023–2025; sổ ghi nhận: 2024, 2025; thiếu 2023."
	if !ok || r.RuleID != RuleLearningRegister || r.Status != forms.StatusWarning || r.Message != want || r.Pointer != "/nominee/titles/0" {
		t.Fatalf("the register's result: %+v, want the warning %q", r, want)
	}

	// Another household, not in the register at all: every year missing.
	other := householdClaiming(t, s, clerk, "Lê Thị Mười", 2024)
	c2, err := s.checkDossier(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := registerResultOf(t, c2); r.Status != forms.StatusWarning || !strings.Contains(r.Message, "không có “Lê Thị Mười”") {
		t.Fatalf("a household the register lacks: %+v", r)
	}

	// As submitted and in review: an approval without a comment is
	// refused naming /comment; with one it goes on to the workflow.
	if err := s.db.Model(&models.Nomination{}).Where("id = ?", n.ID).Updates(map[string]any{"status": workflows.StatusInReview,
		"dossier": checked.dossier, "eligibility": checked.results}).Error; err != nil {
		t.Fatal(err)
	}
	interior := callerOf(t, s, "canbo.sonoivu")
	_, err = s.Decide(ctx, interior, n.ID, DecisionInput{Action: workflows.ActionApprove}, "")
	refusedAt(t, err, "/comment")
	var e *Error
	if !errors.As(err, &e) || !strings.Contains(e.Fields[0].Message, "thiếu 2023") {
		t.Errorf("the refusal does not say what is missing: %v", err)
	}
	_, err = s.Decide(ctx, interior, n.ID, DecisionInput{Action: workflows.ActionApprove, Comment: "Đã đối chiếu quyết định 15/QĐ-UBND năm 2023."}, "")
	if errors.Is(err, ErrInvalid) {
		t.Fatalf("an approval with a comment is refused: %v", err)
	}
	// A return needs its reason as before; the register adds nothing.
	_, err = s.Decide(ctx, interior, n.ID, DecisionInput{Action: workflows.ActionReturn}, "")
	refusedAt(t, err, "/comment")

	// 2023 recorded: the claim passes, and an approval needs no comment.
	if _, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "gia-dinh-hoc-tap", Year: 2023, UnitID: old,
		Status: "recognised", DecisionNumber: "15/QĐ-UBND"}); err != nil {
		t.Fatal(err)
	}
	_, err = s.Decide(ctx, interior, n.ID, DecisionInput{Action: workflows.ActionApprove}, "")
	if errors.Is(err, ErrInvalid) {
		t.Fatalf("the register now holds 2023, yet: %v", err)
	}
	full := householdClaiming(t, s, clerk, "Trần Văn Bình", 2023, 2024, 2025)
	c3, err := s.checkDossier(ctx, full)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := registerResultOf(t, c3); !ok || r.Status != forms.StatusPass {
		t.Fatalf("all three years in the register: %+v", r)
	}
}

// TestRegisterUnkept: a title no unit of the lineage has entered in the
// register is reported unchecked, with no comment required.
func TestRegisterUnkept(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	v := newDraft(t, s, clerk, "Phạm Thị Lan", "bang-khen-tinh")
	dossier, err := forms.ExampleFor(forms.KindIndividual, "Phạm Thị Lan", routing.BangKhenTinh, 7)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(dossier)
	if _, err := s.PatchNomination(ctx, clerk, v.ID, NominationInput{Dossier: raw}); err != nil {
		t.Fatal(err)
	}
	var n models.Nomination
	s.db.First(&n, "id = ?", v.ID)
	checked, err := s.checkDossier(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := registerResultOf(t, checked); !ok || r.RuleID != RuleLearningRegisterUnkept || r.Status != forms.StatusWarning {
		t.Fatalf("an unkept register: %+v", r)
	}
	s.db.Model(&models.Nomination{}).Where("id = ?", n.ID).Updates(map[string]any{"status": workflows.StatusInReview,
		"dossier": checked.dossier, "eligibility": checked.results})
	if _, err := s.Decide(ctx, callerOf(t, s, "canbo.sonoivu"), n.ID, DecisionInput{Action: workflows.ActionApprove}, ""); errors.Is(err, ErrInvalid) {
		t.Fatalf("an unchecked claim asks for a comment: %v", err)
	}
}

func TestYearRuns(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{{[]int{2023, 2024, 2025}, "2023–2025"}, {[]int{2021, 2023, 2024}, "2021, 2023–2024"}, {[]int{2025}, "2025"}} {
		if got := yearRuns(c.in); got != c.want {
			t.Errorf("yearRuns(%v) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, c := range []struct {
		a, b string
		want bool
	}{{"Hộ ông Trần Văn Bình", "Trần Văn Bình", true}, {"TRẦN  văn Bình", "Trần Văn Bình", true}, {"Tran Van Binh", "Trần Văn Bình", false}, {"Khu phố 3, phường Phú Lợi", "Khu phố 3", true},
		{"Trần Văn Bình", "Bình", false}, {"Trần Văn Bình", "Trần Văn Bính", false}} {
		if got := sameHolderName(c.a, c.b); got != c.want {
			t.Errorf("sameHolderName(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
