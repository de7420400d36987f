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

// The import workbook: one sheet of individual nominees, one row each, and
// one sheet with what their nominations share — the submission letter and
// the review minutes (the letter lists every nominee of the workbook, the
// minutes record every vote).
const (
	importRowsSheet   = "Đề nghị"
	importCommonSheet = "Tờ trình và biên bản"
	maxImportRows     = 500
)

// importColumns maps the row sheet's columns to the individual dossier.
var importColumns = []struct{ header, pointer string }{
	{"Họ và tên", "/nominee/full_name"},
	{"Ngày sinh (YYYY-MM-DD)", "/nominee/date_of_birth"},
	{"Giới tính (nam/nữ)", "/nominee/sex"},
	{"Số CCCD", "/nominee/cccd"},
	{"Quê quán", "/nominee/hometown"},
	{"Nơi ở hiện nay", "/nominee/residence"},
	{"Đơn vị công tác", "/nominee/workplace"},
	{"Chức vụ", "/nominee/position"},
	{"Trình độ chuyên môn", "/nominee/qualifications"},
	{"Thành tích đạt được", "/nominee/achievements"},
	{"Năm đạt danh hiệu Công dân học tập", "/nominee/titles/0/year"},
	{"Hình thức khen thưởng đề nghị (mã)", "/letter/award"},
	{"Số phiếu đồng ý", "/minutes/votes/{i}/for"},
	{"Số phiếu không đồng ý", "/minutes/votes/{i}/against"},
}

// importCommon maps the common sheet's keys (column A) to the dossier.
var importCommon = []struct{ key, pointer string }{
	{"Cơ quan, đơn vị trình", "/letter/issuer"},
	{"Số tờ trình", "/letter/number"},
	{"Ngày tờ trình (YYYY-MM-DD)", "/letter/date"},
	{"Căn cứ pháp lý", "/letter/legal_basis"},
	{"Ngày họp xét (YYYY-MM-DD)", "/minutes/meeting_date"},
	{"Hội đồng họp xét", "/minutes/body"},
	{"Tổng số thành viên", "/minutes/members_total"},
	{"Số thành viên dự họp", "/minutes/members_present"},
}

// importTemplate is the workbook to fill in, with one example row.
func (s *Server) importTemplate(c echo.Context) error {
	ex, err := forms.ExampleFor(forms.KindIndividual, "Nguyễn Thị Hồng", routing.BangKhenTinh, 1234)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", importRowsSheet); err != nil {
		return err
	}
	var header, example []any
	for _, col := range importColumns {
		header = append(header, col.header)
		example = append(example, lookupPointer(ex, strings.ReplaceAll(col.pointer, "{i}", "0")))
	}
	if err := f.SetSheetRow(importRowsSheet, "A1", &header); err != nil {
		return err
	}
	if err := f.SetSheetRow(importRowsSheet, "A2", &example); err != nil {
		return err
	}
	if _, err := f.NewSheet(importCommonSheet); err != nil {
		return err
	}
	for i, k := range importCommon {
		row := []any{k.key, lookupPointer(ex, k.pointer)}
		if err := f.SetSheetRow(importCommonSheet, "A"+strconv.Itoa(i+1), &row); err != nil {
			return err
		}
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
		return invalid([]FieldError{{"/round", "Chọn đợt xét khen thưởng (tham số round).", "Give the round (query parameter round)."}})
	}
	if err != nil {
		return err
	}
	dir, err := s.reference().Directory(ctx, round.ReferenceDate)
	if err != nil {
		return err
	}
	if _, ok := dir.Unit(who.User.UnitID); !ok {
		return invalid([]FieldError{{"/round", "Đơn vị của bạn không tồn tại vào thời điểm của đợt xét này.",
			"Your unit is not in force at this round's reference date."}})
	}
	tooLarge := problem(http.StatusRequestEntityTooLarge, fmt.Sprintf("Tệp vượt quá %d MB.", s.maxUpload()>>20),
		fmt.Sprintf("The file is larger than %d MB.", s.maxUpload()>>20))
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return tooLarge
		}
		return invalid([]FieldError{{"/file", "Chọn tệp Excel (.xlsx) theo mẫu.", `Send the workbook in the multipart field "file".`}})
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
		return invalid([]FieldError{{"/file", "Tệp không phải bảng tính Excel (.xlsx) hợp lệ.", "Not a valid .xlsx workbook."}})
	}
	defer wb.Close()
	rows, err := wb.GetRows(importRowsSheet)
	if err != nil {
		return invalid([]FieldError{{"/file", "Không có trang “" + importRowsSheet + "” như trong tệp mẫu.", "The sheet " + importRowsSheet + " is missing."}})
	}
	common, err := wb.GetRows(importCommonSheet)
	if err != nil {
		return invalid([]FieldError{{"/file", "Không có trang “" + importCommonSheet + "” như trong tệp mẫu.", "The sheet " + importCommonSheet + " is missing."}})
	}
	if len(rows) < 2 {
		return invalid([]FieldError{{"/file", "Trang “" + importRowsSheet + "” chưa có dòng đề nghị nào.", "No nominee rows."}})
	}
	if len(rows)-1 > maxImportRows {
		return invalid([]FieldError{{"/file", fmt.Sprintf("Mỗi lần nhập tối đa %d đối tượng.", maxImportRows), fmt.Sprintf("At most %d rows.", maxImportRows)}})
	}
	shared := map[string]any{}
	for i, k := range importCommon {
		v := ""
		if i < len(common) && len(common[i]) > 1 {
			v = common[i][1]
		}
		setPointer(shared, k.pointer, typed(k.pointer, v))
	}
	var names []any
	var votes []any
	for _, r := range rows[1:] {
		names = append(names, cell(r, 0))
		votes = append(votes, map[string]any{"nominee": cell(r, 0), "for": typed("/for", cell(r, 12)), "against": typed("/against", cell(r, 13))})
	}
	var errs []FieldError
	var noms []models.Nomination
	now := s.now()
	for i, r := range rows[1:] {
		line := i + 2
		d := deepCopy(shared)
		for j, col := range importColumns {
			if strings.Contains(col.pointer, "{i}") {
				continue
			}
			setPointer(d, col.pointer, typed(col.pointer, cell(r, j)))
		}
		setPointer(d, "/nominee/titles/0/title", forms.TitleLearningCitizen)
		setPointer(d, "/letter/nominees", names)
		setPointer(d, "/minutes/votes", votes)
		award, _ := lookupPointer(d, "/letter/award").(string)
		clean, ferrs := forms.Validate(forms.KindIndividual, d, now)
		for _, e := range ferrs {
			errs = append(errs, rowError(line, e.Pointer, e.Message, e.MessageEN))
		}
		if len(ferrs) > 0 {
			continue
		}
		if !roundAllows(round, award) {
			errs = append(errs, rowError(line, "/letter/award", "Đợt xét này không xét hình thức khen thưởng đã chọn.", "The round does not include this award."))
			continue
		}
		for _, res := range forms.Eligibility(award, forms.KindIndividual, clean, now) {
			if res.Status == forms.StatusFail {
				errs = append(errs, rowError(line, res.Pointer, res.Message, res.MessageEN))
			}
		}
		b, _ := json.Marshal(clean)
		name, _ := lookupPointer(clean, "/nominee/full_name").(string)
		n := models.Nomination{ID: uuid.NewString(), RoundID: round.ID, UnitID: who.User.UnitID, CreatedBy: who.User.ID,
			NomineeKind: forms.KindIndividual, NomineeName: name, SearchName: textnorm.Fold(name), Award: award,
			Dossier: string(b), Status: workflows.StatusDraft}
		n.WorkflowID = workflows.WorkflowID(n.ID)
		noms = append(noms, n)
	}
	if len(errs) > 0 {
		p := invalid(errs)
		p.Detail = "Tệp có lỗi; chưa nhập hồ sơ nào. Sửa các ô được chỉ ra (theo dòng và cột) rồi tải lên lại."
		p.DetailEN = "The workbook has errors; nothing was imported. Fix the cells listed (by row and column) and upload it again."
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

// rowError locates a dossier error in the workbook: /rows/<line>/<column>.
func rowError(line int, pointer, vi, en string) FieldError {
	col := "?"
	for j, c := range importColumns {
		if c.pointer == pointer || strings.HasPrefix(pointer, c.pointer+"/") {
			col, _ = excelize.ColumnNumberToName(j + 1)
		}
	}
	for _, c := range importCommon {
		if c.pointer == pointer {
			return FieldError{"/" + importCommonSheet + "/" + c.key, vi, en}
		}
	}
	return FieldError{fmt.Sprintf("/rows/%d/%s", line, col), fmt.Sprintf("Dòng %d, cột %s: %s", line, col, vi),
		fmt.Sprintf("Row %d, column %s: %s", line, col, en)}
}

func cell(r []string, j int) string {
	if j < len(r) {
		return strings.TrimSpace(r[j])
	}
	return ""
}

// typed turns a cell into a number where the form wants one; a cell that
// is not a number stays text, so the form reports it.
func typed(pointer, v string) any {
	for _, suffix := range []string{"year", "for", "against", "members_total", "members_present"} {
		if strings.HasSuffix(pointer, "/"+suffix) {
			if n, err := strconv.Atoi(v); err == nil {
				return float64(n)
			}
		}
	}
	if v == "" {
		return nil
	}
	return v
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
