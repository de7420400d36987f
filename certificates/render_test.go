package certificates

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/routing"
)

// Every award's template, as a draft and issued, read back: the text
// (exact Vietnamese, NFC), the embedded fonts, the page format (A4
// landscape for the draft, the 400×300 mm stock when issued), the QR code
// and that every word stays inside the frame.
func TestTemplates(t *testing.T) {
	for _, a := range routing.Awards {
		for _, draft := range []bool{false, true} {
			name := string(a.Code) + map[bool]string{false: "-issued", true: "-draft"}[draft]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				c := sample(a.Code)
				c.Draft = draft
				path, _ := render(t, c)
				text := pdftest.Text(t, path, 0)
				if !norm.NFC.IsNormalString(text) {
					t.Errorf("extracted text is not NFC")
				}
				form := "BẰNG KHEN"
				if a.Form == "Giấy khen" {
					form = "GIẤY KHEN"
				}
				if !strings.Contains(text, form) {
					t.Errorf("text lacks %q", form)
				}
				want := []string{
					"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
					c.Issuer, "TẶNG", c.Recipient, c.RecipientUnit, achievement,
					c.SignerName, "Số vào sổ:",
				}
				want = append(want, strings.Split(c.SignerTitle, "\n")...)
				if draft {
					want = append(want, "DỰ THẢO", c.Place+", ngày …… tháng …… năm ……")
				} else {
					want = append(want, c.RegisterNumber, c.DecisionNumber, "ngày 15/8/2025",
						c.Place+", ngày 15 tháng 8 năm 2025", "7K3QX9M2T4V8B6N1C5D0F2G7H3")
				}
				for _, s := range want {
					if !strings.Contains(pdftest.Flat(text), pdftest.Flat(s)) {
						t.Errorf("text lacks %q", s)
					}
				}
				if draft {
					for _, s := range []string{c.RegisterNumber, c.DecisionNumber, "15/8", "tháng 8", "7K3QX9M2"} {
						if strings.Contains(text, s) {
							t.Errorf("draft shows %q, which only an issued certificate may", s)
						}
					}
				} else if strings.Contains(text, "DỰ THẢO") {
					t.Errorf("issued certificate carries the draft watermark")
				}
				if form == "BẰNG KHEN" && strings.Contains(text, "GIẤY KHEN") || form == "GIẤY KHEN" && strings.Contains(text, "BẰNG KHEN") {
					t.Errorf("text shows both forms")
				}
				if t.Failed() {
					t.Logf("extracted text:\n%s", text)
				}

				checkFonts(t, path)
				info := pdftest.ReadInfo(t, path)
				paper := map[bool]Paper{false: Paper400x300, true: PaperA4}[draft]
				checkPaper(t, info, paper)
				if info.Pages != 1 {
					t.Errorf("pages = %d, want 1", info.Pages)
				}

				// The whole page at 150 dpi, and at 300 dpi the foot's left
				// quarter where the code is (a whole page at 300 dpi takes
				// zbar seconds).
				codes := qrCodes(t, rasterize(t, path, 1, 150))
				switch {
				case draft && len(codes) > 0:
					t.Errorf("draft carries a QR code: %q", codes)
				case !draft && (len(codes) != 1 || codes[0] != c.VerifyURL):
					t.Errorf("QR at 150 dpi decodes to %q, want [%q]", codes, c.VerifyURL)
				}
				if !draft {
					g := sheets[paper]
					codes := qrCodes(t, pngCrop(t, path, 1, 300, box{0, g.h / 2, g.w / 2, g.h / 2}))
					if len(codes) != 1 || codes[0] != c.VerifyURL {
						t.Errorf("QR at 300 dpi decodes to %q, want [%q]", codes, c.VerifyURL)
					}
				}

				words := checkInsideFrame(t, path)
				if !draft { // the watermark overlaps the text on purpose
					checkNoOverlap(t, words)
				}
				saveArtifact(t, path, name)
			})
		}
	}
}

func checkFonts(t *testing.T, path string) {
	t.Helper()
	fonts := pdftest.Fonts(t, path)
	if len(fonts) < 3 {
		t.Errorf("pdffonts lists %d fonts, want regular, bold and italic at least: %+v", len(fonts), fonts)
	}
	for _, f := range fonts {
		if !f.Embedded {
			t.Errorf("font %s (%s) is not embedded", f.Name, f.Type)
		}
		if !strings.Contains(f.Type, "TrueType") {
			t.Errorf("font %s is %s, want TrueType", f.Name, f.Type)
		}
	}
}

// pageSizes are the page sizes pdfinfo reports for each paper, in points.
var pageSizes = map[Paper][2]float64{PaperA4: {841.89, 595.28}, Paper400x300: {1133.86, 850.39}}

// checkPaper fails unless the (first) page is paper, landscape.
func checkPaper(t *testing.T, info pdftest.Info, paper Paper) {
	t.Helper()
	if want := pageSizes[paper]; math.Abs(info.Width-want[0]) > 0.005 || math.Abs(info.Height-want[1]) > 0.005 {
		t.Errorf("page is %g x %g pts, want %s landscape %g x %g", info.Width, info.Height, paper, want[0], want[1])
	}
}

// A decision's batch: one page per certificate, in order, of mixed kinds;
// drafts among them stay on A4.
func TestBatch(t *testing.T) {
	const n = 30
	var certs []Data
	for i := range n {
		c := sample(routing.Awards[i%len(routing.Awards)].Code)
		c.Recipient = fmt.Sprintf("Ông Nguyễn Văn Số %d", i+1)
		c.RegisterNumber = fmt.Sprintf("2025-%05d", i+1)
		c.VerifyURL = fmt.Sprintf("https://tdkt.example.gov.vn/verify/CODE%04d", i+1)
		c.Draft = i%7 == 3
		certs = append(certs, c)
	}
	path, _ := render(t, certs...)
	info := pdftest.ReadInfo(t, path)
	if info.Pages != n {
		t.Fatalf("pages = %d, want %d", info.Pages, n)
	}
	checkPaper(t, info, Paper400x300)
	// Every page, not only the first that pdfinfo describes by default.
	sizes := regexp.MustCompile(`(?m)^Page +\d+ size: +([0-9.]+) x ([0-9.]+) pts`).
		FindAllStringSubmatch(pdftest.Run(t, "poppler-utils", "pdfinfo", "-f", "1", "-l", strconv.Itoa(n), path), -1)
	if len(sizes) != n {
		t.Errorf("pdfinfo lists %d page sizes, want %d", len(sizes), n)
	}
	for i, m := range sizes {
		w, _ := strconv.ParseFloat(m[1], 64)
		h, _ := strconv.ParseFloat(m[2], 64)
		paper := map[bool]Paper{false: Paper400x300, true: PaperA4}[certs[i].Draft]
		if want := pageSizes[paper]; math.Abs(w-want[0]) > 0.005 || math.Abs(h-want[1]) > 0.005 {
			t.Errorf("page %d (draft %v) is %g x %g pts, want %s", i+1, certs[i].Draft, w, h, paper)
		}
	}
	checkFonts(t, path)
	for i, c := range certs {
		text := pdftest.Text(t, path, i+1)
		if !strings.Contains(text, c.Recipient+"\n") {
			t.Errorf("page %d lacks %q", i+1, c.Recipient)
		}
		if got := strings.Contains(text, c.RegisterNumber); got == c.Draft {
			t.Errorf("page %d (draft %v): register number shown = %v", i+1, c.Draft, got)
		}
		if got := strings.Contains(text, "DỰ THẢO"); got != c.Draft {
			t.Errorf("page %d (draft %v): watermark = %v", i+1, c.Draft, got)
		}
	}
	// One page's QR, far into the batch.
	if codes := qrCodes(t, rasterize(t, path, 29, 200)); len(codes) != 1 || codes[0] != certs[28].VerifyURL {
		t.Errorf("page 29 QR = %q, want %q", codes, certs[28].VerifyURL)
	}
}

// Same input, same bytes: an issued PDF is stored with its SHA-256 and a
// re-render must match it. Decomposed (NFD) input is the same text.
func TestDeterministic(t *testing.T) {
	issued := sample(routing.BangKhenTinh)
	draft := sample(routing.GiayKhenXa)
	draft.Draft = true
	sets := [][]Data{{issued}, {draft}, {issued, draft, issued}}
	first := make([][]byte, len(sets))
	for i, certs := range sets {
		var b bytes.Buffer
		if err := Render(&b, DefaultFonts(), certs...); err != nil {
			t.Fatal(err)
		}
		first[i] = b.Bytes()
	}
	time.Sleep(1100 * time.Millisecond) // a clock in the output would now differ
	for i, certs := range sets {
		var b bytes.Buffer
		if err := Render(&b, DefaultFonts(), certs...); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first[i], b.Bytes()) {
			t.Errorf("two renders of %d certificates differ", len(certs))
		}
	}

	nfd := issued
	nfd.Issuer = norm.NFD.String(issued.Issuer)
	nfd.Recipient = norm.NFD.String(issued.Recipient)
	nfd.RecipientUnit = norm.NFD.String(issued.RecipientUnit)
	nfd.Achievement = norm.NFD.String(issued.Achievement)
	nfd.Place = norm.NFD.String(issued.Place)
	nfd.SignerName = norm.NFD.String(issued.SignerName)
	if nfd.Recipient == issued.Recipient {
		t.Fatal("NFD test input is not decomposed")
	}
	_, want := render(t, issued)
	path, got := render(t, nfd)
	if !bytes.Equal(got, want) {
		t.Errorf("NFD input renders differently from NFC input")
	}
	if !strings.Contains(pdftest.Text(t, path, 0), "Bà Nguyễn Thị Hồng Nhung") {
		t.Errorf("NFD input does not read back as NFC text")
	}

	info := pdftest.ReadInfo(t, path)
	if info.Producer != Producer {
		t.Errorf("Producer = %q, want %q", info.Producer, Producer)
	}
	if !strings.HasPrefix(info.Creation, "2025-08-15T00:00:00") {
		t.Errorf("CreationDate = %q, want the decision date", info.Creation)
	}
}

// Concurrent renders share the fonts and must neither race nor differ.
func TestConcurrentRender(t *testing.T) {
	c := sample(routing.BangKhenBo)
	_, want := render(t, c)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			var b bytes.Buffer
			if err := Render(&b, DefaultFonts(), c); err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(b.Bytes(), want) {
				errs <- fmt.Errorf("concurrent render differs")
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// User text is drawn, never interpreted: markup, PDF string delimiters and
// backslashes come out as typed.
func TestLiteralText(t *testing.T) {
	c := sample(routing.GiayKhenHuyen)
	c.Recipient = `Ông <script>alert("x")</script> Trần (Văn) \Tư\`
	c.RecipientUnit = `Tổ 5 (khu phố 3) \ 100% <b>&amp;</b> {nb} ) ( \n \)`
	c.SignerName = `O'Brien "Đức" \\ )(`
	path, _ := render(t, c)
	text := pdftest.Flat(pdftest.Text(t, path, 0))
	for _, s := range []string{c.Recipient, c.RecipientUnit, c.SignerName} {
		if !strings.Contains(text, pdftest.Flat(s)) {
			t.Errorf("text lacks %q literally\n%s", s, text)
		}
	}
	checkInsideFrame(t, path)
}

// Characters the font or fpdf cannot take do not fail the render or crash
// it: emoji (beyond the BMP, on which fpdf panics) become U+FFFD, invisible
// format characters are dropped, scripts the font lacks draw as boxes.
func TestUnusualCharacters(t *testing.T) {
	c := sample(routing.GiayKhenXa)
	c.Recipient = "Bà Trần\u200b Thị 😀 Lan\ufeff 中文 \U0010FFFF \u202eMai"
	path, _ := render(t, c)
	text := pdftest.Text(t, path, 0)
	if !strings.Contains(text, "Bà Trần Thị \ufffd Lan 中文 \ufffd Mai") {
		t.Errorf("text lacks the cleaned recipient:\n%s", text)
	}
	checkInsideFrame(t, path)
}

// Long names and unit lines shrink, then wrap, and stay inside the frame
// without colliding with their neighbours; absurd lengths are cut rather
// than allowed to overflow.
func TestLongTextFits(t *testing.T) {
	name := "Ông Nguyễn Hoàng Thiên Trường Phúc Lộc Thọ Khang An Bình Minh Quang Huy Hoàng Đức Trí Dũng Tâm Thành Nhân Nghĩa Lễ Trí Tín"
	if n := len([]rune(name)); n < 120 {
		t.Fatalf("name has %d characters, want ≥ 120", n)
	}
	unit := "Tổ trưởng Tổ Khoa học Tự nhiên, Trường Trung học phổ thông chuyên Hùng Vương, phường Phú Cường, thành phố Thủ Dầu Một, tỉnh Bình Dương; Ủy viên Ban Chấp hành Chi hội Khuyến học nhà trường"
	// On both papers: the sizes scale, and the text must still fit.
	for _, paper := range []Paper{PaperA4, Paper400x300} {
		t.Run(string(paper), func(t *testing.T) {
			c := sample(routing.BangKhenTinh)
			c.Paper = paper
			c.Recipient = name
			c.RecipientUnit = unit
			c.Issuer = "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG KIÊM TRƯỞNG BAN CHỈ ĐẠO XÂY DỰNG XÃ HỘI HỌC TẬP TỈNH BÌNH DƯƠNG"
			c.Achievement = strings.Repeat(achievement+"; ", 2) + "đóng góp tích cực vào sự nghiệp khuyến học, khuyến tài của tỉnh"
			c.SignerName = "Nguyễn Hoàng Thiên Trường Phúc Lộc Thọ Khang An Bình"
			path, _ := render(t, c)
			text := pdftest.Flat(pdftest.Text(t, path, 0))
			for _, s := range []string{c.Recipient, c.RecipientUnit, c.Issuer, c.Achievement, c.SignerName} {
				if !strings.Contains(text, pdftest.Flat(s)) {
					t.Errorf("text lacks %q\n%s", s, text)
				}
			}
			checkNoOverlap(t, checkInsideFrame(t, path))
			if codes := qrCodes(t, rasterize(t, path, 1, 150)); len(codes) != 1 || codes[0] != c.VerifyURL {
				t.Errorf("QR = %q, want %q", codes, c.VerifyURL)
			}
			saveArtifact(t, path, "long-text-"+string(paper))

			// Absurd: a name of 3,000 characters and a single 400-letter word.
			c.Recipient = strings.Repeat("Nguyễn Văn An ", 215)
			c.RecipientUnit = strings.Repeat("Ư", 400)
			path, _ = render(t, c)
			checkNoOverlap(t, checkInsideFrame(t, path))
		})
	}
}

func TestErrors(t *testing.T) {
	good := sample(routing.BangKhenTinh)
	for name, tc := range map[string]struct {
		mutate func(*Data)
		want   string
	}{
		"unknown award":     {func(c *Data) { c.Award = "huan-chuong" }, `unknown award "huan-chuong"`},
		"empty recipient":   {func(c *Data) { c.Recipient = " \t\n" }, "Recipient is empty"},
		"invalid UTF-8":     {func(c *Data) { c.RecipientUnit = "Tr\xffường" }, "RecipientUnit is not valid UTF-8"},
		"no decision":       {func(c *Data) { c.DecisionNumber = "" }, "needs DecisionNumber"},
		"no decision date":  {func(c *Data) { c.DecisionDate = time.Time{} }, "needs DecisionDate"},
		"no register":       {func(c *Data) { c.RegisterNumber = "" }, "needs RegisterNumber"},
		"no verify URL":     {func(c *Data) { c.VerifyURL = "" }, "needs VerifyURL"},
		"relative URL":      {func(c *Data) { c.VerifyURL = "/verify/abc" }, "not an absolute http(s) URL"},
		"javascript URL":    {func(c *Data) { c.VerifyURL = "javascript:alert(1)" }, "not an absolute http(s) URL"},
		"second of a batch": {nil, "certificate 2:"},
	} {
		t.Run(name, func(t *testing.T) {
			c := good
			certs := []Data{c}
			if tc.mutate != nil {
				tc.mutate(&certs[0])
			} else {
				bad := good
				bad.Award = ""
				certs = append(certs, bad)
			}
			var buf bytes.Buffer
			err := Render(&buf, DefaultFonts(), certs...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one containing %q", err, tc.want)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
		})
	}
	// A draft needs none of the numbers.
	d := Data{Award: routing.GiayKhenXa, Recipient: "Bà Lê Thị Mai", Draft: true}
	if err := Render(&bytes.Buffer{}, DefaultFonts(), d); err != nil {
		t.Errorf("minimal draft: %v", err)
	}
	if err := Render(&bytes.Buffer{}, DefaultFonts()); err == nil {
		t.Errorf("no certificates: no error")
	}
	if err := Render(&bytes.Buffer{}, Fonts{}, good); err == nil || !strings.Contains(err.Error(), "Regular font is missing") {
		t.Errorf("no fonts: err = %v", err)
	}
}

func TestLoadFonts(t *testing.T) {
	def := DefaultFonts()
	dir := t.TempDir()
	write := func(name string, b []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("Tinos-Regular.ttf", def.Regular)
	write("Tinos-BoldItalic.ttf", def.BoldItalic)
	write("OFL.txt", []byte("licence"))
	if _, err := LoadFonts(dir); err == nil || !strings.Contains(err.Error(), "*Bold.ttf, *Italic.ttf") {
		t.Fatalf("missing bold and italic: err = %v", err)
	}
	write("Tinos-Bold.TTF", def.Bold)
	write("Tinos-Italic.ttf", def.Italic)
	f, err := LoadFonts(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(f.Regular, def.Regular) || !bytes.Equal(f.Bold, def.Bold) ||
		!bytes.Equal(f.Italic, def.Italic) || !bytes.Equal(f.BoldItalic, def.BoldItalic) {
		t.Fatal("LoadFonts mixed up the styles")
	}
	c := sample(routing.GiayKhenSo)
	var a, b bytes.Buffer
	if err := Render(&a, f, c); err != nil {
		t.Fatal(err)
	}
	if err := Render(&b, def, c); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the same font files loaded from disk render differently")
	}

	write("Other-Bold.ttf", def.Bold)
	if _, err := LoadFonts(dir); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("two bold files: err = %v", err)
	}
	os.Remove(filepath.Join(dir, "Other-Bold.ttf"))
	write("Tinos-Italic.ttf", append([]byte("OTTO"), make([]byte, 64)...))
	if _, err := LoadFonts(dir); err == nil || !strings.Contains(err.Error(), "CFF") {
		t.Errorf("OpenType CFF italic: err = %v", err)
	}
	if _, err := LoadFonts(filepath.Join(dir, "nowhere")); err == nil {
		t.Error("missing directory: no error")
	}

	// Bold italic is optional: no template draws it.
	noBI := def
	noBI.BoldItalic = nil
	var c2 bytes.Buffer
	if err := Render(&c2, noBI, c); err != nil {
		t.Errorf("without bold italic: %v", err)
	} else if !bytes.Equal(c2.Bytes(), b.Bytes()) {
		t.Error("an unused bold italic changes the output")
	}

	// A file with a TrueType signature that is not a font.
	broken := def
	broken.Italic = append([]byte{0, 1, 0, 0}, bytes.Repeat([]byte{0xAB}, 200)...)
	if err := Render(&bytes.Buffer{}, broken, c); err == nil || !strings.Contains(err.Error(), "Italic font") {
		t.Errorf("unreadable italic: err = %v", err)
	}
	write("Tinos-Italic.ttf", broken.Italic)
	if _, err := LoadFonts(dir); err == nil || !strings.Contains(err.Error(), "Italic font") {
		t.Errorf("LoadFonts, unreadable italic: err = %v", err)
	}
}

func TestDateLine(t *testing.T) {
	for _, tc := range []struct {
		place string
		t     time.Time
		want  string
	}{
		{"Bình Dương", decisionDay, "Bình Dương, ngày 15 tháng 8 năm 2025"},
		{"Hà Nội", time.Date(2025, 2, 5, 9, 0, 0, 0, time.UTC), "Hà Nội, ngày 05 tháng 02 năm 2025"},
		{"Thủ Dầu Một", time.Date(2025, 12, 31, 18, 0, 0, 0, time.UTC), "Thủ Dầu Một, ngày 01 tháng 01 năm 2026"}, // 01:00 in Vietnam
		{"", time.Date(2024, 11, 20, 0, 0, 0, 0, time.UTC), "ngày 20 tháng 11 năm 2024"},
		{norm.NFD.String("Dĩ An"), time.Time{}, "Dĩ An, ngày …… tháng …… năm ……"},
	} {
		if got := DateLine(tc.place, tc.t); got != tc.want {
			t.Errorf("DateLine(%q, %v) = %q, want %q", tc.place, tc.t, got, tc.want)
		}
	}
}

// The drawn parts land where the layout puts them, on each paper: the
// border's outer rule on all four sides in the template's colour, the
// emblem's red disc, and nothing in the page margin outside the border.
// Text checks alone would not notice a misplaced frame.
func TestFrameDrawn(t *testing.T) {
	for _, paper := range []Paper{PaperA4, Paper400x300} {
		for _, award := range []routing.Award{routing.BangKhenTinh, routing.GiayKhenXa} {
			t.Run(string(paper)+"/"+string(award), func(t *testing.T) {
				c := sample(award)
				c.Paper = paper
				path, _ := render(t, c)
				const dpi = 100
				f, err := os.Open(rasterize(t, path, 1, dpi))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				img, err := png.Decode(f)
				if err != nil {
					t.Fatal(err)
				}
				at := func(xmm, ymm float64) rgb {
					c := img.At(int(xmm/25.4*dpi), int(ymm/25.4*dpi))
					r, g, b, _ := c.RGBA()
					return rgb{int(r >> 8), int(g >> 8), int(b >> 8)}
				}
				near := func(a, b rgb) bool {
					d := func(x, y int) int { return max(x-y, y-x) }
					return d(a.r, b.r) < 40 && d(a.g, b.g) < 40 && d(a.b, b.b) < 40
				}
				pal := commendationPalette
				if templates[award].merit {
					pal = meritPalette
				}
				white := rgb{255, 255, 255}
				g := sheets[paper]
				outer := frameOuter * g.k
				for _, pt := range []struct {
					what string
					x, y float64
					want rgb
				}{
					{"top rule", g.w / 2, outer, pal.frame},
					{"bottom rule", g.w / 2, g.h - outer, pal.frame},
					{"left rule", outer, g.h / 2, pal.frame},
					{"right rule", g.w - outer, g.h / 2, pal.frame},
					{"corner block", outer + 0.8*g.k, outer + 0.8*g.k, pal.frame},
					{"emblem disc", g.w/2 + 6*g.k, 26.5 * g.sy, emblemRed},
					{"top margin", g.w / 2, 3 * g.k, white},
					{"left margin", 3 * g.k, g.h / 2, white},
					{"bottom margin", g.w / 2, g.h - 3*g.k, white},
					{"right margin", g.w - 3*g.k, g.h / 2, white},
					{"inside, beside the emblem", 60 * g.sx, 30 * g.sy, white},
				} {
					if got := at(pt.x, pt.y); !near(got, pt.want) {
						t.Errorf("%s at (%.1f, %.1f) mm is %v, want about %v", pt.what, pt.x, pt.y, got, pt.want)
					}
				}
			})
		}
	}
}
