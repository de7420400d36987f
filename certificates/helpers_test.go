package certificates

import (
	"bytes"
	"errors"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/routing"
)

// The tests read the PDFs back with the tools a person would use: poppler
// for text, fonts, page size and rasterizing (package pdftest), zbar for
// the QR code. A missing tool fails the test rather than skipping it.

// render renders certs into a file in a temporary directory.
func render(t testing.TB, certs ...Data) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, DefaultFonts(), certs...); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return pdftest.Write(t, "certificates.pdf", buf.Bytes()), buf.Bytes()
}

// rasterize renders one page at dpi and returns the PNG's path.
func rasterize(t testing.TB, path string, page, dpi int) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	pdftest.Run(t, "poppler-utils", "pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-singlefile",
		"-f", strconv.Itoa(page), "-l", strconv.Itoa(page), path, prefix)
	return prefix + ".png"
}

// pngCrop rasterizes the part b (in millimetres) of one page at dpi.
func pngCrop(t testing.TB, path string, page, dpi int, b box) string {
	t.Helper()
	px := func(mm float64) string { return strconv.Itoa(int(mm / 25.4 * float64(dpi))) }
	prefix := filepath.Join(t.TempDir(), "crop")
	pdftest.Run(t, "poppler-utils", "pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-singlefile",
		"-f", strconv.Itoa(page), "-l", strconv.Itoa(page),
		"-x", px(b.x), "-y", px(b.y), "-W", px(b.w), "-H", px(b.h), path, prefix)
	return prefix + ".png"
}

// qrCodes decodes the QR codes in an image; none found is not an error.
func qrCodes(t testing.TB, pngPath string) []string {
	t.Helper()
	cmd := exec.Command(pdftest.Tool(t, "zbarimg", "zbar-tools"), "--raw", "-q", "-Sdisable", "-Sqrcode.enable", pngPath)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 4 { // no symbol found
		return nil
	}
	if err != nil {
		t.Fatalf("zbarimg: %v\n%s", err, errb.String())
	}
	return strings.Fields(out.String())
}

type word struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

var (
	bboxPage = regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	bboxWord = regexp.MustCompile(`<word xMin="([0-9.-]+)" yMin="([0-9.-]+)" xMax="([0-9.-]+)" yMax="([0-9.-]+)">([^<]*)</word>`)
)

// pdfWords returns the words of page 1 with their boxes in points from the
// top left (pdftotext -bbox), and the page size.
func pdfWords(t testing.TB, path string) (words []word, w, h float64) {
	t.Helper()
	out := pdftest.Run(t, "poppler-utils", "pdftotext", "-bbox", "-enc", "UTF-8", "-f", "1", "-l", "1", path, "-")
	m := bboxPage.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdftotext -bbox: no page element")
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[2], 64)
	for _, m := range bboxWord.FindAllStringSubmatch(out, -1) {
		var wd word
		wd.xMin, _ = strconv.ParseFloat(m[1], 64)
		wd.yMin, _ = strconv.ParseFloat(m[2], 64)
		wd.xMax, _ = strconv.ParseFloat(m[3], 64)
		wd.yMax, _ = strconv.ParseFloat(m[4], 64)
		wd.text = html.UnescapeString(m[5])
		words = append(words, wd)
	}
	return words, w, h
}

// checkInsideFrame fails for any word whose box leaves the inner line of
// the border, which lies frameInner from the edge on A4 and proportionally
// further on a larger paper.
func checkInsideFrame(t testing.TB, path string) []word {
	t.Helper()
	words, w, h := pdfWords(t, path)
	if len(words) == 0 {
		t.Fatal("pdftotext -bbox found no words")
	}
	k := min(w*ptMM/pageW, h*ptMM/pageH)
	in := frameInner * k / ptMM // points
	for _, wd := range words {
		if wd.xMin < in || wd.yMin < in || wd.xMax > w-in || wd.yMax > h-in {
			t.Errorf("word %q box (%.1f,%.1f)-(%.1f,%.1f) leaves the frame (%.1f,%.1f)-(%.1f,%.1f)",
				wd.text, wd.xMin, wd.yMin, wd.xMax, wd.yMax, in, in, w-in, h-in)
		}
	}
	return words
}

// checkNoOverlap fails when two words' boxes overlap: blocks that collide
// or lines set too tight. The boxes span the font's ascent and descent, a
// stricter test than the visible ink.
func checkNoOverlap(t testing.TB, words []word) {
	t.Helper()
	const tol = 0.3 // points: neighbours in a line may touch
	for i, a := range words {
		for _, b := range words[i+1:] {
			if a.xMin+tol < b.xMax && b.xMin+tol < a.xMax && a.yMin+tol < b.yMax && b.yMin+tol < a.yMax {
				t.Errorf("words %q (%.1f,%.1f)-(%.1f,%.1f) and %q (%.1f,%.1f)-(%.1f,%.1f) overlap",
					a.text, a.xMin, a.yMin, a.xMax, a.yMax, b.text, b.xMin, b.yMin, b.xMax, b.yMax)
			}
		}
	}
}

// artifactDir is where the PNGs of the templates are kept for people to
// look at: $TDKT_ARTIFACTS/certificates, or a temporary directory.
func artifactDir(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("TDKT_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, "certificates")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// saveArtifact keeps a 100 dpi PNG of page 1 of path under name.
func saveArtifact(t testing.TB, path, name string) {
	t.Helper()
	src := rasterize(t, path, 1, 100)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(artifactDir(t), name+".png")
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("artifact: %s", dst)
}

var (
	decisionDay = time.Date(2025, time.August, 15, 0, 0, 0, 0, calendar.Zone)
	achievement = "Đã có thành tích xuất sắc trong Phong trào thi đua “Cả nước thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời” giai đoạn 2023–2025"
)

// sample is a realistic certificate of each award, issued; the people are
// invented.
func sample(award routing.Award) Data {
	c := Data{
		Award:          award,
		Achievement:    achievement,
		DecisionDate:   decisionDay,
		RegisterNumber: "2025-00456",
		VerifyURL:      "https://tdkt.example.gov.vn/verify/7K3QX9M2T4V8B6N1C5D0F2G7H3",
	}
	switch award {
	case routing.BangKhenThuTuong:
		c.Issuer = "THỦ TƯỚNG CHÍNH PHỦ"
		c.Recipient = "Hội Khuyến học tỉnh Bình Dương"
		c.DecisionNumber = "1520/QĐ-TTg"
		c.Place = "Hà Nội"
		c.SignerTitle = "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG"
		c.SignerName = "Trần Văn Minh"
	case routing.BangKhenBo:
		c.Issuer = "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO"
		c.Recipient = "Ông Lê Quang Vinh"
		c.RecipientUnit = "Giáo viên Trường THPT chuyên Hùng Vương, tỉnh Bình Dương"
		c.DecisionNumber = "4321/QĐ-BGDĐT"
		c.Place = "Hà Nội"
		c.SignerTitle = "BỘ TRƯỞNG"
		c.SignerName = "Phạm Đức Thắng"
	case routing.BangKhenTinh:
		c.Issuer = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG"
		c.Recipient = "Bà Nguyễn Thị Hồng Nhung"
		c.RecipientUnit = "Phó Hiệu trưởng Trường THCS Phú Hòa, thành phố Thủ Dầu Một"
		c.DecisionNumber = "123/QĐ-UBND"
		c.Place = "Bình Dương"
		c.SignerTitle = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
		c.SignerName = "Võ Thành Công"
	case routing.GiayKhenSo:
		c.Issuer = "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH BÌNH DƯƠNG"
		c.Recipient = "Trường Tiểu học Phú Hòa 1"
		c.RecipientUnit = "Phường Phú Hòa, thành phố Thủ Dầu Một"
		c.DecisionNumber = "789/QĐ-SGDĐT"
		c.Place = "Bình Dương"
		c.SignerTitle = "GIÁM ĐỐC"
		c.SignerName = "Huỳnh Thị Thu Trang"
	case routing.GiayKhenHuyen:
		c.Issuer = "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ THỦ DẦU MỘT"
		c.Recipient = "Gia đình ông Phạm Văn Tư"
		c.RecipientUnit = "Khu phố 3, phường Phú Hòa, thành phố Thủ Dầu Một"
		c.DecisionNumber = "55/QĐ-UBND"
		c.Place = "Thủ Dầu Một"
		c.SignerTitle = "CHỦ TỊCH"
		c.SignerName = "Đặng Minh Hưng"
	case routing.GiayKhenXa:
		c.Issuer = "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ THANH TUYỀN"
		c.Recipient = "Dòng họ Nguyễn Văn"
		c.RecipientUnit = "Ấp 2, xã Thanh Tuyền, huyện Dầu Tiếng"
		c.DecisionNumber = "12/QĐ-UBND"
		c.Place = "Thanh Tuyền"
		c.SignerTitle = "CHỦ TỊCH"
		c.SignerName = "Lê Hoàng Phúc"
	}
	return c
}
