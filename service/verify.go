package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certstore"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Verification is what the public page behind a certificate's QR code
// shows: whether it stands, whom it honours and which decision awarded it.
type Verification struct {
	Valid          bool   `json:"valid"`
	Status         string `json:"status"`
	RevokedReason  string `json:"revoked_reason,omitempty"`
	Recipient      string `json:"recipient"`
	Award          string `json:"award"`
	DecisionNumber string `json:"decision_number"`
	DecisionDate   string `json:"decision_date"`
	Signer         string `json:"signer"`
	RegisterNumber int    `json:"register_number"`
	// Issuer is the body that issued the certificate: the commune, the
	// Sở or Interior whose register numbers it, or for a central award
	// the central body ("Thủ tướng Chính phủ").
	Issuer string `json:"issuer"`
	// DecidedBy and RecordedBy are set for a central award: the authority
	// whose decision it is ("Bộ trưởng Bộ GD&ĐT") and the body that
	// recorded that decision in tdkt from its number and date (Interior),
	// which numbers it in its register but issues no paper of it.
	DecidedBy  string `json:"decided_by,omitempty"`
	RecordedBy string `json:"recorded_by,omitempty"`
}

// verificationsPerMinute bounds the public verifications from one client
// address a minute (in bursts of as many): a holder checks a paper or a
// few, while a client walking codes would otherwise probe the register
// as fast as the database answers.
const verificationsPerMinute = 30

// Verify looks up a certificate by its verification code: public, for
// anyone holding the paper, at most verificationsPerMinute a minute from
// one client address (empty: a tool in the process, not limited) — the
// login's limiter, so the two are limited alike.
func (s *Service) Verify(ctx context.Context, address, code string) (Verification, error) {
	if err := s.limits.allow("verify", address, verificationsPerMinute, time.Now()); err != nil { // wall time: a pinned test clock must not stop the refill
		return Verification{}, err
	}
	missing := NotFound("Không tìm thấy Bằng khen/Giấy khen với mã này.", "No certificate with this code.")
	if len(code) != 32 {
		return Verification{}, missing
	}
	db := s.db.WithContext(ctx)
	var cert models.Certificate
	err := db.First(&cert, "verify_code = ?", code).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Verification{}, missing
	}
	if err != nil {
		return Verification{}, fmt.Errorf("verify %s: %w", code, err)
	}
	d, err := s.loadDecision(ctx, cert.DecisionID)
	if err != nil {
		return Verification{}, fmt.Errorf("decision of certificate %s: %w", cert.ID, err)
	}
	var n models.Nomination
	if err := db.Omit("dossier").First(&n, "id = ?", cert.NominationID).Error; err != nil {
		return Verification{}, fmt.Errorf("nomination of certificate %s: %w", cert.ID, err)
	}
	issuer, err := s.ref.Unit(ctx, cert.IssuerUnitID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return Verification{}, err
	}
	// The award as its issuer gave it on the decision's day ("Giấy khen
	// của Chủ tịch Ủy ban nhân dân phường Dĩ An"). An issuer since removed
	// from the reference data leaves its name blank and the award's
	// generic name: the certificate is still genuine.
	award := awardNameOf(n.Award)
	if info, err := routing.LookupAward(routing.Award(n.Award)); err == nil {
		if is, err := certstore.IssuerOn(ctx, s.ref, cert.IssuerUnitID, info, d.SignedOn); err == nil {
			award = is.AwardName
		} else if !errors.Is(err, models.ErrNotFound) {
			return Verification{}, err
		}
	}
	v := Verification{Valid: cert.Status == models.CertificateValid, Status: cert.Status, RevokedReason: cert.RevokedReason,
		Recipient: n.NomineeName, Award: award, DecisionNumber: d.Number,
		DecisionDate: d.SignedOn.In(calendar.Zone).Format("02/01/2006"), Signer: d.SignerTitle + " " + d.SignerName,
		RegisterNumber: cert.RegisterNumber, Issuer: issuer.Name}
	// A central award: the paper is that body's, the decision recorded
	// here is its decision.
	if central, ok := centralAward(n.Award); ok {
		v.Issuer, v.DecidedBy, v.RecordedBy = central.IssuedBy, central.DecidedBy, issuer.Name
	}
	return v, nil
}
