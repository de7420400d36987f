package service

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/learning"
)

// The rows of the register's workbook as a commune keeps them: one sheet
// of recognitions (a holder and one year's decision per row) and one of
// counts, with Vietnamese headers and values (titles, kinds, ratings by
// their names). A row is read into the API's own inputs, so that what it
// holds is then checked exactly as a recognition or a count sent to the
// API; what cannot be read (a title not in the catalogue, a broken date,
// a year that is not a number) is reported by column here.

// The sheets of the register's workbook.
const (
	sheetRecognitions = "Danh hiệu học tập"
	sheetCounts       = "Số liệu"
	sheetCatalogue    = "Danh mục"
	// maxRegisterRows bounds one import: a year of a large commune's
	// households.
	maxRegisterRows = 200000
)

// The headers of the recognitions' sheet; a header may carry a hint in
// parentheses after its name ("Ngày quyết định (ngày/tháng/năm)").
const (
	colKind           = "Loại đối tượng"
	colName           = "Tên"
	colHead           = "Chủ hộ"
	colBirthYear      = "Năm sinh"
	colAddress        = "Địa chỉ"
	colArea           = "Thôn/ấp/khu phố"
	colTitle          = "Danh hiệu"
	colYear           = "Năm"
	colScore          = "Điểm"
	colRating         = "Xếp loại"
	colDecisionNumber = "Số quyết định"
	colDecisionDate   = "Ngày quyết định"
	colStatus         = "Trạng thái"
	colReason         = "Lý do"
	colCategory       = "Nhóm"
	colCCCD           = "Số CCCD"
)

// The headers of the counts' sheet.
const (
	colMeasure    = "Chỉ số"
	colValue      = "Giá trị"
	colSource     = "Nguồn"
	colRecordedOn = "Ngày số liệu"
)

// registerColumn is a column of a sheet: its header as the template
// writes it (name and hint) and whether a sheet must have it.
type registerColumn struct {
	name, hint string
	required   bool
}

func (c registerColumn) header() string {
	if c.hint == "" {
		return c.name
	}
	return c.name + " (" + c.hint + ")"
}

var recognitionColumns = []registerColumn{
	{colKind, "Hộ gia đình / Dòng họ / Thôn, ấp, khu phố / Cơ quan, đơn vị, trường học / Cá nhân / Xã, phường; trống: theo danh hiệu", false},
	{colName, "", true},
	{colHead, "hộ gia đình", false},
	{colBirthYear, "cá nhân", false},
	{colAddress, "", false},
	{colArea, "", false},
	{colTitle, "tên như trang “" + sheetCatalogue + "”", true},
	{colYear, "", true},
	{colScore, "0–100", false},
	{colRating, "Tốt / Khá / Đạt, cho Cộng đồng học tập cấp xã", false},
	{colDecisionNumber, "", false},
	{colDecisionDate, "ngày/tháng/năm, ví dụ 15/12/2025", false},
	{colStatus, "Công nhận / Không công nhận / Thu hồi; trống: Công nhận", false},
	{colReason, "khi không công nhận hoặc thu hồi", false},
	{colCategory, "cá nhân: Người lao động / Cán bộ, công chức, viên chức", false},
	{colCCCD, "cá nhân, 12 chữ số; chỉ để nhận ra cùng một người, không lưu", false},
}

var countColumns = []registerColumn{
	{colYear, "", true},
	{colMeasure, "tên như trang “" + sheetCatalogue + "”", true},
	{colValue, "", true},
	{colSource, "ví dụ Báo cáo thống kê dân số năm 2025 của UBND phường", true},
	{colRecordedOn, "ngày/tháng/năm; trống: hôm nay", false},
}

// The names clerks write for the codes the API takes.
var (
	holderKindNames = map[learning.HolderKind]string{learning.Household: "Hộ gia đình", learning.ClanHolder: "Dòng họ", learning.Area: "Thôn, ấp, khu phố",
		learning.Organisation: "Cơ quan, đơn vị, trường học", learning.Person: "Cá nhân", learning.Commune: "Xã, phường", learning.DistrictUnit: "Huyện"}
	ratingNames   = map[string]string{learning.RatingGood: "Tốt", learning.RatingFair: "Khá", learning.RatingPass: "Đạt"}
	statusNames   = map[string]string{learning.Recognised: "Công nhận", learning.NotRecognised: "Không công nhận", learning.Revoked: "Thu hồi"}
	categoryNames = map[string]string{learning.Worker: "Người lao động", learning.CivilServant: "Cán bộ, công chức, viên chức"}
)

// byName finds the code a clerk's word names in names (or the code
// itself), as a reader compares: NFC, any case and spacing.
func byName[K ~string](names map[K]string, v string) (K, bool) {
	for code, name := range names {
		if sameWords(name, v) || string(code) == v {
			return code, true
		}
	}
	return "", false
}

func sameWords(a, b string) bool {
	clean := func(s string) string { return strings.Join(strings.Fields(norm.NFC.String(s)), " ") }
	return strings.EqualFold(clean(a), clean(b))
}

// columnIndex maps a sheet's header row onto its columns (by name, any
// order; columns it does not know, such as an export's STT and Đơn vị,
// are left alone), or names the required columns it lacks.
func columnIndex(header []string, cols []registerColumn) (map[string]int, []string) {
	idx := map[string]int{}
	for j, h := range header {
		name, _, _ := strings.Cut(strings.TrimSpace(norm.NFC.String(h)), " (")
		name = strings.TrimSuffix(strings.TrimSpace(name), " *")
		for _, c := range cols {
			if _, seen := idx[c.name]; !seen && sameWords(name, c.name) {
				idx[c.name] = j
			}
		}
	}
	var missing []string
	for _, c := range cols {
		if _, ok := idx[c.name]; !ok && c.required {
			missing = append(missing, c.name)
		}
	}
	return idx, missing
}

// cellError is what a cell of a row could not give, by column name.
type cellError struct {
	column, vi, en string
}

// registerRow is a row of the recognitions' sheet, read.
type registerRow struct {
	holder HolderInput
	rec    RecognitionInput
}

// readRecognitionRow reads a row of the recognitions' sheet (its cells
// raw: numbers unformatted, dates as Excel's serial days) into the API's
// inputs.
func readRecognitionRow(idx map[string]int, cells []string) (registerRow, []cellError) {
	get := func(col string) string {
		if j, ok := idx[col]; ok && j < len(cells) {
			return strings.TrimSpace(cells[j])
		}
		return ""
	}
	var (
		row  registerRow
		errs []cellError
	)
	bad := func(col, vi, en string) { errs = append(errs, cellError{col, vi, en}) }
	row.holder = HolderInput{Name: get(colName), HeadName: get(colHead), Address: get(colAddress), Area: get(colArea), CCCD: get(colCCCD)}
	row.rec = RecognitionInput{DecisionNumber: get(colDecisionNumber), Reason: get(colReason), Evidence: []string{}}

	title, known := learning.TitleInfo{}, false
	switch v := get(colTitle); {
	case v == "":
		bad(colTitle, "Ghi danh hiệu.", "The title is required.")
	default:
		if title, known = learning.TitleByName(v); known {
			row.rec.Title = string(title.Code)
		} else {
			bad(colTitle, fmt.Sprintf("Danh hiệu “%s” không có trong danh mục; ghi đúng tên như trang “%s”.", v, sheetCatalogue), fmt.Sprintf("Unknown title %q.", v))
		}
	}
	switch v := get(colKind); {
	case v == "" && known:
		row.holder.Kind = string(title.Holder)
	case v == "":
		// The title's error says what is missing.
	default:
		if k, ok := byName(holderKindNames, v); ok {
			row.holder.Kind = string(k)
		} else {
			bad(colKind, fmt.Sprintf("Loại đối tượng “%s” không có trong danh mục.", v), fmt.Sprintf("Unknown holder kind %q.", v))
		}
	}
	row.rec.Year = wholeNumber(get(colYear), colYear, true, &errs)
	row.holder.BirthYear = wholeNumber(get(colBirthYear), colBirthYear, false, &errs)
	if v := get(colScore); v != "" {
		f, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			bad(colScore, "Điểm phải là một số (ví dụ 85 hoặc 85,5).", "The score must be a number.")
		} else {
			row.rec.Score = &f
		}
	}
	if v := get(colRating); v != "" {
		if r, ok := byName(ratingNames, v); ok {
			row.rec.Rating = r
		} else {
			bad(colRating, "Xếp loại là Tốt, Khá hoặc Đạt.", "The rating is Tốt, Khá or Đạt.")
		}
	}
	row.rec.Status = learning.Recognised
	if v := get(colStatus); v != "" {
		if st, ok := byName(statusNames, v); ok {
			row.rec.Status = st
		} else {
			bad(colStatus, "Trạng thái là Công nhận, Không công nhận hoặc Thu hồi.", "The status is Công nhận, Không công nhận or Thu hồi.")
		}
	}
	if v := get(colCategory); v != "" {
		if c, ok := byName(categoryNames, v); ok {
			row.holder.Category = c
		} else {
			bad(colCategory, "Nhóm là Người lao động hoặc Cán bộ, công chức, viên chức.", "The group is Người lao động or Cán bộ, công chức, viên chức.")
		}
	}
	if v := get(colDecisionDate); v != "" {
		if d, ok := sheetDay(v); ok {
			row.rec.DecisionDate = d.Format(time.DateOnly)
		} else {
			bad(colDecisionDate, fmt.Sprintf("Ngày “%s” không đọc được; ghi theo ngày/tháng/năm, ví dụ 15/12/2025.", v), fmt.Sprintf("Unreadable date %q; write dd/mm/yyyy.", v))
		}
	}
	return row, errs
}

// readCountRow reads a row of the counts' sheet into the API's input.
func readCountRow(idx map[string]int, cells []string) (LearningCountInput, []cellError) {
	get := func(col string) string {
		if j, ok := idx[col]; ok && j < len(cells) {
			return strings.TrimSpace(cells[j])
		}
		return ""
	}
	var errs []cellError
	in := LearningCountInput{Source: get(colSource)}
	in.Year = wholeNumber(get(colYear), colYear, true, &errs)
	switch v := get(colMeasure); {
	case v == "":
		errs = append(errs, cellError{colMeasure, "Ghi chỉ số.", "The measure is required."})
	default:
		found := false
		for _, m := range learning.Measures {
			if sameWords(m.Name, v) || string(m.Code) == v {
				in.Measure, found = string(m.Code), true
				break
			}
		}
		if !found {
			errs = append(errs, cellError{colMeasure, fmt.Sprintf("Chỉ số “%s” không có trong danh mục; ghi đúng tên như trang “%s”.", v, sheetCatalogue), fmt.Sprintf("Unknown measure %q.", v)})
		}
	}
	if v := get(colValue); v != "" {
		n, err := strconv.ParseInt(strings.TrimSuffix(v, ".0"), 10, 64)
		if err != nil {
			errs = append(errs, cellError{colValue, "Giá trị phải là một số nguyên.", "The value must be a whole number."})
		} else {
			in.Value = &n
		}
	} else {
		errs = append(errs, cellError{colValue, "Ghi giá trị.", "The value is required."})
	}
	if v := get(colRecordedOn); v != "" {
		if d, ok := sheetDay(v); ok {
			in.RecordedOn = d.Format(time.DateOnly)
		} else {
			errs = append(errs, cellError{colRecordedOn, fmt.Sprintf("Ngày “%s” không đọc được; ghi theo ngày/tháng/năm, ví dụ 15/12/2025.", v), fmt.Sprintf("Unreadable date %q; write dd/mm/yyyy.", v)})
		}
	}
	return in, errs
}

// wholeNumber reads a year or a count typed as text or stored as a
// number ("2025", "2025.0"); 0 for an empty optional cell.
func wholeNumber(v, col string, required bool, errs *[]cellError) int {
	if v == "" {
		if required {
			*errs = append(*errs, cellError{col, "Bắt buộc nhập.", "Required."})
		}
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSuffix(v, ".0"))
	if err != nil || n < 0 || n > 9999 {
		*errs = append(*errs, cellError{col, fmt.Sprintf("“%s” không phải một năm (ví dụ 2025).", v), fmt.Sprintf("%q is not a year.", v)})
		return 0
	}
	return n
}

// sheetDay reads a day as a clerk types it (dd/mm/yyyy, yyyy-mm-dd) or as
// Excel stores a date cell (days since 30 December 1899).
func sheetDay(v string) (time.Time, bool) {
	if d, ok := viDay(v); ok {
		return d, true
	}
	serial, err := strconv.ParseFloat(v, 64)
	// 1 January 1900 to 31 December 2100: a date, not some other number.
	if err != nil || serial < 1 || serial > 73415 || serial != math.Trunc(serial) {
		return time.Time{}, false
	}
	d, err := excelize.ExcelDateToTime(serial, false)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC), true
}
