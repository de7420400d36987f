package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestAuthorityOn: the district chairman holds his Giấy khen through 30
// June 2025 and not a day later, the commune chairman hers before and
// after; nobody holds an award before the 2022 law took effect; a day is
// the day in Việt Nam, whether it comes as a stored midnight UTC or a
// time in Việt Nam's zone.
func TestAuthorityOn(t *testing.T) {
	rows := seed.Authorities()
	held := func(award routing.Award, on time.Time) bool {
		_, ok := models.AuthorityOn(rows, award, on)
		return ok
	}
	for _, c := range []struct {
		award routing.Award
		on    string
		want  bool
	}{
		{routing.GiayKhenHuyen, "2025-06-30", true},
		{routing.GiayKhenHuyen, "2025-07-01", false},
		{routing.GiayKhenHuyen, "2026-01-01", false},
		{routing.GiayKhenXa, "2024-06-01", true},
		{routing.GiayKhenXa, "2026-01-01", true},
		{routing.BangKhenThuTuong, "2030-11-20", true},
		{routing.BangKhenTinh, "2023-12-31", false},
		{routing.Award("chien-si-thi-dua"), "2026-01-01", false},
	} {
		if got := held(c.award, day(t, c.on)); got != c.want {
			t.Errorf("%s on %s: held %v, want %v", c.award, c.on, got, c.want)
		}
	}
	// 00:30 on 1 July in Việt Nam is 30 June in UTC: the day is Việt Nam's.
	vn := time.Date(2025, 7, 1, 0, 30, 0, 0, calendar.Zone)
	if held(routing.GiayKhenHuyen, vn) || held(routing.GiayKhenHuyen, vn.UTC()) {
		t.Error("the district's Giấy khen is held at 00:30 on 1 July 2025 in Việt Nam")
	}
	a, _ := models.AuthorityOn(rows, routing.GiayKhenHuyen, day(t, "2025-06-30"))
	if a.DecidedBy != "Chủ tịch UBND huyện" || a.Council == "" || !strings.Contains(a.Source, "Điều 80") {
		t.Errorf("the district's row: %+v", a)
	}
	ended, starts := models.AuthorityAround(rows, routing.GiayKhenHuyen, day(t, "2026-01-01"))
	if ended == nil || ended.ValidTo.Format(time.DateOnly) != "2025-06-30" || starts != nil {
		t.Errorf("around 2026: %+v %+v", ended, starts)
	}
	if ended, starts = models.AuthorityAround(rows, routing.GiayKhenXa, day(t, "2023-06-01")); ended != nil || starts == nil ||
		starts.ValidFrom.Format(time.DateOnly) != "2024-01-01" {
		t.Errorf("around 2023: %+v %+v", ended, starts)
	}
}

// TestCheckAuthority: a row needs a known award, its name, its deciding
// title, the routing table's form and levels, a first day, a last day not
// before it, a council and a source; and it may not share a day with
// another row of its award — the field at fault is the day that runs
// into it.
func TestCheckAuthority(t *testing.T) {
	huyen := models.Authority{ID: 1, Award: "giay-khen-huyen", Name: "Giấy khen của Chủ tịch UBND huyện", DecidedBy: "Chủ tịch UBND huyện",
		Form: "Giấy khen", LastLevel: "district", Issuer: "district", ValidFrom: day(t, "2024-01-01"), ValidTo: dayPtr(t, "2025-06-30"),
		Council: "Hội đồng Thi đua – Khen thưởng huyện", Source: "Luật Thi đua, khen thưởng 2022, Điều 80 khoản 2"}
	others := []models.Authority{huyen}
	problems := func(a models.Authority) string {
		var out []string
		for _, p := range models.CheckAuthority(a, others) {
			out = append(out, p.Field+":"+p.Rule)
		}
		return strings.Join(out, " ")
	}
	if got := problems(huyen); got != "" {
		t.Errorf("the row itself: %s", got)
	}
	for _, c := range []struct {
		name string
		edit func(*models.Authority)
		want string
	}{
		{"empty", func(a *models.Authority) { *a = models.Authority{} },
			"award:required name:required decided_by:required form:required last_level:required issuer:required valid_from:required council:required source:required"},
		{"unknown award, form and level", func(a *models.Authority) { a.Award, a.Form, a.Issuer = "chien-si-thi-dua", "Huân chương", "ward" },
			"award:unknown form:unknown issuer:unknown"},
		{"levels other than the routing table's", func(a *models.Authority) {
			a.Form, a.LastLevel, a.Issuer, a.External = "Bằng khen", "commune", "commune", true
		}, "form:routing last_level:routing issuer:routing external:routing"},
		{"last day before the first", func(a *models.Authority) { a.ValidFrom = day(t, "2025-07-01") }, "valid_to:order"},
		{"one day", func(a *models.Authority) { a.ValidFrom = day(t, "2025-06-30") }, ""},
		// A second row of the same award: starting inside the first, its
		// first day is at fault…
		{"starts inside another", func(a *models.Authority) { a.ID, a.ValidFrom, a.ValidTo = 2, day(t, "2025-06-30"), nil },
			"valid_from:overlap"},
		// …starting before it and running into it, its last day.
		{"runs into another", func(a *models.Authority) {
			a.ID, a.ValidFrom, a.ValidTo = 2, day(t, "2023-01-01"), dayPtr(t, "2024-01-01")
		},
			"valid_to:overlap"},
		{"open-ended before another", func(a *models.Authority) { a.ID, a.ValidFrom, a.ValidTo = 2, day(t, "2023-01-01"), nil },
			"valid_to:overlap"},
		{"adjacent after another", func(a *models.Authority) { a.ID, a.ValidFrom, a.ValidTo = 2, day(t, "2025-07-01"), nil }, ""},
		{"adjacent before another", func(a *models.Authority) {
			a.ID, a.ValidFrom, a.ValidTo = 2, day(t, "2023-01-01"), dayPtr(t, "2023-12-31")
		}, ""},
		{"another award on the same days", func(a *models.Authority) {
			a.ID, a.Award, a.LastLevel, a.Issuer = 2, "giay-khen-xa", "commune", "commune"
		}, ""},
	} {
		a := huyen
		c.edit(&a)
		if got := problems(a); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// The overlapped row is named.
	a := huyen
	a.ID, a.ValidFrom = 2, day(t, "2025-01-01")
	if p := models.CheckAuthority(a, others); len(p) != 1 || p[0].Other == nil || p[0].Other.ID != huyen.ID {
		t.Errorf("overlap: %+v", p)
	}
}

// TestMigrateAddsAuthorities upgrades a database as version 13 left it:
// version 14 creates the table, the seed fills it once from the routing
// table, a corrected row is not brought back by the next start, and the
// reference cache sees a correction at its next use.
func TestMigrateAddsAuthorities(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrator().DropTable(&models.Authority{}); err != nil {
				t.Fatal(err)
			}
			db.Where("version > 13").Delete(&models.SchemaMigration{})
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			rows, err := models.Authorities(ctx, db)
			if err != nil || len(rows) != len(routing.Awards) {
				t.Fatalf("%d rows after two starts (%v), want %d", len(rows), err, len(routing.Awards))
			}
			for i, a := range rows {
				if a.Award != string(routing.Awards[i].Code) {
					t.Errorf("row %d is %s, want the routing table's order", i, a.Award)
				}
			}
			ref := &models.Reference{DB: db}
			if _, ok, err := ref.AuthorityOn(ctx, routing.GiayKhenHuyen, day(t, "2025-06-30")); err != nil || !ok {
				t.Fatalf("the district's Giấy khen on 30 June 2025: %v %v", ok, err)
			}
			var huyen models.Authority
			if err := db.First(&huyen, "award = ?", "giay-khen-huyen").Error; err != nil {
				t.Fatal(err)
			}
			err = db.Transaction(func(tx *gorm.DB) error {
				if err := tx.Model(&huyen).Update("valid_to", day(t, "2025-06-29")).Error; err != nil {
					return err
				}
				return models.BumpReferenceVersion(tx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok, err := ref.AuthorityOn(ctx, routing.GiayKhenHuyen, day(t, "2025-06-30")); err != nil || ok {
				t.Errorf("after the correction the cache holds it on 30 June 2025: %v %v", ok, err)
			}
			if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			got, err := models.LoadAuthority(ctx, db, huyen.ID)
			if err != nil || got.ValidTo == nil || got.ValidTo.UTC().Format(time.DateOnly) != "2025-06-29" {
				t.Errorf("the corrected row after a start: %+v %v", got, err)
			}
		})
	}
}
