package service

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// authorityState is what a refused change must leave alone: the rows and
// the audit trail.
func authorityState(t *testing.T, s *Service) (rows []AuthorityView, audits int64) {
	t.Helper()
	all, err := models.Authorities(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		rows = append(rows, viewAuthority(a))
	}
	s.db.Model(&models.AuditEvent{}).Where("action LIKE ?", "authority.%").Count(&audits)
	return rows, audits
}

// TestAuthoritiesChanges: everyone reads the table, all of it, of a day
// or of an award; the province's administrator adds and corrects a row,
// each audited once with the values before and after; every refusal
// names its field and writes nothing.
func TestAuthoritiesChanges(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	admin, clerk, dept := callerOf(t, s, "quantri"), callerOf(t, s, "donvi.donghoa"), departmentAdmin(t, s)

	all, err := s.Authorities(ctx, clerk, "", "")
	if err != nil || all.Total != len(routing.Awards) {
		t.Fatalf("all rows: %d %v", all.Total, err)
	}
	today, err := s.Authorities(ctx, clerk, "2026-01-15", "")
	if err != nil || today.Total != len(routing.Awards)-1 {
		t.Fatalf("held on 15 January 2026: %+v %v", today, err)
	}
	for _, v := range today.Items {
		if v.Award == string(routing.GiayKhenHuyen) {
			t.Error("15 January 2026 lists the district chairman's Giấy khen")
		}
	}
	huyen, err := s.Authorities(ctx, clerk, "", "giay-khen-huyen")
	if err != nil || huyen.Total != 1 || huyen.Items[0].ValidTo == nil || *huyen.Items[0].ValidTo != "2025-06-30" {
		t.Fatalf("the district's rows: %+v %v", huyen, err)
	}
	if _, err := s.Authorities(ctx, clerk, "15/01/2026", "huan-chuong"); strings.Join(pointersOf(err), " ") != "/award /date" {
		t.Errorf("a malformed day and an unknown award: %v", err)
	}

	rows, audits := authorityState(t, s)
	unchanged := func(what string) {
		t.Helper()
		now, n := authorityState(t, s)
		if !reflect.DeepEqual(rows, now) || n != audits {
			t.Errorf("%s changed the table or the audit trail", what)
		}
	}
	// The district chairman's Giấy khen under the 2003 law, before the
	// seeded row: the routing table gives its form and levels.
	old := AuthorityInput{Award: "giay-khen-huyen", ValidFrom: "2023-01-01", ValidTo: "2023-12-31",
		Council: "Hội đồng Thi đua – Khen thưởng huyện", Source: "Luật Thi đua, khen thưởng 2003 (thử)", Position: 15}
	for _, who := range []Caller{clerk, dept} {
		if _, err := s.CreateAuthority(ctx, who, old); !errors.Is(err, ErrForbidden) {
			t.Errorf("%s adds a row: %v", who.User.Username, err)
		}
	}
	unchanged("a refused caller")
	commune, bang := "commune", "Bằng khen"
	for _, c := range []struct {
		edit func(*AuthorityInput)
		want string
	}{
		{func(in *AuthorityInput) { *in = AuthorityInput{} },
			"/award /council /decided_by /form /issuer /last_level /name /source /valid_from"},
		{func(in *AuthorityInput) { in.ValidFrom = "" }, "/valid_from"},
		{func(in *AuthorityInput) { in.ValidFrom, in.ValidTo = "2023-13-01", "1999-01-01" }, "/valid_from /valid_to"},
		{func(in *AuthorityInput) { in.ValidTo = "2022-12-31" }, "/valid_to"},
		{func(in *AuthorityInput) { in.Award = "chien-si-thi-dua" }, "/award /decided_by /form /issuer /last_level /name"},
		{func(in *AuthorityInput) { in.LastLevel, in.Form = commune, bang }, "/form /last_level"},
		{func(in *AuthorityInput) { in.External = new(bool); *in.External = true }, "/external"},
		{func(in *AuthorityInput) { in.Source, in.Position = "a\x00b", 1000 }, "/position /source"},
		// The seeded row holds it from 1 January 2024: a row running into
		// it is refused by its last day, one starting inside it by its first.
		{func(in *AuthorityInput) { in.ValidTo = "2024-01-01" }, "/valid_to"},
		{func(in *AuthorityInput) { in.ValidFrom, in.ValidTo = "2025-06-30", "" }, "/valid_from"},
	} {
		in := old
		c.edit(&in)
		_, err := s.CreateAuthority(ctx, admin, in)
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

	created, err := s.CreateAuthority(ctx, admin, old)
	if err != nil {
		t.Fatal(err)
	}
	if created.Name != "Giấy khen của Chủ tịch UBND huyện" || created.LastLevel != "district" || created.Form != "Giấy khen" ||
		created.External || created.ValidTo == nil || *created.ValidTo != "2023-12-31" {
		t.Fatalf("created %+v", created)
	}
	id := itoa(created.ID)
	var events []models.AuditEvent
	s.db.Find(&events, "action = ? AND target = ?", "authority.create", id)
	if len(events) != 1 || events[0].ActorName != "quantri" || !strings.Contains(events[0].Detail, "2003 (thử)") {
		t.Fatalf("create audit %+v", events)
	}
	if held, _ := s.Authorities(ctx, clerk, "2023-06-01", "giay-khen-huyen"); held.Total != 1 || held.Items[0].ID != created.ID {
		t.Errorf("1 June 2023: %+v", held)
	}

	// Corrections.
	source, end := "Luật Thi đua, khen thưởng 2003, Điều 77 (thử, đã sửa)", "2023-12-30"
	fixed, err := s.PatchAuthority(ctx, admin, id, AuthorityPatch{Source: &source, ValidTo: &end})
	if err != nil || fixed.Source != source || fixed.ValidTo == nil || *fixed.ValidTo != end || fixed.Award != old.Award {
		t.Fatalf("corrected %+v %v", fixed, err)
	}
	events = nil
	s.db.Find(&events, "action = ? AND target = ?", "authority.update", id)
	if len(events) != 1 || !strings.Contains(events[0].Detail, `"valid_to":"2023-12-30"`) ||
		!strings.Contains(events[0].Detail, `"valid_to_before":"2023-12-31"`) || !strings.Contains(events[0].Detail, "source_before") ||
		strings.Contains(events[0].Detail, "council") {
		t.Fatalf("update audit %+v", events)
	}
	// The same values again: nothing written.
	rows, audits = authorityState(t, s)
	if _, err := s.PatchAuthority(ctx, admin, id, AuthorityPatch{Source: &source}); err != nil {
		t.Fatal(err)
	}
	unchanged("a patch to the same values")

	blank, late, none := "", "2024-06-30", AuthorityPatch{}
	for _, c := range []struct {
		id    string
		who   Caller
		patch AuthorityPatch
		kind  error
		ptrs  string
	}{
		{id, dept, AuthorityPatch{Source: &source}, ErrForbidden, ""},
		{"khong-co", admin, AuthorityPatch{Source: &source}, ErrNotFound, ""},
		{"999999", admin, AuthorityPatch{Source: &source}, ErrNotFound, ""},
		{id, admin, none, ErrInvalid, ""},
		{id, admin, AuthorityPatch{ValidFrom: &blank}, ErrInvalid, "/valid_from"},
		{id, admin, AuthorityPatch{Source: &blank, Council: &blank}, ErrInvalid, "/council /source"},
		// Run into the seeded row of the same award: its last day is at fault.
		{id, admin, AuthorityPatch{ValidTo: &late}, ErrInvalid, "/valid_to"},
		{id, admin, AuthorityPatch{Issuer: &commune}, ErrInvalid, "/issuer"},
	} {
		_, err := s.PatchAuthority(ctx, c.who, c.id, c.patch)
		if !errors.Is(err, c.kind) || strings.Join(pointersOf(err), " ") != c.ptrs {
			t.Errorf("patch %s %+v: %v (%v), want %v %s", c.id, c.patch, err, pointersOf(err), c.kind, c.ptrs)
		}
	}
	unchanged("a refused correction")
}
