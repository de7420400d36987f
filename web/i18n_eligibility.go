package web

// The texts of eligibility from the register of learning titles (issue
// 16, point 6), kept apart from i18n.go's catalogue so that the pages
// which add them stay small changes.
func init() {
	for k, m := range map[string]msg{
		"register_flag": {"Sổ ghi nhận danh hiệu học tập chưa có danh hiệu mà hồ sơ khai (xem “Kết quả kiểm tra điều kiện”). Chỉ chấp thuận khi đã đối chiếu, và ghi ý kiến.",
			"The register of learning titles lacks a title the dossier claims (see “Eligibility checks”). Approve only after checking it, with a comment."},
		"learning_indicators":      {"Chỉ tiêu xây dựng xã hội học tập của đơn vị", "The unit's learning-society indicators"},
		"learning_indicators_note": {"Số liệu năm %d của %s, từ sổ ghi nhận danh hiệu học tập, đến ngày %s.", "Figures of %d for %s, from the register of learning titles, as of %s."},
		"learning_partial":         {"Gồm cả đơn vị chỉ nhập một phần vào đơn vị này: số liệu là ước tính.", "Includes units that went only in part into this one: the figures are estimates."},
		"indicator":                {"Chỉ tiêu", "Indicator"},
		"indicator_value":          {"Đạt được", "Value"},
		"indicator_target":         {"Mục tiêu", "Target"},
		"indicator_met":            {"Đánh giá", "Assessment"},
		"met_yes":                  {"Đạt", "Met"},
		"met_no":                   {"Chưa đạt", "Not met"},
		"met_unknown":              {"Chưa đủ số liệu", "Not enough data"},
	} {
		catalogue[k] = m
	}
}
