package activities

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/models"
)

// RemindAnnualReport asks the clerk of every nominating body to report the
// year's results in the movement before 20 November. One message per user
// and year, through the outbox.
func (a *Activities) RemindAnnualReport(ctx context.Context, year int) error {
	db := a.DB.WithContext(ctx)
	var users []models.User
	if err := db.Where("role = ? AND email <> ''", models.RoleNominator).Order("username").Find(&users).Error; err != nil {
		return fmt.Errorf("annual reminder recipients: %w", err)
	}
	prefix := fmt.Sprintf("annual:%d:", year)
	subject := fmt.Sprintf("[tdkt] Nhắc báo cáo kết quả phong trào xây dựng xã hội học tập năm %d", year)
	var body strings.Builder
	fmt.Fprintf(&body, "Đề nghị đơn vị báo cáo kết quả thực hiện phong trào “Cả nước thi đua xây dựng xã hội học tập, "+
		"đẩy mạnh học tập suốt đời” năm %d và gửi hồ sơ đề nghị khen thưởng (nếu có) về Sở Giáo dục và Đào tạo "+
		"trước ngày 20 tháng 11 năm %d.\n", year, year)
	if a.BaseURL != "" {
		fmt.Fprintf(&body, "\nĐăng nhập: %s/ui/\n", strings.TrimRight(a.BaseURL, "/"))
	}
	for _, u := range users {
		row := models.Outbox{Key: prefix + u.ID, Kind: "annual-reminder", Recipient: u.Email, Subject: subject,
			Body: body.String(), Status: models.OutboxPending}
		if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	return a.deliver(ctx, prefix)
}
