package service

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models/seed"
)

// TestIndicatorsExports reads the exports back: the workbook's cells
// and the PDF's text give the demo's 2025 figures — Phường Dĩ An's
// households 30 of 40, 75,0 % against 70 % met — and the city's
// per-commune sheet ranks the communes by rate, the unreported last.
func TestIndicatorsExports(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")

	d, err := s.IndicatorsXLSX(ctx, clerk, dian, "2025")
	if err != nil {
		t.Fatal(err)
	}
	if d.Name != "chi-tieu-hoc-tap-"+dian+"-2025.xlsx" || d.ContentType != contentXLSX {
		t.Errorf("document %s %s", d.Name, d.ContentType)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(d.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("Tổng hợp")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Gia đình được công nhận Gia đình học tập", "30", "40", "75,0", "70,0 (năm 2025)", "Đạt"}
	if len(rows) < 2 || !slices.Equal(rows[1], want) {
		t.Errorf("totals' first row %q, want %q", rows[1:2], want)
	}
	if !slices.Equal(rows[0], indicatorColumns) {
		t.Errorf("header %q", rows[0])
	}
	overview, _ := wb.GetRows("Tổng quan")
	if len(overview) < 3 || overview[0][0] != "Báo cáo chỉ tiêu xây dựng xã hội học tập" || !slices.Equal(overview[1], []string{"Đơn vị", "Phường Dĩ An"}) || !slices.Equal(overview[2], []string{"Năm", "2025"}) {
		t.Errorf("overview %q", overview)
	}
	// Counts are numbers, so that a spreadsheet sums them.
	if typ, _ := wb.GetCellType("Tổng hợp", "B2"); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
		t.Errorf("numerator written as text (%v)", typ)
	}

	city, err := s.IndicatorsXLSX(ctx, clerk, seed.CityID, "2025")
	if err != nil {
		t.Fatal(err)
	}
	wb, err = excelize.OpenReader(bytes.NewReader(city.Body))
	if err != nil {
		t.Fatal(err)
	}
	rows, err = wb.GetRows("Xã - Gia đình học tập")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 169 {
		t.Fatalf("%d rows in the per-commune sheet, want a header and 168 communes", len(rows))
	}
	if !slices.Equal(rows[1], []string{"Phường Dĩ An", "30", "40", "75,0", "Đạt"}) || !slices.Equal(rows[2], []string{"Xã Bàu Bàng", "18", "30", "60,0", "Chưa đạt"}) {
		t.Errorf("ranked rows %q", rows[1:3])
	}
	if last := rows[168]; last[3] != "—" || last[4] != "Chưa có số liệu" {
		t.Errorf("an unreported commune is not last: %q", last)
	}
	if i, _ := wb.GetSheetIndex("Xã - Huyện học tập"); i >= 0 {
		t.Error("a per-commune sheet of Huyện học tập, which no commune holds")
	}

	pdf, err := s.IndicatorsPDF(ctx, clerk, dian, "2025")
	if err != nil {
		t.Fatal(err)
	}
	text := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, pdf.Name, pdf.Body), 0))
	for _, w := range []string{"BÁO CÁO CHỈ TIÊU XÂY DỰNG XÃ HỘI HỌC TẬP", "Phường Dĩ An", "Gia đình được công nhận Gia đình học tập 30 40 75,0 70,0 (năm 2025) Đạt",
		"Cộng đồng khu, ấp đạt danh hiệu Cộng đồng học tập 6 8 75,0 65,0 (năm 2025) Đạt", "Xã - Gia đình học tập"} {
		if !strings.Contains(text, w) {
			t.Errorf("the PDF lacks %q:\n%s", w, text)
		}
	}
	if _, err := s.IndicatorsPDF(ctx, clerk, dian, "1999"); err == nil {
		t.Error("a year before the movement exported")
	}
}
