package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// TestRoundOffersHeldAwards: a round may offer only the awards held on
// its reference date, by the rows as an administrator last corrected
// them: the district chairman's Giấy khen is refused in a 2026 round,
// naming the award, and nothing is stored; the city's Bằng khen, whose
// row an administrator ends, is refused from the day after.
func TestRoundOffersHeldAwards(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	admin := callerOf(t, s, "quantri")
	in := RoundInput{Code: "hang-nam-2026-thu", Name: "Khen thưởng hằng năm 2026 (thử)", Kind: models.RoundAnnual,
		PeriodFrom: 2026, PeriodTo: 2026, OpensAt: "2026-01-01T00:00:00+07:00", ClosesAt: "2026-11-20T17:00:00+07:00",
		Chain: routing.TwoTier.Code, ReferenceDate: "2026-01-01", DueWorkingDays: 10,
		Awards: []string{"giay-khen-xa", "giay-khen-huyen", "bang-khen-tinh"}}
	var before int64
	s.db.Model(&models.Round{}).Count(&before)
	_, err := s.CreateRound(ctx, admin, in)
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) != 1 || e.Fields[0].Pointer != "/awards/1" ||
		!strings.Contains(e.Fields[0].Message, "chỉ đến hết ngày 30/06/2025") {
		t.Fatalf("a 2026 round offering the district's Giấy khen: %v %+v", err, e)
	}
	var n int64
	if s.db.Model(&models.Round{}).Count(&n); n != before {
		t.Fatal("a refused round was stored")
	}

	var tinh models.Authority
	if err := s.db.First(&tinh, "award = ?", "bang-khen-tinh").Error; err != nil {
		t.Fatal(err)
	}
	end := "2025-12-31"
	if _, err := s.PatchAuthority(ctx, admin, itoa(tinh.ID), AuthorityPatch{ValidTo: &end}); err != nil {
		t.Fatal(err)
	}
	in.Awards = []string{"giay-khen-xa", "bang-khen-tinh"}
	if _, err := s.CreateRound(ctx, admin, in); strings.Join(pointersOf(err), " ") != "/awards/1" {
		t.Fatalf("after the city's Bằng khen was ended on 31 December 2025: %v", err)
	}
	in.Awards = []string{"giay-khen-xa"}
	if _, err := s.CreateRound(ctx, admin, in); err != nil {
		t.Fatalf("a round of the commune's Giấy khen: %v", err)
	}
}
