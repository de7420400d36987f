package certificates

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
)

func TestRenderDecision(t *testing.T) {
	d := Decision{
		Authority: "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG", Number: "123/QĐ-UBND", Place: "Bình Dương",
		Date:        time.Date(2025, 8, 15, 9, 0, 0, 0, calendar.Zone),
		Subject:     "Về việc tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
		Basis:       []string{"Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"},
		Proposal:    "Xét đề nghị của Giám đốc Sở Nội vụ.",
		Award:       "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
		Achievement: "đã có thành tích xuất sắc trong Phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời” giai đoạn 2023 – 2025",
		SignerTitle: "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà",
	}
	for i := 0; i < 45; i++ {
		d.Awardees = append(d.Awardees, Awardee{Name: fmt.Sprintf("Bà Nguyễn Thị Hồng số %d", i+1),
			Unit: "Trường THPT chuyên Hùng Vương, phường Phú Lợi, thành phố Thủ Dầu Một", Register: fmt.Sprint(100 + i)})
	}
	d.Awardees[3].Name = "Ông <script>alert(1)</script> (thử)"
	var b bytes.Buffer
	if err := RenderDecision(&b, DefaultFonts(), d); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "quyet-dinh.pdf")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	info := pdftest.ReadInfo(t, path)
	if info.Pages < 3 || info.Width != 595.28 && int(info.Width) != 595 {
		t.Fatalf("pdfinfo: %+v, want A4 portrait with the annex over several pages", info)
	}
	text := pdftest.Flat(pdftest.Text(t, path, 0))
	for _, want := range []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 123/QĐ-UBND", "Bình Dương, ngày 15 tháng 8 năm 2025",
		"QUYẾT ĐỊNH", "Điều 1.", "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh cho 45 cá nhân, tập thể", "Nguyễn Lộc Hà",
		"DANH SÁCH", "(Kèm theo Quyết định số 123/QĐ-UBND ngày 15/08/2025)", "Bà Nguyễn Thị Hồng số 45", "144",
		"Ông <script>alert(1)</script> (thử)"} {
		if !strings.Contains(text, want) {
			t.Errorf("decision text lacks %q", want)
		}
	}
	saveArtifact(t, path, "decision")
	var again bytes.Buffer
	if err := RenderDecision(&again, DefaultFonts(), d); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Fatal("the same decision rendered twice differs")
	}
	if err := RenderDecision(&again, DefaultFonts(), Decision{Number: "1/QĐ-UBND"}); err == nil {
		t.Fatal("a decision without date or awardees rendered")
	}
}
