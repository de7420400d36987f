package api

import (
	"bytes"
	"fmt"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// reportStatuses are the status columns of the report, in the order of a
// nomination's life.
var reportStatuses = []string{workflows.StatusDraft, workflows.StatusInReview, workflows.StatusReturned,
	workflows.StatusAccepted, workflows.StatusRejected, workflows.StatusWithdrawn}

// unfinishedLevel labels the nominations that wait at no level: drafts
// and finished ones.
const unfinishedLevel = "(đã kết thúc hoặc chưa gửi)"

// roundReportData gathers the round's report — what the Department of
// Education consolidates every year before 20 November and for the
// preliminary and final reviews: counts by award, by level, by status and
// by nominating unit. The nominations are counted by one query grouped by
// all four, and every table is summed from its rows, so the tables of one
// report agree with each other and the workbook with the PDF.
func (s *Server) roundReportData(c echo.Context) (models.Round, certificates.Report, error) {
	ctx := c.Request().Context()
	round, err := s.pathRound(c)
	if err != nil {
		return round, certificates.Report{}, err
	}
	var groups []struct {
		Award        string
		CurrentLevel string
		UnitID       string
		Status       string
		Count        int64
	}
	// A reviewer's report counts what passes their unit at their level;
	// Interior's and the province's administrator's, the whole round.
	if err := s.DB.WithContext(ctx).Model(&models.Nomination{}).Scopes(s.visibleTo(currentCaller(c))).Where("round_id = ?", round.ID).
		Select("award, current_level, unit_id, status, COUNT(*) AS count").
		Group("award, current_level, unit_id, status").Scan(&groups).Error; err != nil {
		return round, certificates.Report{}, fmt.Errorf("count the nominations of round %s: %w", round.ID, err)
	}
	names, err := s.unitNames(c)
	if err != nil {
		return round, certificates.Report{}, err
	}

	// tally counts per key and status, for a table with a column per status.
	type tally map[string]map[string]int64
	byAward, byLevel, byUnit, byStatus := tally{}, tally{}, tally{}, tally{}
	add := func(t tally, key, status string, n int64) {
		if t[key] == nil {
			t[key] = map[string]int64{}
		}
		t[key][status] += n
	}
	for _, g := range groups {
		add(byAward, g.Award, g.Status, g.Count)
		add(byLevel, g.CurrentLevel, g.Status, g.Count)
		add(byUnit, g.UnitID, g.Status, g.Count)
		add(byStatus, g.Status, "", g.Count)
	}
	columns := func(first string) []string {
		cols := []string{first}
		for _, st := range reportStatuses {
			cols = append(cols, statusLabels[st])
		}
		return append(cols, "Tổng")
	}
	// perStatus makes the rows of t for keys in order, labelled, and the
	// row of totals.
	perStatus := func(t tally, keys []string, label func(string) string) []certificates.Row {
		var rows []certificates.Row
		sums := make([]int64, len(reportStatuses)+1)
		for _, k := range keys {
			counts := make([]int64, len(reportStatuses)+1)
			for i, st := range reportStatuses {
				counts[i] = t[k][st]
				counts[len(reportStatuses)] += t[k][st]
			}
			for i, n := range counts {
				sums[i] += n
			}
			rows = append(rows, certificates.Row{Label: label(k), Counts: counts})
		}
		return append(rows, certificates.Row{Label: "Tổng cộng", Counts: sums, Total: true})
	}

	// Awards and levels in the routing table's order, anything else after;
	// units by name, as a reader looks them up.
	awards := orderedKeys(byAward, func(k string) int {
		for i, a := range routing.Awards {
			if string(a.Code) == k {
				return i
			}
		}
		return len(routing.Awards)
	})
	levels := orderedKeys(byLevel, func(k string) int {
		if k == "" {
			return len(routing.Levels) + 1
		}
		if r := routing.Level(k).Rank(); r >= 0 {
			return r
		}
		return len(routing.Levels)
	})
	units := orderedKeys(byUnit, func(string) int { return 0 })
	sort.SliceStable(units, func(i, j int) bool {
		return textnorm.Fold(names[units[i]]) < textnorm.Fold(names[units[j]])
	})
	statusRows := make([]certificates.Row, 0, len(reportStatuses)+1)
	var total int64
	for _, st := range reportStatuses {
		statusRows = append(statusRows, certificates.Row{Label: statusLabels[st], Counts: []int64{byStatus[st][""]}})
		total += byStatus[st][""]
	}
	statusRows = append(statusRows, certificates.Row{Label: "Tổng cộng", Counts: []int64{total}, Total: true})

	const stamp = "15:04 ngày 02/01/2006"
	now := s.now()
	report := certificates.Report{
		Title: "BÁO CÁO ĐỢT XÉT KHEN THƯỞNG",
		Overview: []certificates.Field{
			{Label: "Đợt", Value: round.Name},
			{Label: "Giai đoạn", Value: fmt.Sprintf("%d – %d", round.PeriodFrom, round.PeriodTo)},
			{Label: "Thời hạn nhận hồ sơ", Value: round.ClosesAt.In(calendar.Zone).Format(stamp)},
			{Label: "Lập lúc", Value: now.In(calendar.Zone).Format(stamp)},
		},
		GeneratedAt: now,
		Tables: []certificates.Table{
			{Title: "Theo hình thức", Columns: columns("Hình thức khen thưởng"), Rows: perStatus(byAward, awards, awardName)},
			{Title: "Theo cấp xét", Columns: columns("Cấp đang xét"), Rows: perStatus(byLevel, levels, levelLabel)},
			{Title: "Theo trạng thái", Columns: []string{"Trạng thái", "Số hồ sơ"}, Rows: statusRows},
			{Title: "Theo đơn vị", Columns: columns("Đơn vị đề nghị"), Rows: perStatus(byUnit, units, func(k string) string {
				if n := names[k]; n != "" {
					return n
				}
				return k
			})},
		},
	}
	return round, report, nil
}

// orderedKeys returns the keys of m sorted by rank, then by key.
func orderedKeys[V any](m map[string]V, rank func(string) int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	return keys
}

func awardName(code string) string {
	if a, err := routing.LookupAward(routing.Award(code)); err == nil {
		return a.Name
	}
	return code
}

func levelLabel(level string) string {
	if level == "" {
		return unfinishedLevel
	}
	return routing.Level(level).Label()
}

// roundReport serves the round's report as a workbook: the overview sheet
// and one sheet per table.
func (s *Server) roundReport(c echo.Context) error {
	round, report, err := s.roundReportData(c)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	const overview = "Tổng quan"
	if err := f.SetSheetName("Sheet1", overview); err != nil {
		return fmt.Errorf("report workbook: %w", err)
	}
	lines := [][]any{{"Báo cáo đợt xét khen thưởng"}}
	for _, fl := range report.Overview {
		lines = append(lines, []any{fl.Label, fl.Value})
	}
	for i := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(overview, cell, &lines[i]); err != nil {
			return fmt.Errorf("report workbook: %w", err)
		}
	}
	for _, t := range report.Tables {
		if _, err := f.NewSheet(t.Title); err != nil {
			return fmt.Errorf("report workbook: sheet %s: %w", t.Title, err)
		}
		header := make([]any, len(t.Columns))
		for i, col := range t.Columns {
			header[i] = col
		}
		if err := f.SetSheetRow(t.Title, "A1", &header); err != nil {
			return fmt.Errorf("report workbook: %w", err)
		}
		for i, r := range t.Rows {
			line := []any{r.Label}
			for _, n := range r.Counts {
				line = append(line, n)
			}
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(t.Title, cell, &line); err != nil {
				return fmt.Errorf("report workbook: %w", err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return fmt.Errorf("report workbook: %w", err)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="bao-cao-%s.xlsx"`, round.Code))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
}

// roundReportPDF serves the same report as a PDF, for filing and printing.
func (s *Server) roundReportPDF(c echo.Context) error {
	round, report, err := s.roundReportData(c)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if err := certificates.RenderReport(&b, s.fonts(), report); err != nil {
		return fmt.Errorf("report of round %s: %w", round.ID, err)
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="bao-cao-%s.pdf"`, round.Code))
	return c.Blob(http.StatusOK, pdfType, b.Bytes())
}
