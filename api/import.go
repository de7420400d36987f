package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// importTemplate is the workbook to fill in: a sheet per nominee kind with
// one example row each, the common sheet and the list of awards.
func (s *Server) importTemplate(c echo.Context) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	for i, sh := range importSheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			return err
		}
		var header []any
		for _, col := range sh.cols {
			header = append(header, col.header)
		}
		last, _ := columnName(len(sh.cols) - 1)
		if err := errors.Join(f.SetSheetRow(sh.name, "A1", &header), f.SetSheetRow(sh.name, "A2", &sh.example),
			f.SetCellStyle(sh.name, "A1", last+"1", bold), f.SetColWidth(sh.name, "A", last, 28),
			f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(importCommonSheet); err != nil {
		return err
	}
	for i, k := range importCommon {
		row := []any{k.header, k.display(lookupPointer(importCommonExample, k.pointer))}
		if err := f.SetSheetRow(importCommonSheet, "A"+strconv.Itoa(i+1), &row); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet(importAwardsSheet); err != nil {
		return err
	}
	rows := [][]any{{"Mã", "Hình thức khen thưởng", "Cấp quyết định"}}
	for _, a := range routing.Awards {
		rows = append(rows, []any{string(a.Code), a.Name, a.DecidedBy})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(importAwardsSheet, "A"+strconv.Itoa(i+1), &r); err != nil {
			return err
		}
	}
	if err := errors.Join(f.SetColWidth(importCommonSheet, "A", "B", 40), f.SetColWidth(importAwardsSheet, "A", "C", 40),
		f.SetCellStyle(importAwardsSheet, "A1", "C1", bold)); err != nil {
		return err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="mau-nhap-ho-so.xlsx"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b.Bytes())
}

// importNominations creates one draft per row of an uploaded workbook, for
// the caller's unit in ?round=. Every row is validated as a complete
// dossier; errors are reported per row and column, and nothing is imported
// unless every row is valid.
func (s *Server) importNominations(c echo.Context) error {
	ctx := c.Request().Context()
	who := currentCaller(c)
	round, err := s.reference().Round(ctx, c.QueryParam("round"))
	if errors.Is(err, models.ErrNotFound) {
		return invalid([]FieldError{{Pointer: "/round", Message: "Chọn đợt xét khen thưởng (tham số round).", MessageEN: "Give the round (query parameter round)."}})
	}
	if err != nil {
		return err
	}
	dir, err := s.reference().Directory(ctx, round.ReferenceDate)
	if err != nil {
		return err
	}
	if _, ok := dir.Unit(who.User.UnitID); !ok {
		return invalid([]FieldError{{Pointer: "/round", Message: "Đơn vị của bạn không tồn tại vào thời điểm của đợt xét này.", MessageEN: "Your unit is not in force at this round's reference date."}})
	}
	tooLarge := problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp vượt quá %d MB.", s.maxUpload()>>20),
		fmt.Sprintf("The file is larger than %d MB.", s.maxUpload()>>20))
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return invalid([]FieldError{{Pointer: "/file", Message: "Chọn tệp Excel (.xlsx) theo mẫu.", MessageEN: `Send the workbook in the multipart field "file".`}})
	}
	src, err := fh.Open()
	if err != nil {
		return err
	}
	defer src.Close()
	data, err := io.ReadAll(io.LimitReader(src, s.maxUpload()+1))
	if err != nil {
		return err
	}
	if int64(len(data)) > s.maxUpload() {
		return tooLarge
	}
	// Bounded decompression: a small workbook must not expand into
	// gigabytes.
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return invalid([]FieldError{{Pointer: "/file", Message: "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", MessageEN: "Not a valid .xlsx workbook."}})
	}
	defer wb.Close()
	common, err := wb.GetRows(importCommonSheet)
	if err != nil {
		return invalid([]FieldError{{Pointer: "/file", Message: "Không có trang “" + importCommonSheet + "” như trong tệp mẫu.", MessageEN: "The sheet " + importCommonSheet + " is missing."}})
	}
	shared := map[string]any{}
	for _, k := range importCommon {
		for _, r := range common {
			if cell(r, 0) == k.header {
				setPointer(shared, k.pointer, k.value(cell(r, 1)))
			}
		}
	}
	// A clerk may delete the sheets of kinds they do not nominate; every
	// row of the sheets left is one nominee.
	type sheetRow struct {
		sheet importSheet
		line  int
		cells []string
	}
	var rows []sheetRow
	var errs []FieldError
	known := map[string]bool{importCommonSheet: true, importAwardsSheet: true}
	for _, sh := range importSheets {
		known[sh.name] = true
		got, err := wb.GetRows(sh.name)
		if err != nil || len(got) == 0 {
			continue
		}
		if fe := sh.checkHeader(got[0]); fe != nil {
			errs = append(errs, *fe)
			continue
		}
		for j, r := range got[1:] {
			switch {
			case strings.Join(r, "") == "":
			case isExample(r, sh.example):
				errs = append(errs, FieldError{Pointer: fmt.Sprintf("/%s/%d", sh.name, j+2), Message: fmt.Sprintf("Trang “%s”, dòng %d: đây là dòng ví dụ của tệp mẫu; xóa dòng này hoặc thay bằng đối tượng được đề nghị.", sh.name, j+2), MessageEN: fmt.Sprintf("Sheet %s, row %d: the template's example row; delete it or replace it with a nominee.", sh.name, j+2)})
			default:
				rows = append(rows, sheetRow{sh, j + 2, r})
			}
		}
	}
	// A sheet the template does not have (a kind's sheet renamed) would
	// be left out without a word.
	for _, name := range wb.GetSheetList() {
		if got, _ := wb.GetRows(name); !known[name] && len(got) > 1 {
			errs = append(errs, FieldError{Pointer: "/" + name, Message: fmt.Sprintf("Trang “%s” không có trong tệp mẫu; chép các dòng sang trang theo loại đối tượng.", name), MessageEN: fmt.Sprintf("Sheet %s is not one of the template's; copy its rows to the sheet of their kind.", name)})
		}
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	if len(rows) == 0 {
		return invalid([]FieldError{{Pointer: "/file", Message: "Tệp chưa có dòng đề nghị nào (mỗi đối tượng một dòng, từ dòng 2 của trang theo loại đối tượng).", MessageEN: "No nominee rows (one row per nominee, from row 2 of the sheet of its kind)."}})
	}
	if len(rows) > maxImportRows {
		return invalid([]FieldError{{Pointer: "/file", Message: fmt.Sprintf("Mỗi lần nhập tối đa %d đối tượng.", maxImportRows), MessageEN: fmt.Sprintf("At most %d rows.", maxImportRows)}})
	}
	// The letter lists every nominee of the workbook; the minutes record
	// every vote, in row order.
	var names, votes []any
	for _, r := range rows {
		name := cell(r.cells, r.sheet.nameColumn())
		names = append(names, name)
		vote := map[string]any{"nominee": name}
		for j, col := range r.sheet.cols {
			if v := col.value(cell(r.cells, j)); v != nil && strings.HasPrefix(col.pointer, "/minutes/votes/{i}/") {
				vote[strings.TrimPrefix(col.pointer, "/minutes/votes/{i}/")] = v
			}
		}
		votes = append(votes, vote)
	}
	var noms []models.Nomination
	reported := map[string]bool{}
	report := func(r sheetRow, vote int, pointer, vi, en string) {
		if fe, ok := r.sheet.rowError(r.line, vote, pointer, vi, en); ok && !reported[fe.Pointer+fe.Message] {
			reported[fe.Pointer+fe.Message] = true
			errs = append(errs, fe)
		}
	}
	now := s.now()
	for i, r := range rows {
		kind := r.sheet.kind
		d := deepCopy(shared)
		for j, col := range r.sheet.cols {
			if !strings.Contains(col.pointer, "{i}") {
				setPointer(d, col.pointer, col.value(cell(r.cells, j)))
			}
		}
		if r.sheet.title != "" && lookupPointer(d, "/nominee/titles/0/year") != nil {
			setPointer(d, "/nominee/titles/0/title", r.sheet.title)
		}
		setPointer(d, "/letter/nominees", names)
		setPointer(d, "/minutes/votes", votes)
		award, _ := lookupPointer(d, "/letter/award").(string)
		clean, ferrs := forms.Validate(kind, d, now)
		for _, e := range ferrs {
			report(r, i, e.Pointer, e.Message, e.MessageEN)
		}
		if len(ferrs) > 0 {
			continue
		}
		if !roundAllows(round, award) {
			report(r, i, "/letter/award", "Đợt xét này không xét hình thức khen thưởng đã chọn.", "The round does not include this award.")
			continue
		}
		for _, res := range forms.Eligibility(award, kind, clean, now) {
			if res.Status == forms.StatusFail {
				report(r, i, res.Pointer, res.Message, res.MessageEN)
			}
		}
		b, _ := json.Marshal(clean)
		name, _ := lookupPointer(clean, "/nominee/"+r.sheet.nameField).(string)
		n := models.Nomination{ID: uuid.NewString(), RoundID: round.ID, UnitID: who.User.UnitID, CreatedBy: who.User.ID,
			NomineeKind: kind, NomineeName: name, SearchName: textnorm.Fold(name), Award: award,
			Dossier: string(b), Status: workflows.StatusDraft}
		n.WorkflowID = workflows.WorkflowID(n.ID)
		noms = append(noms, n)
	}
	if len(errs) > 0 {
		p := invalid(errs)
		p.Detail = "Tệp có lỗi; chưa nhập hồ sơ nào. Sửa các ô được chỉ ra (theo trang, dòng và cột) rồi tải lên lại."
		p.DetailEN = "The workbook has errors; nothing was imported. Fix the cells listed (by sheet, row and column) and upload it again."
		return p
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return tx.CreateInBatches(noms, 100).Error })
	if err != nil {
		return fmt.Errorf("import %d nominations: %w", len(noms), err)
	}
	ids := make([]string, 0, len(noms))
	for _, n := range noms {
		ids = append(ids, n.ID)
	}
	return c.JSON(http.StatusCreated, map[string]any{"created": len(ids), "ids": ids})
}

func cell(r []string, j int) string {
	if j < len(r) {
		return strings.TrimSpace(r[j])
	}
	return ""
}

func lookupPointer(d map[string]any, pointer string) any {
	var cur any = d
	for _, part := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		switch x := cur.(type) {
		case map[string]any:
			cur = x[part]
		case []any:
			i, err := strconv.Atoi(part)
			if err != nil || i >= len(x) {
				return nil
			}
			cur = x[i]
		default:
			return nil
		}
	}
	return cur
}

// setPointer sets a value in nested maps and arrays, creating them.
func setPointer(d map[string]any, pointer string, v any) {
	if v == nil {
		return
	}
	parts := strings.Split(strings.TrimPrefix(pointer, "/"), "/")
	var cur any = d
	for i, part := range parts {
		last := i == len(parts)-1
		switch x := cur.(type) {
		case map[string]any:
			if last {
				x[part] = v
				return
			}
			next, ok := x[part]
			if !ok {
				if _, err := strconv.Atoi(parts[i+1]); err == nil {
					next = []any{}
				} else {
					next = map[string]any{}
				}
			}
			if arr, ok := next.([]any); ok {
				idx, _ := strconv.Atoi(parts[i+1])
				for len(arr) <= idx {
					arr = append(arr, map[string]any{})
				}
				x[part] = arr
				next = arr
			} else {
				x[part] = next
			}
			cur = next
		case []any:
			idx, _ := strconv.Atoi(part)
			if last {
				x[idx] = v
				return
			}
			cur = x[idx]
		}
	}
}

func deepCopy(d map[string]any) map[string]any {
	b, _ := json.Marshal(d)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}
