package service

import "testing"

// FuzzImportCell: a workbook cell becomes a number only in a number
// column, an option's value only when it names one; anything else stays
// the text typed, for the form to report.
func FuzzImportCell(f *testing.F) {
	for _, seed := range []string{"8", "-3", "08", "1e3", "nữ", "Nữ", "NỮ", "nu\u0303", "Trường học, cơ sở giáo dục",
		"truong-hoc", "bang-khen-tinh", "Bằng khen của Chủ tịch UBND tỉnh", " ", "\x00", "=HYPERLINK(\"x\")"} {
		f.Add(seed)
	}
	var cols []importColumn
	for _, sh := range importSheets {
		cols = append(cols, sh.cols...)
	}
	cols = append(cols, importCommon...)
	f.Fuzz(func(t *testing.T, cell string) {
		for _, c := range cols {
			switch v := c.value(cell).(type) {
			case nil:
				if cell != "" {
					t.Fatalf("%s: %q became nothing", c.header, cell)
				}
			case float64:
				if !c.number {
					t.Fatalf("%s is not a number column, %q became %v", c.header, cell, v)
				}
			case string:
				if v == cell {
					continue
				}
				named := false
				for _, o := range c.enum {
					named = named || v == o.Value
				}
				if !named {
					t.Fatalf("%s: %q became %q, neither the text nor an option", c.header, cell, v)
				}
			default:
				t.Fatalf("%s: %q became %T", c.header, cell, v)
			}
		}
	})
}
