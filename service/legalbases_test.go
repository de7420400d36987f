package service

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// legalState is what a refused change must leave alone: the rows and the
// audit trail.
func legalState(t *testing.T, s *Service) (rows []models.LegalBasis, audits int64) {
	t.Helper()
	rows, err := models.LegalBases(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	s.db.Model(&models.AuditEvent{}).Where("action LIKE ?", "legal_basis.%").Count(&audits)
	return rows, audits
}

func sameRows(a, b []models.LegalBasis) bool {
	va, vb := make([]LegalBasisView, len(a)), make([]LegalBasisView, len(b))
	for i := range a {
		va[i] = viewLegalBasis(a[i])
	}
	for i := range b {
		vb[i] = viewLegalBasis(b[i])
	}
	return reflect.DeepEqual(va, vb)
}

// TestLegalBasisOfADecision: a decision's preamble is the texts in force
// on the day it is signed in Vietnam, for its award's sector.
func TestLegalBasisOfADecision(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	joined := func(on time.Time, award routing.Award) string {
		t.Helper()
		lines, err := s.legalBasis(ctx, on, award)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "Căn cứ ") || !strings.HasSuffix(l, ";") {
				t.Errorf("line %q", l)
			}
		}
		return strings.Join(lines, "\n")
	}
	vn := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, calendar.Zone) }
	for _, c := range []struct {
		on       time.Time
		award    routing.Award
		has, not []string
	}{
		{vn(2025, 6, 20, 0), routing.BangKhenTinh, []string{"Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023", "Thông tư số 01/2024/TT-BNV",
			"Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"}, []string{"152/2025", "BGDĐT"}},
		// Signed at midnight in Vietnam on 1 July: 30 June in UTC.
		{vn(2025, 7, 1, 0), routing.BangKhenTinh, []string{"Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025"}, []string{"98/2023"}},
		{vn(2026, 11, 25, 0), routing.GiayKhenXa, []string{"152/2025/NĐ-CP", "15/2025/TT-BNV"}, []string{"01/2024/TT-BNV", "BGDĐT"}},
		{vn(2025, 6, 20, 0), routing.GiayKhenSo, []string{"98/2023/NĐ-CP", "29/2023/TT-BGDĐT"}, []string{"07/2026"}},
		{vn(2026, 4, 2, 0), routing.BangKhenBo, []string{"152/2025/NĐ-CP", "07/2026/TT-BGDĐT"}, []string{"29/2023"}},
	} {
		got := joined(c.on, c.award)
		for _, w := range c.has {
			if !strings.Contains(got, w) {
				t.Errorf("%s %s lacks %q:\n%s", c.on.Format(time.DateOnly), c.award, w, got)
			}
		}
		for _, w := range c.not {
			if strings.Contains(got, w) {
				t.Errorf("%s %s cites %q:\n%s", c.on.Format(time.DateOnly), c.award, w, got)
			}
		}
	}
	// The order of a preamble: local government, emulation law, decree, circulars.
	lines, _ := s.legalBasis(ctx, vn(2026, 5, 1, 9), routing.GiayKhenSo)
	for i, w := range []string{"Luật Tổ chức chính quyền địa phương", "Luật Thi đua", "Nghị định", "Thông tư số 15/2025", "Thông tư số 07/2026"} {
		if i >= len(lines) || !strings.HasPrefix(lines[i], "Căn cứ "+w) {
			t.Fatalf("line %d is not %q: %q", i, w, lines)
		}
	}
}

// TestLegalBasesChanges: everyone reads the table; the province's
// administrator adds and corrects a row, each audited, and the next
// decision cites the correction; every refusal names its field and
// writes nothing.
func TestLegalBasesChanges(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	admin, clerk, dept := callerOf(t, s, "quantri"), callerOf(t, s, "donvi.donghoa"), departmentAdmin(t, s)

	all, err := s.LegalBases(ctx, clerk, "")
	if err != nil || all.Total != len(seed.LegalBases()) {
		t.Fatalf("all rows: %d %v", all.Total, err)
	}
	then, err := s.LegalBases(ctx, clerk, "2025-06-20")
	if err != nil || then.Total != 5 {
		t.Fatalf("in force on 20 June 2025: %+v %v", then, err)
	}
	for _, v := range then.Items {
		if v.Code == "152/2025/NĐ-CP" || v.Code == "07/2026/TT-BGDĐT" {
			t.Errorf("20 June 2025 lists %s", v.Code)
		}
	}
	if _, err := s.LegalBases(ctx, clerk, "20/06/2025"); !slices.Equal(pointersOf(err), []string{"/date"}) {
		t.Errorf("a malformed day: %v", err)
	}

	rows, audits := legalState(t, s)
	unchanged := func(what string) {
		t.Helper()
		now, n := legalState(t, s)
		if !sameRows(rows, now) || n != audits {
			t.Errorf("%s changed the table or the audit trail", what)
		}
	}
	nd := LegalBasisInput{Code: "200/2027/NĐ-CP", Kind: "Nghị định", Title: "Căn cứ Nghị định số 200/2027/NĐ-CP ngày 1 tháng 3 năm 2027 của Chính phủ (thử);",
		IssuedOn: "2027-03-01", ValidFrom: "2027-04-01", Source: "Công báo (thử)", Position: 30}
	for _, who := range []Caller{clerk, dept} {
		if _, err := s.CreateLegalBasis(ctx, who, nd); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s adds a row: %v", who.User.Username, err)
		}
	}
	unchanged("a refused caller")
	for _, c := range []struct {
		edit func(*LegalBasisInput)
		want string
	}{
		{func(in *LegalBasisInput) { *in = LegalBasisInput{} }, "/code /kind /source /title /valid_from"},
		{func(in *LegalBasisInput) { in.ValidFrom = "" }, "/valid_from"},
		{func(in *LegalBasisInput) { in.ValidFrom, in.ValidTo = "2027-13-01", "1999-01-01" }, "/valid_from /valid_to"},
		{func(in *LegalBasisInput) { in.ValidTo = "2027-03-31" }, "/valid_to"},
		{func(in *LegalBasisInput) { in.IssuedOn = "2027-05-01" }, "/issued_on"},
		{func(in *LegalBasisInput) { in.Code = "NĐ 200" }, "/code"},
		{func(in *LegalBasisInput) { in.Kind, in.Sector, in.Position = "công văn", "y tế", -1 }, "/kind /position /sector"},
		{func(in *LegalBasisInput) { in.Title = "Thông tư số 200/2027/NĐ-CP" }, "/title"},
		{func(in *LegalBasisInput) { in.Title = "Nghị định số 201/2027/NĐ-CP" }, "/title"},
		{func(in *LegalBasisInput) { in.Source = "a\x00b" }, "/source"},
		// NĐ 152/2025/NĐ-CP is in force from 1 July 2025: a second row of
		// it from 2027 overlaps it, by its first day.
		{func(in *LegalBasisInput) {
			in.Code, in.Title, in.IssuedOn = "152/2025/NĐ-CP", "Nghị định số 152/2025/NĐ-CP (bản thứ hai)", ""
		}, "/valid_from"},
	} {
		in := nd
		c.edit(&in)
		_, err := s.CreateLegalBasis(ctx, admin, in)
		if got := strings.Join(pointersOf(err), " "); got != c.want || !errors.Is(err, ErrInvalid) {
			t.Errorf("%+v: %v (%s), want %s", in, err, got, c.want)
		}
		var e *Error
		if errors.As(err, &e) {
			for _, f := range e.Fields {
				if f.Message == "" || f.MessageEN == "" || f.Message == f.MessageEN {
					t.Errorf("%s: %q / %q", f.Pointer, f.Message, f.MessageEN)
				}
			}
		}
	}
	unchanged("a refused row")

	created, err := s.CreateLegalBasis(ctx, admin, nd)
	if err != nil {
		t.Fatal(err)
	}
	if created.Kind != "nghị định" || created.Title != "Nghị định số 200/2027/NĐ-CP ngày 1 tháng 3 năm 2027 của Chính phủ (thử)" ||
		created.Citation != "Căn cứ "+created.Title+";" || created.ValidTo != nil || *created.IssuedOn != "2027-03-01" {
		t.Fatalf("created %+v", created)
	}
	id := itoa(created.ID)
	var ev models.AuditEvent
	if err := s.db.First(&ev, "action = ? AND target = ?", "legal_basis.create", id).Error; err != nil ||
		ev.ActorName != "quantri" || !strings.Contains(ev.Detail, "200/2027/NĐ-CP") {
		t.Fatalf("create audit %+v %v", ev, err)
	}
	// Its successor must leave no gap nor overlap: NĐ 152 is open-ended,
	// but another code may be in force beside it.
	lines, _ := s.legalBasis(ctx, time.Date(2027, 5, 1, 0, 0, 0, 0, calendar.Zone), routing.BangKhenTinh)
	if got := strings.Join(lines, "\n"); !strings.Contains(got, "200/2027") || !strings.Contains(got, "152/2025") {
		t.Errorf("2027 cites:\n%s", got)
	}

	// Corrections.
	rows, audits = legalState(t, s)
	title := "Nghị định số 200/2027/NĐ-CP ngày 01 tháng 3 năm 2027 của Chính phủ quy định chi tiết (đã sửa)"
	end := "2027-12-31"
	fixed, err := s.PatchLegalBasis(ctx, admin, id, LegalBasisPatch{Title: &title, ValidTo: &end})
	if err != nil || fixed.Title != title || fixed.ValidTo == nil || *fixed.ValidTo != end || fixed.Code != nd.Code {
		t.Fatalf("corrected %+v %v", fixed, err)
	}
	ev = models.AuditEvent{}
	if err := s.db.First(&ev, "action = ? AND target = ?", "legal_basis.update", id).Error; err != nil ||
		!strings.Contains(ev.Detail, `"valid_to":"2027-12-31"`) || !strings.Contains(ev.Detail, `"valid_to_before":""`) ||
		!strings.Contains(ev.Detail, "title_before") || strings.Contains(ev.Detail, "source") {
		t.Fatalf("update audit %+v %v", ev, err)
	}
	// The reference cache was dropped: the next decision cites the correction.
	lines, _ = s.legalBasis(ctx, time.Date(2027, 5, 1, 0, 0, 0, 0, calendar.Zone), routing.BangKhenTinh)
	if !strings.Contains(strings.Join(lines, "\n"), "(đã sửa)") {
		t.Errorf("after the correction 2027 cites:\n%s", strings.Join(lines, "\n"))
	}
	if lines, _ = s.legalBasis(ctx, time.Date(2028, 1, 1, 0, 0, 0, 0, calendar.Zone), routing.BangKhenTinh); strings.Contains(strings.Join(lines, "\n"), "200/2027") {
		t.Error("2028 cites a text that ended on 31 December 2027")
	}
	// An empty last day puts it back in force; then the end is restored.
	if open, err := s.PatchLegalBasis(ctx, admin, id, LegalBasisPatch{ValidTo: new(string)}); err != nil || open.ValidTo != nil {
		t.Fatalf("cleared the last day: %+v %v", open, err)
	}
	if _, err := s.PatchLegalBasis(ctx, admin, id, LegalBasisPatch{ValidTo: &end}); err != nil {
		t.Fatal(err)
	}
	// The same values again: nothing written.
	rows, audits = legalState(t, s)
	if _, err := s.PatchLegalBasis(ctx, admin, id, LegalBasisPatch{Title: &title}); err != nil {
		t.Fatal(err)
	}
	unchanged("a patch to the same values")

	var nd98 LegalBasisView
	for _, v := range all.Items {
		if v.Code == "98/2023/NĐ-CP" {
			nd98 = v
		}
	}
	early, blank, code152, july, none := "2025-06-29", "", "152/2025/NĐ-CP", "2025-07-31", LegalBasisPatch{}
	title152 := "Nghị định số 152/2025/NĐ-CP"
	for _, c := range []struct {
		id    string
		who   Caller
		patch LegalBasisPatch
		kind  error
		ptrs  string
	}{
		{id, dept, LegalBasisPatch{Title: &title}, ErrForbidden, ""},
		{"khong-co", admin, LegalBasisPatch{Title: &title}, ErrNotFound, ""},
		{"999999", admin, LegalBasisPatch{Title: &title}, ErrNotFound, ""},
		{id, admin, none, ErrInvalid, ""},
		{id, admin, LegalBasisPatch{ValidFrom: &blank}, ErrInvalid, "/valid_from"},
		{id, admin, LegalBasisPatch{ValidFrom: &end, ValidTo: &early}, ErrInvalid, "/valid_to"},
		// NĐ 98 renumbered as NĐ 152 and ended a month later runs into
		// NĐ 152's row: its last day is at fault.
		{itoa(nd98.ID), admin, LegalBasisPatch{Code: &code152, Title: &title152, ValidTo: &july}, ErrInvalid, "/valid_to"},
	} {
		_, err := s.PatchLegalBasis(ctx, c.who, c.id, c.patch)
		if !errors.Is(err, c.kind) || strings.Join(pointersOf(err), " ") != c.ptrs {
			t.Errorf("patch %s %+v: %v (%v), want %v %s", c.id, c.patch, err, pointersOf(err), c.kind, c.ptrs)
		}
	}
	unchanged("a refused correction")
}

func itoa(id uint) string { return strconv.FormatUint(uint64(id), 10) }
