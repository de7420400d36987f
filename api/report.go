package api

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// roundReport is the round's report as a workbook: counts by award, by
// level, by status and by nominating unit (one sheet each), and the
// overview sheet — what the Department of Education consolidates every
// year before 20 November and for the preliminary and final reviews.
func (s *Server) roundReport(c echo.Context) error {
	ctx := c.Request().Context()
	round, err := s.reference().Round(ctx, c.Param("id"))
	if errors.Is(err, models.ErrNotFound) {
		return problem(http.StatusNotFound, "Không có đợt xét này.", "No such round.")
	}
	if err != nil {
		return err
	}
	type row struct {
		Key    string
		Status string
		Count  int64
	}
	count := func(col string) ([]row, error) {
		var rows []row
		err := s.DB.WithContext(ctx).Model(&models.Nomination{}).Where("round_id = ?", round.ID).
			Select(col + " AS key, status, COUNT(*) AS count").Group(col + ", status").Order(col).Scan(&rows).Error
		return rows, err
	}
	names, err := s.unitNames(c)
	if err != nil {
		return err
	}
	label := map[string]func(string) string{
		"award": func(k string) string {
			if a, err := routing.LookupAward(routing.Award(k)); err == nil {
				return a.Name
			}
			return k
		},
		"current_level": func(k string) string {
			if k == "" {
				return "(đã kết thúc hoặc chưa gửi)"
			}
			return routing.Level(k).Label()
		},
		"unit_id": func(k string) string { return names[k] },
	}
	statuses := []string{"draft", "in_review", "returned", "accepted", "rejected", "withdrawn"}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Tổng quan"); err != nil {
		return err
	}
	overview := [][]any{
		{"Báo cáo đợt xét khen thưởng"},
		{"Đợt", round.Name},
		{"Giai đoạn", fmt.Sprintf("%d – %d", round.PeriodFrom, round.PeriodTo)},
		{"Thời hạn nhận hồ sơ", round.ClosesAt.In(calendar.Zone).Format("15:04 ngày 02/01/2006")},
		{"Lập lúc", s.now().In(calendar.Zone).Format("15:04 ngày 02/01/2006")},
	}
	for i, r := range overview {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Tổng quan", cell, &r); err != nil {
			return err
		}
	}
	for _, sheet := range []struct{ name, col, header string }{
		{"Theo hình thức", "award", "Hình thức khen thưởng"},
		{"Theo cấp xét", "current_level", "Cấp đang xét"},
		{"Theo đơn vị", "unit_id", "Đơn vị đề nghị"},
	} {
		rows, err := count(sheet.col)
		if err != nil {
			return err
		}
		if _, err := f.NewSheet(sheet.name); err != nil {
			return err
		}
		header := []any{sheet.header}
		for _, st := range statuses {
			header = append(header, statusLabels[st])
		}
		header = append(header, "Tổng")
		if err := f.SetSheetRow(sheet.name, "A1", &header); err != nil {
			return err
		}
		byKey := map[string]map[string]int64{}
		var keys []string
		for _, r := range rows {
			if byKey[r.Key] == nil {
				byKey[r.Key] = map[string]int64{}
				keys = append(keys, r.Key)
			}
			byKey[r.Key][r.Status] += r.Count
		}
		for i, k := range keys {
			line := []any{label[sheet.col](k)}
			var total int64
			for _, st := range statuses {
				line = append(line, byKey[k][st])
				total += byKey[k][st]
			}
			line = append(line, total)
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(sheet.name, cell, &line); err != nil {
				return err
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="bao-cao-%s.xlsx"`, round.Code))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
}
