package models_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestMigrateFromVersion6 upgrades a database from before the reference
// version: migration 7 creates its row at version 1, and running again
// leaves it as it is.
func TestMigrateFromVersion6(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrator().DropTable(&models.ReferenceVersion{}); err != nil {
				t.Fatal(err)
			}
			db.Where("version > 6").Delete(&models.SchemaMigration{})
			for i := 0; i < 2; i++ {
				if err := models.Migrate(ctx, db); err != nil {
					t.Fatal(err)
				}
				if v, err := models.CurrentReferenceVersion(ctx, db); err != nil || v != 1 {
					t.Fatalf("run %d: reference version %d (%v), want 1", i, v, err)
				}
			}
		})
	}
}

// TestReferenceFollowsTheVersion holds two caches over one database, as
// two processes do. A change written without a bump is not seen by
// either (they serve what they loaded); a change whose transaction bumps
// the version is seen by both at their next use.
func TestReferenceFollowsTheVersion(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			caches := []*models.Reference{{DB: db}, {DB: db}}
			friday := time.Date(2026, 11, 20, 0, 0, 0, 0, calendar.Zone)
			monday := time.Date(2026, 11, 23, 0, 0, 0, 0, calendar.Zone)
			commune := seed.NewCommuneID("Phường Đông Hòa")
			see := func(what string, wantFriday, wantMonday bool, wantName string) {
				t.Helper()
				for i, r := range caches {
					cal, err := r.Calendar(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if cal.IsWorkingDay(friday) != wantFriday || cal.IsWorkingDay(monday) != wantMonday {
						t.Errorf("%s: cache %d counts 20/11 %t and 23/11 %t as working days, want %t and %t",
							what, i, cal.IsWorkingDay(friday), cal.IsWorkingDay(monday), wantFriday, wantMonday)
					}
					u, err := r.Unit(ctx, commune)
					if err != nil {
						t.Fatal(err)
					}
					if u.Name != wantName {
						t.Errorf("%s: cache %d names %s %q, want %q", what, i, commune, u.Name, wantName)
					}
				}
			}
			name := "Phường Đông Hòa"
			see("loaded", true, true, name)

			if err := db.Create(&models.Holiday{Date: "2026-11-20", Name: "Không báo"}).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Model(&models.Unit{}).Where("id = ?", commune).Update("name", "Không báo").Error; err != nil {
				t.Fatal(err)
			}
			see("changed without a bump", true, true, name)

			before, err := models.CurrentReferenceVersion(ctx, db)
			if err != nil {
				t.Fatal(err)
			}
			err = db.Transaction(func(tx *gorm.DB) error {
				if err := tx.Create(&models.Holiday{Date: "2026-11-23", Name: "Nghỉ bù (thử)"}).Error; err != nil {
					return err
				}
				if err := tx.Model(&models.Unit{}).Where("id = ?", commune).Update("name", "Phường Đông Hòa (mới)").Error; err != nil {
					return err
				}
				return models.BumpReferenceVersion(tx)
			})
			if err != nil {
				t.Fatal(err)
			}
			if after, err := models.CurrentReferenceVersion(ctx, db); err != nil || after != before+1 {
				t.Fatalf("version %d after a bump from %d (%v)", after, before, err)
			}
			see("changed with a bump", false, false, "Phường Đông Hòa (mới)")
		})
	}
}

// TestPinnedReferenceChecksOnce: under a pinned context the reference
// reads the version row no more (a batch over thousands of certificates
// reads it once) and keeps the version it was pinned to; an unpinned use
// sees the change.
func TestPinnedReferenceChecksOnce(t *testing.T) {
	ctx := context.Background()
	db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "pin.db"), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	r := &models.Reference{DB: db}
	pinned := r.Pin(ctx)
	var queries atomic.Int64
	if err := db.Callback().Query().After("gorm:query").Register("test:count", func(*gorm.DB) { queries.Add(1) }); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if _, err := r.Calendar(pinned); err != nil {
			t.Fatal(err)
		}
	}
	if got := queries.Load(); got != 1 {
		t.Errorf("100 pinned uses made %d queries, want the calendar's one load", got)
	}
	err = db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&models.Holiday{Date: "2026-11-23", Name: "Nghỉ bù (thử)"}).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	monday := time.Date(2026, 11, 23, 0, 0, 0, 0, calendar.Zone)
	if cal, err := r.Calendar(ctx); err != nil || cal.IsWorkingDay(monday) {
		t.Errorf("an unpinned use after the bump still counts 23/11 a working day (%v)", err)
	}
}

// TestMigrateFromVersion9 upgrades a database from before nominations
// recorded their form: migration 10 adds the columns and gives each
// nomination the version in force on its round's reference date — NĐ
// 98/2023's before 1 July 2025, NĐ 152/2025's from then — or, for a round
// dated before any version or gone, on the day it was created. Running
// again changes nothing; the frozen table agrees with the forms'
// registry.
func TestMigrateFromVersion9(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			m := db.Migrator()
			for _, col := range []string{"FormCode", "FormVersion"} {
				if err := m.DropColumn(&models.Nomination{}, col); err != nil {
					t.Fatal(err)
				}
			}
			db.Where("version > 9").Delete(&models.SchemaMigration{})
			exec := func(q string, args ...any) {
				t.Helper()
				if err := db.Exec(q, args...).Error; err != nil {
					t.Fatal(err)
				}
			}
			day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
			for id, ref := range map[string]string{"r-2025": "2025-03-01", "r-2026": "2026-01-01", "r-2023": "2023-01-01"} {
				if err := db.Create(&models.Round{ID: id, Code: id, Name: id, Kind: models.RoundAnnual, Chain: "two-tier",
					ReferenceDate: day(ref), Awards: "[]"}).Error; err != nil {
					t.Fatal(err)
				}
			}
			for _, n := range []struct{ id, round, kind, created string }{
				{"n-98", "r-2025", "individual", "2025-08-01"},   // the round's date, not the creation's
				{"n-152", "r-2026", "household", "2026-02-01"},   //
				{"n-cu", "r-2023", "collective", "2023-05-01"},   // neither: version 1
				{"n-moi", "r-2023", "clan", "2025-07-01"},        // the creation day
				{"n-mat", "khong-co", "community", "2024-09-09"}, // no round: the creation day
			} {
				exec("INSERT INTO nominations (id, round_id, unit_id, created_by, nominee_kind, nominee_name, award, dossier, status, created_at, updated_at) VALUES (?, ?, 'u', 'u', ?, 'A', 'giay-khen-xa', '{}', 'draft', ?, ?)",
					n.id, n.round, n.kind, day(n.created), day(n.created))
			}
			want := map[string]forms.Ref{
				"n-98": {Code: "HSKT-CN", Version: 1}, "n-152": {Code: "HSKT-HGD", Version: 2}, "n-cu": {Code: "HSKT-TT", Version: 1},
				"n-moi": {Code: "HSKT-DH", Version: 2}, "n-mat": {Code: "HSKT-CD", Version: 1},
			}
			for i := 0; i < 2; i++ {
				if err := models.Migrate(ctx, db); err != nil {
					t.Fatal(err)
				}
				var got []models.Nomination
				db.Order("id").Find(&got)
				for _, n := range got {
					if w := want[n.ID]; n.FormCode != w.Code || n.FormVersion != w.Version {
						t.Errorf("run %d: %s has %s v%d, want %s v%d", i, n.ID, n.FormCode, n.FormVersion, w.Code, w.Version)
					}
					if _, ok := forms.Get(n.FormCode, n.FormVersion); !ok {
						t.Errorf("%s: %s v%d is not a registered form", n.ID, n.FormCode, n.FormVersion)
					}
					if !n.UpdatedAt.Equal(n.CreatedAt) {
						t.Errorf("%s: the migration moved updated_at to %s", n.ID, n.UpdatedAt)
					}
				}
			}
		})
	}
	// The migration's frozen table is the registry's.
	for kind, code := range models.FormCodes() {
		if forms.Code(kind) != code {
			t.Errorf("%s: migration 10 writes %s, forms has %s", kind, code, forms.Code(kind))
		}
		for _, f := range forms.Versions(kind) {
			from, _ := time.Parse(time.DateOnly, f.ValidFrom)
			if v := models.FormVersionOn(from); v != f.Version {
				t.Errorf("%s: migration 10 gives %s version %d, forms %d", kind, f.ValidFrom, v, f.Version)
			}
		}
	}
	if len(models.FormCodes()) != len(forms.Kinds()) {
		t.Errorf("migration 10 knows %d kinds, forms %d", len(models.FormCodes()), len(forms.Kinds()))
	}
}
