// Package activities holds the side effects of the workflows: projecting
// every transition into the SQL read model (the reviewer inbox and the
// audit trail), rendering the issued certificates, and notifying. Each
// activity is idempotent: Temporal may run it more than once.
package activities

import (
	"context"
	"fmt"
	"log/slog"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/notify"
	"github.com/tdkt/tdkt/signing"
	"github.com/tdkt/tdkt/workflows"
)

// Activities carries the dependencies of the activities.
type Activities struct {
	DB   *gorm.DB
	Log  *slog.Logger
	Mail notify.Sender // delivers the outbox; nil keeps messages pending
	// BaseURL is the public URL of the web UI, for links in messages (and
	// in certificates, when their workflow names none).
	BaseURL string
	// DataDir holds the issued certificates' PDFs ("": "data"); the API
	// serves them from the same directory.
	DataDir string
	// Fonts typeset certificates; zero: the embedded Liberation Serif.
	Fonts certificates.Fonts
	// Signer, when set, signs each certificate as it is first stored.
	Signer *signing.Signer

	refOnce sync.Once
	ref     *models.Reference
}

// reference caches rounds and the holiday calendar between projections;
// a change made through any api process reaches it at the next use.
func (a *Activities) reference() *models.Reference {
	a.refOnce.Do(func() { a.ref = &models.Reference{DB: a.DB} })
	return a.ref
}

// ProjectTransition writes one transition into the read model: the audit
// trail row keyed by (nomination, seq), and the nomination's current state
// if this transition is newer than the one projected last. When the
// transition opens a step, it computes the step's deadline in working days
// and returns it to the workflow. Running it twice, or out of order, leaves
// the same result.
func (a *Activities) ProjectTransition(ctx context.Context, t workflows.Transition) (workflows.Deadline, error) {
	// The deadline reads cached reference data on its own connection:
	// before the write transaction, so the two never wait for each other.
	dl, err := a.deadline(ctx, t)
	if err != nil {
		return dl, fmt.Errorf("project %s #%d (%s): %w", t.NominationID, t.Seq, t.Action, err)
	}
	err = a.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		step := models.ReviewStep{
			NominationID:   t.NominationID,
			Seq:            t.Seq,
			Action:         t.Action,
			Level:          t.ActedLevel,
			UnitID:         t.Actor.UnitID,
			ActorID:        t.Actor.UserID,
			ActorName:      t.Actor.Name,
			Comment:        t.Comment,
			FromStatus:     t.FromStatus,
			ToStatus:       t.ToStatus,
			DossierVersion: t.DossierVersion,
			At:             t.At,
		}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&step)
		if res.Error != nil {
			return fmt.Errorf("audit row: %w", res.Error)
		}
		// A route planned again is stored with the transition that
		// records it, once.
		if t.Route != nil && res.RowsAffected == 1 {
			if err := models.SaveRoute(tx, t.NominationID, *t.Route); err != nil {
				return err
			}
		}
		set := map[string]any{
			"status":          t.ToStatus,
			"current_level":   t.Level,
			"current_unit_id": t.UnitID,
			"current_step":    t.Step,
			"dossier_version": t.DossierVersion,
			"seq":             t.Seq,
			"updated_at":      t.At,
			"due_at":          nil,
			"escalated_at":    nil,
		}
		if !dl.DueAt.IsZero() {
			set["due_at"] = dl.DueAt
		}
		switch {
		case t.Action == workflows.ActionSubmit:
			set["submitted_at"] = t.At
		case t.ToStatus == workflows.StatusAccepted, t.ToStatus == workflows.StatusRejected, t.ToStatus == workflows.StatusWithdrawn:
			set["finished_at"] = t.At
		}
		res = tx.Model(&models.Nomination{}).Where("id = ? AND seq < ?", t.NominationID, t.Seq).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("nomination state: %w", res.Error)
		}
		return nil
	})
	if err != nil {
		return dl, fmt.Errorf("project %s #%d (%s): %w", t.NominationID, t.Seq, t.Action, err)
	}
	return dl, nil
}

// deadline computes the term of the step a transition leaves the
// nomination waiting at: the round's working days for that level, counted
// with the holiday calendar from the transition's time; or the extended
// deadline the transition carries.
func (a *Activities) deadline(ctx context.Context, t workflows.Transition) (workflows.Deadline, error) {
	if t.ToStatus != workflows.StatusInReview {
		return workflows.Deadline{}, nil
	}
	var roundID string
	if err := a.DB.WithContext(ctx).Model(&models.Nomination{}).Where("id = ?", t.NominationID).Pluck("round_id", &roundID).Error; err != nil {
		return workflows.Deadline{}, fmt.Errorf("round of %s: %w", t.NominationID, err)
	}
	round, err := a.reference().Round(ctx, roundID)
	if err != nil {
		return workflows.Deadline{}, err
	}
	cal, err := a.reference().Calendar(ctx)
	if err != nil {
		return workflows.Deadline{}, err
	}
	due := cal.Due(t.At, round.DueDays(t.Level))
	if t.DueAt != nil {
		due = t.DueAt.UTC()
	}
	return workflows.Deadline{DueAt: due.UTC(), RemindAt: cal.Before(due, round.RemindWorkingDays).UTC()}, nil
}
