package certificates

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
)

// sampleReport is a report shaped as the API gathers it, with units
// enough to run the unit table over a page.
func sampleReport(units int) Report {
	statuses := []string{"Đang soạn", "Đang xét", "Trả lại để bổ sung", "Được chấp thuận", "Không chấp thuận", "Đã rút", "Tổng"}
	r := Report{
		Title: "BÁO CÁO ĐỢT XÉT KHEN THƯỞNG",
		Overview: []Field{
			{"Đợt", "Sơ kết 2023 – 2025 phong trào xây dựng xã hội học tập"},
			{"Giai đoạn", "2023 – 2025"},
			{"Thời hạn nhận hồ sơ", "17:00 ngày 20/11/2025"},
			{"Lập lúc", "09:30 ngày 01/12/2025"},
		},
		GeneratedAt: time.Date(2025, 12, 1, 9, 30, 0, 0, calendar.Zone),
		Tables: []Table{
			{Title: "Theo hình thức", Columns: append([]string{"Hình thức khen thưởng"}, statuses...), Rows: []Row{
				{Label: "Giấy khen của Chủ tịch UBND xã", Counts: []int64{1, 0, 0, 4, 0, 0, 5}},
				{Label: "Bằng khen của Chủ tịch UBND tỉnh", Counts: []int64{0, 2, 1, 1234, 1, 0, 1238}},
				{Label: "Tổng cộng", Counts: []int64{1, 2, 1, 1238, 1, 0, 1243}, Total: true},
			}},
			{Title: "Theo cấp xét", Columns: append([]string{"Cấp đang xét"}, statuses...), Rows: []Row{
				{Label: "Cấp xã", Counts: []int64{0, 2, 0, 0, 0, 0, 2}},
				{Label: "Sở Nội vụ", Counts: []int64{0, 0, 1, 0, 0, 0, 1}},
				{Label: "(đã kết thúc hoặc chưa gửi)", Counts: []int64{1, 0, 0, 1238, 1, 0, 1240}},
				{Label: "Tổng cộng", Counts: []int64{1, 2, 1, 1238, 1, 0, 1243}, Total: true},
			}},
			{Title: "Theo trạng thái", Columns: []string{"Trạng thái", "Số hồ sơ"}, Rows: []Row{
				{Label: "Đang soạn", Counts: []int64{1}},
				{Label: "Được chấp thuận", Counts: []int64{1238}},
				{Label: "Tổng cộng", Counts: []int64{1243}, Total: true},
			}},
			{Title: "Theo đơn vị", Columns: append([]string{"Đơn vị đề nghị"}, statuses...)},
		},
	}
	for i := range units {
		r.Tables[3].Rows = append(r.Tables[3].Rows, Row{Label: fmt.Sprintf("Trường Trung học phổ thông chuyên Hùng Vương số %d", i+1),
			Counts: []int64{0, 1, 0, 2, 0, 0, 3}})
	}
	r.Tables[3].Rows = append(r.Tables[3].Rows, Row{Label: "Tổng cộng", Counts: []int64{0, int64(units), 0, int64(2 * units), 0, 0, int64(3 * units)}, Total: true})
	return r
}

// TestRenderReport reads the report back: the Vietnamese headings and the
// counts exactly (NFC), A4 portrait, the embedded fonts, the unit table
// running over pages with its header on each, the same bytes twice.
func TestRenderReport(t *testing.T) {
	r := sampleReport(60)
	var b bytes.Buffer
	if err := RenderReport(&b, DefaultFonts(), r); err != nil {
		t.Fatal(err)
	}
	path := pdftest.Write(t, "bao-cao.pdf", b.Bytes())
	info := pdftest.ReadInfo(t, path)
	if math.Abs(info.Width-595.28) > 0.5 || math.Abs(info.Height-841.89) > 0.5 || info.Pages < 3 {
		t.Fatalf("pdfinfo: %+v, want A4 portrait over several pages", info)
	}
	if !strings.HasPrefix(info.Creation, "2025-12-01T09:30:00") || info.Producer != Producer {
		t.Errorf("pdfinfo: %+v, want the time the report was made and producer %q", info, Producer)
	}
	for _, f := range pdftest.Fonts(t, path) {
		if !f.Embedded || !strings.Contains(f.Type, "TrueType") {
			t.Errorf("font %s (%s): embedded %v, want an embedded TrueType font", f.Name, f.Type, f.Embedded)
		}
	}
	raw := pdftest.Text(t, path, 0)
	if !norm.NFC.IsNormalString(raw) {
		t.Error("the report's text is not NFC")
	}
	text := pdftest.Flat(raw)
	header := "Đang soạn Đang xét Trả lại để bổ sung Được chấp thuận Không chấp thuận Đã rút Tổng"
	for _, want := range []string{
		"BÁO CÁO ĐỢT XÉT KHEN THƯỞNG",
		"Đợt Sơ kết 2023 – 2025 phong trào xây dựng xã hội học tập",
		"Giai đoạn 2023 – 2025",
		"Thời hạn nhận hồ sơ 17:00 ngày 20/11/2025",
		"Lập lúc 09:30 ngày 01/12/2025",
		"1. Theo hình thức Hình thức khen thưởng " + header,
		"Bằng khen của Chủ tịch UBND tỉnh 0 2 1 1.234 1 0 1.238",
		"Tổng cộng 1 2 1 1.238 1 0 1.243",
		"2. Theo cấp xét Cấp đang xét " + header,
		"(đã kết thúc hoặc chưa gửi) 1 0 0 1.238 1 0 1.240",
		"3. Theo trạng thái Trạng thái Số hồ sơ Đang soạn 1 Được chấp thuận 1.238 Tổng cộng 1.243",
		"4. Theo đơn vị Đơn vị đề nghị " + header,
		"Trường Trung học phổ thông chuyên Hùng Vương số 60 0 1 0 2 0 0 3",
		"Tổng cộng 0 60 0 120 0 0 180",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("report text lacks %q", want)
		}
	}
	// The unit table's header opens every page it runs over.
	last := pdftest.Flat(pdftest.Text(t, path, info.Pages))
	if !strings.HasPrefix(last, "Đơn vị đề nghị "+header) {
		t.Errorf("last page does not open with the unit table's header: %.200s", last)
	}
	saveArtifact(t, path, "report")

	var again bytes.Buffer
	if err := RenderReport(&again, DefaultFonts(), r); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Fatalf("the same report rendered twice differs (%v)", err)
	}
	bad := sampleReport(1)
	bad.Tables[0].Rows[0].Counts = bad.Tables[0].Rows[0].Counts[:3]
	if err := RenderReport(&again, DefaultFonts(), bad); err == nil {
		t.Error("a row with fewer counts than columns rendered")
	}
	if err := RenderReport(&again, DefaultFonts(), Report{Title: "X"}); err == nil {
		t.Error("a report without its time rendered")
	}
}

func TestGroupDigits(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1.000", 1234567: "1.234.567", -4500: "-4.500"} {
		if got := groupDigits(n); got != want {
			t.Errorf("groupDigits(%d) = %q, want %q", n, got, want)
		}
	}
}
