package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// A round's report is what the Department of Education consolidates
// every year before 20 November and for the preliminary and final
// reviews: counts by award, by level, by status and by nominating unit.
// It is gathered once and rendered as a workbook or a PDF, so the two
// always say the same.

// contentXLSX is the type of the workbooks served here.
const contentXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// reportStatuses are the status columns of the report, in the order of a
// nomination's life.
var reportStatuses = []string{access.StatusDraft, access.StatusInReview, access.StatusReturned,
	access.StatusAccepted, access.StatusRejected, access.StatusWithdrawn}

// unfinishedLevel labels the nominations that wait at no level: drafts
// and finished ones.
const unfinishedLevel = "(đã kết thúc hoặc chưa gửi)"

// ReportScope narrows a round's report to one unit's nominations and,
// WithPredecessors, those of the units it comes from (the new Phường Dĩ
// An's report counts what old Dĩ An and An Bình filed). Zero: the whole
// round the caller sees.
type ReportScope struct {
	UnitID           string
	WithPredecessors bool
}

// RoundReportXLSX is round id's report as a workbook: the overview sheet
// and one sheet per table.
func (s *Service) RoundReportXLSX(ctx context.Context, who Caller, id string, scope ReportScope) (Document, error) {
	round, report, err := s.roundReport(ctx, who, id, scope)
	if err != nil {
		return Document{}, err
	}
	b, err := reportWorkbook(report)
	if err != nil {
		return Document{}, fmt.Errorf("report workbook of round %s: %w", round.ID, err)
	}
	return Document{Name: "bao-cao-" + round.Code + ".xlsx", ContentType: contentXLSX, Body: b}, nil
}

// RoundReportPDF is the same report as a PDF, for filing and printing.
func (s *Service) RoundReportPDF(ctx context.Context, who Caller, id string, scope ReportScope) (Document, error) {
	round, report, err := s.roundReport(ctx, who, id, scope)
	if err != nil {
		return Document{}, err
	}
	var b bytes.Buffer
	if err := certificates.RenderReport(&b, s.typeset(), report); err != nil {
		return Document{}, fmt.Errorf("report of round %s: %w", round.ID, err)
	}
	return Document{Name: "bao-cao-" + round.Code + ".pdf", ContentType: contentPDF, Body: b.Bytes()}, nil
}

// reportCount is the number of nominations of one award, level, unit and
// status.
type reportCount struct {
	Award        string
	CurrentLevel string
	UnitID       string
	Status       string
	Count        int64
}

// tally counts per key and status, for a table with a column per status.
type tally map[string]map[string]int64

func (t tally) add(key, status string, n int64) {
	if t[key] == nil {
		t[key] = map[string]int64{}
	}
	t[key][status] += n
}

// roundReport gathers round id's report for who: a reviewer's counts what
// passes their unit at their level; Interior's and the province's
// administrator's, the whole round. The nominations are counted by one
// query grouped by award, level, unit and status, and every table is
// summed from its rows, so the tables of one report agree with each other.
func (s *Service) roundReport(ctx context.Context, who Caller, id string, scope ReportScope) (models.Round, certificates.Report, error) {
	if err := who.Require(models.RoleInterior, models.RoleAdmin, models.RoleReviewer); err != nil {
		return models.Round{}, certificates.Report{}, err
	}
	ctx = s.ref.Pin(ctx)
	round, err := s.ref.Round(ctx, id)
	if errors.Is(err, models.ErrNotFound) {
		return round, certificates.Report{}, errNoRound()
	}
	if err != nil {
		return round, certificates.Report{}, err
	}
	q := s.db.WithContext(ctx).Model(&models.Nomination{}).Scopes(seenBy(who)).Where("round_id = ?", round.ID)
	if scope.UnitID != "" {
		if _, err := loadUnit(ctx, s.db, scope.UnitID); err != nil {
			return round, certificates.Report{}, err
		}
		scoped := []string{scope.UnitID}
		if scope.WithPredecessors {
			lineage, err := s.ref.Lineage(ctx)
			if err != nil {
				return round, certificates.Report{}, err
			}
			scoped = models.WithPredecessors(lineage, scope.UnitID)
		}
		q = q.Where("unit_id IN ?", scoped)
	}
	var groups []reportCount
	if err := q.
		Select("award, current_level, unit_id, status, COUNT(*) AS count").
		Group("award, current_level, unit_id, status").Scan(&groups).Error; err != nil {
		return round, certificates.Report{}, fmt.Errorf("count the nominations of round %s: %w", round.ID, err)
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return round, certificates.Report{}, err
	}
	byAward, byLevel, byUnit, byStatus := tally{}, tally{}, tally{}, tally{}
	for _, g := range groups {
		byAward.add(g.Award, g.Status, g.Count)
		byLevel.add(g.CurrentLevel, g.Status, g.Count)
		byUnit.add(g.UnitID, g.Status, g.Count)
		byStatus.add(g.Status, "", g.Count)
	}
	unitName := func(k string) string {
		if n := names[k]; n != "" {
			return n
		}
		return k
	}
	// Awards and levels in the routing table's order, anything else after;
	// units by name, as a reader looks them up.
	units := orderedKeys(byUnit, func(string) int { return 0 })
	sort.SliceStable(units, func(i, j int) bool { return textnorm.Fold(names[units[i]]) < textnorm.Fold(names[units[j]]) })
	const stamp = "15:04 ngày 02/01/2006"
	now := s.now()
	report := certificates.Report{
		Title:   "BÁO CÁO ĐỢT XÉT KHEN THƯỞNG",
		Heading: "Báo cáo đợt xét khen thưởng",
		Overview: []certificates.Field{
			{Label: "Đợt", Value: round.Name},
			{Label: "Giai đoạn", Value: fmt.Sprintf("%d – %d", round.PeriodFrom, round.PeriodTo)},
			{Label: "Thời hạn nhận hồ sơ", Value: round.ClosesAt.In(calendar.Zone).Format(stamp)},
			{Label: "Lập lúc", Value: now.In(calendar.Zone).Format(stamp)},
		},
		GeneratedAt: now,
		Tables: []certificates.Table{
			{Title: "Theo hình thức", Columns: statusColumns("Hình thức khen thưởng"), Rows: perStatus(byAward, orderedKeys(byAward, awardRank), awardName)},
			{Title: "Theo cấp xét", Columns: statusColumns("Cấp đang xét"), Rows: perStatus(byLevel, orderedKeys(byLevel, levelRank), levelLabel)},
			{Title: "Theo trạng thái", Columns: []string{"Trạng thái", "Số hồ sơ"}, Rows: statusRows(byStatus)},
			{Title: "Theo đơn vị", Columns: statusColumns("Đơn vị đề nghị"), Rows: perStatus(byUnit, units, unitName)},
		},
	}
	if scope.UnitID != "" {
		unit := unitName(scope.UnitID)
		if scope.WithPredecessors {
			unit += " (kể cả các đơn vị tiền thân)"
		}
		report.Overview = slices.Insert(report.Overview, 1, certificates.Field{Label: "Đơn vị", Value: unit})
	}
	return round, report, nil
}

// statusColumns are the headings of a table with a column per status.
func statusColumns(first string) []string {
	cols := []string{first}
	for _, st := range reportStatuses {
		cols = append(cols, access.StatusNames[st])
	}
	return append(cols, "Tổng")
}

// perStatus makes the rows of t for keys in order, labelled, and the row
// of totals.
func perStatus(t tally, keys []string, label func(string) string) []certificates.Row {
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

// statusRows are the rows of the table by status, and their total.
func statusRows(byStatus tally) []certificates.Row {
	rows := make([]certificates.Row, 0, len(reportStatuses)+1)
	var total int64
	for _, st := range reportStatuses {
		rows = append(rows, certificates.Row{Label: access.StatusNames[st], Counts: []int64{byStatus[st][""]}})
		total += byStatus[st][""]
	}
	return append(rows, certificates.Row{Label: "Tổng cộng", Counts: []int64{total}, Total: true})
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

// awardRank orders awards as the routing table lists them.
func awardRank(k string) int {
	for i, a := range routing.Awards {
		if string(a.Code) == k {
			return i
		}
	}
	return len(routing.Awards)
}

// levelRank orders levels from the commune up, no level last.
func levelRank(k string) int {
	if k == "" {
		return len(routing.Levels) + 1
	}
	if r := routing.Level(k).Rank(); r >= 0 {
		return r
	}
	return len(routing.Levels)
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

// reportWorkbook lays report out as a workbook: the overview sheet and a
// sheet per table, counts as numbers and written cells as text. The
// round's report and the learning indicators' (indicatorexports.go) both
// go through it.
func reportWorkbook(report certificates.Report) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close() // in memory: closing frees nothing that can fail
	const overview = "Tổng quan"
	if err := f.SetSheetName("Sheet1", overview); err != nil {
		return nil, err
	}
	heading := report.Heading
	if heading == "" {
		heading = report.Title
	}
	lines := [][]any{{heading}}
	for _, fl := range report.Overview {
		lines = append(lines, []any{fl.Label, fl.Value})
	}
	for i := range lines {
		if err := setRow(f, overview, i+1, lines[i]); err != nil {
			return nil, err
		}
	}
	for _, t := range report.Tables {
		if _, err := f.NewSheet(t.Title); err != nil {
			return nil, fmt.Errorf("sheet %s: %w", t.Title, err)
		}
		header := make([]any, len(t.Columns))
		for i, col := range t.Columns {
			header[i] = col
		}
		if err := setRow(f, t.Title, 1, header); err != nil {
			return nil, err
		}
		for i, r := range t.Rows {
			line := []any{r.Label}
			for _, n := range r.Counts {
				line = append(line, n)
			}
			for _, c := range r.Cells {
				line = append(line, c)
			}
			if err := setRow(f, t.Title, i+2, line); err != nil {
				return nil, err
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// setRow writes values into row n (from 1) of sheet.
func setRow(f *excelize.File, sheet string, n int, values []any) error {
	cell, err := excelize.CoordinatesToCellName(1, n)
	if err != nil {
		return err
	}
	return f.SetSheetRow(sheet, cell, &values)
}
