package service

import (
	"context"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
)

// AwardView is an award a unit's nominee received: the certificate, its
// decision and who issued it.
type AwardView struct {
	CertificateID  string `json:"certificate_id"`
	NominationID   string `json:"nomination_id"`
	Recipient      string `json:"recipient"`
	UnitID         string `json:"unit_id"`
	UnitName       string `json:"unit_name"`
	Award          string `json:"award"`
	AwardName      string `json:"award_name"`
	DecisionID     string `json:"decision_id"`
	DecisionNumber string `json:"decision_number"`
	SignedOn       string `json:"signed_on"`
	IssuerUnitID   string `json:"issuer_unit_id"`
	RegisterNumber int    `json:"register_number"`
	Status         string `json:"status"`
}

// UnitAwards lists what the nominees of unit received, most recent
// decision first; withPredecessors adds what those of the units it comes
// from received (the new Phường Dĩ An: old Dĩ An's, An Bình's and Tân
// Đông Hiệp's). Only what the caller may see of those nominations.
func (s *Service) UnitAwards(ctx context.Context, who Caller, unitID string, withPredecessors bool) ([]AwardView, error) {
	ctx = s.ref.Pin(ctx)
	if _, err := loadUnit(ctx, s.db, unitID); err != nil {
		return nil, err
	}
	units := []string{unitID}
	if withPredecessors {
		lineage, err := s.ref.Lineage(ctx)
		if err != nil {
			return nil, err
		}
		units = models.WithPredecessors(lineage, unitID)
	}
	rows, err := models.AwardsOfUnits(ctx, s.db, scope(who), units)
	if err != nil {
		return nil, err
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AwardView, 0, len(rows))
	for _, r := range rows {
		out = append(out, AwardView{CertificateID: r.ID, NominationID: r.NominationID, Recipient: r.NomineeName,
			UnitID: r.UnitID, UnitName: names[r.UnitID], Award: r.Award, AwardName: awardNameOf(r.Award),
			DecisionID: r.DecisionID, DecisionNumber: r.DecisionNumber, SignedOn: r.SignedOn.In(calendar.Zone).Format(time.DateOnly),
			IssuerUnitID: r.IssuerUnitID, RegisterNumber: r.RegisterNumber, Status: r.Status})
	}
	return out, nil
}
