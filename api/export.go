package api

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

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

// statusLabels are the Vietnamese names of the statuses.
var statusLabels = map[string]string{
	workflows.StatusDraft: "Đang soạn", workflows.StatusInReview: "Đang xét",
	workflows.StatusReturned: "Trả lại để bổ sung", workflows.StatusAccepted: "Được chấp thuận",
	workflows.StatusRejected: "Không chấp thuận", workflows.StatusWithdrawn: "Đã rút",
}

var kindLabels = map[string]string{
	"individual": "Cá nhân", "household": "Hộ gia đình", "clan": "Dòng họ",
	"collective": "Tập thể", "enterprise": "Doanh nghiệp", "community": "Cộng đồng",
}

func (s *Server) exportNominations(c echo.Context) error {
	q, err := s.listQuery(c)
	if err != nil {
		return err
	}
	return s.export(c, q, "danh-sach-ho-so")
}

func (s *Server) exportInbox(c echo.Context) error {
	q, err := s.inboxQuery(c)
	if err != nil {
		return err
	}
	return s.export(c, q, "ho-so-cho-xu-ly")
}

// export writes the rows of q as .xlsx or .csv (from the path's extension)
// with Vietnamese headers.
func (s *Server) export(c echo.Context, q *gorm.DB, name string) error {
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return err
	}
	if total > maxExportRows {
		return problem(http.StatusUnprocessableEntity,
			fmt.Sprintf("Danh sách có %d hồ sơ, vượt quá %d; hãy lọc bớt trước khi xuất.", total, maxExportRows),
			fmt.Sprintf("The list has %d rows, more than %d; filter it before exporting.", total, maxExportRows))
	}
	q, err := order(c, q)
	if err != nil {
		return err
	}
	var rows []models.Nomination
	if err := q.Omit("dossier").Find(&rows).Error; err != nil {
		return err
	}
	names, err := s.unitNames(c)
	if err != nil {
		return err
	}
	table := [][]string{exportHeader}
	for i, n := range rows {
		table = append(table, s.exportRow(i+1, n, names))
	}
	stamp := s.now().In(calendar.Zone).Format("20060102-1504")
	if strings.HasSuffix(c.Path(), ".csv") {
		var b bytes.Buffer
		b.WriteString("\uFEFF") // Excel needs the BOM to read UTF-8
		w := csv.NewWriter(&b)
		for _, r := range table {
			safe := make([]string, len(r))
			for j, cell := range r {
				safe[j] = neutralize(cell)
			}
			if err := w.Write(safe); err != nil {
				return err
			}
		}
		w.Flush()
		c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.csv"`, name, stamp))
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Danh sách"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	for i, r := range table {
		cells := make([]any, len(r))
		for j, v := range r {
			if i == 0 {
				cells[j] = excelize.Cell{StyleID: bold, Value: v}
			} else {
				cells[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s-%s.xlsx"`, name, stamp))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
}

// unitNames maps unit IDs to names, from the reference cache.
func (s *Server) unitNames(c echo.Context) (map[string]string, error) {
	return s.reference().UnitNames(c.Request().Context())
}

func (s *Server) exportRow(i int, n models.Nomination, units map[string]string) []string {
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
		units[n.UnitID], statusLabels[n.Status], level, units[n.CurrentUnitID], date(due, "02/01/2006"), overdue,
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
