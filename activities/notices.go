package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/notify"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// NotifyDeadline sends a step's reminder to the reviewers of its unit, or
// its escalation to the unit's head (and flags the nomination as
// escalated). Messages go through the outbox: each is written once, keyed
// by the notice, then delivered; a failed delivery fails the activity so
// Temporal retries it, and a retry sends only what is still pending.
func (a *Activities) NotifyDeadline(ctx context.Context, n workflows.Notice) error {
	db := a.DB.WithContext(ctx)
	var nom models.Nomination
	if err := db.First(&nom, "id = ?", n.NominationID).Error; err != nil {
		return fmt.Errorf("notice for %s: %w", n.NominationID, err)
	}
	q := db.Where("unit_id = ? AND email <> '' AND disabled_at IS NULL AND role IN ?", n.UnitID,
		[]string{models.RoleReviewer, models.RoleInterior})
	if n.Kind == workflows.NoticeEscalation {
		q = q.Where("head = ?", true)
		// Flag it in the inbox, unless the step moved on meanwhile.
		if err := db.Model(&models.Nomination{}).Where("id = ? AND seq = ?", n.NominationID, n.Seq).
			Update("escalated_at", time.Now().UTC()).Error; err != nil {
			return fmt.Errorf("flag escalation: %w", err)
		}
	}
	var users []models.User
	if err := q.Order("username").Find(&users).Error; err != nil {
		return fmt.Errorf("recipients: %w", err)
	}
	prefix := fmt.Sprintf("%s:%d:%s:", n.NominationID, n.Seq, n.Kind)
	subject, body := noticeText(n, nom, a.BaseURL)
	for _, u := range users {
		row := models.Outbox{Key: prefix + u.ID, NominationID: n.NominationID, Kind: n.Kind, Recipient: u.Email,
			Subject: subject, Body: body, Status: models.OutboxPending}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return a.deliver(ctx, prefix)
}

// DeliverPending retries every message still pending in the outbox (a
// notice whose activity gave up, or sent while no mail server was
// configured). The worker runs it periodically.
func (a *Activities) DeliverPending(ctx context.Context) error { return a.deliver(ctx, "") }

// deliver sends the pending outbox messages whose key starts with prefix.
func (a *Activities) deliver(ctx context.Context, prefix string) error {
	if a.Mail == nil {
		return nil
	}
	var pending []models.Outbox
	if err := a.DB.WithContext(ctx).Where("dedup_key LIKE ? AND status = ?", prefix+"%", models.OutboxPending).
		Order("id").Limit(500).Find(&pending).Error; err != nil {
		return fmt.Errorf("pending outbox: %w", err)
	}
	var errs []error
	for _, m := range pending {
		err := a.Mail.Send(ctx, notify.Message{To: m.Recipient, Subject: m.Subject, Body: m.Body})
		set := map[string]any{"attempts": gorm.Expr("attempts + 1")}
		if err != nil {
			set["last_error"] = err.Error()
			errs = append(errs, err)
		} else {
			set["status"], set["sent_at"], set["last_error"] = models.OutboxSent, time.Now().UTC(), ""
		}
		if uerr := a.DB.WithContext(ctx).Model(&models.Outbox{}).Where("id = ?", m.ID).Updates(set).Error; uerr != nil {
			errs = append(errs, uerr)
		}
	}
	return errors.Join(errs...)
}

// noticeText is the Vietnamese message of a notice.
func noticeText(n workflows.Notice, nom models.Nomination, baseURL string) (subject, body string) {
	award := nom.Award
	if info, err := routing.LookupAward(routing.Award(nom.Award)); err == nil {
		award = info.Name
	}
	due := n.DueAt.In(calendar.Zone).Add(-time.Nanosecond).Format("02/01/2006")
	var b strings.Builder
	switch n.Kind {
	case workflows.NoticeEscalation:
		subject = "[tdkt] Quá hạn xét hồ sơ: " + nom.NomineeName
		fmt.Fprintf(&b, "Hồ sơ đề nghị %s cho %s đã quá hạn xét ở %s (hạn cuối: ngày %s).\n",
			award, nom.NomineeName, routing.Level(n.Level).Label(), due)
		b.WriteString("Đề nghị đồng chí phụ trách chỉ đạo xử lý; hồ sơ không được tự động chấp thuận khi quá hạn.\n")
	default:
		subject = "[tdkt] Nhắc hạn xét hồ sơ: " + nom.NomineeName
		fmt.Fprintf(&b, "Hồ sơ đề nghị %s cho %s đang chờ %s xét, hạn cuối ngày %s.\n",
			award, nom.NomineeName, routing.Level(n.Level).Label(), due)
	}
	if baseURL != "" {
		fmt.Fprintf(&b, "\nXem hồ sơ: %s/nominations/%s\n", strings.TrimRight(baseURL, "/"), nom.ID)
	}
	return subject, b.String()
}
