// Package activities holds the side effects of the workflows: projecting
// every transition into the SQL read model (the reviewer inbox and the
// audit trail), and later rendering and notifying. Each activity is
// idempotent: Temporal may run it more than once.
package activities

import (
	"context"
	"fmt"
	"log/slog"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// Activities carries the dependencies of the activities.
type Activities struct {
	DB  *gorm.DB
	Log *slog.Logger
}

// ProjectTransition writes one transition into the read model: the audit
// trail row keyed by (nomination, seq), and the nomination's current state
// if this transition is newer than the one projected last. Running it twice,
// or out of order, leaves the same result.
func (a *Activities) ProjectTransition(ctx context.Context, t workflows.Transition) error {
	err := a.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
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
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&step).Error; err != nil {
			return fmt.Errorf("audit row: %w", err)
		}
		set := map[string]any{
			"status":          t.ToStatus,
			"current_level":   t.Level,
			"current_unit_id": t.UnitID,
			"current_step":    t.Step,
			"dossier_version": t.DossierVersion,
			"seq":             t.Seq,
			"updated_at":      t.At,
		}
		switch {
		case t.Action == workflows.ActionSubmit:
			set["submitted_at"] = t.At
		case t.ToStatus == workflows.StatusAccepted, t.ToStatus == workflows.StatusRejected, t.ToStatus == workflows.StatusWithdrawn:
			set["finished_at"] = t.At
		}
		res := tx.Model(&models.Nomination{}).Where("id = ? AND seq < ?", t.NominationID, t.Seq).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("nomination state: %w", res.Error)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("project %s #%d (%s): %w", t.NominationID, t.Seq, t.Action, err)
	}
	return nil
}
