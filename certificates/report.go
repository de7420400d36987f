package certificates

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Report is a round's report: an overview and tables of counts — by award,
// by review level, by status, by nominating unit. The API gathers it once
// and serves it both as a workbook and, through RenderReport, as a PDF, so
// that the two documents always say the same.
type Report struct {
	// Title heads the document: "BÁO CÁO ĐỢT XÉT KHEN THƯỞNG".
	Title string
	// Heading is the title as the workbook's first line reads it, in
	// sentence case ("Báo cáo đợt xét khen thưởng"); empty: Title.
	Heading string
	// Overview is the round's particulars as label and value: its name,
	// period, closing time, when the report was made. The values are
	// formatted by the caller, in Vietnam's time zone.
	Overview []Field
	// Tables are drawn in order, numbered.
	Tables []Table
	// GeneratedAt dates the PDF (creation and modification date), so that
	// the same counts at the same time give the same bytes.
	GeneratedAt time.Time
}

// Field is one line of a report's overview.
type Field struct{ Label, Value string }

// Table is one table of counts.
type Table struct {
	// Title names the table: the PDF's heading and the workbook's sheet,
	// so at most 31 characters (Excel's limit on a sheet name).
	Title string
	// Columns are the headings: the row label's first, then one per
	// count ("Đang soạn", …, "Tổng").
	Columns []string
	Rows    []Row
}

// Row is one row of a table: a label, a count per column after the
// first, then Cells, already written, for the columns a count cannot
// fill (a rate "75,0", a target, "Đạt"). Total marks the closing row of
// sums.
type Row struct {
	Label  string
	Counts []int64
	Cells  []string
	Total  bool
}

// Geometry of the report, in millimetres: A4 portrait with the margins of
// the decision, so that the two file together.
const (
	reportLeft, reportTop, reportRight, reportBottom = 20.0, 20.0, 15.0, 20.0
	reportWidth                                      = 210 - reportLeft - reportRight
	// countWidth is a count column's: wide enough for "Không chấp
	// thuận" on two lines at the table's size.
	countWidth = 18.0
	// keepWithHeading is the room a table's heading needs under it: the
	// heading, a two-line header and a row.
	keepWithHeading = 30.0
)

// RenderReport writes r as an A4 portrait PDF: the title, the overview,
// then each table under a numbered heading, with its header repeated on
// every page it runs over. The output is deterministic, like the
// certificates'.
func RenderReport(w io.Writer, fonts Fonts, r Report) (err error) {
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("certificates: report PDF failed: %v", rec)
		}
	}()
	if r.Title == "" || r.GeneratedAt.IsZero() {
		return errors.New("certificates: a report needs a title and the time it was made")
	}
	if err := fonts.check(); err != nil {
		return fmt.Errorf("certificates: %w", err)
	}
	for _, t := range r.Tables {
		for _, row := range t.Rows {
			if len(t.Columns) != len(row.Counts)+len(row.Cells)+1 {
				return fmt.Errorf("certificates: report table %q: row %q has %d counts and %d cells for %d columns",
					t.Title, row.Label, len(row.Counts), len(row.Cells), len(t.Columns))
			}
		}
	}
	p := newDoc(fonts, "P", r.GeneratedAt, clean(r.Title))
	p.SetMargins(reportLeft, reportTop, reportRight)
	p.SetAutoPageBreak(true, reportBottom)
	p.AddPage()

	p.font("B", 14)
	p.MultiCell(0, 7, clean(r.Title), "", "C", false)
	p.SetY(p.GetY() + 4)
	overview := make([]tableRow, len(r.Overview))
	for i, f := range r.Overview {
		overview[i] = tableRow{cells: []string{f.Label, f.Value}}
	}
	drawTable(p, []column{{"", 55, "L"}, {"", reportWidth - 55, "L"}}, overview, 12, 6)

	for i, t := range r.Tables {
		p.SetY(p.GetY() + 6)
		// The heading stays with the start of its table: a new page when
		// not even the header and a row would fit under it.
		if _, pageH := p.GetPageSize(); p.GetY()+keepWithHeading > pageH-reportBottom {
			p.AddPage()
		}
		p.font("B", 13)
		p.MultiCell(0, 7, fmt.Sprintf("%d. %s", i+1, clean(t.Title)), "", "L", false)
		p.SetY(p.GetY() + 1)
		n := len(t.Columns) - 1
		cols := []column{{t.Columns[0], reportWidth - countWidth*float64(n), "L"}}
		for _, c := range t.Columns[1:] {
			cols = append(cols, column{c, countWidth, "R"})
		}
		rows := make([]tableRow, len(t.Rows))
		for j, row := range t.Rows {
			cells := []string{row.Label}
			for _, c := range row.Counts {
				cells = append(cells, groupDigits(c))
			}
			for _, c := range row.Cells {
				cells = append(cells, clean(c))
			}
			rows[j] = tableRow{cells: cells, bold: row.Total}
		}
		drawTable(p, cols, rows, 10, 5)
	}
	if err := p.Error(); err != nil {
		return fmt.Errorf("certificates: report: %w", err)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		return fmt.Errorf("certificates: report: %w", err)
	}
	_, err = w.Write(b.Bytes())
	return err
}

// groupDigits writes n with a dot between groups of three digits, as
// Vietnamese documents do: 12.345.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return sign + s
}
