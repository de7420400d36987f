package service

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

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

// FuzzLegalBasis: whatever is typed, a legal basis the checks accept has
// a number of the form number/year/symbol, NFC text free of control
// characters, a title opening with its kind, a first day and a last day
// not before it — so its citation prints; one they refuse says which
// field, in both languages.
func FuzzLegalBasis(f *testing.F) {
	for _, b := range seed.LegalBases() {
		to := ""
		if b.ValidTo != nil {
			to = b.ValidTo.Format(time.DateOnly)
		}
		f.Add(b.Code, b.Kind, b.Title, b.ValidFrom.Format(time.DateOnly), to)
	}
	f.Add("152/2025/NĐ-CP", "Nghị định", "Căn cứ Nghị định số 152/2025/NĐ-CP;", "2025-07-01", "")
	f.Add("152/2025/N\u0110-CP", "nghi\u0323 \u0111i\u0323nh", "Nghi\u0323 \u0111i\u0323nh số 152/2025/NĐ-CP", "2025-07-01", "2025-06-30")
	f.Add("1/2025/X", "luật", "Luật\x00 A", "2025-02-30", "2100-12-31")
	f.Add("", "", "", "", "")
	f.Fuzz(func(t *testing.T, code, kind, title, from, to string) {
		in := LegalBasisInput{Code: code, Kind: kind, Title: title, ValidFrom: from, ValidTo: to, Source: "Công báo"}
		b, errs := in.row()
		errs = append(errs, ruleErrors(b, models.CheckLegalBasis(b, nil), errs)...)
		if len(errs) > 0 {
			for _, e := range errs {
				if !strings.HasPrefix(e.Pointer, "/") || e.Message == "" || e.MessageEN == "" {
					t.Fatalf("refusal without its field or its words: %+v", e)
				}
			}
			return
		}
		line := citation(b)
		switch {
		case !legalCodePattern.MatchString(b.Code):
			t.Fatalf("accepted number %q", b.Code)
		case !utf8.ValidString(line) || !norm.NFC.IsNormalString(line) || !textnorm.Valid(line):
			t.Fatalf("accepted citation %q is not clean NFC text", line)
		case !strings.HasPrefix(b.Title, upperFirst(b.Kind)+" "):
			t.Fatalf("accepted title %q of kind %q", b.Title, b.Kind)
		case b.ValidFrom.IsZero() || b.ValidTo != nil && b.ValidTo.Before(b.ValidFrom):
			t.Fatalf("accepted period %v – %v", b.ValidFrom, b.ValidTo)
		}
	})
}

// FuzzAuthority: whatever is typed, an authority the checks accept is of
// an award of the routing table with its form and levels, NFC text free
// of control characters, a first day and a last day not before it — so
// that the in-force question has one answer on every day, and the row
// holds its award on its first day; one they refuse says which field, in
// both languages.
func FuzzAuthority(f *testing.F) {
	for _, a := range seed.Authorities() {
		to := ""
		if a.ValidTo != nil {
			to = a.ValidTo.Format(time.DateOnly)
		}
		f.Add(a.Award, a.Name, a.LastLevel, a.ValidFrom.Format(time.DateOnly), to, a.Council)
	}
	f.Add("giay-khen-xa", "Gia\u0301y khen", "commune", "2025-07-01", "2025-06-30", "Hội đồng")
	f.Add("chien-si-thi-dua", "", "", "2025-02-30", "2100-12-31", "")
	f.Add("giay-khen-huyen", "Giấy khen\x00", "interior", "2024-01-01", "", " ")
	f.Add("", "", "", "", "", "")
	f.Fuzz(func(t *testing.T, award, name, level, from, to, council string) {
		in := AuthorityInput{Award: award, Name: name, LastLevel: level, ValidFrom: from, ValidTo: to, Council: council, Source: "Luật"}
		a, errs := in.row()
		errs = append(errs, authorityErrors(a, models.CheckAuthority(a, nil), errs)...)
		if len(errs) > 0 {
			for _, e := range errs {
				if !strings.HasPrefix(e.Pointer, "/") || e.Message == "" || e.MessageEN == "" {
					t.Fatalf("refusal without its field or its words: %+v", e)
				}
			}
			return
		}
		route, err := routing.LookupAward(routing.Award(a.Award))
		switch {
		case err != nil:
			t.Fatalf("accepted award %q", a.Award)
		case a.Form != route.Form || a.LastLevel != string(route.LastLevel) || a.Issuer != string(route.Issuer) || a.External != route.External:
			t.Fatalf("accepted %+v against the routing table's %+v", a, route)
		case a.ValidFrom.IsZero() || a.ValidTo != nil && a.ValidTo.Before(a.ValidFrom):
			t.Fatalf("accepted period %v – %v", a.ValidFrom, a.ValidTo)
		}
		for _, s := range []string{a.Name, a.DecidedBy, a.Council, a.Source} {
			if s == "" || !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) || !textnorm.Valid(s) {
				t.Fatalf("accepted text %q is not clean NFC text", s)
			}
		}
		if _, ok := models.AuthorityOn([]models.Authority{a}, route.Code, a.ValidFrom); !ok {
			t.Fatalf("an accepted row does not hold its award on its first day: %+v", a)
		}
	})
}
