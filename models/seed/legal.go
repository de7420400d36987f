package seed

import (
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
)

// LegalBases are the texts the seeded decisions cite, each dated and with
// where its facts come from. A fact the sources at hand did not confirm
// is kept as issue 15 states it (or left out, for an issue date) and
// said so in the row's Source, for an administrator to check against the
// official gazette (Công báo) and correct through the API or the web UI.
// They are seeded into an empty table only: once there, the rows are the
// administrators', and a later start does not bring a corrected row back.
func LegalBases() []models.LegalBasis {
	day := func(s string) *time.Time { t := date(s); return &t }
	return []models.LegalBasis{
		{Code: "77/2015/QH13", Kind: "luật", Position: 10,
			Title: "Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số điều của " +
				"Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019",
			IssuedOn: day("2015-06-19"), ValidFrom: date("2016-01-01"), ValidTo: day("2025-06-15"),
			Source: "Văn bản hợp nhất 32/VBHN-VPQH năm 2023: Luật số 77/2015/QH13 ngày 19/6/2015, hiệu lực từ 01/01/2016, " +
				"sửa đổi bởi Luật số 47/2019/QH14 ngày 22/11/2019; lời căn cứ của Nghị định 98/2023/NĐ-CP. Ngày hết hiệu lực: " +
				"ngày trước khi Luật số 72/2025/QH15 có hiệu lực. CHƯA XÁC MINH: Luật Tổ chức chính quyền địa phương Quốc hội " +
				"thông qua ngày 19/02/2025 (thuvienphapluat.vn) có thể đã thay luật này từ 01/3/2025 — số hiệu và ngày hiệu " +
				"lực chưa đối chiếu; nếu đúng, thêm dòng đó và sửa ngày hết hiệu lực của dòng này."},
		{Code: "72/2025/QH15", Kind: "luật", Position: 10,
			Title:    "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025",
			IssuedOn: day("2025-06-16"), ValidFrom: date("2025-06-16"),
			Source: "Luật số 72/2025/QH15, Quốc hội khóa XV thông qua ngày 16/6/2025 tại Kỳ họp thứ 9 (thuviennhadat.vn; " +
				"yentruong.thanhhoa.gov.vn, nơi ghi hiệu lực thi hành từ ngày 16/6/2025). Issue 15 ghi từ 01/7/2025 (ngày bỏ " +
				"cấp huyện); ngày hiệu lực chỉ có một nguồn, cần đối chiếu Công báo."},
		{Code: "06/2022/QH15", Kind: "luật", Position: 20,
			Title:    "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",
			IssuedOn: day("2022-06-15"), ValidFrom: date("2024-01-01"),
			Source: "Luật số 06/2022/QH15 ngày 15/6/2022 (số hiệu: giaoduc.net.vn; ngày: lời căn cứ của Nghị định " +
				"98/2023/NĐ-CP). Hiệu lực từ 01/01/2024 như issue 15 ghi, chưa đối chiếu Công báo."},
		{Code: "98/2023/NĐ-CP", Kind: "nghị định", Position: 30,
			Title: "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành " +
				"một số điều của Luật Thi đua, khen thưởng",
			IssuedOn: day("2023-12-31"), ValidFrom: date("2024-01-01"), ValidTo: day("2025-06-30"),
			Source: "Ban hành 31/12/2023, hiệu lực 01/01/2024, Công báo số 147–148 ngày 24/01/2024 (vietjack.me, " +
				"hethongphapluat.com, thuvienphapluat.vn). Hết hiệu lực 30/6/2025 như issue 15 ghi (Nghị định " +
				"152/2025/NĐ-CP thay thế từ 01/7/2025), chưa đối chiếu điều khoản thi hành."},
		{Code: "152/2025/NĐ-CP", Kind: "nghị định", Position: 30,
			Title: "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về phân cấp, phân quyền " +
				"trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn thi hành một số điều của Luật Thi đua, khen thưởng",
			IssuedOn: day("2025-06-14"), ValidFrom: date("2025-07-01"),
			Source: "Ban hành 14/6/2025, trích yếu như trên (pbgdpl.cantho.gov.vn; baomoi). Hiệu lực từ 01/7/2025 như " +
				"issue 15 ghi, chưa đối chiếu Công báo."},
		{Code: "01/2024/TT-BNV", Kind: "thông tư", Position: 40,
			Title:     "Thông tư số 01/2024/TT-BNV của Bộ trưởng Bộ Nội vụ quy định biện pháp thi hành Luật Thi đua, khen thưởng",
			ValidFrom: date("2024-01-01"), ValidTo: day("2025-08-04"),
			Source: "Trích yếu theo bacninh.gov.vn. CHƯA XÁC MINH ngày ban hành và ngày hiệu lực (các nguồn tìm được " +
				"không nhất quán): ngày bắt đầu tạm để bằng ngày Luật có hiệu lực (01/01/2024); khi xác minh, điền ngày ban " +
				"hành vào tiêu đề và sửa ngày hiệu lực. Hết hiệu lực 04/8/2025 như issue 15 ghi."},
		{Code: "15/2025/TT-BNV", Kind: "thông tư", Position: 40,
			Title: "Thông tư số 15/2025/TT-BNV ngày 04 tháng 8 năm 2025 của Bộ trưởng Bộ Nội vụ quy định biện pháp để tổ chức, " +
				"hướng dẫn thi hành Luật Thi đua, khen thưởng và Nghị định số 152/2025/NĐ-CP",
			IssuedOn: day("2025-08-04"), ValidFrom: date("2025-08-05"),
			Source: "Ban hành 04/8/2025, người ký Phạm Thị Thanh Trà, trích yếu như trên (thuvienphapluat.vn, văn bản " +
				"668075). Hiệu lực từ 05/8/2025 như issue 15 ghi, chưa đối chiếu Công báo."},
		{Code: "29/2023/TT-BGDĐT", Kind: "thông tư", Position: 50, Sector: models.SectorEducation,
			Title: "Thông tư số 29/2023/TT-BGDĐT ngày 29 tháng 12 năm 2023 của Bộ trưởng Bộ Giáo dục và Đào tạo quy định chi tiết " +
				"thi hành một số điều của Luật Thi đua, khen thưởng đối với ngành Giáo dục",
			IssuedOn: day("2023-12-29"), ValidFrom: date("2024-02-15"), ValidTo: day("2026-04-01"),
			Source: "Ban hành 29/12/2023, hiệu lực 15/02/2024, người ký Ngô Thị Minh (hethongphapluat.vn; thuvienphapluat.vn). " +
				"Hết hiệu lực 01/4/2026 như issue 15 ghi (Thông tư 07/2026/TT-BGDĐT thay thế từ 02/4/2026)."},
		{Code: "07/2026/TT-BGDĐT", Kind: "thông tư", Position: 50, Sector: models.SectorEducation,
			Title:     "Thông tư số 07/2026/TT-BGDĐT của Bộ trưởng Bộ Giáo dục và Đào tạo về thi đua, khen thưởng ngành Giáo dục",
			ValidFrom: date("2026-04-02"),
			Source: "CHƯA XÁC MINH: ngày ban hành và trích yếu chưa tìm được nguồn; tiêu đề là mô tả tạm. Hiệu lực từ " +
				"02/4/2026 như issue 15 ghi. Khi có văn bản, sửa tiêu đề theo trích yếu và điền ngày ban hành."},
	}
}

// seedLegalBases fills the legal_bases table when it is empty.
func seedLegalBases(tx *gorm.DB) error {
	var n int64
	if err := tx.Model(&models.LegalBasis{}).Count(&n).Error; err != nil {
		return fmt.Errorf("seed: count legal bases: %w", err)
	}
	if n > 0 {
		return nil
	}
	rows := LegalBases()
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("seed legal bases: %w", err)
	}
	return nil
}
