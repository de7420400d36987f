package service

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// ImportTemplate is the workbook to fill in: a sheet per nominee kind with
// one example row each, the common sheet and the list of awards.
func (s *Service) ImportTemplate() (Document, error) {
	b, err := importTemplate()
	if err != nil {
		return Document{}, fmt.Errorf("import template: %w", err)
	}
	return Document{Name: "mau-nhap-ho-so.xlsx", ContentType: contentXLSX, Body: b}, nil
}

func importTemplate() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	for i, sh := range importSheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			return nil, err
		}
		var header []any
		for _, col := range sh.cols {
			header = append(header, col.header)
		}
		last, _ := columnName(len(sh.cols) - 1) // fails only beyond column 16384; a sheet has tens
		if err := errors.Join(f.SetSheetRow(sh.name, "A1", &header), f.SetSheetRow(sh.name, "A2", &sh.example),
			f.SetCellStyle(sh.name, "A1", last+"1", bold), f.SetColWidth(sh.name, "A", last, 28),
			f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})); err != nil {
			return nil, err
		}
	}
	if _, err := f.NewSheet(importCommonSheet); err != nil {
		return nil, err
	}
	for i, k := range importCommon {
		row := []any{k.header, k.display(lookupPointer(importCommonExample, k.pointer))}
		if err := f.SetSheetRow(importCommonSheet, "A"+strconv.Itoa(i+1), &row); err != nil {
			return nil, err
		}
	}
	if _, err := f.NewSheet(importAwardsSheet); err != nil {
		return nil, err
	}
	rows := [][]any{{"Mã", "Hình thức khen thưởng", "Cấp quyết định"}}
	for _, a := range routing.Awards {
		rows = append(rows, []any{string(a.Code), a.Name, a.DecidedBy})
	}
	for i, r := range rows {
		if err := f.SetSheetRow(importAwardsSheet, "A"+strconv.Itoa(i+1), &r); err != nil {
			return nil, err
		}
	}
	if err := errors.Join(f.SetColWidth(importCommonSheet, "A", "B", 40), f.SetColWidth(importAwardsSheet, "A", "C", 40),
		f.SetCellStyle(importAwardsSheet, "A1", "C1", bold)); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ImportResult is what an import created.
type ImportResult struct {
	Created int      `json:"created"`
	IDs     []string `json:"ids"`
}

// errNoWorkbook is the refusal of an import without a workbook.
var errNoWorkbook = Invalid(FieldError{Pointer: "/file", Message: "Chọn tệp Excel (.xlsx) theo mẫu.",
	MessageEN: `Send the workbook in the multipart field "file".`})

// TooLargeFile refuses a file beyond the upload limit.
func (s *Service) TooLargeFile() error {
	return TooLarge(fmt.Sprintf("Tệp vượt quá %d MB.", s.cfg.MaxUploadBytes>>20),
		fmt.Sprintf("The file is larger than %d MB.", s.cfg.MaxUploadBytes>>20))
}

// ImportNominations creates one draft per row of an uploaded workbook
// (data; nil: none was sent), for the caller's unit in round roundID.
// Every row is validated as a complete dossier and built as a created
// draft is; errors are reported per sheet, row and column, and nothing is
// imported unless every row is valid.
func (s *Service) ImportNominations(ctx context.Context, who Caller, roundID string, data []byte) (ImportResult, error) {
	if err := who.Require(models.RoleNominator); err != nil {
		return ImportResult{}, err
	}
	round, err := s.ref.Round(ctx, roundID)
	if errors.Is(err, models.ErrNotFound) {
		return ImportResult{}, Invalid(FieldError{Pointer: "/round", Message: "Chọn đợt xét khen thưởng (tham số round).", MessageEN: "Give the round (query parameter round)."})
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("round %q: %w", roundID, err)
	}
	dir, err := s.ref.Directory(ctx, round.ReferenceDate)
	if err != nil {
		return ImportResult{}, fmt.Errorf("units of round %s: %w", round.ID, err)
	}
	if _, ok := dir.Unit(who.User.UnitID); !ok {
		return ImportResult{}, Invalid(FieldError{Pointer: "/round", Message: "Đơn vị của bạn không tồn tại vào thời điểm của đợt xét này.", MessageEN: "Your unit is not in force at this round's reference date."})
	}
	if data == nil {
		return ImportResult{}, errNoWorkbook
	}
	if int64(len(data)) > s.cfg.MaxUploadBytes {
		return ImportResult{}, s.TooLargeFile()
	}
	// Bounded decompression: a small workbook must not expand into
	// gigabytes.
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return ImportResult{}, Invalid(FieldError{Pointer: "/file", Message: "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", MessageEN: "Not a valid .xlsx workbook."})
	}
	defer wb.Close()
	common, err := wb.GetRows(importCommonSheet)
	if err != nil {
		return ImportResult{}, Invalid(FieldError{Pointer: "/file", Message: "Không có trang “" + importCommonSheet + "” như trong tệp mẫu.", MessageEN: "The sheet " + importCommonSheet + " is missing."})
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
		if got, _ := wb.GetRows(name); !known[name] && len(got) > 1 { // the workbook lists name: it exists
			errs = append(errs, FieldError{Pointer: "/" + name, Message: fmt.Sprintf("Trang “%s” không có trong tệp mẫu; chép các dòng sang trang theo loại đối tượng.", name), MessageEN: fmt.Sprintf("Sheet %s is not one of the template's; copy its rows to the sheet of their kind.", name)})
		}
	}
	if len(errs) > 0 {
		return ImportResult{}, Invalid(errs...)
	}
	if len(rows) == 0 {
		return ImportResult{}, Invalid(FieldError{Pointer: "/file", Message: "Tệp chưa có dòng đề nghị nào (mỗi đối tượng một dòng, từ dòng 2 của trang theo loại đối tượng).", MessageEN: "No nominee rows (one row per nominee, from row 2 of the sheet of its kind)."})
	}
	if len(rows) > maxImportRows {
		return ImportResult{}, Invalid(FieldError{Pointer: "/file", Message: fmt.Sprintf("Mỗi lần nhập tối đa %d đối tượng.", maxImportRows), MessageEN: fmt.Sprintf("At most %d rows.", maxImportRows)})
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
		// The version a created draft of the round takes (nominationDraft
		// records it).
		form, ok := s.formInForce(kind, round)
		if !ok {
			report(r, i, "", "Không có mẫu hồ sơ nào có hiệu lực vào ngày của đợt xét này.", "No dossier form is in force at this round's reference date.")
			continue
		}
		clean, ferrs := forms.ValidateForm(form, d, now)
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
		for _, res := range forms.EligibilityFor(award, form, clean, now) {
			if res.Status == forms.StatusFail {
				report(r, i, res.Pointer, res.Message, res.MessageEN)
			}
		}
		// The row becomes a draft exactly as a created one does.
		raw, err := json.Marshal(clean)
		if err != nil {
			return ImportResult{}, fmt.Errorf("row %d of %s: %w", r.line, r.sheet.name, err)
		}
		name, _ := lookupPointer(clean, "/nominee/"+r.sheet.nameField).(string)
		n, derrs, err := s.nominationDraft(ctx, who, NominationInput{RoundID: &round.ID, NomineeKind: &kind,
			NomineeName: &name, Award: &award, Dossier: raw})
		if err != nil {
			return ImportResult{}, err
		}
		for _, e := range derrs {
			report(r, i, r.sheet.formPointer(e.Pointer), e.Message, e.MessageEN)
		}
		if len(derrs) == 0 {
			noms = append(noms, n)
		}
	}
	if len(errs) > 0 {
		p := Invalid(errs...)
		p.Message = "Tệp có lỗi; chưa nhập hồ sơ nào. Sửa các ô được chỉ ra (theo trang, dòng và cột) rồi tải lên lại."
		p.MessageEN = "The workbook has errors; nothing was imported. Fix the cells listed (by sheet, row and column) and upload it again."
		return ImportResult{}, p
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error { return tx.CreateInBatches(noms, 100).Error })
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %d nominations: %w", len(noms), err)
	}
	ids := make([]string, 0, len(noms))
	for _, n := range noms {
		ids = append(ids, n.ID)
	}
	return ImportResult{Created: len(ids), IDs: ids}, nil
}

// formPointer is where in a row's dossier a created draft's field error
// points, so that it is reported by the row's column.
func (sh importSheet) formPointer(ptr string) string {
	switch {
	case ptr == "/award":
		return "/letter/award"
	case ptr == "/nominee_name":
		return "/nominee/" + sh.nameField
	case strings.HasPrefix(ptr, "/dossier/"):
		return strings.TrimPrefix(ptr, "/dossier")
	}
	return ptr
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

// setPointer sets a value in nested maps and arrays, creating them. The
// pointers are the import's own column pointers (never a user's), whose
// array segments are numbers.
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
	// d was decoded from cells into plain maps, slices and scalars: it
	// encodes and decodes without error.
	b, _ := json.Marshal(d)
	var out map[string]any
	_ = json.Unmarshal(b, &out)
	return out
}
