package service

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// registerWorkbook is a workbook of the template's sheets (read back from
// the template itself) with these rows under their headers.
func registerWorkbook(t *testing.T, recognitions, counts [][]any) []byte {
	t.Helper()
	tpl, err := registerTemplate()
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(tpl))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for sheet, rows := range map[string][][]any{sheetRecognitions: recognitions, sheetCounts: counts} {
		for i, r := range rows {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			if err := f.SetSheetRow(sheet, cell, &r); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// household is a row of the recognitions' sheet in the template's order.
func household(name, title string, year any, score any, date string) []any {
	return []any{"Hộ gia đình", name, "Chủ " + name, nil, "Địa chỉ", "Khu phố Nhị Đồng 1", title, year, score, nil, "15/QĐ-UBND", date, nil, nil, nil, nil}
}

func registerRows(s *Service) (recs, holders, tally int64) {
	s.db.Model(&models.LearningRecognition{}).Count(&recs)
	s.db.Model(&models.LearningHolder{}).Count(&holders)
	var sum struct{ N int64 }
	s.db.Model(&models.LearningTally{}).Select("COALESCE(SUM(n), 0) AS n").Scan(&sum)
	return recs, holders, sum.N
}

func hasRowError(errs []RowError, row int, header string) bool {
	for _, e := range errs {
		if e.Row == row && e.Header == header && e.Column != "" && e.Message != "" {
			return true
		}
	}
	return false
}

func TestRegisterImportPreviewNamesTheCell(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	data := registerWorkbook(t, [][]any{
		household("Hộ A", "Gia đình học tập", 2025, 90, "15/12/2025"),           // 2: good
		household("Hộ B", "Gia đình hoc tap sai", 2025, 90, "15/12/2025"),       // 3: no such title
		household("Hộ C", "Gia đình học tập", 2025, 90, "31/02/2025"),           // 4: broken date
		household("Hộ D", "Gia đình học tập", 2025, 120, "15/12/2025"),          // 5: above 100
		household("Hộ A", "gia đình  HỌC TẬP", 2025, 80, "16/12/2025"),          // 6: row 2 again
		household("Hộ E", "Gia đình học tập", "hai nghìn", nil, ""),             // 7: not a year
		{"Cá nhân", "Lê Thị Mai", nil, nil, nil, nil, "Gia đình học tập", 2025}, // 8: a person is no household; no birth year
	}, [][]any{
		{2025, "Số hộ gia đình", 12500, "Thống kê 2025"}, // 2: good
		{2025, "Số hộ", 100, "Thống kê 2025"},            // 3: no such measure
		{2025, "Số hộ gia đình", 12600, "Thống kê lại"},  // 4: row 2 again
	})
	before := [3]int64{}
	before[0], before[1], before[2] = registerRows(s)
	got, err := s.ImportRegister(ctx, clerk, dian, data, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []struct {
		row    int
		header string
	}{{3, colTitle}, {4, colDecisionDate}, {5, colScore}, {6, colYear}, {7, colYear}, {8, colBirthYear}} {
		if !hasRowError(got.Errors, want.row, want.header) {
			t.Errorf("no error at row %d, %s: %+v", want.row, want.header, got.Errors)
		}
	}
	var counts int
	for _, e := range got.Errors {
		if e.Sheet == sheetCounts {
			counts++
		}
	}
	if counts != 2 || !hasRowError(got.Errors, 3, colMeasure) {
		t.Errorf("counts' errors: %+v", got.Errors)
	}
	for _, e := range got.Errors {
		if e.Row == 2 {
			t.Errorf("a good row refused: %+v", e)
		}
	}
	if got.Committed || got.Recognitions != 1 || got.Counts != 1 {
		t.Errorf("preview: %+v", got)
	}
	after := [3]int64{}
	after[0], after[1], after[2] = registerRows(s)
	if after != before {
		t.Errorf("a preview wrote: %v → %v", before, after)
	}
}

func TestRegisterImportCommitsAllOrNothing(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	good := [][]any{
		household("Hộ Một", "Gia đình học tập", 2025, 90, "15/12/2025"),
		household("Hộ Một", "Gia đình học tập", 2026, 95, "15/12/2026"), // the same household, next year
		household("Hộ Hai", "Gia đình học tập", 2025, nil, ""),
	}
	bad := append(append([][]any{}, good...), household("Hộ Ba", "Gia đình học tập", 2025, 101, ""))
	r0, h0, t0 := registerRows(s)

	// One bad row: nothing is written, the refusal names it.
	_, err := s.ImportRegister(ctx, clerk, dian, registerWorkbook(t, bad, nil), ImportOptions{Commit: true})
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrInvalid || len(e.Fields) != 1 || !strings.Contains(e.Fields[0].Message, "dòng 5") {
		t.Fatalf("commit with a bad row: %v %+v", err, e)
	}
	if r, h, n := registerRows(s); r != r0 || h != h0 || n != t0 {
		t.Fatalf("half-written: %d/%d/%d → %d/%d/%d", r0, h0, t0, r, h, n)
	}

	// All good: written with the tallies; two households, three decisions.
	var steps []string
	res, err := s.ImportRegister(ctx, clerk, dian, registerWorkbook(t, good, nil), ImportOptions{Commit: true,
		Progress: func(stage string, done, total int) { steps = append(steps, stage) }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Committed || res.Recognitions != 3 || res.NewHolders != 2 || len(steps) == 0 {
		t.Fatalf("commit: %+v %v", res, steps)
	}
	if r, h, n := registerRows(s); r != r0+3 || h != h0+2 || n != t0+3 {
		t.Fatalf("after the commit: %d/%d/%d from %d/%d/%d", r, h, n, r0, h0, t0)
	}
	list, err := s.Recognitions(ctx, clerk, RecognitionQuery{UnitID: dian, Year: 2026, Title: "Gia đình học tập"})
	if err != nil || list.Total != 1 || list.Items[0].HolderName != "Hộ Một" {
		t.Fatalf("the 2026 list: %+v %v", list, err)
	}

	// The same sheet again: every row is already in the register.
	r1, h1, t1 := registerRows(s)
	again, err := s.ImportRegister(ctx, clerk, dian, registerWorkbook(t, good, nil), ImportOptions{})
	if err != nil || len(again.Errors) != 3 || !hasRowError(again.Errors, 2, colYear) {
		t.Fatalf("the same sheet twice: %+v %v", again, err)
	}
	if _, err := s.ImportRegister(ctx, clerk, dian, registerWorkbook(t, good, nil), ImportOptions{Commit: true}); err == nil {
		t.Fatal("the same sheet committed twice")
	}
	if r, h, n := registerRows(s); r != r1 || h != h1 || n != t1 {
		t.Fatal("a refused commit wrote")
	}

	// Another commune's clerk imports nothing into this register.
	if _, err := s.ImportRegister(ctx, callerOf(t, s, "donvi.donghoa"), dian, registerWorkbook(t, good, nil), ImportOptions{}); err == nil {
		t.Fatal("another commune previews Phường Dĩ An's register")
	}
}

func TestRecognitionListAndExportKeepToTheRegister(t *testing.T) {
	s := adminService(t)
	ctx := context.Background()
	clerk := callerOf(t, s, "vanthu.phuongdian")
	dian := seed.NewCommuneID("Phường Dĩ An")
	in := HolderInput{Kind: "person", Name: "Lê Thị Mai", BirthYear: 1985, Address: "Khu phố Thống Nhất", Category: "worker",
		CCCD: "074185001234", UnitID: dian, SinceYear: 2003}
	h, err := s.CreateHolder(ctx, clerk, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordRecognition(ctx, clerk, RecognitionInput{HolderID: h.ID, Title: "cong-dan-hoc-tap", Year: 2026, Status: "recognised"}); err != nil {
		t.Fatal(err)
	}
	q := RecognitionQuery{UnitID: dian, WithPredecessors: true, PerPage: 5}
	page, err := s.Recognitions(ctx, clerk, q)
	if err != nil || page.Total == 0 || len(page.Items) == 0 || len(page.Items) > 5 {
		t.Fatalf("Phường Dĩ An's list: %+v %v", page, err)
	}
	if second, _ := s.Recognitions(ctx, clerk, RecognitionQuery{UnitID: dian, WithPredecessors: true, PerPage: 5, Page: 2}); page.Total > 5 && (len(second.Items) == 0 || second.Items[0].ID == page.Items[0].ID) {
		t.Errorf("page 2: %+v", second.Items)
	}
	// Another commune's clerk: refused for this unit, and its own list
	// (no unit) holds none of this unit's rows.
	other := callerOf(t, s, "donvi.donghoa")
	if _, err := s.Recognitions(ctx, other, q); err == nil {
		t.Error("another commune lists Phường Dĩ An's register")
	}
	own, err := s.Recognitions(ctx, other, RecognitionQuery{PerPage: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range own.Items {
		if r.HolderID == h.ID || r.UnitID == dian {
			t.Fatalf("another commune sees %+v", r)
		}
	}
	if _, err := s.ExportRecognitions(ctx, other, q); err == nil {
		t.Error("another commune exports Phường Dĩ An's register")
	}
	_, err = s.Recognitions(ctx, clerk, RecognitionQuery{Title: "Danh hiệu lạ"})
	refusedAt(t, err, "/title")

	// The export reads back: the header, and the person by name without
	// the CCCD or its key.
	d, err := s.ExportRecognitions(ctx, clerk, RecognitionQuery{UnitID: dian, Year: 2026})
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(d.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) < 2 || strings.Join(rows[0], "|") != strings.Join(recognitionHeader, "|") {
		t.Fatalf("export: %v %v", rows, err)
	}
	var row models.LearningHolder
	s.db.First(&row, "id = ?", h.ID)
	found := false
	for _, r := range rows[1:] {
		line := strings.Join(r, "|")
		if strings.Contains(line, in.CCCD) || strings.Contains(line, row.PersonKey) {
			t.Fatalf("the export shows the CCCD: %s", line)
		}
		found = found || (strings.Contains(line, "Lê Thị Mai") && strings.Contains(line, "Công dân học tập") && strings.Contains(line, "Người lao động"))
	}
	if !found {
		t.Fatalf("the person is not in the export: %v", rows)
	}
	// An export read back imports as the register's own sheet: its rows
	// are found in the register already.
	f.SetSheetName(f.GetSheetList()[0], sheetRecognitions)
	var b bytes.Buffer
	f.Write(&b)
	again, err := s.ImportRegister(ctx, clerk, dian, b.Bytes(), ImportOptions{})
	if err != nil || len(again.Errors) == 0 || again.Recognitions != len(rows)-1 {
		t.Fatalf("the export imported again: %+v %v", again, err)
	}
}

// Two people of one name, year of birth and ấp with different CCCDs are
// two holders; one without a CCCD in the sheet is the one in the register.
func TestHolderOfKeepsPeopleApart(t *testing.T) {
	kept := models.LearningHolder{ID: "h-1", Kind: "person", Name: "Nguyễn Văn An", BirthYear: 1980, Area: "Ấp 1", PersonKey: "k1"}
	holders := map[string]*models.LearningHolder{}
	for _, id := range holderIdentities(kept) {
		holders[id] = &kept
	}
	other := kept
	other.ID, other.PersonKey = "", "k2"
	if got, _ := holderOf(holders, other); got != nil {
		t.Fatalf("another CCCD matched %s", got.ID)
	}
	same := kept
	same.ID, same.PersonKey = "", ""
	if got, _ := holderOf(holders, same); got == nil || got.ID != "h-1" {
		t.Fatalf("the same person without a CCCD: %v", got)
	}
}
