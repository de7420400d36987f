package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// Report kinds: the annual one, and the reviews' over their periods.
const (
	reportAnnual      = "annual"
	reportPreliminary = "preliminary" // sơ kết 2023–2025
	reportFinal       = "final"       // tổng kết 2023–2030
)

// reportPeriod is one report due in a year: its kind and the years it
// covers.
type reportPeriod struct {
	kind     string
	from, to int
}

// reportPeriods are the reports due in year: the annual one, and in 2025
// and 2030 the review of the movement's period so far.
func reportPeriods(year int) []reportPeriod {
	out := []reportPeriod{{reportAnnual, year, year}}
	switch year {
	case 2025:
		out = append(out, reportPeriod{reportPreliminary, 2023, 2025})
	case 2030:
		out = append(out, reportPeriod{reportFinal, 2023, 2030})
	}
	return out
}

// DraftLearningReports drafts, for every commune-level unit and every Sở
// GD&ĐT in force on 1 November of the year (or today, if later), the
// reports due that year, addressed to the level above: a commune's to the
// Sở GD&ĐT of its city, a Sở's to the city's committee. A report that
// exists is left as it is. It returns how many it drafted.
func (a *Activities) DraftLearningReports(ctx context.Context, y workflows.ReportsYear) (int, error) {
	db := a.DB.WithContext(ctx)
	day := time.Date(y.Year, time.November, 1, 0, 0, 0, 0, time.UTC)
	if now := time.Now().UTC(); now.After(day) && now.Year() == y.Year {
		day = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	}
	var units []models.Unit
	if err := db.Where("review_level IN ?", []string{string(routing.Commune), string(routing.Education)}).Order("id").Find(&units).Error; err != nil {
		return 0, fmt.Errorf("draft reports: units: %w", err)
	}
	parents, err := models.ParentsAt(ctx, a.DB, day)
	if err != nil {
		return 0, err
	}
	dir, err := a.reference().Directory(ctx, day)
	if err != nil {
		return 0, err
	}
	root := func(id string) string {
		for depth := 0; depth < 16 && parents[id] != ""; depth++ {
			id = parents[id]
		}
		return id
	}
	drafted := 0
	for _, u := range units {
		if !u.InForce(day) {
			continue
		}
		to := root(u.ID)
		if u.ReviewLevel == string(routing.Commune) {
			so, ok := dir.Reviewer(routing.Education, to)
			if !ok {
				continue
			}
			to = so.ID
		}
		for _, p := range reportPeriods(y.Year) {
			r := models.LearningReport{ID: fmt.Sprintf("lr-%s-%d-%s", p.kind, p.to, u.ID), Kind: p.kind, PeriodFrom: p.from, PeriodTo: p.to,
				UnitID: u.ID, ToUnitID: to, Status: models.ReportDraft, Sections: "{}", Figures: "[]", DueOn: workflows.ReportDue(p.to).UTC()}
			res := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
			if res.Error != nil {
				return drafted, fmt.Errorf("draft report %s: %w", r.ID, res.Error)
			}
			drafted += int(res.RowsAffected)
		}
	}
	return drafted, nil
}

// RemindLearningReports writes to the staff of each unit whose report of
// the year is still a draft, a week before it is due.
func (a *Activities) RemindLearningReports(ctx context.Context, y workflows.ReportsYear) error {
	db := a.DB.WithContext(ctx)
	var units []string
	if err := db.Model(&models.LearningReport{}).Where("period_to = ? AND status = ?", y.Year, models.ReportDraft).
		Distinct().Order("unit_id").Pluck("unit_id", &units).Error; err != nil {
		return fmt.Errorf("report reminder: %w", err)
	}
	if len(units) == 0 {
		return nil
	}
	var users []models.User
	if err := db.Where("unit_id IN ? AND email <> '' AND disabled_at IS NULL", units).Order("username").Find(&users).Error; err != nil {
		return fmt.Errorf("report reminder recipients: %w", err)
	}
	prefix := fmt.Sprintf("learning-report:%d:", y.Year)
	subject := fmt.Sprintf("[tdkt] Báo cáo kết quả phong trào xây dựng xã hội học tập năm %d: hạn 20/11/%d", y.Year, y.Year)
	var body strings.Builder
	fmt.Fprintf(&body, "Báo cáo năm %d của đơn vị về phong trào “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời” "+
		"chưa được gửi. Đề nghị hoàn thành các phần nội dung và gửi lên cấp trên trước 17 giờ ngày 20 tháng 11 năm %d.\n", y.Year, y.Year)
	if a.BaseURL != "" {
		fmt.Fprintf(&body, "\nĐăng nhập: %s/ui/\n", strings.TrimRight(a.BaseURL, "/"))
	}
	for _, u := range users {
		row := models.Outbox{Key: prefix + u.ID, Kind: "learning-report-reminder", Recipient: u.Email, Subject: subject,
			Body: body.String(), Status: models.OutboxPending}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return a.deliver(ctx, prefix)
}
