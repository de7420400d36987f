package service

import (
	"context"
	"errors"
	"strconv"

	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// NominationIndicators are the plan's indicators of the unit a collective
// or a community is nominated from, beside its dossier in a sơ kết or
// tổng kết round (issue 16, point 6): the reviewer weighs the unit's
// achievement report against the movement's own figures. They are the
// figures of GET /api/v1/learning/indicators for the unit and the
// round's last year (this year while the period runs), without the
// per-commune table.
type NominationIndicators struct {
	UnitID   string           `json:"unit_id"`
	UnitName string           `json:"unit_name"`
	Year     int              `json:"year"`
	Day      string           `json:"day"`
	Over     []LineageView    `json:"over"`
	Partial  bool             `json:"partial"`
	Values   []learning.Value `json:"values"`
}

// nominationIndicators gives n's indicators when it is a collective or a
// community in a preliminary or final round, nil otherwise or when the
// unit or the year has no figures to give.
func (s *Service) nominationIndicators(ctx context.Context, who Caller, n models.Nomination) (*NominationIndicators, error) {
	if n.NomineeKind != "collective" && n.NomineeKind != "community" {
		return nil, nil
	}
	round, err := s.ref.Round(ctx, n.RoundID)
	if err != nil {
		return nil, err
	}
	if round.Kind != models.RoundPreliminary && round.Kind != models.RoundFinal {
		return nil, nil
	}
	year := min(round.PeriodTo, s.now().Year())
	if year < 2023 {
		return nil, nil
	}
	v, err := s.Indicators(ctx, who, n.UnitID, strconv.Itoa(year))
	if e := new(Error); errors.As(err, &e) {
		// A unit or year the indicators refuse has no figures to show.
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &NominationIndicators{UnitID: v.UnitID, UnitName: v.UnitName, Year: v.Year, Day: v.Day, Over: v.Over,
		Partial: v.Partial, Values: v.Values}, nil
}
