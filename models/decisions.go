package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// inChunk bounds the IDs of one IN list: a decision lists up to 5,000
// nominees, beyond what every engine takes as bound parameters at once.
const inChunk = 500

// ReserveRegisterNumbers takes n consecutive register numbers of an
// issuer's year inside tx and returns the first. The counter row is locked
// on PostgreSQL (SQLite's write transactions are serial), so decisions
// issued at once get consecutive numbers without gaps or repeats.
func ReserveRegisterNumbers(tx *gorm.DB, issuer string, year, n int) (int, error) {
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).
		Create(&RegisterCounter{IssuerUnitID: issuer, Year: year}).Error; err != nil {
		return 0, fmt.Errorf("register counter: %w", err)
	}
	q := tx.Where("issuer_unit_id = ? AND year = ?", issuer, year)
	if Dialect(tx) == "postgres" {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var counter RegisterCounter
	if err := q.First(&counter).Error; err != nil {
		return 0, fmt.Errorf("register counter: %w", err)
	}
	if err := tx.Model(&RegisterCounter{}).Where("issuer_unit_id = ? AND year = ?", issuer, year).
		Update("last", counter.Last+n).Error; err != nil {
		return 0, fmt.Errorf("register counter: %w", err)
	}
	return counter.Last + 1, nil
}

// NominationsWithoutDossier loads the nominations of ids (those that
// exist), without their dossiers, in one query per 500 IDs. A non-empty
// roundID keeps only that round's.
func NominationsWithoutDossier(db *gorm.DB, roundID string, ids []string) (map[string]Nomination, error) {
	out := make(map[string]Nomination, len(ids))
	for part := range slices.Chunk(ids, inChunk) {
		var rows []Nomination
		q := db.Omit("dossier").Where("id IN ?", part)
		if roundID != "" {
			q = q.Where("round_id = ?", roundID)
		}
		if err := q.Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load nominations: %w", err)
		}
		for _, n := range rows {
			out[n.ID] = n
		}
	}
	return out, nil
}

// LatestVotes returns each nominee's vote in the latest council session
// that voted on it (by meeting date, then by recording time): the latest
// session decides.
func LatestVotes(db *gorm.DB, ids []string) (map[string]CouncilVote, error) {
	out := make(map[string]CouncilVote, len(ids))
	for part := range slices.Chunk(ids, inChunk) {
		var rows []CouncilVote
		// Oldest first, so that a later session overwrites an earlier one.
		if err := db.Joins("JOIN council_sessions cs ON cs.id = council_votes.session_id").
			Where("council_votes.nomination_id IN ?", part).Order("cs.held_on, cs.created_at").Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("council votes: %w", err)
		}
		for _, v := range rows {
			out[v.NominationID] = v
		}
	}
	return out, nil
}

// CreateDecision stores a decision and its certificates in one
// transaction, numbering the certificates in order from the issuer's next
// register number of the decision's year. A taken decision number, or a
// nominee that already has a certificate, is gorm.ErrDuplicatedKey.
func CreateDecision(db *gorm.DB, d *Decision, certs []Certificate, audit ...AuditEvent) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(d).Error; err != nil {
			return err
		}
		for i := range audit {
			if err := tx.Create(&audit[i]).Error; err != nil {
				return err
			}
		}
		first, err := ReserveRegisterNumbers(tx, d.IssuerUnitID, d.Year, len(certs))
		if err != nil {
			return err
		}
		for i := range certs {
			certs[i].DecisionID, certs[i].IssuerUnitID, certs[i].Year = d.ID, d.IssuerUnitID, d.Year
			certs[i].RegisterNumber = first + i
		}
		return tx.CreateInBatches(&certs, inChunk).Error
	})
}

// DecisionCertificates lists a decision's certificates by register number;
// validOnly leaves out the revoked ones. Offset and limit (0: all) page
// through a large decision.
func DecisionCertificates(db *gorm.DB, decisionID string, validOnly bool, offset, limit int) ([]Certificate, error) {
	q := db.Where("decision_id = ?", decisionID)
	if validOnly {
		q = q.Where("status = ?", CertificateValid)
	}
	q = q.Order("register_number").Offset(offset)
	if limit > 0 {
		q = q.Limit(limit)
	}
	var certs []Certificate
	if err := q.Find(&certs).Error; err != nil {
		return nil, fmt.Errorf("certificates of decision %s: %w", decisionID, err)
	}
	return certs, nil
}

// DecisionAwards maps each nomination that decision decisionID awards to
// the award it was given, in one query however many awardees it has.
func DecisionAwards(db *gorm.DB, decisionID string) (map[string]string, error) {
	var rows []struct{ NominationID, Award string }
	if err := db.Table("certificates").Select("certificates.nomination_id, nominations.award").
		Joins("JOIN nominations ON nominations.id = certificates.nomination_id").
		Where("certificates.decision_id = ?", decisionID).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("awards of decision %s: %w", decisionID, err)
	}
	out := make(map[string]string, len(rows))
	for _, r := range rows {
		out[r.NominationID] = r.Award
	}
	return out, nil
}

// Statuses of a certificate.
const (
	CertificateValid   = "valid"
	CertificateRevoked = "revoked"
)

// RevokeCertificate marks a valid certificate revoked with its reason; it
// reports false when there is no valid certificate by that ID.
func RevokeCertificate(db *gorm.DB, id, reason string) (bool, error) {
	res := db.Model(&Certificate{}).Where("id = ? AND status = ?", id, CertificateValid).
		Updates(map[string]any{"status": CertificateRevoked, "revoked_reason": reason})
	if res.Error != nil {
		return false, fmt.Errorf("revoke certificate %s: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// RecordCertificateHash records the SHA-256 of a certificate's stored PDF
// unless one is recorded already; it reports whether this call recorded it.
func RecordCertificateHash(db *gorm.DB, id, hash string) (bool, error) {
	res := db.Model(&Certificate{}).Where("id = ? AND pdf_sha256 = ''", id).Update("pdf_sha256", hash)
	if res.Error != nil {
		return false, fmt.Errorf("record the hash of certificate %s: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// UnitAward is a certificate issued to a nomination of a unit, with its
// decision.
type UnitAward struct {
	Certificate
	NomineeName    string
	UnitID         string
	Award          string
	DecisionNumber string
	SignedOn       time.Time
}

// AwardsOfUnits lists the certificates issued to the nominations of the
// units, most recent decision first, within the caller's scope.
func AwardsOfUnits(ctx context.Context, db *gorm.DB, scope NominationScope, units []string) ([]UnitAward, error) {
	var out []UnitAward
	err := db.WithContext(ctx).Table("certificates").
		Select("certificates.*, nominations.nominee_name, nominations.unit_id, nominations.award, decisions.number AS decision_number, decisions.signed_on").
		Joins("JOIN nominations ON nominations.id = certificates.nomination_id").
		Joins("JOIN decisions ON decisions.id = certificates.decision_id").
		Scopes(scope.Apply).Where("nominations.unit_id IN ?", units).
		Order("decisions.signed_on DESC, certificates.issuer_unit_id, certificates.register_number").
		Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("awards of %v: %w", units, err)
	}
	return out, nil
}
