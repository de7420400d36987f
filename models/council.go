package models

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
)

// AcceptedInRound lists a round's accepted nominations, without their
// dossiers, by award and name.
func AcceptedInRound(db *gorm.DB, roundID string) ([]Nomination, error) {
	var noms []Nomination
	if err := db.Omit("dossier").Where("round_id = ? AND status = ?", roundID, access.StatusAccepted).
		Order("award, search_name").Find(&noms).Error; err != nil {
		return nil, fmt.Errorf("accepted nominations of %s: %w", roundID, err)
	}
	return noms, nil
}

// ErrNoPosting: the nomination is not under posting (now).
var ErrNoPosting = errors.New("no posting")

// PostingOf is a nomination's public posting, or ErrNoPosting.
func PostingOf(db *gorm.DB, nominationID string) (Posting, error) {
	var p Posting
	if err := db.Where("nomination_id = ?", nominationID).Limit(1).Find(&p).Error; err != nil {
		return p, fmt.Errorf("posting of %s: %w", nominationID, err)
	}
	if p.NominationID == "" {
		return p, ErrNoPosting
	}
	return p, nil
}

// openPostings are the postings running at now of nominations still
// accepted.
func openPostings(db *gorm.DB, now time.Time) *gorm.DB {
	return db.Joins("JOIN nominations n ON n.id = postings.nomination_id AND n.status = ?", access.StatusAccepted).
		Where("postings.starts_at <= ? AND postings.ends_at > ?", now, now)
}

// OpenPostings lists the postings running at now, the soonest ending
// first.
func OpenPostings(db *gorm.DB, now time.Time) ([]Posting, error) {
	var ps []Posting
	if err := openPostings(db, now).Order("postings.ends_at").Find(&ps).Error; err != nil {
		return nil, fmt.Errorf("open postings: %w", err)
	}
	return ps, nil
}

// OpenPosting is a nomination's posting if it runs at now, or
// ErrNoPosting.
func OpenPosting(db *gorm.DB, nominationID string, now time.Time) (Posting, error) {
	var p Posting
	if err := openPostings(db, now).Where("postings.nomination_id = ?", nominationID).Limit(1).Find(&p).Error; err != nil {
		return p, fmt.Errorf("posting of %s: %w", nominationID, err)
	}
	if p.NominationID == "" {
		return p, ErrNoPosting
	}
	return p, nil
}

// OpenObjections counts each nomination's unresolved objections.
func OpenObjections(db *gorm.DB, ids []string) (map[string]int, error) {
	out := map[string]int{}
	for part := range slices.Chunk(ids, inChunk) {
		var rows []struct {
			NominationID string
			N            int
		}
		if err := db.Model(&Objection{}).Select("nomination_id, COUNT(*) AS n").
			Where("nomination_id IN ? AND resolved_at IS NULL", part).Group("nomination_id").Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("open objections: %w", err)
		}
		for _, r := range rows {
			out[r.NominationID] = r.N
		}
	}
	return out, nil
}

// ResolveObjection records how an open objection was resolved; it reports
// false when there is no open objection by that ID.
func ResolveObjection(db *gorm.DB, id, resolution, by string, at time.Time) (bool, error) {
	res := db.Model(&Objection{}).Where("id = ? AND resolved_at IS NULL", id).
		Updates(map[string]any{"resolution": resolution, "resolved_by": by, "resolved_at": at})
	if res.Error != nil {
		return false, fmt.Errorf("resolve objection %s: %w", id, res.Error)
	}
	return res.RowsAffected > 0, nil
}

// RoundProgress is what the consolidated list shows beside each of a
// round's province-level nominees: their postings, open objections and
// certificates, by nomination ID.
type RoundProgress struct {
	Postings     map[string]Posting
	Open         map[string]int
	Certificates map[string]Certificate // ID, nomination and decision only
}

// ProgressOf loads the postings, open objections and certificates of ids,
// three queries per 500 IDs.
func ProgressOf(db *gorm.DB, ids []string) (RoundProgress, error) {
	out := RoundProgress{Postings: map[string]Posting{}, Certificates: map[string]Certificate{}}
	var err error
	if out.Open, err = OpenObjections(db, ids); err != nil {
		return out, err
	}
	for part := range slices.Chunk(ids, inChunk) {
		var ps []Posting
		var cs []Certificate
		if err := errors.Join(db.Where("nomination_id IN ?", part).Find(&ps).Error,
			db.Select("id", "nomination_id", "decision_id").Where("nomination_id IN ?", part).Find(&cs).Error); err != nil {
			return out, fmt.Errorf("postings and certificates: %w", err)
		}
		for _, p := range ps {
			out.Postings[p.NominationID] = p
		}
		for _, c := range cs {
			out.Certificates[c.NominationID] = c
		}
	}
	return out, nil
}

// CreateCouncilSession stores a session with its votes in one
// transaction.
func CreateCouncilSession(db *gorm.DB, session *CouncilSession, votes []CouncilVote) error {
	return db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(session).Error; err != nil {
			return err
		}
		return tx.Create(&votes).Error
	})
}

// ObjectionsOf lists a nomination's objections, oldest first, with the
// names of those who resolved them.
func ObjectionsOf(db *gorm.DB, nominationID string) ([]Objection, map[string]string, error) {
	var objs []Objection
	if err := db.Where("nomination_id = ?", nominationID).Order("created_at, id").Find(&objs).Error; err != nil {
		return nil, nil, fmt.Errorf("objections of %s: %w", nominationID, err)
	}
	var ids []string
	for _, o := range objs {
		if o.ResolvedBy != "" {
			ids = append(ids, o.ResolvedBy)
		}
	}
	names := map[string]string{}
	if len(ids) > 0 {
		var users []User
		if err := db.Select("id", "full_name").Where("id IN ?", ids).Find(&users).Error; err != nil {
			return nil, nil, fmt.Errorf("resolvers of objections: %w", err)
		}
		for _, u := range users {
			names[u.ID] = u.FullName
		}
	}
	return objs, names, nil
}
