package activities

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestOpenAnnualRound: the rollover makes 2027's annual round from
// 2026's — the 2026 round's terms and a per-level term an administrator
// set, moved a year on, without the award whose authority row an
// administrator ended in 2026 — once; a three-tier round of old gives a
// two-tier one without the district's Giấy khen; no round after the
// movement ends.
func TestOpenAnnualRound(t *testing.T) {
	ctx := context.Background()
	db := databases(t)["sqlite"]
	a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler)}
	// The seed's annual round is of the current year: start from 2026's.
	if err := db.Where("kind = ?", models.RoundAnnual).Delete(&models.Round{}).Error; err != nil {
		t.Fatal(err)
	}
	last := seed.AnnualRound(2026)
	last.LevelDueDays = `{"commune":7}`
	if err := db.Create(&last).Error; err != nil {
		t.Fatal(err)
	}
	// The Minister's Bằng khen, its row ended on 31 December 2026 as an
	// administrator would correct it, is not offered in 2027.
	err := db.Transaction(func(tx *gorm.DB) error {
		end := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		if err := tx.Model(&models.Authority{}).Where("award = ?", "bang-khen-bo").Update("valid_to", end).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []bool{true, false} {
		got, err := a.OpenAnnualRound(ctx, 2027)
		if err != nil || got.Created != want || got.Schedule.RoundID != seed.AnnualRoundID(2027) {
			t.Fatalf("call %d: %+v %v", i, got, err)
		}
	}
	var r models.Round
	if err := db.First(&r, "id = ?", seed.AnnualRoundID(2027)).Error; err != nil {
		t.Fatal(err)
	}
	opens, closes := r.OpensAt.In(calendar.Zone), r.ClosesAt.In(calendar.Zone)
	if r.Name != "Khen thưởng hằng năm 2027 — phong trào xây dựng xã hội học tập" || r.PeriodFrom != 2027 || r.PeriodTo != 2027 ||
		!opens.Equal(time.Date(2027, 1, 1, 0, 0, 0, 0, calendar.Zone)) || !closes.Equal(time.Date(2027, 11, 20, 17, 0, 0, 0, calendar.Zone)) ||
		r.Chain != "two-tier" || r.LevelDueDays != `{"commune":7}` || r.State != "scheduled" || r.ReferenceDate.Format(time.DateOnly) != "2027-01-01" ||
		r.Awards != `["giay-khen-xa","giay-khen-so","bang-khen-tinh","bang-khen-thu-tuong"]` {
		t.Fatalf("2027's round: %+v", r)
	}

	old := seed.AnnualRound(2024)
	old.Chain, old.ReferenceDate, old.Awards = "three-tier", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), `["giay-khen-xa","giay-khen-huyen"]`
	if err := db.Where("kind = ?", models.RoundAnnual).Delete(&models.Round{}).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Create(&old).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := a.OpenAnnualRound(ctx, 2026); err != nil {
		t.Fatal(err)
	}
	var next models.Round
	if err := db.First(&next, "id = ?", seed.AnnualRoundID(2026)).Error; err != nil || next.Chain != "two-tier" || next.Awards != `["giay-khen-xa"]` {
		t.Fatalf("after a three-tier round: %+v %v", next, err)
	}
	if got, err := a.OpenAnnualRound(ctx, 2031); err != nil || got.Schedule.RoundID != "" {
		t.Fatalf("2031: %+v %v", got, err)
	}
}
