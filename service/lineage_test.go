package service

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestEndedBodyIsToldItsSuccessor: a commune the reform ended cannot file
// in a round reviewed on the city's units: the refusal names its last day
// and its successor and says what to do; a commune formed by the reform
// cannot file in a round reviewed on the units of before it.
func TestEndedBodyIsToldItsSuccessor(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	for _, c := range []struct {
		unit, round string
		want        []string
	}{
		{seed.CommuneID("dong-hoa"), "hang-nam-2026", []string{"Phường Đông Hòa hoạt động đến hết 30/06/2025", "Đơn vị kế thừa: Phường Đông Hòa.",
			"chuyển tài khoản"}},
		{seed.CommuneID("tan-dong-hiep"), "hang-nam-2026", []string{"Phường Tân Đông Hiệp", "Đơn vị kế thừa: ", "Phường Dĩ An"}},
		{seed.NewCommuneID("Phường Dĩ An"), seed.DemoRoundID, []string{"có hiệu lực từ 01/07/2025", "01/03/2025"}},
	} {
		_, err := s.planRoute(ctx, models.Nomination{ID: "n", UnitID: c.unit, RoundID: c.round, Award: "giay-khen-xa"})
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) || len(e.Fields) != 1 || e.Fields[0].Pointer != "/round_id" {
			t.Fatalf("%s in %s: %v", c.unit, c.round, err)
		}
		for _, w := range c.want {
			if !strings.Contains(e.Fields[0].Message, w) {
				t.Errorf("%s in %s: %q lacks %q", c.unit, c.round, e.Fields[0].Message, w)
			}
		}
	}
	// Its successor routes in the city's round.
	r, err := s.planRoute(ctx, models.Nomination{ID: "n", UnitID: seed.NewCommuneID("Phường Đông Hòa"), RoundID: "hang-nam-2026", Award: "bang-khen-tinh"})
	if err != nil || len(r.Steps) != 3 || r.Steps[1].UnitID != seed.CityEducationID {
		t.Fatalf("the successor's route: %+v %v", r, err)
	}
}
