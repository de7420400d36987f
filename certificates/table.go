package certificates

import (
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/tdkt/tdkt/calendar"
)

// newDoc starts a document whose bytes depend only on what is drawn on it:
// resources in a fixed order, date (taken in Vietnam's time zone) as its
// creation and modification date rather than the clock, and tdkt as the
// producer rather than fpdf's version string. Every renderer of the
// package starts here, so that the same input gives the same bytes.
func newDoc(fonts Fonts, orientation string, date time.Time, title string) *doc {
	pdf := fpdf.New(orientation, "mm", "A4", "")
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true) // resources in a fixed order: same bytes each time
	date = date.In(calendar.Zone)
	pdf.SetCreationDate(date)
	pdf.SetModificationDate(date)
	pdf.SetProducer(Producer, false)
	pdf.SetCreator("tdkt", false)
	pdf.SetLang("vi-VN")
	pdf.SetTitle(title, true)
	return &doc{Fpdf: pdf, fonts: fonts, added: map[string]bool{}, sheet: sheets[PaperA4]}
}

// column is one column of a table drawn by drawTable.
type column struct {
	title string  // heading; a table whose columns have none has no header row
	w     float64 // width in millimetres
	align string  // of the body cells: "L", "C" or "R"
}

// tableRow is one row of a table's body; bold sets it apart, as a total.
type tableRow struct {
	cells []string
	bold  bool
}

// drawTable draws a ruled table from the left margin at the current
// height, at size points with lines lineH millimetres apart. Each cell
// wraps within its column and a row is as tall as its tallest cell, the
// cells centred in it vertically. A row that would cross the bottom margin
// starts a new page, where the header is repeated, so that every page of a
// long annex reads on its own. The lines are measured and drawn by the
// same calls (SplitText, then one CellFormat per line), so a cell never
// holds more lines than its row was sized for.
func drawTable(p *doc, cols []column, rows []tableRow, size, lineH float64) {
	left, _, _, _ := p.GetMargins()
	_, pageH := p.GetPageSize()
	_, bottom := p.GetAutoPageBreak()
	pad := lineH / 3 // above and below the lines of a row, together

	// layout wraps a row's cells in style and returns the lines of each
	// and the row's height.
	layout := func(cells []string, style string) ([][]string, float64) {
		p.font(style, size)
		lines := make([][]string, len(cols))
		n := 1
		for j := range cols {
			if j < len(cells) {
				lines[j] = p.SplitText(clean(cells[j]), cols[j].w)
			}
			n = max(n, len(lines[j]))
		}
		return lines, float64(n)*lineH + pad
	}
	draw := func(lines [][]string, h float64, style string, header bool) {
		p.font(style, size)
		x, y := left, p.GetY()
		for j, c := range cols {
			p.Rect(x, y, c.w, h, "D")
			align := c.align
			if header {
				align = "C"
			}
			top := y + (h-float64(len(lines[j]))*lineH)/2
			for i, line := range lines[j] {
				p.SetXY(x, top+float64(i)*lineH)
				p.CellFormat(c.w, lineH, line, "", 0, align, false, 0, "")
			}
			x += c.w
		}
		p.SetXY(left, y+h)
	}

	var titles []string
	for _, c := range cols {
		if c.title != "" {
			titles = make([]string, len(cols))
			for j := range cols {
				titles[j] = cols[j].title
			}
			break
		}
	}
	headLines, headH := layout(titles, "B")
	header := func() {
		if titles != nil {
			draw(headLines, headH, "B", true)
		}
	}
	if titles == nil {
		headH = 0
	}
	p.SetX(left)
	if len(rows) == 0 {
		header()
		return
	}
	for i, r := range rows {
		style := ""
		if r.bold {
			style = "B"
		}
		lines, h := layout(r.cells, style)
		need := h
		if i == 0 {
			need += headH // the header is not left alone at the foot of a page
		}
		if p.GetY()+need > pageH-bottom {
			p.AddPage()
			if i > 0 {
				header()
			}
		}
		if i == 0 {
			header()
		}
		draw(lines, h, style, false)
	}
}
