package activities

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// ProjectRoundState records a round's state (scheduled, open, closed).
// The reference cache serves rounds, so a change of state bumps the
// reference version with it; running again changes nothing and bumps
// nothing.
func (a *Activities) ProjectRoundState(ctx context.Context, st workflows.RoundState) error {
	err := a.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&models.Round{}).Where("id = ? AND state <> ?", st.Schedule.RoundID, st.State).
			Update("state", st.State)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		return models.BumpReferenceVersion(tx)
	})
	if err != nil {
		return fmt.Errorf("round %s state %s: %w", st.Schedule.RoundID, st.State, err)
	}
	return nil
}

// RemindSilentUnits writes to the clerks of every nominating body that has
// submitted nothing in the round that it closes soon. Messages go through
// the outbox, keyed by round, closing time and user, so a retry or a
// replay sends each once.
func (a *Activities) RemindSilentUnits(ctx context.Context, s workflows.Schedule) error {
	db := a.DB.WithContext(ctx)
	var round models.Round
	if err := db.First(&round, "id = ?", s.RoundID).Error; err != nil {
		return fmt.Errorf("round %s: %w", s.RoundID, err)
	}
	var users []models.User
	err := db.Where("role = ? AND email <> ''", models.RoleNominator).
		Where("unit_id NOT IN (?)", db.Model(&models.Nomination{}).Select("unit_id").
			Where("round_id = ? AND route <> ''", s.RoundID)).
		Order("username").Find(&users).Error
	if err != nil {
		return fmt.Errorf("silent units of %s: %w", s.RoundID, err)
	}
	prefix := fmt.Sprintf("round:%s:%d:", s.RoundID, s.ClosesAt.Unix())
	closes := s.ClosesAt.In(calendar.Zone).Format("15:04 ngày 02/01/2006")
	subject := "[tdkt] Nhắc gửi hồ sơ đề nghị khen thưởng: " + round.Name
	var body strings.Builder
	fmt.Fprintf(&body, "Đợt xét “%s” sẽ hết hạn nhận hồ sơ lúc %s.\n", round.Name, closes)
	body.WriteString("Đơn vị của đồng chí chưa gửi hồ sơ đề nghị nào trong đợt này. ")
	body.WriteString("Nếu đơn vị có đề nghị khen thưởng, đề nghị gửi trước thời hạn trên.\n")
	if a.BaseURL != "" {
		fmt.Fprintf(&body, "\nLập hồ sơ: %s/nominations/new?round=%s\n", strings.TrimRight(a.BaseURL, "/"), round.ID)
	}
	for _, u := range users {
		row := models.Outbox{Key: prefix + u.ID, Kind: "round-reminder", Recipient: u.Email,
			Subject: subject, Body: body.String(), Status: models.OutboxPending}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return a.deliver(ctx, prefix)
}
