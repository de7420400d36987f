package certificates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tdkt/tdkt/calendar"
)

// Decision is a commendation decision ("Quyết định về việc khen thưởng")
// with its annex, the list of awardees: the document the chairman signs
// and the certificates cite.
type Decision struct {
	// Governing is the line above the issuing body where there is one:
	// "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH" above "SỞ GIÁO DỤC VÀ ĐÀO TẠO".
	Governing string
	Authority string // the issuing body: "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG"
	// Deciding is the line under the subject, the authority that decides:
	// "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN". Empty: the signer's head
	// title and the issuing body.
	Deciding string
	// Executors is the last article, who carries the decision out. Empty:
	// the province's offices.
	Executors   string
	Number      string    // "123/QĐ-UBND"
	Place       string    // "Bình Dương"
	Date        time.Time // signing date
	Subject     string    // "Về việc tặng Bằng khen …"
	Basis       []string  // "Căn cứ …" lines
	Proposal    string    // "Xét đề nghị của Giám đốc Sở Nội vụ …"
	Award       string    // "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"
	Achievement string    // "đã có thành tích xuất sắc trong …"
	SignerTitle string    // "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
	SignerName  string
	Awardees    []Awardee
}

// Awardee is one row of the annex.
type Awardee struct {
	Name     string
	Unit     string
	Register string // register number, printed in the annex
}

// RenderDecision writes the decision and its annex table as an A4 portrait
// PDF in the layout of administrative documents (Decree 30/2020/NĐ-CP):
// authority and number top left, the national motto top right, the title,
// the bases, the articles, the signature, then the annex.
func RenderDecision(w io.Writer, fonts Fonts, d Decision) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("certificates: decision PDF failed: %v", r)
		}
	}()
	if d.Number == "" || d.Date.IsZero() || len(d.Awardees) == 0 {
		return errors.New("certificates: a decision needs a number, a date and at least one awardee")
	}
	if err := fonts.check(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	p := newDoc(fonts, "P", d.Date, clean("Quyết định "+d.Number))
	date := d.Date.In(calendar.Zone)
	p.SetMargins(25, 20, 15)
	p.SetAutoPageBreak(true, 20)
	p.AddPage()

	left := 20.0
	lw, rw := 72.0, 103.0 // the two header columns
	// Left: the authority (its last line bold, as the issuing body), the
	// number. Right: the national title, the motto underlined, the date.
	auth := splitAuthority(clean(d.Authority))
	if d.Governing != "" {
		auth = []string{clean(d.Governing), clean(d.Authority)}
	}
	p.SetXY(left, 20)
	for i, line := range auth {
		style := ""
		if i == len(auth)-1 {
			style = "B"
		}
		p.font(style, 12)
		p.SetX(left)
		p.CellFormat(lw, 5.5, line, "", 2, "C", false, 0, "")
	}
	yLeft := p.GetY()
	p.Line(left+lw/2-12, yLeft+0.5, left+lw/2+12, yLeft+0.5)
	p.font("B", 12)
	p.SetXY(left+lw, 20)
	p.CellFormat(rw, 5.5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "", 2, "C", false, 0, "")
	p.font("B", 13)
	p.SetX(left + lw)
	p.CellFormat(rw, 6, "Độc lập - Tự do - Hạnh phúc", "", 2, "C", false, 0, "")
	motto := p.GetStringWidth("Độc lập - Tự do - Hạnh phúc")
	yRight := p.GetY()
	p.Line(left+lw+(rw-motto)/2, yRight+0.5, left+lw+(rw+motto)/2, yRight+0.5)
	y := max(yLeft, yRight) + 3
	p.font("", 13)
	p.SetXY(left, y)
	p.CellFormat(lw, 6, "Số: "+clean(d.Number), "", 0, "C", false, 0, "")
	p.font("I", 13)
	p.SetXY(left+lw, y)
	p.CellFormat(rw, 6, DateLine(d.Place, d.Date), "", 2, "C", false, 0, "")

	p.SetY(p.GetY() + 8)
	p.font("B", 14)
	p.MultiCell(0, 7, "QUYẾT ĐỊNH", "", "C", false)
	p.font("B", 13)
	p.MultiCell(0, 6.5, clean(d.Subject), "", "C", false)
	p.SetY(p.GetY() + 4)
	deciding := clean(d.Deciding)
	if deciding == "" {
		deciding = strings.ToUpper(signerHead(d.SignerTitle) + " " + clean(d.Authority))
	}
	p.MultiCell(0, 6.5, deciding, "", "C", false)
	p.SetY(p.GetY() + 3)
	p.font("I", 13)
	for _, b := range d.Basis {
		p.MultiCell(0, 6.5, clean(b), "", "J", false)
	}
	if d.Proposal != "" {
		p.MultiCell(0, 6.5, clean(d.Proposal), "", "J", false)
	}
	p.SetY(p.GetY() + 3)
	p.font("B", 14)
	p.MultiCell(0, 7, "QUYẾT ĐỊNH:", "", "C", false)
	p.font("", 13)
	article := func(n int, text string) {
		p.font("B", 13)
		p.Write(6.5, fmt.Sprintf("Điều %d. ", n))
		p.font("", 13)
		p.Write(6.5, clean(text))
		p.Ln(8)
	}
	article(1, fmt.Sprintf("Tặng %s cho %d cá nhân, tập thể có tên trong danh sách kèm theo, %s.",
		d.Award, len(d.Awardees), strings.TrimSuffix(d.Achievement, ".")))
	article(2, "Quyết định này có hiệu lực kể từ ngày ký.")
	executors := clean(d.Executors)
	if executors == "" {
		executors = "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị và các cá nhân, tập thể có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này."
	}
	article(3, executors)
	signature(p, d.SignerTitle, d.SignerName)

	// Annex.
	p.AddPage()
	p.font("B", 13)
	p.MultiCell(0, 6.5, "DANH SÁCH", "", "C", false)
	p.font("", 13)
	p.MultiCell(0, 6.5, fmt.Sprintf("cá nhân, tập thể được tặng %s", d.Award), "", "C", false)
	p.font("I", 12)
	p.MultiCell(0, 6, fmt.Sprintf("(Kèm theo Quyết định số %s ngày %s)", clean(d.Number), date.Format("02/01/2006")), "", "C", false)
	p.SetY(p.GetY() + 4)
	cols := []column{{"STT", 14, "C"}, {"Họ và tên / Tên tập thể", 62, "L"}, {"Đơn vị, địa chỉ", 70, "L"}, {"Số vào sổ", 24, "C"}}
	rows := make([]tableRow, len(d.Awardees))
	for i, a := range d.Awardees {
		rows[i] = tableRow{cells: []string{fmt.Sprint(i + 1), a.Name, a.Unit, a.Register}}
	}
	drawTable(p, cols, rows, 12, 6)
	if err := p.Error(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// signerHead is the authority part of a signer's title ("CHỦ TỊCH" of
// "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH").
func signerHead(title string) string {
	first := clean(strings.SplitN(title, "\n", 2)[0])
	first = strings.TrimPrefix(first, "KT. ")
	first = strings.TrimPrefix(first, "TM. ")
	if first == "" {
		return "CHỦ TỊCH"
	}
	return first
}

func signature(p *doc, title, name string) {
	p.SetY(p.GetY() + 6)
	x := 110.0
	p.font("B", 13)
	for _, line := range strings.Split(title, "\n") {
		p.SetX(x)
		p.MultiCell(85, 6.5, clean(line), "", "C", false)
	}
	p.SetY(p.GetY() + 22)
	p.SetX(x)
	p.MultiCell(85, 6.5, clean(name), "", "C", false)
}

// splitAuthority breaks "ỦY BAN NHÂN DÂN TỈNH BÌNH DƯƠNG" after the body's
// kind, as the header is set: "ỦY BAN NHÂN DÂN" / "TỈNH BÌNH DƯƠNG".
func splitAuthority(a string) []string {
	for _, head := range []string{"ỦY BAN NHÂN DÂN ", "UỶ BAN NHÂN DÂN "} {
		if rest, ok := strings.CutPrefix(a, head); ok && rest != "" {
			return []string{strings.TrimSpace(head), rest}
		}
	}
	return []string{a}
}
