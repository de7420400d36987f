package service

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/routing"
)

// The import workbook has one sheet per nominee kind, one row per nominee,
// and one sheet with what the nominations of a workbook share: the
// submission letter (it lists every nominee of the workbook) and the review
// minutes (they record every vote). Its columns are derived from the forms
// (one source of truth): every one-value field of the kind's achievement
// report, the year of the kind's learning title, the award asked and the
// votes. Lists other than the title (awards already received) are entered
// in the web form after the import.
const (
	importCommonSheet = "Tờ trình và biên bản"
	importAwardsSheet = "Danh mục khen thưởng"
	maxImportRows     = 500
)

// importSheetNames names each nominee kind's sheet as clerks say it.
var importSheetNames = map[string]string{
	forms.KindIndividual: "Cá nhân",
	forms.KindHousehold:  "Hộ gia đình",
	forms.KindClan:       "Dòng họ",
	forms.KindCollective: "Tập thể",
	forms.KindEnterprise: "Doanh nghiệp",
	forms.KindCommunity:  "Cộng đồng",
}

// importColumn is one cell of a row (or one key of the common sheet) and
// where it goes in the dossier.
type importColumn struct {
	header  string
	pointer string
	number  bool           // an integer field: a numeric cell becomes a number
	enum    []forms.Option // the cell may hold an option's value or its label
}

// importSheet is the sheet of one nominee kind.
type importSheet struct {
	kind      string
	name      string
	nameField string // the report's field naming the nominee
	title     string // the learning title whose year the sheet asks ("" if none)
	cols      []importColumn
	example   []any // the template's example row; the import refuses it unchanged
}

var (
	importSheets = buildImportSheets()
	importCommon = buildImportCommon()
	// importCommonExample is the example letter and minutes of the common
	// sheet (the individual's example dossier).
	importCommonExample = mustExample(importSheets[0], 0)
)

func init() {
	for i := range importSheets {
		importSheets[i].example = importSheets[i].exampleRow(i)
	}
}

func buildImportSheets() []importSheet {
	var sheets []importSheet
	for _, kind := range forms.Kinds() {
		form, _ := forms.Lookup(kind)
		s := importSheet{kind: kind, name: importSheetNames[kind], nameField: form.NameField}
		for _, f := range form.Fields {
			ptr := "/nominee/" + f.Name
			if c, ok := columnFor(f, ptr); ok {
				s.cols = append(s.cols, c)
				continue
			}
			if f.Name == "titles" && f.Items != nil && len(f.Items.Fields) > 0 && len(f.Items.Fields[0].Enum) > 0 {
				s.title = f.Items.Fields[0].Enum[0].Value
				s.cols = append(s.cols, importColumn{header: "Năm đạt danh hiệu “" + s.title + "”",
					pointer: ptr + "/0/year", number: true})
			}
		}
		award := letterField("award")
		s.cols = append(s.cols,
			importColumn{header: award.Label + " (mã hoặc tên, xem trang “" + importAwardsSheet + "”)",
				pointer: "/letter/award", enum: award.Enum},
			importColumn{header: "Số phiếu đồng ý", pointer: "/minutes/votes/{i}/for", number: true},
			importColumn{header: "Số phiếu không đồng ý", pointer: "/minutes/votes/{i}/against", number: true},
		)
		sheets = append(sheets, s)
	}
	return sheets
}

// buildImportCommon lists the one-value fields of the letter and the
// minutes, but the award (asked per row) and the lists (built from rows).
func buildImportCommon() []importColumn {
	var cols []importColumn
	for _, part := range forms.Dossier(forms.KindIndividual).Fields {
		if part.Name == "nominee" {
			continue
		}
		for _, f := range part.Fields {
			if f.Name == "award" {
				continue
			}
			if c, ok := columnFor(f, "/"+part.Name+"/"+f.Name); ok {
				cols = append(cols, c)
			}
		}
	}
	return cols
}

// letterField is a field of the submission letter, as the forms declare it.
func letterField(name string) forms.Field {
	for _, part := range forms.Dossier(forms.KindIndividual).Fields {
		if part.Name != "letter" {
			continue
		}
		for _, f := range part.Fields {
			if f.Name == name {
				return f
			}
		}
	}
	panic("forms: the letter has no field " + name)
}

// columnFor makes a column of a one-value field; lists and objects have
// none.
func columnFor(f forms.Field, ptr string) (importColumn, bool) {
	c := importColumn{header: f.Label, pointer: ptr}
	switch f.Type {
	case forms.TypeString, forms.TypeText:
	case forms.TypeDate:
		c.header += " (năm-tháng-ngày, ví dụ 2024-03-15)"
	case forms.TypeInteger:
		c.number = true
	case forms.TypeEnum:
		labels := make([]string, 0, len(f.Enum))
		for _, o := range f.Enum {
			labels = append(labels, o.Label)
		}
		c.header += " (" + strings.Join(labels, " / ") + ")"
		c.enum = f.Enum
	default:
		return importColumn{}, false
	}
	if f.Required {
		c.header += " *"
	}
	return c, true
}

// value turns a cell into what the form expects: a number where it wants
// one, an option's value where the clerk wrote its label. A cell that does
// not convert stays text, so that the form reports it.
func (c importColumn) value(cell string) any {
	if cell == "" {
		return nil
	}
	if c.number {
		if n, err := strconv.Atoi(cell); err == nil {
			return float64(n)
		}
	}
	s := norm.NFC.String(cell)
	for _, o := range c.enum {
		if strings.EqualFold(s, o.Value) || strings.EqualFold(s, o.Label) || strings.EqualFold(s, formerName(o.Value)) {
			return o.Value
		}
	}
	return cell
}

// formerName is the name award code bore before 1 July 2025 (the
// province's Bằng khen), still understood in a workbook; "" for none.
func formerName(code string) string {
	if a, err := routing.LookupAward(routing.Award(code)); err == nil && a.Formerly != "" {
		return a.Formerly
	}
	return "" // a cell is never empty here
}

// display is the cell an example value shows: an option's label, not its
// code, except for the award, whose code is shorter to type.
func (c importColumn) display(v any) any {
	s, ok := v.(string)
	if !ok || c.pointer == "/letter/award" {
		return v
	}
	for _, o := range c.enum {
		if o.Value == s {
			return o.Label
		}
	}
	return v
}

// checkHeader reports a header row that is not the template's: a workbook
// from an older template would put values in the wrong fields.
func (s importSheet) checkHeader(row []string) *FieldError {
	for j, c := range s.cols {
		if cell(row, j) != c.header {
			col, _ := columnName(j) // j indexes the sheet's columns: in range
			return &FieldError{Pointer: "/" + s.name + "/1/" + col, Message: fmt.Sprintf("Trang “%s”, cột %s phải có tiêu đề “%s” như tệp mẫu; hãy tải tệp mẫu mới và nhập lại.", s.name, col, c.header), MessageEN: fmt.Sprintf("Sheet %s, column %s must be headed %q as in the template; download the template again.", s.name, col, c.header)}
		}
	}
	return nil
}

// rowError locates a dossier error in the workbook: the sheet, row and
// column whose cell gave the value, or the common sheet's key. Every row's
// dossier carries the letter's list of names and the votes of all rows; an
// error in another row's entry is that row's to report (ok false).
func (s importSheet) rowError(line, vote int, pointer, vi, en string) (fe FieldError, ok bool) {
	for _, c := range importCommon {
		if c.pointer == pointer {
			return FieldError{Pointer: "/" + importCommonSheet + "/" + c.header, Message: fmt.Sprintf("Trang “%s”, mục “%s”: %s", importCommonSheet, c.header, vi), MessageEN: fmt.Sprintf("Sheet %s, entry %q: %s", importCommonSheet, c.header, en)}, true
		}
	}
	for _, list := range []string{"/minutes/votes/", "/letter/nominees/"} {
		if rest, found := strings.CutPrefix(pointer, list); found {
			if i, _, _ := strings.Cut(rest, "/"); i != strconv.Itoa(vote) {
				return FieldError{}, false
			}
		}
	}
	if pointer == "/letter/nominees/"+strconv.Itoa(vote) || pointer == "/minutes/votes/"+strconv.Itoa(vote)+"/nominee" {
		pointer = "/nominee/" + s.nameField // the row's name gave the letter's and the vote's entry
	}
	col, header := "?", ""
	for j, c := range s.cols {
		p := strings.ReplaceAll(c.pointer, "{i}", strconv.Itoa(vote))
		if p == pointer || strings.HasPrefix(pointer, p+"/") || strings.HasPrefix(p, pointer+"/") {
			col, _ = columnName(j) // j indexes the sheet's columns: in range
			header = " (" + c.header + ")"
			break
		}
	}
	return FieldError{Pointer: fmt.Sprintf("/%s/%d/%s", s.name, line, col), Message: fmt.Sprintf("Trang “%s”, dòng %d, cột %s%s: %s", s.name, line, col, header, vi), MessageEN: fmt.Sprintf("Sheet %s, row %d, column %s: %s", s.name, line, col, en)}, true
}

// columnName is the spreadsheet letter of the zero-based column j.
func columnName(j int) (string, error) { return excelize.ColumnNumberToName(j + 1) }

// exampleRow is the template's example row of the sheet (serial: the
// sheet's place).
func (s importSheet) exampleRow(serial int) []any {
	ex := mustExample(s, serial)
	row := make([]any, len(s.cols))
	for j, col := range s.cols {
		from := ex
		if strings.HasPrefix(col.pointer, "/minutes/") {
			from = importCommonExample // the votes of the one meeting on the common sheet
		}
		row[j] = col.display(lookupPointer(from, strings.ReplaceAll(col.pointer, "{i}", "0")))
	}
	return row
}

// mustExample is the example dossier of a sheet, asking for the
// provincial Bằng khen; serial keeps the examples' CCCDs apart. The
// examples are embedded: one missing is a build error, found at start.
func mustExample(sh importSheet, serial int) map[string]any {
	base, err := forms.Example(sh.kind)
	if err != nil {
		panic(fmt.Sprintf("import template: %v", err))
	}
	name, _ := lookupPointer(base, "/nominee/"+sh.nameField).(string)
	ex, err := forms.ExampleFor(sh.kind, name, routing.BangKhenTinh, 1234+serial)
	if err != nil {
		panic(fmt.Sprintf("import template: %v", err))
	}
	return ex
}

// isExample reports whether cells are the example row as a spreadsheet
// reads it back.
func isExample(cells []string, example []any) bool {
	for j, v := range example {
		want := ""
		if v != nil {
			want = fmt.Sprint(v)
		}
		if cell(cells, j) != want {
			return false
		}
	}
	return true
}

// nameColumn is the column of the field naming the nominee.
func (s importSheet) nameColumn() int {
	for j, c := range s.cols {
		if c.pointer == "/nominee/"+s.nameField {
			return j
		}
	}
	return 0
}
