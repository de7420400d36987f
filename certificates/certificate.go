// Package certificates renders certificates of merit (Bằng khen) and of
// commendation (Giấy khen) as PDF, one landscape page per certificate —
// A4 for a draft, the 400×300 mm stock for an issued certificate —
// following the layout of DESIGN.md §2 "Certificates". It is pure: no
// database, no HTTP. The caller assigns decision and register numbers and
// the verification URL, and stores the bytes (rendering is deterministic,
// so the same input gives the same bytes and the same SHA-256).
package certificates

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/routing"
	"golang.org/x/text/unicode/norm"
)

// Data is what one certificate shows. Text fields are drawn
// literally (fpdf interprets no markup), after NFC normalization and with
// runs of white space and control characters collapsed to one space.
type Data struct {
	// Award picks the template: Bằng khen or Giấy khen and the default
	// issuer and signer titles.
	Award routing.Award
	// Issuer is the authority's title line, e.g. "CHỦ TỊCH ỦY BAN NHÂN DÂN
	// TỈNH BÌNH DƯƠNG". Empty: the award's generic title ("THỦ TƯỚNG CHÍNH
	// PHỦ", "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO", …), which lacks the place
	// name for local authorities, so callers should set it.
	Issuer string
	// Recipient is the person or collective honoured, with its honorific:
	// "Ông Nguyễn Văn An", "Trường THPT chuyên Hùng Vương".
	Recipient string
	// RecipientUnit is the recipient's position and unit or address line:
	// "Hiệu trưởng Trường THCS Phú Hòa, thành phố Thủ Dầu Một". Optional.
	RecipientUnit string
	// Achievement is the reason: "Đã có thành tích xuất sắc trong Phong
	// trào thi đua …".
	Achievement string
	// DecisionNumber ("123/QĐ-UBND") and DecisionDate identify the decision
	// that awards the certificate. Required unless Draft.
	DecisionNumber string
	DecisionDate   time.Time
	// RegisterNumber is the number in the issuer's register (số vào sổ).
	// Required unless Draft.
	RegisterNumber string
	// Place and SignedOn make the line above the signature, "Bình Dương,
	// ngày 15 tháng 8 năm 2025". SignedOn zero means DecisionDate.
	Place    string
	SignedOn time.Time
	// SignerTitle is the title above the signature; a newline separates
	// lines, as in "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH". Empty: the award's
	// default ("CHỦ TỊCH", "BỘ TRƯỞNG", …).
	SignerTitle string
	// SignerName is printed below the space left for signature and seal.
	SignerName string
	// Draft marks a preview: a "DỰ THẢO" watermark across the page, and no
	// decision number, register number, dates or QR code, so that a draft
	// can never pass for an issued certificate.
	Draft bool
	// VerifyURL is the public verification page, encoded in a QR code on
	// issued certificates. Required unless Draft.
	VerifyURL string
	// VerifyCode is printed under the QR code so that the certificate can be
	// checked by typing. Empty: the last path segment of VerifyURL.
	VerifyCode string
	// Paper is the sheet the certificate is set on. Empty: A4 landscape
	// for a draft, the 400×300 mm stock for an issued certificate. A
	// certificate issued on A4 must be rendered on PaperA4 again to give
	// the bytes that were stored.
	Paper Paper
}

// template is what differs between the kinds of certificate.
type template struct {
	form   string // the large title
	issuer string // default issuer line
	signer string // default signer title
	// merit selects the Bằng khen style: the richer red and gold frame.
	// Giấy khen gets a plainer blue one, so the two are told apart at a
	// glance in a printed batch.
	merit bool
}

const (
	formBangKhen = "BẰNG KHEN"
	formGiayKhen = "GIẤY KHEN"
)

// templates follows the routing table (routing.Awards): the award decides
// the form, the authority and its signer.
var templates = map[routing.Award]template{
	routing.BangKhenThuTuong: {formBangKhen, "THỦ TƯỚNG CHÍNH PHỦ", "THỦ TƯỚNG", true},
	routing.BangKhenBo:       {formBangKhen, "BỘ TRƯỞNG BỘ GIÁO DỤC VÀ ĐÀO TẠO", "BỘ TRƯỞNG", true},
	routing.BangKhenTinh:     {formBangKhen, "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH", "CHỦ TỊCH", true},
	routing.GiayKhenSo:       {formGiayKhen, "GIÁM ĐỐC SỞ GIÁO DỤC VÀ ĐÀO TẠO", "GIÁM ĐỐC", false},
	routing.GiayKhenHuyen:    {formGiayKhen, "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN", "CHỦ TỊCH", false},
	routing.GiayKhenXa:       {formGiayKhen, "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ", "CHỦ TỊCH", false},
}

// prepared is a certificate checked and normalized, ready to draw.
type prepared struct {
	tpl            template
	issuer         string
	recipient      string
	unit           string
	achievement    string
	decisionNumber string
	decisionDate   string // "ngày 15/8/2025"
	register       string
	placeDate      string
	signerTitle    []string
	signerName     string
	draft          bool
	verifyURL      string
	verifyCode     string
	paper          Paper
}

// clean normalizes one line of user text: NFC, because decomposed
// diacritics map to separate glyphs and render as detached marks; white
// space and control characters collapsed, because a stray newline or tab
// would otherwise draw as a missing glyph; invisible format characters
// (zero-width space, BOM, bidi controls) dropped, as fpdf would draw them
// as boxes; and characters beyond the Basic Multilingual Plane (emoji)
// replaced by U+FFFD, because fpdf v0.12.0 panics on them when it writes
// the font.
func clean(s string) string {
	s = norm.NFC.String(s)
	s = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r) || unicode.IsSpace(r):
			return ' '
		case unicode.Is(unicode.Cf, r):
			return -1
		case r > 0xFFFF:
			return unicode.ReplacementChar
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// prepare validates c (the i-th certificate, for error messages) and
// returns it normalized.
func prepare(i int, c Data) (prepared, error) {
	fail := func(format string, a ...any) (prepared, error) {
		return prepared{}, fmt.Errorf("certificates: certificate %d: %s", i+1, fmt.Sprintf(format, a...))
	}
	tpl, ok := templates[c.Award]
	if !ok {
		return fail("unknown award %q", c.Award)
	}
	for _, f := range []struct{ name, v string }{
		{"Issuer", c.Issuer}, {"Recipient", c.Recipient}, {"RecipientUnit", c.RecipientUnit},
		{"Achievement", c.Achievement}, {"DecisionNumber", c.DecisionNumber},
		{"RegisterNumber", c.RegisterNumber}, {"Place", c.Place}, {"SignerTitle", c.SignerTitle},
		{"SignerName", c.SignerName}, {"VerifyURL", c.VerifyURL}, {"VerifyCode", c.VerifyCode},
	} {
		if !utf8.ValidString(f.v) {
			return fail("%s is not valid UTF-8", f.name)
		}
	}
	p := prepared{
		tpl:         tpl,
		issuer:      clean(c.Issuer),
		recipient:   clean(c.Recipient),
		unit:        clean(c.RecipientUnit),
		achievement: clean(c.Achievement),
		signerName:  clean(c.SignerName),
		draft:       c.Draft,
	}
	if p.issuer == "" {
		p.issuer = tpl.issuer
	}
	var err error
	if p.paper, err = paperFor(c.Paper, c.Draft); err != nil {
		return fail("%v", err)
	}
	if p.recipient == "" {
		return fail("Recipient is empty")
	}
	for _, line := range strings.Split(c.SignerTitle, "\n") {
		if line = clean(line); line != "" {
			p.signerTitle = append(p.signerTitle, line)
		}
	}
	if len(p.signerTitle) == 0 {
		p.signerTitle = []string{tpl.signer}
	}
	place := clean(c.Place)
	if c.Draft {
		// Numbers and dates are left as dotted blanks, the way a paper
		// draft is prepared.
		p.placeDate = DateLine(place, time.Time{})
		return p, nil
	}
	p.decisionNumber = clean(c.DecisionNumber)
	p.register = clean(c.RegisterNumber)
	p.verifyURL = strings.TrimSpace(c.VerifyURL)
	switch {
	case p.decisionNumber == "":
		return fail("an issued certificate needs DecisionNumber")
	case c.DecisionDate.IsZero():
		return fail("an issued certificate needs DecisionDate")
	case p.register == "":
		return fail("an issued certificate needs RegisterNumber")
	case p.verifyURL == "":
		return fail("an issued certificate needs VerifyURL")
	}
	u, err := url.Parse(p.verifyURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fail("VerifyURL %q is not an absolute http(s) URL", p.verifyURL)
	}
	p.verifyCode = clean(c.VerifyCode)
	if p.verifyCode == "" {
		p.verifyCode = path.Base(strings.TrimRight(u.Path, "/"))
		if p.verifyCode == "." || p.verifyCode == "/" {
			p.verifyCode = ""
		}
	}
	d := c.DecisionDate.In(calendar.Zone)
	p.decisionDate = fmt.Sprintf("ngày %d/%d/%d", d.Day(), int(d.Month()), d.Year())
	signed := c.SignedOn
	if signed.IsZero() {
		signed = c.DecisionDate
	}
	p.placeDate = DateLine(place, signed)
	return p, nil
}

// DateLine formats the place-and-date line of a Vietnamese administrative
// document, "Bình Dương, ngày 05 tháng 02 năm 2025": Decree 30/2020/NĐ-CP
// writes days below 10 and the months January and February with a leading
// zero (so that nothing can be added in front of them). The date is taken
// in Vietnam's time zone. A zero t gives dotted blanks to fill by hand.
func DateLine(place string, t time.Time) string {
	var date string
	if t.IsZero() {
		date = "ngày …… tháng …… năm ……"
	} else {
		t = t.In(calendar.Zone)
		day := fmt.Sprintf("%d", t.Day())
		if t.Day() < 10 {
			day = "0" + day
		}
		month := fmt.Sprintf("%d", int(t.Month()))
		if t.Month() <= time.February {
			month = "0" + month
		}
		date = fmt.Sprintf("ngày %s tháng %s năm %d", day, month, t.Year())
	}
	place = clean(place)
	if place == "" {
		return date
	}
	return place + ", " + date
}
