package web

// The texts of the units' reports on the movement.
func init() {
	for k, m := range map[string]msg{
		"nav_reports":             {"Báo cáo phong trào", "Movement reports"},
		"reports_title":           {"Báo cáo kết quả phong trào xây dựng xã hội học tập", "Reports on the learning-society movement"},
		"report_title":            {"Báo cáo phong trào", "Movement report"},
		"reports_year":            {"Năm", "Year"},
		"reports_show":            {"Xem", "Show"},
		"reports_sent":            {"Báo cáo của đơn vị", "Your unit's reports"},
		"reports_received":        {"Báo cáo gửi đến đơn vị", "Reports sent to your unit"},
		"reports_none":            {"Chưa có báo cáo nào.", "No reports."},
		"report_kind_annual":      {"Báo cáo năm", "Annual report"},
		"report_kind_preliminary": {"Báo cáo sơ kết 2023–2025", "Preliminary review 2023–2025"},
		"report_kind_final":       {"Báo cáo tổng kết 2023–2030", "Final review 2023–2030"},
		"report_status_draft":     {"Dự thảo", "Draft"},
		"report_status_submitted": {"Đã gửi", "Submitted"},
		"report_status_received":  {"Cấp trên đã tiếp nhận", "Received"},
		"report_unit":             {"Đơn vị báo cáo", "Reporting unit"},
		"report_to":               {"Gửi đến", "Sent to"},
		"report_due":              {"Hạn gửi", "Due"},
		"report_status":           {"Trạng thái", "Status"},
		"report_version":          {"Lần gửi", "Version"},
		"report_figures":          {"Số liệu từ sổ ghi nhận danh hiệu học tập", "Figures from the register of learning titles"},
		"report_figures_draft":    {"Số liệu hiện tại; được chốt khi gửi báo cáo.", "Figures as of now; frozen when the report is sent."},
		"report_sections":         {"Nội dung báo cáo", "The report's sections"},
		"report_save":             {"Lưu", "Save"},
		"report_submit":           {"Lưu và gửi cấp trên", "Save and send"},
		"report_receive":          {"Tiếp nhận báo cáo", "Receive the report"},
		"report_versions":         {"Các lần gửi", "Versions sent"},
		"report_sent_by":          {"Người gửi", "Sent by"},
		"report_final":            {"Báo cáo đã được cấp trên tiếp nhận và không sửa được nữa.", "The report was received and can no longer be changed."},
		"report_back":             {"Danh sách báo cáo", "All reports"},
		"flash_report_saved":      {"Đã lưu báo cáo.", "The report was saved."},
		"flash_report_submitted":  {"Đã gửi báo cáo lên cấp trên.", "The report was sent."},
		"flash_report_received":   {"Đã tiếp nhận báo cáo.", "The report was received."},
	} {
		catalogue[k] = m
	}
}
