package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/temporal"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/workflows"
)

// The nominations' rules without HTTP and without Temporal: what the API
// and the web UI both reach through the service. The service is
// adminService's (the seed, its clock at 1 October 2026).

func strp(s string) *string { return &s }

// newDraft creates a draft of the demo round for who.
func newDraft(t *testing.T, s *Service, who Caller, name, award string) NominationView {
	t.Helper()
	v, err := s.CreateNomination(context.Background(), who, NominationInput{RoundID: strp(seed.DemoRoundID),
		NomineeKind: strp("individual"), NomineeName: strp(name), Award: strp(award)}, "")
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return v
}

func TestCreateNominationWithoutHTTP(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	// Nothing given: every field is required; an unknown round is named.
	_, err := s.CreateNomination(ctx, clerk, NominationInput{}, "")
	if !errors.Is(err, ErrInvalid) || !slices.Equal(pointersOf(err), []string{"/award", "/nominee_kind", "/nominee_name", "/round_id"}) {
		t.Fatalf("empty creation: %v %v", err, pointersOf(err))
	}
	_, err = s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp("khong-co"), NomineeKind: strp("individual"),
		NomineeName: strp("A"), Award: strp("bang-khen-tinh")}, "")
	if !slices.Equal(pointersOf(err), []string{"/round_id"}) {
		t.Fatalf("unknown round: %v %v", err, pointersOf(err))
	}
	// Text that did not pass the API's decoding (the web's forms) is
	// cleaned here: NFC, trimmed; control characters refused.
	_, err = s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(seed.DemoRoundID), NomineeKind: strp("individual"),
		NomineeName: strp("A\x00B"), Award: strp("bang-khen-tinh")}, "")
	if !slices.Equal(pointersOf(err), []string{"/nominee_name"}) {
		t.Fatalf("control character: %v %v", err, pointersOf(err))
	}
	v, err := s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(seed.DemoRoundID), NomineeKind: strp("individual"),
		NomineeName: strp("  " + norm.NFD.String("Nguyễn Thị Hồng") + " "), Award: strp("bang-khen-tinh"),
		Dossier: json.RawMessage(`{"notes":["` + norm.NFD.String("Học tập") + `"]}`)}, "tao-1")
	if err != nil || v.NomineeName != "Nguyễn Thị Hồng" || v.Status != access.StatusDraft || v.UnitID != clerk.User.UnitID ||
		!strings.Contains(string(v.Dossier), "Học tập") {
		t.Fatalf("create: %v %+v", err, v)
	}
	// The same key and request again (compared once cleaned: NFC, trimmed):
	// the same draft, stored once.
	again, err := s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(seed.DemoRoundID), NomineeKind: strp("individual"),
		NomineeName: strp("Nguyễn Thị Hồng"), Award: strp("bang-khen-tinh"),
		Dossier: json.RawMessage(`{"notes":["` + norm.NFD.String("Học tập") + `"]}`)}, "tao-1")
	var count int64
	if err := s.db.Model(&models.Nomination{}).Count(&count).Error; err != nil {
		t.Fatal(err)
	}
	if err != nil || again.ID != v.ID || count != 1 {
		t.Fatalf("retried creation: %v %s/%s, %d stored", err, again.ID, v.ID, count)
	}
	// The same key with another request (no dossier) is refused, not
	// answered with the first draft.
	_, err = s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(seed.DemoRoundID), NomineeKind: strp("individual"),
		NomineeName: strp("Nguyễn Thị Hồng"), Award: strp("bang-khen-tinh")}, "tao-1")
	if !slices.Equal(pointersOf(err), []string{"/headers/Idempotency-Key"}) {
		t.Fatalf("the key reused for another request: %v", err)
	}
	// A reviewer creates nothing.
	if _, err := s.CreateNomination(ctx, callerOf(t, s, "xet.dian"), NominationInput{}, ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("reviewer creates: %v", err)
	}
}

// TestImportChecksLikeCreate: a workbook's row and a typed-in draft pass
// the same check — an award the round does not take is refused with the
// same message, at the award's column of the row.
func TestImportChecksLikeCreate(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	narrow := seed.DemoRound()
	narrow.ID, narrow.Code, narrow.Awards = "chi-giay-khen-xa", "chi-giay-khen-xa", `["giay-khen-xa"]`
	if err := s.db.Create(&narrow).Error; err != nil {
		t.Fatal(err)
	}
	_, err := s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(narrow.ID), NomineeKind: strp("individual"),
		NomineeName: strp("Lê Văn Tám"), Award: strp("bang-khen-tinh")}, "")
	var typed *Error
	if !errors.As(err, &typed) || len(typed.Fields) != 1 || typed.Fields[0].Pointer != "/award" {
		t.Fatalf("typed in: %v", err)
	}
	book := filledTemplate(t, s)
	_, err = s.ImportNominations(ctx, clerk, narrow.ID, book)
	var imported *Error
	if !errors.As(err, &imported) || len(imported.Fields) != len(importSheets) {
		t.Fatalf("import: %v", err)
	}
	for i, fe := range imported.Fields {
		sh := importSheets[i]
		col := ""
		for j, c := range sh.cols {
			if c.pointer == "/letter/award" {
				var err error
				if col, err = columnName(j); err != nil {
					t.Fatal(err)
				}
			}
		}
		if fe.Pointer != "/"+sh.name+"/2/"+col || !strings.HasSuffix(fe.Message, typed.Fields[0].Message) {
			t.Errorf("row of %s: %s %q, want the award's column and %q", sh.name, fe.Pointer, fe.Message, typed.Fields[0].Message)
		}
	}
	// The same workbook in a round that takes the award: one draft per
	// kind, built as a typed-in draft is (folded name, workflow ID).
	got, err := s.ImportNominations(ctx, clerk, seed.DemoRoundID, book)
	if err != nil || got.Created != len(importSheets) {
		t.Fatalf("import: %v %+v", err, got)
	}
	var n models.Nomination
	if err := s.db.First(&n, "id = ?", got.IDs[0]).Error; err != nil {
		t.Fatal(err)
	}
	if n.Status != access.StatusDraft || n.SearchName == "" || n.WorkflowID != workflows.WorkflowID(n.ID) || n.CreatedBy != clerk.User.ID {
		t.Fatalf("imported %+v", n)
	}
	// The workbook is read only for a round the caller's unit is in: for
	// an unknown round, bytes that are no workbook are refused for the
	// round, not for the file.
	_, err = s.ImportNominations(ctx, clerk, "khong-co", []byte("not a workbook"))
	if !slices.Equal(pointersOf(err), []string{"/round"}) {
		t.Fatalf("unknown round: %v %v", err, pointersOf(err))
	}
}

// filledTemplate is the import template with each example row's
// achievements written anew (the example itself is refused).
func filledTemplate(t *testing.T, s *Service) []byte {
	t.Helper()
	tmpl, err := s.ImportTemplate()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tmpl.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, sh := range importSheets {
		rows, err := f.GetRows(sh.name)
		if err != nil {
			t.Fatal(err)
		}
		for j, h := range rows[0] {
			if strings.HasPrefix(h, "Thành tích") || strings.HasPrefix(h, "Kết quả thực hiện") {
				col, err := columnName(j)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellValue(sh.name, col+"2", rows[1][j]+" Năm 2026 tiếp tục duy trì 100% chỉ tiêu."); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAllowed: what each caller may do to a nomination in each state, as
// the workflow's validators decide it, for the seeded accounts as the
// service makes their callers.
func TestAllowed(t *testing.T) {
	s := adminService(t)
	due := s.now().Add(48 * time.Hour)
	body, commune := seed.CommuneID("dong-hoa"), seed.CommuneID("dong-hoa")
	inReview := models.Nomination{UnitID: body, Status: access.StatusInReview, CurrentStep: 1,
		CurrentLevel: "district", CurrentUnitID: seed.DistrictID("di-an"), DueAt: &due}
	for _, c := range []struct {
		user string
		n    models.Nomination
		want []access.Action
	}{
		{"donvi.donghoa", models.Nomination{UnitID: body, Status: access.StatusDraft}, []access.Action{access.Edit, access.Upload, access.Submit, access.Withdraw}},
		{"donvi.donghoa", models.Nomination{UnitID: body, Status: access.StatusReturned}, []access.Action{access.Edit, access.Upload, access.Resubmit, access.Withdraw}},
		{"donvi.donghoa", inReview, []access.Action{access.Withdraw}},
		{"donvi.donghoa", models.Nomination{UnitID: body, Status: access.StatusAccepted}, nil},
		{"donvi.chuyenhungvuong", models.Nomination{UnitID: body, Status: access.StatusDraft}, nil},
		{"xet.dian", inReview, []access.Action{access.Decide}},
		{"xet.thuanan", inReview, nil},
		{"xet.donghoa", models.Nomination{UnitID: body, Status: access.StatusInReview, CurrentLevel: "commune", CurrentUnitID: commune}, []access.Action{access.Decide}},
		{"quantri", inReview, []access.Action{access.Extend}},
		{"quantri", models.Nomination{UnitID: body, Status: access.StatusInReview, CurrentLevel: "district", CurrentUnitID: seed.DistrictID("di-an")}, nil},
		{"canbo.sonoivu", inReview, nil},
	} {
		who := callerOf(t, s, c.user)
		if got := s.Allowed(who, c.n); !slices.Equal(got, c.want) {
			t.Errorf("%s on %s at %s: %v, want %v", c.user, c.n.Status, c.n.CurrentLevel, got, c.want)
		}
	}
}

// TestEditAndWithdrawWithoutHTTP: a draft is edited and withdrawn by its
// body only; once it is not editable, an edit is a conflict.
func TestEditAndWithdrawWithoutHTTP(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	v := newDraft(t, s, clerk, "Trần Văn Bình", "bang-khen-tinh")
	got, err := s.PatchNomination(ctx, clerk, v.ID, NominationInput{NomineeName: strp(norm.NFD.String("Trần Văn Bính"))})
	if err != nil || got.NomineeName != "Trần Văn Bính" {
		t.Fatalf("patch: %v %+v", err, got)
	}
	if _, err := s.PatchNomination(ctx, clerk, v.ID, NominationInput{RoundID: strp("so-ket-2025"), Award: strp("huan-chuong")}); !slices.Equal(pointersOf(err), []string{"/award", "/round_id"}) {
		t.Fatalf("patch the round and an unknown award: %v %v", err, pointersOf(err))
	}
	// Another body does not see it; a reviewer may not edit.
	if _, err := s.PatchNomination(ctx, callerOf(t, s, "donvi.chuyenhungvuong"), v.ID, NominationInput{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another body patches: %v", err)
	}
	if _, err := s.PatchNomination(ctx, callerOf(t, s, "xet.donghoa"), v.ID, NominationInput{}); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a reviewer patches: %v", err)
	}
	// The nomination is read before the patch is checked: one the caller
	// may not see is not found whatever the patch says.
	if _, err := s.PatchNomination(ctx, callerOf(t, s, "donvi.chuyenhungvuong"), v.ID,
		NominationInput{NomineeName: strp("A\x00B"), Award: strp("huan-chuong")}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another body's broken patch: %v", err)
	}
	w, err := s.Withdraw(ctx, clerk, v.ID, WithdrawInput{Reason: "Trùng hồ sơ"}, "")
	if err != nil || w.Status != access.StatusWithdrawn || w.FinishedAt == nil {
		t.Fatalf("withdraw the draft: %v %+v", err, w)
	}
	if _, err := s.PatchNomination(ctx, clerk, v.ID, NominationInput{NomineeName: strp("X")}); !errors.Is(err, ErrConflict) {
		t.Fatalf("patch a withdrawn nomination: %v", err)
	}
}

// TestSubmitChecksBeforeTheWorkflow: the checks of a submission that need
// no workflow — role, window, the dossier's form — refuse it before
// anything is claimed.
func TestSubmitChecksBeforeTheWorkflow(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	v := newDraft(t, s, clerk, "Phạm Thị Lan", "bang-khen-tinh")
	_, err := s.Submit(ctx, clerk, v.ID, SubmitInput{}, "")
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) || len(e.Fields) == 0 || !strings.HasPrefix(e.Fields[0].Pointer, "/dossier/") ||
		!strings.Contains(e.Message, "Hồ sơ chưa đầy đủ") {
		t.Fatalf("submit an empty dossier: %v", err)
	}
	var n models.Nomination
	if err := s.db.First(&n, "id = ?", v.ID).Error; err != nil || n.PendingVersion != 0 || n.Route != "" {
		t.Fatalf("after a refused submission: %v %+v", err, n)
	}
	if _, err := s.Submit(ctx, callerOf(t, s, "xet.donghoa"), v.ID, SubmitInput{}, ""); !errors.Is(err, ErrForbidden) {
		t.Fatalf("a reviewer submits: %v", err)
	}
	if _, err := s.Submit(ctx, clerk, v.ID, SubmitInput{}, strings.Repeat("k", 129)); !slices.Equal(pointersOf(err), []string{"/headers/Idempotency-Key"}) {
		t.Fatalf("a long key: %v", err)
	}
	// A round whose window closed (20 November 2025), by a clerk of the
	// city's units it is routed over.
	cityClerk := callerOf(t, s, "vanthu.phuongdian")
	late, err := s.CreateNomination(ctx, cityClerk, NominationInput{RoundID: strp("so-ket-2025"), NomineeKind: strp("individual"),
		NomineeName: strp("Đỗ Văn Hùng"), Award: strp("bang-khen-tinh")}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, cityClerk, late.ID, SubmitInput{}, ""); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "closed") {
		t.Fatalf("submit after the window: %v", err)
	}
	// A draft has no step to decide.
	if _, err := s.Decide(ctx, callerOf(t, s, "canbo.sonoivu"), v.ID, DecisionInput{Action: workflows.ActionApprove}, ""); !errors.Is(err, ErrConflict) {
		t.Fatalf("decide a draft: %v", err)
	}
}

// TestListsAndInbox: each caller's list is their scope (a reviewer's
// through the route), filtered; the inbox is what waits for them.
func TestListsAndInbox(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "donvi.donghoa")
	a := newDraft(t, s, clerk, "Nguyễn Văn An", "bang-khen-tinh")
	b := newDraft(t, s, clerk, "Lê Thị Bé", "bang-khen-tinh")
	c := newDraft(t, s, callerOf(t, s, "donvi.chuyenhungvuong"), "Trường THPT chuyên Hùng Vương", "bang-khen-tinh")
	// a waits at Dĩ An's district level, past its term; b was returned.
	past := s.now().Add(-time.Hour)
	if err := s.db.Model(&models.Nomination{}).Where("id = ?", a.ID).Updates(map[string]any{"status": access.StatusInReview,
		"current_level": "district", "current_unit_id": seed.DistrictID("di-an"), "current_step": 1, "due_at": past,
		"route": `{}`}).Error; err != nil {
		t.Fatal(err)
	}
	for _, st := range []models.RouteStep{{Step: 0, Level: "commune", UnitID: seed.CommuneID("dong-hoa")},
		{Step: 1, Level: "district", UnitID: seed.DistrictID("di-an")}} {
		st.NominationID = a.ID
		if err := s.db.Create(&st).Error; err != nil {
			t.Fatal(err)
		}
	}
	if err := s.db.Model(&models.Nomination{}).Where("id = ?", b.ID).Update("status", access.StatusReturned).Error; err != nil {
		t.Fatal(err)
	}
	ids := func(l NominationPage, err error) []string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, v := range l.Items {
			if v.Dossier != nil {
				t.Errorf("a list item carries its dossier")
			}
			out = append(out, v.ID)
		}
		slices.Sort(out)
		return out
	}
	sorted := func(xs ...string) []string { slices.Sort(xs); return xs }
	for _, c := range []struct {
		user string
		in   ListQuery
		want []string
	}{
		{"donvi.donghoa", ListQuery{}, sorted(a.ID, b.ID)},
		{"donvi.donghoa", ListQuery{Search: "nguyen van"}, []string{a.ID}},
		{"donvi.donghoa", ListQuery{Overdue: new(bool)}, []string{b.ID}},
		{"xet.dian", ListQuery{}, []string{a.ID}},
		{"xet.donghoa", ListQuery{}, []string{a.ID}},
		{"xet.thuanan", ListQuery{}, nil},
		{"canbo.sonoivu", ListQuery{}, sorted(a.ID, b.ID, c.ID)},
		{"canbo.sonoivu", ListQuery{Status: access.StatusDraft}, []string{c.ID}},
	} {
		if got := ids(s.Nominations(ctx, callerOf(t, s, c.user), c.in)); !slices.Equal(got, c.want) {
			t.Errorf("%s's list %+v: %v, want %v", c.user, c.in, got, c.want)
		}
	}
	for user, want := range map[string][]string{"xet.dian": {a.ID}, "xet.donghoa": nil, "donvi.donghoa": {b.ID}, "quantri": nil} {
		if got := ids(s.Inbox(ctx, callerOf(t, s, user), ListQuery{Sort: "due_at"})); !slices.Equal(got, want) {
			t.Errorf("%s's inbox: %v, want %v", user, got, want)
		}
	}
	overdue := true
	l, err := s.Nominations(ctx, clerk, ListQuery{Overdue: &overdue})
	if err != nil || l.Total != 1 || !l.Items[0].Overdue || l.Page != 1 || l.PerPage != 20 {
		t.Fatalf("overdue: %v %+v", err, l)
	}
	if _, err := s.Nominations(ctx, clerk, ListQuery{Sort: "password_hash"}); !slices.Equal(pointersOf(err), []string{"/sort"}) {
		t.Fatalf("unknown order: %v", err)
	}
	// An export counts its list before reading it.
	if total, err := s.CountNominations(ctx, clerk, ListQuery{Sort: "nominee_name"}, false); err != nil || total != 2 {
		t.Fatalf("the list's count: %v %d", err, total)
	}
	// One the caller may see, with its (empty) history; one they may not.
	if v, err := s.Nomination(ctx, callerOf(t, s, "xet.dian"), a.ID); err != nil || v.History == nil || v.Route == nil {
		t.Fatalf("the reviewer reads a: %v %+v", err, v)
	}
	if _, err := s.Nomination(ctx, callerOf(t, s, "xet.dian"), b.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the reviewer reads b: %v", err)
	}
}

func TestUpdateIDsAndRefusals(t *testing.T) {
	who := Caller{}
	who.User.ID = "u-1"
	if id, err := updateID(who, opDecide, "k-1"); err != nil || id != "u-1:/api/v1/nominations/:id/decisions:k-1" {
		t.Fatalf("update ID: %q %v", id, err)
	}
	if a, b := mustID(t, who, ""), mustID(t, who, ""); a == b {
		t.Fatal("two updates without a key share an ID")
	}
	for _, c := range []struct {
		err  error
		kind error
	}{
		{temporal.NewApplicationError("not yours", workflows.ErrForbidden), ErrForbidden},
		{temporal.NewApplicationError("decided", workflows.ErrConflict), ErrConflict},
		{temporal.NewApplicationError("bad", workflows.ErrInvalid), ErrInvalid},
		{serviceerror.NewNotFound("no workflow"), ErrConflict},
		{fmt.Errorf("wait: %w", context.DeadlineExceeded), ErrUnavailable},
	} {
		got := updateError(c.err)
		if !errors.Is(got, c.kind) {
			t.Errorf("%v: %v, want %v", c.err, got, c.kind)
		}
		if refused(got) == errors.Is(c.kind, ErrUnavailable) {
			t.Errorf("%v: refused %v", c.err, refused(got))
		}
	}
	if err := updateError(errors.New("broken pipe")); refused(err) {
		t.Fatalf("an internal failure counts as a refusal: %v", err)
	}
}

func mustID(t *testing.T, who Caller, key string) string {
	t.Helper()
	id, err := updateID(who, opSubmit, key)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
