package routing

import "testing"

// TestCentralAwardsNameTheirIssuer: every award decided outside the city
// names the central body that issues it, and no other award does — the
// words that tell a user tdkt only records that body's decision come
// from this one column.
func TestCentralAwardsNameTheirIssuer(t *testing.T) {
	for _, a := range Awards {
		if a.External != (a.IssuedBy != "") {
			t.Errorf("%s: external %v, issued by %q", a.Code, a.External, a.IssuedBy)
		}
	}
	for code, want := range map[Award]string{BangKhenBo: "Bộ Giáo dục và Đào tạo", BangKhenThuTuong: "Thủ tướng Chính phủ"} {
		if a, err := LookupAward(code); err != nil || a.IssuedBy != want {
			t.Errorf("%s: issued by %q (%v), want %q", code, a.IssuedBy, err, want)
		}
	}
}
