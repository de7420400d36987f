package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// maxExportRows bounds one export; a larger list must be filtered.
const maxExportRows = 50000

var exportHeader = []string{"STT", "Mã hồ sơ", "Đối tượng", "Loại đối tượng", "Hình thức khen thưởng",
	"Đợt xét", "Đơn vị đề nghị", "Trạng thái", "Cấp đang xét", "Đơn vị đang xét", "Hạn xét", "Quá hạn",
	"Ngày gửi", "Cập nhật"}

var kindLabels = map[string]string{
	"individual": "Cá nhân", "household": "Hộ gia đình", "clan": "Dòng họ",
	"collective": "Tập thể", "enterprise": "Doanh nghiệp", "community": "Cộng đồng",
}

// Export formats.
const (
	FormatXLSX = "xlsx"
	FormatCSV  = "csv"
)

// Export is the caller's list of nominations (inbox set: their inbox),
// filtered and sorted by q, as a workbook or a CSV file (format) with
// Vietnamese headers; name begins the file's name.
func (s *Service) Export(ctx context.Context, who Caller, q ListQuery, inbox bool, format, name string) (Document, error) {
	if err := checkSort(q.Sort); err != nil {
		return Document{}, err
	}
	total, err := s.CountNominations(ctx, who, q, inbox)
	if err != nil {
		return Document{}, err
	}
	if total > maxExportRows {
		return Document{}, &Error{Kind: ErrInvalid,
			Message:   fmt.Sprintf("Danh sách có %d hồ sơ, vượt quá %d; hãy lọc bớt trước khi xuất.", total, maxExportRows),
			MessageEN: fmt.Sprintf("The list has %d rows, more than %d; filter it before exporting.", total, maxExportRows)}
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return Document{}, fmt.Errorf("unit names: %w", err)
	}
	table := [][]string{exportHeader}
	if err := s.EachNomination(ctx, who, q, inbox, func(n models.Nomination) error {
		table = append(table, s.exportRow(len(table), n, names))
		return nil
	}); err != nil {
		return Document{}, fmt.Errorf("export: %w", err)
	}
	stamp := s.now().In(calendar.Zone).Format("20060102-1504")
	if format == FormatCSV {
		var b bytes.Buffer
		b.WriteString("\uFEFF") // Excel needs the BOM to read UTF-8
		w := csv.NewWriter(&b)
		for _, r := range table {
			safe := make([]string, len(r))
			for j, cell := range r {
				safe[j] = neutralize(cell)
			}
			if err := w.Write(safe); err != nil {
				return Document{}, fmt.Errorf("export csv: %w", err)
			}
		}
		w.Flush()
		return Document{Name: fmt.Sprintf("%s-%s.csv", name, stamp), ContentType: "text/csv; charset=utf-8", Body: b.Bytes()}, nil
	}
	b, err := exportWorkbook(table)
	if err != nil {
		return Document{}, fmt.Errorf("export workbook: %w", err)
	}
	return Document{Name: fmt.Sprintf("%s-%s.xlsx", name, stamp), ContentType: contentXLSX, Body: b}, nil
}

// exportWorkbook writes a table as one sheet, its first row bold.
func exportWorkbook(table [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Danh sách"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for i, r := range table {
		cells := make([]any, len(r))
		for j, v := range r {
			if i == 0 {
				cells[j] = excelize.Cell{StyleID: bold, Value: v}
			} else {
				cells[j] = v
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		if err := sw.SetRow(cell, cells); err != nil {
			return nil, err
		}
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (s *Service) exportRow(i int, n models.Nomination, units map[string]string) []string {
	award := n.Award
	if a, err := routing.LookupAward(routing.Award(n.Award)); err == nil {
		award = a.Name
	}
	date := func(t *time.Time, layout string) string {
		if t == nil {
			return ""
		}
		return t.In(calendar.Zone).Format(layout)
	}
	overdue := ""
	if n.Status == workflows.StatusInReview && n.DueAt != nil && s.now().After(*n.DueAt) {
		overdue = "Quá hạn"
	}
	level := ""
	if n.CurrentLevel != "" {
		level = routing.Level(n.CurrentLevel).Label()
	}
	var due *time.Time
	if n.DueAt != nil {
		last := n.DueAt.Add(-time.Nanosecond) // the last day of the term
		due = &last
	}
	updated := n.UpdatedAt
	return []string{fmt.Sprint(i), n.ID, n.NomineeName, kindLabels[n.NomineeKind], award, n.RoundID,
		units[n.UnitID], access.StatusNames[n.Status], level, units[n.CurrentUnitID], date(due, "02/01/2006"), overdue,
		date(n.SubmittedAt, "02/01/2006 15:04"), date(&updated, "02/01/2006 15:04")}
}

// neutralize stops a spreadsheet from reading a cell a user typed as a
// formula (CSV injection): such cells get a leading apostrophe.
func neutralize(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
