package seed

import (
	"fmt"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// lawInForce is the day Luật Thi đua, khen thưởng số 06/2022/QH15 took
// effect: the seeded authorities hold their awards from then.
var lawInForce = date("2024-01-01")

// authorityFacts are what the routing table does not say of each award:
// the council that reviews it and where the authority comes from. The
// days are the routing table's (its ValidTo), from lawInForce.
var authorityFacts = map[routing.Award]struct{ council, source string }{
	routing.GiayKhenXa: {"Hội đồng Thi đua – Khen thưởng xã, phường, đặc khu",
		"Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 80 khoản 3: Chủ tịch Ủy ban nhân dân cấp xã quyết định tặng giấy " +
			"khen (Công báo số 571+572 ngày 15/7/2022, tr. 57; hiệu lực từ 01/01/2024). Từ 01/7/2025 Chủ tịch UBND xã, " +
			"phường, đặc khu cũng tặng Giấy khen trước đây của Chủ tịch UBND huyện (chính quyền địa phương hai cấp, Luật Tổ " +
			"chức chính quyền địa phương số 72/2025/QH15; Nghị định 152/2025/NĐ-CP về phân cấp) — CHƯA XÁC MINH điều khoản " +
			"chuyển giao. Hội đồng: Điều 90 của Luật (Công báo tr. 63); tên gọi chưa đối chiếu quy chế của từng xã."},
	routing.GiayKhenHuyen: {"Hội đồng Thi đua – Khen thưởng huyện, thị xã, thành phố thuộc tỉnh",
		"Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 80 khoản 2: Chủ tịch Ủy ban nhân dân cấp huyện quyết định tặng " +
			"giấy khen (Công báo số 571+572 ngày 15/7/2022, tr. 57). Hết thẩm quyền ngày 30/6/2025: cấp huyện kết thúc hoạt " +
			"động từ 01/7/2025 (Luật Tổ chức chính quyền địa phương số 72/2025/QH15) — ngày cuối như issue 15 ghi, CHƯA XÁC " +
			"MINH điều khoản chuyển tiếp."},
	routing.GiayKhenSo: {"Hội đồng Thi đua – Khen thưởng Sở Giáo dục và Đào tạo",
		"Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 80 khoản 1: Thủ trưởng cơ quan chuyên môn thuộc Ủy ban nhân dân " +
			"cấp tỉnh quyết định tặng giấy khen (Công báo số 571+572 ngày 15/7/2022, tr. 57). Sở GD&ĐT tỉnh Bình Dương đến " +
			"30/6/2025, Sở GD&ĐT Thành phố Hồ Chí Minh từ 01/7/2025: cùng thẩm quyền, một dòng."},
	routing.BangKhenTinh: {"Hội đồng Thi đua – Khen thưởng thành phố",
		"Luật Thi đua, khen thưởng số 06/2022/QH15: thẩm quyền của Chủ tịch Ủy ban nhân dân cấp tỉnh tặng bằng khen — " +
			"CHƯA XÁC MINH số điều (Điều 79 theo thứ tự của Chương IV; nguồn tìm được chỉ xác nhận Điều 78 và Điều 80). " +
			"Chủ tịch UBND tỉnh Bình Dương đến 30/6/2025, Chủ tịch UBND Thành phố Hồ Chí Minh từ 01/7/2025 (Nghị quyết " +
			"202/2025/QH15): một dòng như issue 15 ghi; tên cũ “Bằng khen của Chủ tịch UBND tỉnh” vẫn được nhận khi nhập từ Excel."},
	routing.BangKhenBo: {"Hội đồng Thi đua – Khen thưởng thành phố (xét, đề nghị); Hội đồng Thi đua – Khen thưởng Bộ Giáo dục và Đào tạo",
		"Luật Thi đua, khen thưởng số 06/2022/QH15: thẩm quyền của Bộ trưởng tặng bằng khen — CHƯA XÁC MINH số điều " +
			"(Điều 79 theo thứ tự của Chương IV). Quyết định của Bộ trưởng Bộ Giáo dục và Đào tạo; Sở Nội vụ ghi nhận số và " +
			"ngày của quyết định, không lập văn bản."},
	routing.BangKhenThuTuong: {"Hội đồng Thi đua – Khen thưởng thành phố (xét, đề nghị); Hội đồng Thi đua – Khen thưởng Trung ương",
		"Luật Thi đua, khen thưởng số 06/2022/QH15, Điều 78 khoản 2: Thủ tướng Chính phủ quyết định tặng “Bằng khen của " +
			"Thủ tướng Chính phủ” (theo trích dẫn của một trang hỏi đáp pháp luật, CHƯA ĐỐI CHIẾU Công báo); Hội đồng " +
			"Thi đua – Khen thưởng Trung ương: Điều 90 (Công báo số 571+572/2022, tr. 63). Quyết định của Thủ tướng; Sở Nội vụ ghi nhận số và ngày của quyết định sau 10 ngày làm " +
			"việc niêm yết công khai."},
}

// Authorities are who may award what, one row per award of the routing
// table (routing.Awards): its name, deciding title, form and levels as the
// table has them, from the day the 2022 law took effect to the table's
// ValidTo, with the council that reviews it and its source. A fact the
// sources at hand did not confirm is said so in the row's Source, for an
// administrator to check and correct through the API or the web UI. They
// are seeded into an empty table only: once there, the rows are the
// administrators'. Before 1 January 2024 (Luật Thi đua, khen thưởng 2003)
// there is no row: a decision signed then is refused until one is added.
func Authorities() []models.Authority {
	out := make([]models.Authority, 0, len(routing.Awards))
	for i, a := range routing.Awards {
		facts := authorityFacts[a.Code]
		row := models.Authority{Award: string(a.Code), Name: a.Name, DecidedBy: a.DecidedBy, Form: a.Form,
			LastLevel: string(a.LastLevel), Issuer: string(a.Issuer), External: a.External, ValidFrom: lawInForce,
			Council: facts.council, Source: facts.source, Position: (i + 1) * 10}
		if a.ValidTo != "" {
			to := date(a.ValidTo)
			row.ValidTo = &to
		}
		out = append(out, row)
	}
	return out
}

// seedAuthorities fills the award_authorities table when it is empty.
func seedAuthorities(tx *gorm.DB) error {
	var n int64
	if err := tx.Model(&models.Authority{}).Count(&n).Error; err != nil {
		return fmt.Errorf("seed: count award authorities: %w", err)
	}
	if n > 0 {
		return nil
	}
	rows := Authorities()
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("seed award authorities: %w", err)
	}
	return nil
}
