package models_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// routeUnits plans a provincial Bằng khen for body on day at and lists
// the units of its steps.
func routeUnits(t *testing.T, db *gorm.DB, at string, chain routing.Chain, body string) []string {
	t.Helper()
	dir, err := models.LoadDirectory(context.Background(), db, day(t, at))
	if err != nil {
		t.Fatal(err)
	}
	r, err := routing.Plan(dir, chain, body, routing.BangKhenTinh)
	if err != nil {
		t.Fatalf("plan on %s: %v", at, err)
	}
	var out []string
	for _, s := range r.Steps {
		out = append(out, s.UnitID)
	}
	return out
}

// TestMoveAndEndKeepHistory: a school under a commune since 2024 moves
// under that commune's successor at the reform, under another of the
// city's communes in 2026, and closes in 2027; routes planned at 2024
// dates keep its old commune and district and Bình Dương's departments,
// those at 2026 dates the city's. A seeded commune moved before the reform
// keeps that move until it ends with the reform. Both engines.
func TestMoveAndEndKeepHistory(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			dongHoa := seed.CommuneID("dong-hoa")
			newDongHoa, diAn := seed.NewCommuneID("Phường Đông Hòa"), seed.NewCommuneID("Phường Dĩ An")
			school := models.Unit{ID: "th-dong-hoa", Name: "Trường Tiểu học Đông Hòa", Kind: models.KindSchool, EffectiveFrom: day(t, "2024-01-01")}
			if err := db.Create(&school).Error; err != nil {
				t.Fatal(err)
			}
			if err := db.Create(&models.UnitParent{UnitID: school.ID, ParentID: dongHoa, EffectiveFrom: school.EffectiveFrom}).Error; err != nil {
				t.Fatal(err)
			}
			move := func(to, from string) models.Unit {
				var parent models.Unit
				if err := db.First(&parent, "id = ?", to).Error; err != nil {
					t.Fatal(err)
				}
				if err := db.Transaction(func(tx *gorm.DB) error {
					_, err := models.MoveUnit(ctx, tx, school, parent, day(t, from))
					return err
				}); err != nil {
					t.Fatal(err)
				}
				return parent
			}
			move(newDongHoa, "2025-07-01")
			parent := move(diAn, "2026-09-01")
			old := []string{dongHoa, seed.DistrictID("di-an"), seed.EducationID, seed.InteriorID}
			if got := routeUnits(t, db, "2024-06-01", routing.ThreeTier, school.ID); !slices.Equal(got, old) {
				t.Errorf("2024 route after the move: %v, want %v", got, old)
			}
			if got := routeUnits(t, db, "2026-08-31", routing.TwoTier, school.ID); got[0] != newDongHoa {
				t.Errorf("the day before the move: %v", got)
			}
			if got := routeUnits(t, db, "2026-09-01", routing.TwoTier, school.ID); !slices.Equal(got, []string{diAn, seed.CityEducationID, seed.CityInteriorID}) {
				t.Errorf("2026 route after the move: %v", got)
			}
			links, err := models.UnitLinks(ctx, db, school.ID)
			if err != nil || len(links) != 3 || links[0].EffectiveTo == nil || !links[0].EffectiveTo.Equal(day(t, "2025-07-01")) ||
				links[1].EffectiveTo == nil || !links[1].EffectiveTo.Equal(day(t, "2026-09-01")) ||
				links[2].ParentID != diAn || links[2].EffectiveTo != nil {
				t.Fatalf("links %+v %v", links, err)
			}
			// Moving again on the day its link starts is the caller's
			// mistake, refused here too.
			if err := db.Transaction(func(tx *gorm.DB) error {
				_, err := models.MoveUnit(ctx, tx, school, parent, day(t, "2026-09-01"))
				return err
			}); err == nil {
				t.Error("a second link from the same day")
			}

			if err := db.Transaction(func(tx *gorm.DB) error { return models.EndUnit(ctx, tx, school, day(t, "2027-01-01")) }); err != nil {
				t.Fatal(err)
			}
			dir, _ := models.LoadDirectory(ctx, db, day(t, "2027-01-01"))
			if _, ok := dir.Unit(school.ID); ok {
				t.Error("the school is in force on the day it ended")
			}
			links, _ = models.UnitLinks(ctx, db, school.ID)
			if to := links[2].EffectiveTo; to == nil || !to.Equal(day(t, "2027-01-01")) {
				t.Errorf("the last link was not closed with the unit: %+v", links[2])
			}
			if got := routeUnits(t, db, "2026-12-31", routing.TwoTier, school.ID); got[0] != diAn {
				t.Errorf("the day before the end: %v", got)
			}

			// A seeded commune moved under another district in 2024: the
			// new link runs to the reform, when the commune ends.
			var thuanAn models.Unit
			db.First(&thuanAn, "id = ?", seed.DistrictID("thuan-an"))
			var commune models.Unit
			db.First(&commune, "id = ?", dongHoa)
			if err := db.Transaction(func(tx *gorm.DB) error {
				_, err := models.MoveUnit(ctx, tx, commune, thuanAn, day(t, "2024-03-01"))
				return err
			}); err != nil {
				t.Fatal(err)
			}
			parents := func(at string) string {
				p, _ := models.ParentsAt(ctx, db, day(t, at))
				return p[dongHoa]
			}
			for at, want := range map[string]string{"2024-02-29": seed.DistrictID("di-an"), "2024-03-01": thuanAn.ID,
				"2025-06-30": thuanAn.ID, "2025-07-01": ""} {
				if got := parents(at); got != want {
					t.Errorf("Đông Hòa's parent on %s: %s, want %s", at, got, want)
				}
			}
		})
	}
}
