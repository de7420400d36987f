package service

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/learning"
	"github.com/tdkt/tdkt/models"
)

// The register's workbook import, as the nominations' is: the clerk
// uploads the sheet; every row is read and checked with the rules of the
// single-record API (checkHolder, checkRecognition, checkCountInput), a
// holder-year-title twice in the sheet or already in the register is a
// row error; the preview answers the errors by sheet, row and column and
// writes nothing; the commit uploads the same file again, which is
// checked again and written in one transaction, tallies included, or not
// at all. Nothing is kept between the two: no token to expire, and the
// commit checks the register as it is then.

// RowError is one error of a workbook row, for a clerk to find the cell.
type RowError struct {
	Sheet     string `json:"sheet"`
	Row       int    `json:"row"`
	Column    string `json:"column,omitempty"` // its letter
	Header    string `json:"header,omitempty"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
}

func (e RowError) field() FieldError {
	at := fmt.Sprintf("Trang “%s”, dòng %d", e.Sheet, e.Row)
	ptr := fmt.Sprintf("/%s/%d", e.Sheet, e.Row)
	if e.Column != "" {
		at += fmt.Sprintf(", cột %s (%s)", e.Column, e.Header)
		ptr += "/" + e.Column
	}
	return FieldError{Pointer: ptr, Message: at + ": " + e.Message, MessageEN: fmt.Sprintf("Sheet %s, row %d, column %s: %s", e.Sheet, e.Row, e.Column, e.MessageEN)}
}

// RegisterImport is what an import checked (Committed false, a preview)
// or wrote.
type RegisterImport struct {
	UnitID       string     `json:"unit_id"`
	Committed    bool       `json:"committed"`
	Rows         int        `json:"rows"`
	Recognitions int        `json:"recognitions"`
	NewHolders   int        `json:"new_holders"`
	Counts       int        `json:"counts"`
	Errors       []RowError `json:"errors"`
}

// ImportOptions says whether to write and whom to tell how far it got.
type ImportOptions struct {
	Commit bool
	// Progress, when set, is told of each stage ("check", "write") as
	// rows are done out of total.
	Progress func(stage string, done, total int)
}

func (o ImportOptions) progress(stage string, done, total int) {
	if o.Progress != nil && (done == total || done%1000 == 0) {
		o.Progress(stage, done, total)
	}
}

// pendingRow is a checked row waiting to be written.
type pendingRow struct {
	line   int
	holder *models.LearningHolder // new in this import, or nil
	rec    models.LearningRecognition
	known  bool // the holder was in the register before
}

// ImportRegister previews or commits a workbook of recognitions and
// counts for unitID (data nil: none was sent). A preview answers the row
// errors; a commit with any is refused (422, the same errors) and writes
// nothing.
func (s *Service) ImportRegister(ctx context.Context, who Caller, unitID string, data []byte, opt ImportOptions) (RegisterImport, error) {
	if unitID == "" {
		return RegisterImport{}, Invalid(FieldError{Pointer: "/unit", Message: "Chọn đơn vị của sổ (tham số unit).", MessageEN: "Give the unit (query parameter unit)."})
	}
	unit, err := loadUnit(ctx, s.db, unitID)
	if err != nil {
		if errors.As(err, new(*Error)) {
			return RegisterImport{}, Invalid(FieldError{Pointer: "/unit", Message: "Không có đơn vị này.", MessageEN: "No such unit."})
		}
		return RegisterImport{}, err
	}
	// Every row is of this unit: asked once, not per row.
	if err := s.mayKeepRegister(ctx, who, unit.ID); err != nil {
		return RegisterImport{}, err
	}
	wb, err := s.openWorkbook(data)
	if err != nil {
		return RegisterImport{}, err
	}
	defer wb.Close()
	recRows, recIdx, ferrs := sheetRows(wb, sheetRecognitions, recognitionColumns)
	countRows, countIdx, cerrs := sheetRows(wb, sheetCounts, countColumns)
	out := RegisterImport{UnitID: unit.ID, Errors: append(append([]RowError{}, ferrs...), cerrs...)}
	total := len(recRows) + len(countRows)
	switch {
	case len(out.Errors) > 0:
		return s.importAnswer(out, opt)
	case total == 0:
		return RegisterImport{}, Invalid(FieldError{Pointer: "/file", Message: fmt.Sprintf("Tệp chưa có dòng nào (từ dòng 2 của trang “%s” hoặc “%s”).", sheetRecognitions, sheetCounts),
			MessageEN: "The workbook has no rows."})
	case total > maxRegisterRows:
		return RegisterImport{}, Invalid(FieldError{Pointer: "/file", Message: fmt.Sprintf("Mỗi lần nhập tối đa %d dòng; chia tệp thành nhiều lần nhập.", maxRegisterRows),
			MessageEN: fmt.Sprintf("At most %d rows.", maxRegisterRows)})
	}
	out.Rows = total

	pending, err := s.checkRecognitionRows(ctx, who, unit.ID, recRows, recIdx, &out, opt)
	if err != nil {
		return RegisterImport{}, err
	}
	counts, err := s.checkCountRows(ctx, who, unit.ID, countRows, countIdx, len(recRows), &out, opt)
	if err != nil {
		return RegisterImport{}, err
	}
	if len(out.Errors) > 0 || !opt.Commit {
		return s.importAnswer(out, opt)
	}
	if err := s.writeImport(ctx, who, unit.ID, pending, counts, &out, opt); err != nil {
		return RegisterImport{}, err
	}
	if len(out.Errors) > 0 {
		return s.importAnswer(out, opt)
	}
	out.Committed = true
	return out, nil
}

// importAnswer is a preview's answer, or a commit's refusal of a workbook
// with errors.
func (s *Service) importAnswer(out RegisterImport, opt ImportOptions) (RegisterImport, error) {
	if out.Errors == nil {
		out.Errors = []RowError{}
	}
	if !opt.Commit || len(out.Errors) == 0 {
		return out, nil
	}
	fields := make([]FieldError, 0, len(out.Errors))
	for _, e := range out.Errors {
		fields = append(fields, e.field())
	}
	p := Invalid(fields...)
	p.Message = "Tệp có lỗi; chưa ghi dòng nào vào sổ. Sửa các ô được chỉ ra (theo trang, dòng và cột) rồi tải lên lại."
	p.MessageEN = "The workbook has errors; nothing was written. Fix the cells listed (by sheet, row and column) and upload it again."
	return RegisterImport{}, p
}

// openWorkbook opens an uploaded workbook with bounded decompression (a
// small file must not expand into gigabytes).
func (s *Service) openWorkbook(data []byte) (*excelize.File, error) {
	if data == nil {
		return nil, errNoWorkbook
	}
	if int64(len(data)) > s.cfg.MaxUploadBytes {
		return nil, s.TooLargeFile()
	}
	wb, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 16 << 20})
	if err != nil {
		return nil, Invalid(FieldError{Pointer: "/file", Message: "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", MessageEN: "Not a valid .xlsx workbook."})
	}
	return wb, nil
}

// sheetLine is a row of a sheet with its number as the spreadsheet shows
// it.
type sheetLine struct {
	line  int
	cells []string
}

// sheetRows reads a sheet's rows (raw: numbers and dates unformatted, so
// that a date cell reads the same whatever its display format), skipping
// empty ones; a workbook may lack the sheet.
func sheetRows(wb *excelize.File, sheet string, cols []registerColumn) ([]sheetLine, map[string]int, []RowError) {
	if idx, err := wb.GetSheetIndex(sheet); err != nil || idx < 0 {
		return nil, nil, nil
	}
	got, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(got) == 0 {
		return nil, nil, nil
	}
	idx, missing := columnIndex(got[0], cols)
	if len(missing) > 0 {
		var errs []RowError
		for _, m := range missing {
			errs = append(errs, RowError{Sheet: sheet, Row: 1, Message: fmt.Sprintf("Thiếu cột “%s” như trong tệp mẫu.", m), MessageEN: fmt.Sprintf("The column %q is missing.", m)})
		}
		return nil, nil, errs
	}
	var rows []sheetLine
	for j, r := range got[1:] {
		if strings.TrimSpace(strings.Join(r, "")) != "" {
			rows = append(rows, sheetLine{j + 2, r})
		}
	}
	return rows, idx, nil
}

// rowError reports at a row the error of a column (by name; "" for the
// row as a whole).
func rowError(sheet string, line int, idx map[string]int, col, vi, en string) RowError {
	e := RowError{Sheet: sheet, Row: line, Header: col, Message: vi, MessageEN: en}
	if j, ok := idx[col]; ok {
		e.Column, _ = columnName(j) // j indexes the sheet's header: in range
	} else {
		e.Header = ""
	}
	return e
}

// recognitionColumnOf is the column that gave the field an API check
// names.
var recognitionColumnOf = map[string]string{
	"/kind": colKind, "/name": colName, "/head_name": colHead, "/birth_year": colBirthYear, "/address": colAddress, "/area": colArea,
	"/category": colCategory, "/cccd": colCCCD, "/since_year": colYear, "/title": colTitle, "/year": colYear, "/score": colScore,
	"/rating": colRating, "/status": colStatus, "/reason": colReason, "/decision_number": colDecisionNumber, "/decision_date": colDecisionDate,
}

// holderIdentities are what make two rows the same holder, most certain
// first: a person's CCCD, then kind, name, head, year of birth and area
// as a reader compares them (an exported sheet carries no CCCD).
func holderIdentities(h models.LearningHolder) []string {
	named := strings.Join([]string{h.Kind, textnorm.Fold(h.Name), textnorm.Fold(h.HeadName), strconv.Itoa(h.BirthYear), textnorm.Fold(h.Area)}, "\x00")
	if h.PersonKey != "" {
		return []string{"cccd\x00" + h.PersonKey, named}
	}
	return []string{named}
}

// holderOf finds in holders the holder h is, by its most certain identity
// known (never one holding another CCCD), and the identity a new holder
// is kept under.
func holderOf(holders map[string]*models.LearningHolder, h models.LearningHolder) (*models.LearningHolder, string) {
	ids := holderIdentities(h)
	for _, id := range ids {
		found := holders[id]
		// Two people of one name, year and ấp are two people when their
		// CCCDs differ.
		if found != nil && (h.PersonKey == "" || found.PersonKey == "" || found.PersonKey == h.PersonKey) {
			return found, id
		}
	}
	return nil, ids[0]
}

// checkRecognitionRows checks every row of the recognitions' sheet:
// the holder it names (one in the unit's register, one an earlier row
// creates, or a new one checked as the API checks it), its recognition,
// and that no two rows and no row and the register decide the same
// holder, title and year.
func (s *Service) checkRecognitionRows(ctx context.Context, who Caller, unitID string, rows []sheetLine, idx map[string]int, out *RegisterImport, opt ImportOptions) ([]pendingRow, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	report := func(line int, col, vi, en string) {
		out.Errors = append(out.Errors, rowError(sheetRecognitions, line, idx, col, vi, en))
	}
	// The register's holders of the unit, and its persons by CCCD.
	var known []models.LearningHolder
	if err := s.db.WithContext(ctx).Where("unit_id = ?", unitID).Find(&known).Error; err != nil {
		return nil, fmt.Errorf("holders of %s: %w", unitID, err)
	}
	read := make([]registerRow, len(rows))
	readErrs := make([][]cellError, len(rows))
	firstYear := map[string]int{}
	var keys []string
	for i, r := range rows {
		read[i], readErrs[i] = readRecognitionRow(idx, r.cells)
		if c := read[i].holder.CCCD; c != "" && cccdPattern.MatchString(c) {
			keys = append(keys, s.personKey(c))
		}
	}
	for _, part := range chunkStrings(keys) {
		var hs []models.LearningHolder
		if err := s.db.WithContext(ctx).Where("person_key IN ?", part).Find(&hs).Error; err != nil {
			return nil, fmt.Errorf("holders by person key: %w", err)
		}
		known = append(known, hs...)
	}
	holders := map[string]*models.LearningHolder{}
	inRegister := map[string]bool{}
	for i := range known {
		for _, id := range holderIdentities(known[i]) {
			if holders[id] == nil {
				holders[id] = &known[i]
			}
		}
		inRegister[known[i].ID] = true
	}
	// A new holder exists from the first year the sheet decides on it.
	for i := range read {
		id := holderIdentities(s.sheetHolder(read[i].holder))[0]
		if y := read[i].rec.Year; y > 0 && (firstYear[id] == 0 || y < firstYear[id]) {
			firstYear[id] = y
		}
	}
	var pending []pendingRow
	seen := map[string]int{}
	for i, r := range rows {
		opt.progress("check", i+1, out.Rows)
		for _, e := range readErrs[i] {
			report(r.line, e.column, e.vi, e.en)
		}
		if len(readErrs[i]) > 0 {
			continue
		}
		in := read[i]
		h, id := holderOf(holders, s.sheetHolder(in.holder))
		isNew := false
		if h == nil {
			in.holder.UnitID, in.holder.SinceYear = unitID, firstYear[id]
			nh, ferrs, err := s.checkHolder(ctx, who, &in.holder)
			if err != nil {
				return nil, err
			}
			for _, e := range ferrs {
				report(r.line, recognitionColumnOf[e.Pointer], e.Message, e.MessageEN)
			}
			if len(ferrs) > 0 {
				continue
			}
			h, isNew = &nh, true
			for _, id := range holderIdentities(nh) {
				holders[id] = h
			}
		}
		if h.UnitID != unitID {
			// Found by CCCD in another unit's register, which this
			// import does not keep.
			report(r.line, colCCCD, "Người có số CCCD này đã có trong sổ của đơn vị khác; ghi nhận ở đơn vị đó.", "The person with this CCCD is in another unit's register.")
			continue
		}
		rec, ferrs, err := s.checkRecognition(ctx, who, &in.rec, *h)
		if err != nil {
			return nil, err
		}
		for _, e := range ferrs {
			report(r.line, recognitionColumnOf[e.Pointer], e.Message, e.MessageEN)
		}
		if len(ferrs) > 0 {
			continue
		}
		key := h.ID + "\x00" + rec.Title + "\x00" + strconv.Itoa(rec.Year)
		if first, dup := seen[key]; dup {
			report(r.line, colYear, fmt.Sprintf("Trùng với dòng %d: %s đã có quyết định về %s năm %d trong tệp.", first, h.Name, titleName(rec.Title), rec.Year),
				fmt.Sprintf("Same holder, title and year as row %d.", first))
			continue
		}
		seen[key] = r.line
		p := pendingRow{line: r.line, rec: rec, known: inRegister[h.ID]}
		if isNew {
			p.holder = h
			out.NewHolders++
		}
		pending = append(pending, p)
	}
	dup, err := decidedBefore(s.db.WithContext(ctx), knownRecognitions(pending))
	if err != nil {
		return nil, err
	}
	s.reportDecided(pending, dup, idx, out)
	out.Recognitions = len(pending)
	return pending, nil
}

// sheetHolder is the holder row a sheet's holder input would make, for
// its identity (the person key from a well-formed CCCD).
func (s *Service) sheetHolder(in HolderInput) models.LearningHolder {
	h := models.LearningHolder{Kind: in.Kind, Name: textnorm.Clean(in.Name), HeadName: textnorm.Clean(in.HeadName), BirthYear: in.BirthYear, Area: textnorm.Clean(in.Area)}
	if in.Kind == string(learning.Person) && cccdPattern.MatchString(in.CCCD) {
		h.PersonKey = s.personKey(in.CCCD)
	}
	return h
}

// knownRecognitions are the pending recognitions of holders already in
// the register: only they can have a decision there.
func knownRecognitions(pending []pendingRow) []models.LearningRecognition {
	var out []models.LearningRecognition
	for _, p := range pending {
		if p.known {
			out = append(out, p.rec)
		} else {
			out = append(out, models.LearningRecognition{}) // keeps the indexes
		}
	}
	return out
}

// reportDecided reports the pending rows (by index) whose decision the
// register already holds.
func (s *Service) reportDecided(pending []pendingRow, dup map[int]bool, idx map[string]int, out *RegisterImport) {
	for i, p := range pending {
		if dup[i] {
			out.Errors = append(out.Errors, rowError(sheetRecognitions, p.line, idx, colYear,
				fmt.Sprintf("Sổ đã có quyết định về %s năm %d cho đối tượng này: sửa bản ghi đó thay vì nhập thêm.", titleName(p.rec.Title), p.rec.Year),
				fmt.Sprintf("The register already has a decision on this title for %d.", p.rec.Year)))
		}
	}
}

func titleName(code string) string {
	info, _ := learning.LookupTitle(learning.Title(code)) // checked before
	return info.Name
}

// pendingCount is a checked count waiting to be written.
type pendingCount struct {
	line int
	row  models.LearningCount
}

// checkCountRows checks every row of the counts' sheet as the API checks
// a count, and that no two rows give the same year and measure.
func (s *Service) checkCountRows(ctx context.Context, who Caller, unitID string, rows []sheetLine, idx map[string]int, before int, out *RegisterImport, opt ImportOptions) ([]pendingCount, error) {
	columnOf := map[string]string{"/year": colYear, "/measure": colMeasure, "/value": colValue, "/source": colSource, "/recorded_on": colRecordedOn}
	report := func(line int, col, vi, en string) {
		out.Errors = append(out.Errors, rowError(sheetCounts, line, idx, col, vi, en))
	}
	var pending []pendingCount
	seen := map[string]int{}
	for i, r := range rows {
		opt.progress("check", before+i+1, out.Rows)
		in, cerrs := readCountRow(idx, r.cells)
		for _, e := range cerrs {
			report(r.line, e.column, e.vi, e.en)
		}
		if len(cerrs) > 0 {
			continue
		}
		in.UnitID = unitID
		row, ferrs, err := s.checkCountInput(ctx, who, &in)
		if err != nil {
			return nil, err
		}
		for _, e := range ferrs {
			report(r.line, columnOf[e.Pointer], e.Message, e.MessageEN)
		}
		if len(ferrs) > 0 {
			continue
		}
		key := row.Measure + "\x00" + strconv.Itoa(row.Year)
		if first, dup := seen[key]; dup {
			report(r.line, colMeasure, fmt.Sprintf("Trùng với dòng %d: chỉ số này của năm %d đã ghi trong tệp.", first, row.Year), fmt.Sprintf("Same measure and year as row %d.", first))
			continue
		}
		seen[key] = r.line
		// The register as it stands; the commit compares again with the
		// recognitions it writes.
		if err := checkCount(ctx, s.db.WithContext(ctx), row); err != nil {
			if !reportRefusal(err, func(fe FieldError) { report(r.line, columnOf[fe.Pointer], fe.Message, fe.MessageEN) }) {
				return nil, err
			}
			continue
		}
		pending = append(pending, pendingCount{r.line, row})
	}
	out.Counts = len(pending)
	return pending, nil
}

// reportRefusal passes a refusal's field errors to report (true), or
// says err is no refusal (false).
func reportRefusal(err error, report func(FieldError)) bool {
	var e *Error
	if !errors.As(err, &e) || e.Kind != ErrInvalid {
		return false
	}
	for _, f := range e.Fields {
		report(f)
	}
	return true
}

// errRowsRefused rolls back a commit whose rows the register refused at
// writing; the rows' errors are in the answer.
var errRowsRefused = errors.New("rows refused at writing")

// writeImport writes the checked rows in one transaction: new holders,
// recognitions with their tallies, then counts (compared with the tallies
// just written), and one audit event; a row the register refuses now (a
// decision recorded meanwhile, a count below the new tally) is reported
// and nothing is written.
func (s *Service) writeImport(ctx context.Context, who Caller, unitID string, pending []pendingRow, counts []pendingCount, out *RegisterImport, opt ImportOptions) error {
	var ev models.AuditEvent
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var holders []models.LearningHolder
		recs := make([]models.LearningRecognition, 0, len(pending))
		for _, p := range pending {
			if p.holder != nil {
				holders = append(holders, *p.holder)
			}
			recs = append(recs, p.rec)
		}
		if err := insertHolders(tx, holders); err != nil {
			return err
		}
		dup, err := decidedBefore(tx, knownRecognitions(pending))
		if err != nil {
			return err
		}
		if len(dup) > 0 {
			s.reportDecided(pending, dup, nil, out)
			return errRowsRefused
		}
		const batch = 1000
		for i := 0; i < len(recs); i += batch {
			if err := models.InsertRecognitions(tx, recs[i:min(i+batch, len(recs))]); err != nil {
				return err
			}
			opt.progress("write", min(i+batch, len(recs)), out.Rows)
		}
		for i, c := range counts {
			if err := writeCount(ctx, tx, c.row); err != nil {
				if !reportRefusal(err, func(fe FieldError) {
					out.Errors = append(out.Errors, RowError{Sheet: sheetCounts, Row: c.line, Header: colValue, Message: fe.Message, MessageEN: fe.MessageEN})
				}) {
					return err
				}
				continue
			}
			opt.progress("write", len(recs)+i+1, out.Rows)
		}
		if len(out.Errors) > 0 {
			return errRowsRefused
		}
		ev = s.auditEvent(who, "learning.import", unitID, map[string]any{"recognitions": len(recs), "new_holders": len(holders), "counts": len(counts)})
		return tx.Create(&ev).Error
	})
	if errors.Is(err, errRowsRefused) {
		return nil
	}
	if err := failed(err, "import register"); err != nil {
		return err
	}
	s.logAudit(ev)
	return nil
}

// RegisterTemplate is the workbook to fill in: the recognitions' and the
// counts' sheets with their headers, and the
// catalogue of the names their cells take.
func (s *Service) RegisterTemplate() (Document, error) {
	b, err := registerTemplate()
	if err != nil {
		return Document{}, fmt.Errorf("register template: %w", err)
	}
	return Document{Name: "mau-nhap-so-danh-hieu-hoc-tap.xlsx", ContentType: contentXLSX, Body: b}, nil
}

func registerTemplate() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	// The CCCD as text: a number cell would drop its leading zero.
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return nil, err
	}
	// No example row: one left in would be imported as a holder.
	sheets := []struct {
		name string
		cols []registerColumn
	}{{sheetRecognitions, recognitionColumns}, {sheetCounts, countColumns}}
	for i, sh := range sheets {
		if i == 0 {
			err = f.SetSheetName("Sheet1", sh.name)
		} else {
			_, err = f.NewSheet(sh.name)
		}
		if err != nil {
			return nil, err
		}
		header := make([]any, len(sh.cols))
		for j, c := range sh.cols {
			header[j] = c.header()
		}
		last, _ := columnName(len(sh.cols) - 1) // tens of columns: in range
		if err := errors.Join(f.SetSheetRow(sh.name, "A1", &header),
			f.SetCellStyle(sh.name, "A1", last+"1", bold), f.SetColWidth(sh.name, "A", last, 24),
			f.SetPanes(sh.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})); err != nil {
			return nil, err
		}
	}
	cccd, _ := columnName(len(recognitionColumns) - 1) // the last column
	if err := f.SetColStyle(sheetRecognitions, cccd, text); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet(sheetCatalogue); err != nil {
		return nil, err
	}
	rows := [][]any{{"Danh hiệu", "Loại đối tượng", "Xếp loại", "", "Chỉ số"}}
	for i, t := range learning.Titles {
		rows = append(rows, []any{t.Name, holderKindNames[t.Holder], nil, nil, nil})
		if t.Rated {
			rows[i+1][2] = "Tốt / Khá / Đạt"
		}
	}
	for i, m := range learning.Measures {
		for len(rows) <= i+1 {
			rows = append(rows, []any{nil, nil, nil, nil, nil})
		}
		rows[i+1][4] = m.Name
	}
	for i, r := range rows {
		if err := f.SetSheetRow(sheetCatalogue, "A"+strconv.Itoa(i+1), &r); err != nil {
			return nil, err
		}
	}
	if err := errors.Join(f.SetColWidth(sheetCatalogue, "A", "E", 36), f.SetCellStyle(sheetCatalogue, "A1", "E1", bold)); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
