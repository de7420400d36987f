package service

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// The plan's indicators for a unit and a year as a workbook and a PDF,
// for the 20 November report and the sơ kết/tổng kết files: the totals
// and, per indicator, the commune-level units within. They are laid out
// as a certificates.Report and go through the round report's workbook
// and PDF (reports.go), so the two documents say the same as each other
// and as the dashboard, which reads the same Indicators.

// IndicatorsXLSX is the indicators of unitID and year as a workbook.
func (s *Service) IndicatorsXLSX(ctx context.Context, who Caller, unitID, year string) (Document, error) {
	v, report, err := s.indicatorsReport(ctx, who, unitID, year)
	if err != nil {
		return Document{}, err
	}
	b, err := reportWorkbook(report)
	if err != nil {
		return Document{}, fmt.Errorf("indicators workbook of %s %d: %w", v.UnitID, v.Year, err)
	}
	return Document{Name: indicatorsFile(v, "xlsx"), ContentType: contentXLSX, Body: b}, nil
}

// IndicatorsPDF is the same as an A4 PDF, for filing and printing.
func (s *Service) IndicatorsPDF(ctx context.Context, who Caller, unitID, year string) (Document, error) {
	v, report, err := s.indicatorsReport(ctx, who, unitID, year)
	if err != nil {
		return Document{}, err
	}
	var b bytes.Buffer
	if err := certificates.RenderReport(&b, s.typeset(), report); err != nil {
		return Document{}, fmt.Errorf("indicators PDF of %s %d: %w", v.UnitID, v.Year, err)
	}
	return Document{Name: indicatorsFile(v, "pdf"), ContentType: contentPDF, Body: b.Bytes()}, nil
}

// indicatorsFile names an export: chi-tieu-hoc-tap-<unit>-<year>.<ext>.
func indicatorsFile(v IndicatorsView, ext string) string {
	return fmt.Sprintf("chi-tieu-hoc-tap-%s-%d.%s", v.UnitID, v.Year, ext)
}

// indicatorColumns head the totals' table; communeColumns a commune
// table's, which has the same but the target, said once in its title.
var (
	indicatorColumns = []string{"Chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Chỉ tiêu KH (%)", "Kết quả"}
	communeColumns   = []string{"Đơn vị cấp xã", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Kết quả"}
)

// indicatorsReport gathers the indicators as a report: the overview (the
// unit, the year, the day of the tree, the units summed with the partial
// ones marked), the totals, then a table per indicator over the
// commune-level units, in the dashboard's ranked order.
func (s *Service) indicatorsReport(ctx context.Context, who Caller, unitID, year string) (IndicatorsView, certificates.Report, error) {
	v, err := s.Indicators(ctx, who, unitID, year)
	if err != nil {
		return v, certificates.Report{}, err
	}
	const stamp = "15:04 ngày 02/01/2006"
	now := s.now()
	report := certificates.Report{
		Title:   "BÁO CÁO CHỈ TIÊU XÂY DỰNG XÃ HỘI HỌC TẬP",
		Heading: "Báo cáo chỉ tiêu xây dựng xã hội học tập",
		Overview: []certificates.Field{
			{Label: "Đơn vị", Value: v.UnitName},
			{Label: "Năm", Value: fmt.Sprint(v.Year)},
			{Label: "Địa giới tính đến ngày", Value: formatDay(v.Day)},
			{Label: "Số liệu gồm", Value: overText(v.Over)},
			{Label: "Lập lúc", Value: now.In(calendar.Zone).Format(stamp)},
		},
		GeneratedAt: now,
	}
	if v.Partial {
		report.Overview = append(report.Overview, certificates.Field{Label: "Lưu ý",
			Value: "Số liệu gồm cả đơn vị chỉ nhập một phần vào đơn vị này, nên chỉ mang tính tham khảo."})
	}
	totals := certificates.Table{Title: "Tổng hợp", Columns: indicatorColumns}
	for _, val := range v.Values {
		target := ""
		if val.Target != nil {
			target = fmt.Sprintf("%s (năm %d)", learning.FormatPercent(*val.Target), val.TargetYear)
		}
		totals.Rows = append(totals.Rows, certificates.Row{Label: val.Indicator.Name,
			Counts: []int64{val.Numerator, val.Denominator}, Cells: []string{percentText(val), target, val.Verdict()}})
	}
	report.Tables = append(report.Tables, totals)
	for _, ind := range learning.Indicators {
		if !ind.PerCommune() || len(v.Units) == 0 {
			continue
		}
		rows := RankUnits(v.Units, ind.Code)
		if len(rows) == 0 {
			continue // not reported this year
		}
		t := certificates.Table{Title: "Xã - " + learning.ShortName(ind.Code), Columns: communeColumns}
		for _, r := range rows {
			t.Rows = append(t.Rows, certificates.Row{Label: r.UnitName,
				Counts: []int64{r.Value.Numerator, r.Value.Denominator}, Cells: []string{percentText(r.Value), r.Value.Verdict()}})
		}
		report.Tables = append(report.Tables, t)
	}
	return v, report, nil
}

// percentText is a value's rate, or a dash when the denominator is not
// recorded.
func percentText(v learning.Value) string {
	if v.Percent == nil {
		return "—"
	}
	return learning.FormatPercent(*v.Percent)
}

// overText lists the units summed, the partial ones marked.
func overText(over []LineageView) string {
	names := make([]string, 0, len(over))
	for _, o := range over {
		n := o.Name
		if o.Share == models.SharePartial {
			n += " (một phần)"
		}
		names = append(names, n)
	}
	return strings.Join(names, "; ")
}

// formatDay writes a YYYY-MM-DD day as dd/mm/yyyy.
func formatDay(day string) string {
	if len(day) != 10 {
		return day
	}
	return day[8:10] + "/" + day[5:7] + "/" + day[0:4]
}

// RankedUnit is one commune-level unit's value of an indicator.
type RankedUnit struct {
	UnitID   string
	UnitName string
	Value    learning.Value
}

// RankUnits orders the units by their value of the indicator code, the
// highest rate first and those without a denominator last, by name
// within a tie (units come sorted by name). A unit whose year does not
// report the indicator is left out. The dashboard's ranked table and
// the exports share it.
func RankUnits(units []UnitIndicators, code string) []RankedUnit {
	var out []RankedUnit
	for _, u := range units {
		for _, val := range u.Values {
			if val.Indicator.Code == code {
				out = append(out, RankedUnit{UnitID: u.UnitID, UnitName: u.UnitName, Value: val})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b RankedUnit) int {
		pa, pb := a.Value.Percent, b.Value.Percent
		switch {
		case pa == nil && pb == nil:
			return 0
		case pa == nil:
			return 1
		case pb == nil:
			return -1
		}
		return cmp.Compare(*pb, *pa)
	})
	return out
}
