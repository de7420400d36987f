// Package doctor compares the SQL read model with the workflows, which are
// the source of truth, and repairs the read model on request: after a
// restore from backup, a bug, or a hand edit of the database.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// Drift is one nomination whose read model disagrees with its workflow.
type Drift struct {
	NominationID string
	Problem      string
	Repaired     bool
}

// Report summarises a check.
type Report struct {
	Checked  int
	Drifts   []Drift
	Repaired int
}

// Unrepaired counts the drifts still present.
func (r Report) Unrepaired() int { return len(r.Drifts) - r.Repaired }

// Print writes the report for an operator.
func (r Report) Print(w io.Writer) {
	fmt.Fprintf(w, "checked %d nominations: %d drifted, %d repaired\n", r.Checked, len(r.Drifts), r.Repaired)
	for _, d := range r.Drifts {
		state := "not repaired"
		if d.Repaired {
			state = "repaired"
		}
		fmt.Fprintf(w, "  %s: %s (%s)\n", d.NominationID, d.Problem, state)
	}
}

// Check walks every submitted nomination, reads its workflow's live state
// with the state query and compares status, step, level, unit, sequence
// and deadline. With repair set, it writes the workflow's state into the
// read model. A nomination claimed for submission whose workflow never
// started (the API died between the two) has its claim released.
func Check(ctx context.Context, db *gorm.DB, c client.Client, repair bool) (Report, error) {
	var rep Report
	var noms []models.Nomination
	err := db.WithContext(ctx).Omit("dossier").Where("route <> '' OR pending_version > dossier_version").
		Order("id").Find(&noms).Error
	if err != nil {
		return rep, fmt.Errorf("load nominations: %w", err)
	}
	for _, n := range noms {
		rep.Checked++
		st, err := liveState(ctx, c, n.WorkflowID)
		var notFound *serviceerror.NotFound
		switch {
		case err != nil && errors.As(err, &notFound):
			if n.Status != workflows.StatusDraft {
				rep.Drifts = append(rep.Drifts, Drift{NominationID: n.ID,
					Problem: fmt.Sprintf("read model says %s but there is no workflow", n.Status)})
				continue
			}
			d := Drift{NominationID: n.ID, Problem: "claimed for submission but its workflow never started"}
			if repair {
				if err := db.WithContext(ctx).Model(&models.Nomination{}).Where("id = ?", n.ID).
					Update("pending_version", gorm.Expr("dossier_version")).Error; err != nil {
					return rep, err
				}
				d.Repaired = true
				rep.Repaired++
			}
			rep.Drifts = append(rep.Drifts, d)
			continue
		case err != nil:
			return rep, fmt.Errorf("state of %s: %w", n.ID, err)
		}
		problem := compare(n, st)
		if problem == "" {
			// The audit trail must hold one row per transition.
			var steps int64
			if err := db.WithContext(ctx).Model(&models.ReviewStep{}).Where("nomination_id = ?", n.ID).Count(&steps).Error; err != nil {
				return rep, err
			}
			if int(steps) != st.Seq {
				rep.Drifts = append(rep.Drifts, Drift{NominationID: n.ID,
					Problem: fmt.Sprintf("audit trail has %d entries for %d transitions (not repairable here: see the workflow's history)", steps, st.Seq)})
			}
			continue
		}
		d := Drift{NominationID: n.ID, Problem: problem}
		if repair {
			set := map[string]any{"status": st.Status, "current_step": st.Step, "current_level": st.Level,
				"current_unit_id": st.UnitID, "seq": st.Seq, "dossier_version": st.DossierVersion, "due_at": st.DueAt}
			if st.Status == workflows.StatusDraft {
				set["status"] = n.Status
			}
			if err := db.WithContext(ctx).Model(&models.Nomination{}).Where("id = ?", n.ID).Updates(set).Error; err != nil {
				return rep, fmt.Errorf("repair %s: %w", n.ID, err)
			}
			d.Repaired = true
			rep.Repaired++
		}
		rep.Drifts = append(rep.Drifts, d)
	}
	return rep, nil
}

func liveState(ctx context.Context, c client.Client, workflowID string) (workflows.State, error) {
	qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := c.QueryWorkflow(qctx, workflowID, "", workflows.QueryState)
	if err != nil {
		return workflows.State{}, err
	}
	var st workflows.State
	err = v.Get(&st)
	return st, err
}

// compare describes how the read model differs from the workflow, "" when
// it agrees.
func compare(n models.Nomination, st workflows.State) string {
	if st.Status == workflows.StatusDraft {
		return "" // started but not yet submitted: the submission is in flight
	}
	switch {
	case n.Status != st.Status:
		return fmt.Sprintf("status %s, workflow %s", n.Status, st.Status)
	case n.Seq != st.Seq:
		return fmt.Sprintf("transition %d projected, workflow at %d", n.Seq, st.Seq)
	case n.CurrentStep != st.Step || n.CurrentLevel != st.Level || n.CurrentUnitID != st.UnitID:
		return fmt.Sprintf("at %s/%s (step %d), workflow at %s/%s (step %d)",
			n.CurrentLevel, n.CurrentUnitID, n.CurrentStep, st.Level, st.UnitID, st.Step)
	case n.DossierVersion != st.DossierVersion:
		return fmt.Sprintf("dossier version %d, workflow %d", n.DossierVersion, st.DossierVersion)
	case !sameTime(n.DueAt, st.DueAt):
		return fmt.Sprintf("due %v, workflow %v", n.DueAt, st.DueAt)
	}
	return ""
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Sub(*b).Abs() < time.Second
}
