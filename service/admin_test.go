package service

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// adminService is a service over a fresh SQLite database holding the
// seed and its demo accounts, without Temporal, its clock at 1 October
// 2026.
func adminService(t *testing.T) *Service {
	t.Helper()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "service.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	ctx := context.Background()
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{DemoPassword: "mat-khau-mau"}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	return New(Config{DB: db, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
}

// callerOf is the seeded account username as a caller, as Authenticate
// makes it.
func callerOf(t *testing.T, s *Service, username string) Caller {
	t.Helper()
	var who Caller
	if err := s.db.First(&who.User, "username = ?", username).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.placeCaller(context.Background(), &who); err != nil {
		t.Fatal(err)
	}
	who.RequestID = "req-" + username
	return who
}

// departmentAdmin adds an administrator of Sở GD&ĐT.
func departmentAdmin(t *testing.T, s *Service) Caller {
	t.Helper()
	u := models.User{ID: "u-quantri.sogddt", Username: "quantri.sogddt", FullName: "Quản trị Sở GD&ĐT",
		Role: models.RoleAdmin, UnitID: seed.EducationID, PasswordHash: "x"}
	if err := s.db.Create(&u).Error; err != nil {
		t.Fatal(err)
	}
	return callerOf(t, s, u.Username)
}

// pointersOf lists the fields an error points at.
func pointersOf(err error) []string {
	var e *Error
	if !errors.As(err, &e) {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Pointer)
	}
	slices.Sort(out)
	return out
}

// TestAdministrationRefusesWithoutHTTP: the roles the API's routes
// require hold in the service too, for the web UI that calls it directly.
func TestAdministrationRefusesWithoutHTTP(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	body, reviewer, dept := callerOf(t, s, "donvi.donghoa"), callerOf(t, s, "xet.dian"), departmentAdmin(t, s)
	for name, err := range map[string]error{
		"a nominator lists accounts":    func() error { _, err := s.Users(ctx, body, UserFilter{}); return err }(),
		"a reviewer reads the calendar": func() error { _, err := s.Holidays(ctx, reviewer, ""); return err }(),
		"a department's admin adds a holiday": func() error {
			_, err := s.AddHoliday(ctx, dept, HolidayInput{Date: "2026-12-01", Name: "Thử"})
			return err
		}(),
		"a department's admin deletes one":     s.DeleteHoliday(ctx, dept, "2026-09-02"),
		"a department's admin creates a unit":  func() error { _, err := s.CreateUnit(ctx, dept, UnitInput{}); return err }(),
		"a department's admin renames a unit":  func() error { _, err := s.PatchUnit(ctx, dept, "thpt-di-an", UnitPatch{}); return err }(),
		"a department's admin creates a round": func() error { _, err := s.CreateRound(ctx, dept, RoundInput{}); return err }(),
		"a reviewer reads a dashboard":         func() error { _, err := s.RoundDashboard(ctx, reviewer, seed.DemoRoundID); return err }(),
		"a nominator reads a report":           func() error { _, err := s.RoundReportXLSX(ctx, body, seed.DemoRoundID, ReportScope{}); return err }(),
	} {
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("%s: %v, want forbidden", name, err)
		}
	}
}

// TestAccountsOfTheUnitsManaged: a department's administrator manages the
// accounts of the department and its schools; another unit's account is
// not disclosed and none is created there.
func TestAccountsOfTheUnitsManaged(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	dept := departmentAdmin(t, s)
	users, err := s.Users(ctx, dept, UserFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, u := range users {
		names = append(names, u.Username)
	}
	if want := []string{"donvi.chuyenhungvuong", "quantri.sogddt", "xet.sogddt"}; !slices.Equal(names, want) {
		t.Fatalf("the department's admin lists %v, want %v", names, want)
	}
	if _, err := s.PatchUser(ctx, dept, "u-donvi.donghoa", UserPatch{Disabled: new(bool)}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("another unit's account: %v, want not found", err)
	}
	err = s.ResetPassword(ctx, dept, "u-xet.dian", PasswordInput{Password: "mat-khau-moi-2026"})
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("another unit's password: %v, want not found", err)
	}
	_, err = s.CreateUser(ctx, dept, UserInput{Username: "vanthu.donghoa", FullName: "Văn thư", Role: models.RoleNominator,
		UnitID: seed.CommuneID("dong-hoa"), Password: "mat-khau-moi-2026"})
	if !errors.Is(err, ErrForbidden) || !slices.Equal(pointersOf(err), []string{"/unit_id"}) {
		t.Fatalf("an account in another unit: %v %v", err, pointersOf(err))
	}
	disabled := true
	if _, err := s.PatchUser(ctx, dept, dept.User.ID, UserPatch{Disabled: &disabled}); !errors.Is(err, ErrConflict) {
		t.Fatalf("disabling oneself: %v, want a conflict", err)
	}
}

// TestAdministrationCleansText: what the web's forms send is cleaned as
// the API's decoding cleans JSON: NFC, trimmed, no control characters.
func TestAdministrationCleansText(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	admin := callerOf(t, s, "quantri")
	decomposed := "  Nguye\u0302\u0303n Thi\u0323 Ho\u0302\u0300ng "
	v, err := s.CreateUser(ctx, admin, UserInput{Username: "vanthu.moi", FullName: decomposed, Role: models.RoleNominator,
		UnitID: seed.CommuneID("dong-hoa"), Password: " mat-khau-moi-2026 "})
	if err != nil || v.FullName != "Nguyễn Thị Hồng" {
		t.Fatalf("created %q (%v), want the name in NFC, trimmed", v.FullName, err)
	}
	_, err = s.CreateUser(ctx, admin, UserInput{Username: "vanthu.hai", FullName: "Văn\x01thư", Role: models.RoleNominator,
		UnitID: seed.CommuneID("dong-hoa"), Password: "mat-khau-moi-2026"})
	if !errors.Is(err, ErrInvalid) || !slices.Equal(pointersOf(err), []string{"/full_name"}) {
		t.Fatalf("a control character: %v %v", err, pointersOf(err))
	}
	name := "Thu\x00"
	_, err = s.PatchUnit(ctx, admin, "thpt-di-an", UnitPatch{Name: &name})
	if !errors.Is(err, ErrInvalid) || !slices.Equal(pointersOf(err), []string{"/name"}) {
		t.Fatalf("a control character in a unit's name: %v %v", err, pointersOf(err))
	}
}

// TestAuditInTheChangesTransaction: every change writes its audit row,
// with the request that made it.
func TestAuditInTheChangesTransaction(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	admin := callerOf(t, s, "quantri")
	if _, err := s.AddHoliday(ctx, admin, HolidayInput{Date: "2026-12-05", Name: "Thử", Workday: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddHoliday(ctx, admin, HolidayInput{Date: "2026-12-05", Name: "Lần hai"}); !errors.Is(err, ErrConflict) ||
		!slices.Equal(pointersOf(err), []string{"/date"}) {
		t.Fatalf("a day twice: %v %v", err, pointersOf(err))
	}
	name := "Trường THPT Dĩ An (mới)"
	if _, err := s.PatchUnit(ctx, admin, "thpt-di-an", UnitPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	var events []models.AuditEvent
	if err := s.db.Order("id").Find(&events).Error; err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Action != "holiday.add" || events[1].Action != "unit.rename" ||
		events[0].RequestID != "req-quantri" || events[1].ActorName != "quantri" || events[1].Detail != `{"from":"Trường THPT Dĩ An","to":"Trường THPT Dĩ An (mới)"}` {
		t.Fatalf("audit rows %+v", events)
	}
}

// TestUnderItself: a move under one's own descendant, on its day or on a
// later day a link changes, is a cycle.
func TestUnderItself(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	later := day("2027-01-01")
	links := []models.UnitParent{
		{UnitID: "b", ParentID: "a", EffectiveFrom: day("2023-01-01")},
		{UnitID: "c", ParentID: "p", EffectiveFrom: day("2023-01-01"), EffectiveTo: &later},
		{UnitID: "c", ParentID: "b", EffectiveFrom: later},
	}
	for _, c := range []struct {
		unit, parent, from string
		want               bool
	}{
		{"a", "b", "2026-01-01", true},  // b sits under a
		{"a", "c", "2026-01-01", true},  // c comes under b, under a, in 2027
		{"a", "c", "2027-06-01", true},  // and stays there
		{"b", "p", "2026-01-01", false}, // p is under nothing
		{"c", "a", "2026-01-01", false},
	} {
		if got := underItself(links, c.unit, c.parent, day(c.from)); got != c.want {
			t.Errorf("%s under %s from %s: cycle %v, want %v", c.unit, c.parent, c.from, got, c.want)
		}
	}
}

// TestReportCountsTheReviewersShare: a reviewer's report counts the
// nominations whose route passes their unit at their level; Interior's,
// the whole round.
func TestReportCountsTheReviewersShare(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	nominate := func(id, unit string, steps ...models.RouteStep) {
		t.Helper()
		if err := s.db.Create(&models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: unit, CreatedBy: "u-x", NomineeKind: "individual",
			NomineeName: id, Award: "bang-khen-tinh", Dossier: "{}", Status: "in_review"}).Error; err != nil {
			t.Fatal(err)
		}
		for i, st := range steps {
			st.NominationID, st.Step = id, i
			if err := s.db.Create(&st).Error; err != nil {
				t.Fatal(err)
			}
		}
	}
	dongHoa, diAn := seed.CommuneID("dong-hoa"), seed.DistrictID("di-an")
	nominate("n-1", dongHoa, models.RouteStep{Level: "commune", UnitID: dongHoa}, models.RouteStep{Level: "district", UnitID: diAn})
	nominate("n-2", dongHoa, models.RouteStep{Level: "commune", UnitID: dongHoa})
	// A route passing Dĩ An's unit at another level is not the district's.
	nominate("n-3", "thpt-di-an", models.RouteStep{Level: "education", UnitID: diAn})
	total := func(user string) int64 {
		t.Helper()
		_, report, err := s.roundReport(ctx, callerOf(t, s, user), seed.DemoRoundID, ReportScope{})
		if err != nil {
			t.Fatal(err)
		}
		rows := report.Tables[2].Rows // by status
		return rows[len(rows)-1].Counts[0]
	}
	for user, want := range map[string]int64{"xet.dian": 1, "xet.donghoa": 2, "xet.thuanan": 0, "canbo.sonoivu": 3} {
		if got := total(user); got != want {
			t.Errorf("%s's report counts %d, want %d", user, got, want)
		}
	}
}
