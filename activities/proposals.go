package activities

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// ProjectProposal writes one change of a proposal: its history line keyed
// by (proposal, seq), its state if newer than the one projected last and,
// when it is the decision, the recognitions it decides — in one
// transaction, once. It returns the term of the step the proposal waits
// at: the step's working days by the holiday calendar, or its days.
func (a *Activities) ProjectProposal(ctx context.Context, t workflows.ProposalTransition) (workflows.Deadline, error) {
	var dl workflows.Deadline
	if t.ToStatus == workflows.StatusInReview {
		switch {
		case t.Term.CalendarDays > 0:
			dl.DueAt = t.At.AddDate(0, 0, t.Term.CalendarDays)
		case t.Term.WorkingDays > 0:
			cal, err := a.reference().Calendar(ctx)
			if err != nil {
				return dl, err
			}
			dl.DueAt = cal.Due(t.At, t.Term.WorkingDays).UTC()
		}
	}
	err := a.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ev := models.LearningProposalEvent{ProposalID: t.ProposalID, Seq: t.Seq, Action: t.Action, Step: t.Step, UnitID: t.Actor.UnitID,
			ActorID: t.Actor.UserID, ActorName: t.Actor.Name, Comment: t.Comment, ToStatus: t.ToStatus, At: t.At}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ev)
		if res.Error != nil {
			return fmt.Errorf("history: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil // projected already
		}
		set := map[string]any{"status": t.ToStatus, "step": t.Step, "seq": t.Seq, "updated_at": t.At, "due_at": nil,
			"current_unit_id": ""}
		if t.ToStatus == workflows.StatusInReview {
			set["current_unit_id"] = t.Term.UnitID
			if !dl.DueAt.IsZero() {
				set["due_at"] = dl.DueAt
			}
		}
		if t.Decided {
			day, err := time.Parse(time.DateOnly, t.DecisionDate)
			if err != nil {
				return fmt.Errorf("decision date %q: %w", t.DecisionDate, err)
			}
			set["decision_number"], set["decision_date"] = t.DecisionNumber, day
			if err := recordDecided(tx, t, day); err != nil {
				return err
			}
		}
		return tx.Model(&models.LearningProposal{}).Where("id = ? AND seq < ?", t.ProposalID, t.Seq).Updates(set).Error
	})
	if err != nil {
		return dl, fmt.Errorf("project proposal %s #%d: %w", t.ProposalID, t.Seq, err)
	}
	return dl, nil
}

// recordDecided writes the proposal's recognitions with the decision's
// number, date and body. A holder given a decision on the same title and
// year since the proposal was made keeps it; that one is left out.
func recordDecided(tx *gorm.DB, t workflows.ProposalTransition, day time.Time) error {
	var p models.LearningProposal
	if err := tx.First(&p, "id = ?", t.ProposalID).Error; err != nil {
		return fmt.Errorf("proposal: %w", err)
	}
	var items []models.LearningRecognition
	if err := json.Unmarshal([]byte(p.Items), &items); err != nil {
		return fmt.Errorf("proposal items: %w", err)
	}
	var rows []models.LearningRecognition
	for i, r := range items {
		var n int64
		if err := tx.Model(&models.LearningRecognition{}).Where("holder_id = ? AND title = ? AND year = ?", r.HolderID, r.Title, r.Year).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		r.ID = fmt.Sprintf("%s-%d", p.ID, i+1)
		r.Status, r.DecisionNumber, r.DecisionDate, r.DecisionBodyID = learning.Recognised, t.DecisionNumber, &day, t.Term.UnitID
		r.CreatedAt, r.UpdatedAt = t.At, t.At
		rows = append(rows, r)
	}
	return models.InsertRecognitions(tx, rows)
}

// NotifyProposal writes to the reviewers of the unit a proposal waits at
// that its term has ended.
func (a *Activities) NotifyProposal(ctx context.Context, n workflows.ProposalNotice) error {
	db := a.DB.WithContext(ctx)
	var users []models.User
	if err := db.Where("unit_id = ? AND role IN ? AND email <> '' AND disabled_at IS NULL", n.UnitID,
		[]string{models.RoleReviewer, models.RoleInterior}).Order("username").Find(&users).Error; err != nil {
		return fmt.Errorf("proposal reminder recipients: %w", err)
	}
	prefix := fmt.Sprintf("learning-proposal:%s:%d:", n.ProposalID, n.Seq)
	subject := "[tdkt] Đề nghị công nhận danh hiệu học tập đã quá hạn xét"
	var body strings.Builder
	fmt.Fprintf(&body, "Đề nghị công nhận danh hiệu học tập %s chờ đơn vị xét đã quá hạn ngày %s.\n", n.ProposalID,
		n.DueAt.In(calendar.Zone).Format("02/01/2006"))
	if a.BaseURL != "" {
		fmt.Fprintf(&body, "\nĐăng nhập: %s/ui/\n", strings.TrimRight(a.BaseURL, "/"))
	}
	for _, u := range users {
		row := models.Outbox{Key: prefix + u.ID, Kind: "learning-proposal-reminder", Recipient: u.Email, Subject: subject,
			Body: body.String(), Status: models.OutboxPending}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return a.deliver(ctx, prefix)
}
