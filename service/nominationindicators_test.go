package service

import (
	"context"
	"testing"

	"github.com/tdkt/tdkt/models/seed"
)

// TestNominationIndicators: a collective nominated in the sơ kết demo
// round shows its unit's indicators for the round's last year; an
// individual does not.
func TestNominationIndicators(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	for _, c := range []struct {
		kind string
		want bool
	}{{"collective", true}, {"community", true}, {"individual", false}} {
		d, err := s.CreateNomination(ctx, clerk, NominationInput{RoundID: strp(seed.DemoTwoTierRoundID), NomineeKind: strp(c.kind),
			NomineeName: strp("Khu phố Nhị Đồng 1"), Award: strp("giay-khen-xa")}, "")
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.Nomination(ctx, clerk, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := v.LearningIndicators
		if (got != nil) != c.want {
			t.Fatalf("%s: indicators %+v, want them: %v", c.kind, got, c.want)
		}
		if got != nil && (got.Year != 2025 || got.UnitID != d.UnitID || len(got.Values) == 0) {
			t.Fatalf("%s: %+v, want the unit's 2025 figures", c.kind, got)
		}
	}
}
