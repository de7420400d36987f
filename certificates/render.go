package certificates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/skip2/go-qrcode"

	"github.com/tdkt/tdkt/calendar"
)

// draftEpoch dates documents made only of drafts: a fixed date, not the
// clock, so that rendering the same drafts twice gives the same bytes.
var draftEpoch = time.Date(2023, time.January, 1, 0, 0, 0, 0, calendar.Zone)

// Producer is written in the PDF's Info dictionary instead of fpdf's
// default, which carries fpdf's version and would change the bytes (and
// the stored SHA-256) on a library upgrade that changes nothing else.
const Producer = "tdkt certificates"

// Text styles of the blocks of a certificate, largest size first.
var (
	stHeader      = textStyle{"B", 13, 13, 1.15, false}
	stIssuer      = textStyle{"B", 15, 11, 1.15, false}
	stGive        = textStyle{"B", 14, 14, 1.15, false}
	stForm        = textStyle{"B", 44, 44, 1.1, false}
	stRecipient   = textStyle{"B", 26, 16, 1.18, false}
	stUnit        = textStyle{"", 15, 12, 1.2, false}
	stAchievement = textStyle{"I", 15, 11, 1.3, true}
	stBottomLeft  = textStyle{"", 12, 9, 1.2, false}
	stCode        = textStyle{"", 7.5, 6, 1.1, false}
	stPlaceDate   = textStyle{"I", 13, 10, 1.2, false}
	stSignerTitle = textStyle{"B", 13, 10, 1.2, false}
	stSignerName  = textStyle{"B", 14, 10, 1.2, false}
	stWatermark   = textStyle{"B", 130, 60, 1.0, false}
)

// Boxes of the blocks: one column in the middle for the body, and two at
// the foot for the decision (left) and the signature (right).
var (
	bxHeader1 = box{30, 40, 237, 6}
	bxHeader2 = box{30, 46, 237, 6}
	bxIssuer  = box{30, 55, 237, 12}
	bxGive    = box{30, 68, 237, 6.5}
	bxForm    = box{30, 75, 237, 18}
	// The body: the largest box of each block, stacked in bxBody by
	// drawBody; only their widths and heights matter.
	bxBody        = box{26, 94, 245, 55}
	bxRecipient   = box{26, 94, 245, 16}
	bxUnit        = box{30, 111, 237, 12.5}
	bxAchievement = box{34, 124, 229, 25}
	bxPlaceDate   = box{150, 151, 126, 6}
	bxSignerTitle = box{150, 157, 126, 12}
	bxSignerName  = box{150, 187, 126, 7}
	qrX, qrY      = 27.0, 158.0
	qrSize        = 24.0
	// The code under the QR: wide enough for 26 characters (128 bits in
	// base32) on one line; longer codes wrap.
	bxCode = box{qrX + qrSize/2 - 21, qrY + qrSize + 0.8, 42, 6.5}
	// The decision lines sit beside the QR code, or alone on a draft.
	bxDecision      = box{qrX + qrSize + 4, 161, 148 - (qrX + qrSize + 4), 18}
	bxDecisionDraft = box{qrX, 161, 148 - qrX, 18}
)

// Render writes one PDF holding a page per certificate, in order: a single
// draft and the batch of a whole decision for printing are the same call.
// Each page has its certificate's paper (Data.Paper).
// The output is deterministic: the same fonts and certificates give the
// same bytes (the document dates come from the decisions, drafts use a
// fixed epoch), so an issued PDF can be stored with its SHA-256 and
// rendered again to check it. Each font style is parsed once per call, when
// first drawn, and shared by every page (fpdf offers no way to share a
// parsed font between documents); the border and emblem are built once per
// process and referenced by every page.
func Render(w io.Writer, fonts Fonts, certs ...Data) (err error) {
	// fpdf panics on some inputs (malformed fonts, characters beyond the
	// BMP); those known are handled before they reach it, and this turns
	// any other into an error rather than a crashed worker. The document
	// is built in memory and written only when complete, so w never
	// receives half a PDF.
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("certificates: PDF generation failed: %v", r)
		}
	}()
	if len(certs) == 0 {
		return errors.New("certificates: no certificate to render")
	}
	if err := fonts.check(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	pages := make([]prepared, len(certs))
	date := draftEpoch
	for i, c := range certs {
		p, err := prepare(i, c)
		if err != nil {
			return err
		}
		pages[i] = p
		if !c.Draft && c.DecisionDate.After(date) {
			date = c.DecisionDate
		}
	}

	d := newDoc(fonts, "L", date, title(pages))
	d.SetMargins(0, 0, 0)
	d.SetAutoPageBreak(false, 0)
	for i, p := range pages {
		if err := drawPage(d, p); err != nil {
			return fmt.Errorf("certificates: certificate %d: %w", i+1, err)
		}
		if err := d.Error(); err != nil {
			return fmt.Errorf("certificates: certificate %d: %w", i+1, err)
		}
	}
	var buf bytes.Buffer
	if err := d.Output(&buf); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	return nil
}

// title names the document for viewers' title bars and file listings.
func title(pages []prepared) string {
	if len(pages) == 1 {
		return sentence(pages[0].tpl.form) + " – " + pages[0].recipient
	}
	return fmt.Sprintf("%d bằng khen, giấy khen", len(pages))
}

// sentence turns "BẰNG KHEN" into "Bằng khen".
func sentence(s string) string {
	switch s {
	case formBangKhen:
		return "Bằng khen"
	case formGiayKhen:
		return "Giấy khen"
	}
	return s
}

// drawPage draws one certificate on a new page of its paper. The blocks
// are placed by their boxes on A4 (the design page), mapped onto the paper
// by its sheet.
func drawPage(pdf *doc, c prepared) error {
	g := sheets[c.paper]
	pdf.sheet = g
	if c.paper == PaperA4 {
		pdf.AddPage() // the document's default page (newDoc)
	} else {
		pdf.AddPageFormat("L", fpdf.SizeType{Wd: g.h, Ht: g.w})
	}
	pal := commendationPalette
	if c.tpl.merit {
		pal = meritPalette
	}
	// fpdf v0.12.0 places a template against the unrotated (portrait)
	// height of a landscape page, its width instead of its height, so the
	// corner given compensates; TestFrameDrawn fails if that ever changes.
	pdf.UseTemplateScaled(frameTemplate(c.paper, c.tpl.merit),
		fpdf.PointType{X: 0, Y: g.w - g.h}, fpdf.SizeType{Wd: g.w, Ht: g.h})

	block := func(text string, st textStyle, b box, col rgb, a align) {
		st, b = g.text(st), g.at(b)
		setText(pdf.Fpdf, col)
		fit(pdf, text, st, b).draw(pdf, st, b, a)
	}
	// National title and motto, the motto underlined across its width.
	block("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", stHeader, bxHeader1, pal.text, center)
	const motto = "Độc lập - Tự do - Hạnh phúc"
	block(motto, stHeader, bxHeader2, pal.text, center)
	pdf.font(stHeader.style, g.text(stHeader).max)
	mw := pdf.GetStringWidth(motto)
	setDraw(pdf.Fpdf, pal.text)
	pdf.SetLineWidth(0.3 * g.k)
	under := g.at(bxHeader2)
	pdf.Line(g.w/2-mw/2, under.y+under.h+0.6*g.k, g.w/2+mw/2, under.y+under.h+0.6*g.k)

	block(c.issuer, stIssuer, bxIssuer, pal.frame, center)
	block("TẶNG", stGive, bxGive, pal.text, center)
	block(c.tpl.form, stForm, bxForm, pal.title, center)
	drawBody(pdf, c, pal, g)

	// Foot, right: place and date, the signer's title, room for the
	// signature and seal, the signer's name.
	block(c.placeDate, stPlaceDate, bxPlaceDate, pal.text, center)
	n := float64(len(c.signerTitle))
	for i, line := range c.signerTitle {
		b := box{bxSignerTitle.x, bxSignerTitle.y + float64(i)*bxSignerTitle.h/n, bxSignerTitle.w, bxSignerTitle.h / n}
		if n == 1 {
			b.h = bxSignerTitle.h / 2
		}
		block(line, stSignerTitle, b, pal.text, center)
	}
	if c.signerName != "" {
		block(c.signerName, stSignerName, bxSignerName, pal.text, center)
	}

	// Foot, left: the decision and the register number, and on an issued
	// certificate the QR code to the verification page.
	decision := bxDecisionDraft
	lines := []string{"Quyết định số: ……………………", "ngày …… / …… / ……", "Số vào sổ: ……………"}
	if !c.draft {
		decision = bxDecision
		lines = []string{"Quyết định số: " + c.decisionNumber, c.decisionDate, "Số vào sổ: " + c.register}
		q, err := qrcode.New(c.verifyURL, qrcode.Medium)
		if err != nil {
			return fmt.Errorf("QR code: %w", err)
		}
		q.DisableBorder = true // drawQR paints the quiet zone itself
		at := g.at(box{qrX, qrY, qrSize, qrSize})
		drawQR(pdf.Fpdf, q.Bitmap(), at.x, at.y, at.w)
		if c.verifyCode != "" {
			block(c.verifyCode, stCode, bxCode, pal.text, center)
		}
	}
	lh := decision.h / float64(len(lines))
	for i, line := range lines {
		block(line, stBottomLeft, box{decision.x, decision.y + float64(i)*lh, decision.w, lh}, pal.text, left)
	}

	if c.draft {
		drawWatermark(pdf, g)
	}
	return nil
}

// drawBody sets the recipient, the unit line and the achievement. Each is
// fitted to its own largest box, and the blocks are then stacked at their
// real heights and centred in bxBody, so that a certificate without a unit
// line or with a one-line achievement has no hole in the middle. The
// largest boxes together fit bxBody, so the blocks never collide. Boxes
// and styles are mapped onto the sheet g.
func drawBody(pdf *doc, c prepared, pal palette, g sheet) {
	type part struct {
		f   fitted
		st  textStyle
		w   float64
		col rgb
	}
	var parts []part
	height := 0.0
	add := func(text string, st textStyle, b box, col rgb) {
		if text == "" {
			return
		}
		st, b = g.text(st), g.at(b)
		f := fit(pdf, text, st, b)
		parts = append(parts, part{f, st, b.w, col})
		height += float64(len(f.lines)) * st.lineHeight(f.size)
	}
	add(c.recipient, stRecipient, bxRecipient, pal.frame)
	add(c.unit, stUnit, bxUnit, pal.text)
	add(c.achievement, stAchievement, bxAchievement, pal.text)
	body := g.at(bxBody)
	gap := 0.0
	if len(parts) > 1 {
		gap = min((body.h-height)/float64(len(parts)+1), 6*g.k)
	}
	y := body.y + (body.h-height-gap*float64(len(parts)-1))/2
	for _, p := range parts {
		h := float64(len(p.f.lines)) * p.st.lineHeight(p.f.size)
		setText(pdf.Fpdf, p.col)
		p.f.draw(pdf, p.st, box{g.w/2 - p.w/2, y, p.w, h}, center)
		y += h + gap
	}
}

// drawWatermark lays "DỰ THẢO" diagonally across the page, translucent and
// on top of everything, so that it cannot be hidden under a block or cut
// away without destroying the certificate.
func drawWatermark(pdf *doc, g sheet) {
	const text = "DỰ THẢO"
	st := g.text(stWatermark)
	// Within a centred box narrow enough that the rotated words stay inside
	// the frame.
	f := fit(pdf, text, st, box{0, 0, 200 * g.k, 60 * g.k})
	pdf.font(st.style, f.size)
	w := pdf.GetStringWidth(text)
	capH := float64(pdf.GetFontDesc(family, st.style).CapHeight) / 1000 * f.size * ptMM
	pdf.SetAlpha(0.18, "Normal")
	pdf.SetTextColor(200, 16, 30)
	pdf.TransformBegin()
	pdf.TransformRotate(24, g.w/2, g.h/2)
	pdf.Text(g.w/2-w/2, g.h/2+capH/2, text)
	pdf.TransformEnd()
	pdf.SetAlpha(1, "Normal")
}
