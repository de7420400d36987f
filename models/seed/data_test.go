package seed

import (
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

const dateLayout = "2006-01-02"

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		t.Fatalf("bad date %q: %v", s, err)
	}
	if d.Format(dateLayout) != s {
		t.Fatalf("date %q is not canonical", s)
	}
	return d
}

func holidaySet() map[string]string {
	m := make(map[string]string, len(Holidays))
	for _, h := range Holidays {
		m[h.Date] = h.Name
	}
	return m
}

func checkText(t *testing.T, what, s string) {
	t.Helper()
	if s == "" {
		t.Errorf("%s: empty", what)
	}
	if strings.TrimSpace(s) != s {
		t.Errorf("%s %q: leading/trailing space", what, s)
	}
	if strings.Contains(s, "  ") {
		t.Errorf("%s %q: double space", what, s)
	}
	if !norm.NFC.IsNormalString(s) {
		t.Errorf("%s %q: not NFC", what, s)
	}
}

// --- holidays -------------------------------------------------------------

func TestHolidaysDatesValid(t *testing.T) {
	if len(Holidays) == 0 {
		t.Fatal("no holidays")
	}
	var prev time.Time
	for i, h := range Holidays {
		d := mustDate(t, h.Date)
		checkText(t, "holiday name "+h.Date, h.Name)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			t.Errorf("%s (%s) is a weekend day", h.Date, wd)
		}
		if d.Year() < 2023 || d.Year() > 2030 {
			t.Errorf("%s outside 2023–2030", h.Date)
		}
		if i > 0 && !d.After(prev) {
			t.Errorf("%s not strictly after %s (unsorted or duplicate)", h.Date, prev.Format(dateLayout))
		}
		prev = d
	}
	if !sort.SliceIsSorted(Holidays, func(i, j int) bool { return Holidays[i].Date < Holidays[j].Date }) {
		t.Error("Holidays not sorted")
	}
}

func TestHolidaysPerYear(t *testing.T) {
	perYear := map[int]int{}
	tetPerYear := map[int]int{}
	for _, h := range Holidays {
		y := mustDate(t, h.Date).Year()
		perYear[y]++
		if strings.HasPrefix(h.Name, "Tết Nguyên đán ") {
			tetPerYear[y]++
		}
	}
	for y := 2023; y <= 2030; y++ {
		if perYear[y] < 10 {
			t.Errorf("%d: only %d holidays", y, perYear[y])
		}
		// The Labour Code grants 5 Tết days; in every decided year these
		// came out as exactly 5 weekdays off.
		if tetPerYear[y] != 5 {
			t.Errorf("%d: %d Tết weekdays, want 5", y, tetPerYear[y])
		}
	}
}

func TestFixedHolidays(t *testing.T) {
	set := holidaySet()
	for y := 2023; y <= 2030; y++ {
		// Each fixed-date holiday is either listed, or falls on a weekend
		// and some weekday within the following 3 days is listed (nghỉ bù).
		for _, md := range []string{"-01-01", "-04-30", "-05-01", "-09-02"} {
			d := mustDate(t, strconv.Itoa(y)+md)
			if _, ok := set[d.Format(dateLayout)]; ok {
				continue
			}
			wd := d.Weekday()
			if wd != time.Saturday && wd != time.Sunday {
				t.Errorf("%s is a weekday but not listed", d.Format(dateLayout))
				continue
			}
			found := false
			for k := 1; k <= 3; k++ {
				if _, ok := set[d.AddDate(0, 0, k).Format(dateLayout)]; ok {
					found = true
				}
			}
			if !found {
				t.Errorf("%s falls on %s but no nghỉ bù follows", d.Format(dateLayout), wd)
			}
		}
		// Quốc khánh: 2 days, so at least two listed weekdays in 30/8–5/9.
		n := 0
		for d := mustDate(t, strconv.Itoa(y)+"-08-29"); d.Month() == time.August || d.Day() <= 5; d = d.AddDate(0, 0, 1) {
			if _, ok := set[d.Format(dateLayout)]; ok {
				n++
			}
		}
		if n < 2 {
			t.Errorf("%d: only %d Quốc khánh days", y, n)
		}
	}
}

func TestTetDates(t *testing.T) {
	set := holidaySet()
	if len(TetDates) != 8 {
		t.Errorf("TetDates has %d entries, want 8 (2023–2030)", len(TetDates))
	}
	for y := 2023; y <= 2030; y++ {
		s, ok := TetDates[y]
		if !ok {
			t.Errorf("TetDates missing %d", y)
			continue
		}
		d := mustDate(t, s)
		if d.Year() != y || d.Before(mustDate(t, strconv.Itoa(y)+"-01-21")) || d.After(mustDate(t, strconv.Itoa(y)+"-02-20")) {
			t.Errorf("Tết %d = %s outside 21/1–20/2", y, s)
		}
		prev, next := d.AddDate(0, 0, -1), d.AddDate(0, 0, 1)
		_, in := set[s]
		_, inPrev := set[prev.Format(dateLayout)]
		_, inNext := set[next.Format(dateLayout)]
		if !in && !inPrev && !inNext {
			t.Errorf("Tết %d (%s) neither listed nor adjacent to a listed day", y, s)
		}
		switch d.Weekday() {
		case time.Saturday, time.Sunday:
			// The Friday before and Monday after must both be off.
			fri := d.AddDate(0, 0, -((int(d.Weekday()) - int(time.Friday) + 7) % 7))
			mon := d.AddDate(0, 0, (int(time.Monday)-int(d.Weekday())+7)%7)
			for _, x := range []time.Time{fri, mon} {
				if !strings.HasPrefix(set[x.Format(dateLayout)], "Tết Nguyên đán") {
					t.Errorf("Tết %d: %s should be a Tết day", y, x.Format(dateLayout))
				}
			}
		default:
			if !strings.HasPrefix(set[s], "Tết Nguyên đán") {
				t.Errorf("Tết %d (%s) falls on a weekday but is not a listed Tết day", y, s)
			}
		}
	}
}

func TestMakeUpWorkdays(t *testing.T) {
	set := holidaySet()
	for _, m := range MakeUpWorkdays {
		d := mustDate(t, m.Date)
		checkText(t, "make-up day "+m.Date, m.Name)
		if d.Weekday() != time.Saturday {
			t.Errorf("make-up day %s is a %s, want Saturday", m.Date, d.Weekday())
		}
		if _, ok := set[m.Date]; ok {
			t.Errorf("make-up day %s is also listed as a holiday", m.Date)
		}
	}
}

func TestHolidaySpotChecks(t *testing.T) {
	set := holidaySet()
	want := []string{
		"2023-01-02", "2023-01-20", "2023-01-26", "2023-05-03", "2023-09-01", "2023-09-04",
		"2024-02-08", "2024-02-14", "2024-04-18", "2024-04-29", "2024-09-03",
		"2025-01-01", "2025-01-27", "2025-01-29", "2025-01-31", "2025-04-07",
		"2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02",
		"2026-01-02", "2026-02-16", "2026-02-20", "2026-04-27", "2026-08-31", "2026-09-02",
	}
	for _, s := range want {
		if _, ok := set[s]; !ok {
			t.Errorf("%s should be a holiday", s)
		}
	}
	notWant := []string{
		"2024-02-15",               // back to work after Tết Giáp Thìn
		"2025-02-03",               // back to work after Tết Ất Tỵ
		"2025-01-24",               // Friday before the 2025 break
		"2025-04-08",               // day after Giỗ Tổ 2025
		"2026-02-23",               // back to work after Tết Bính Ngọ
		"2026-04-28", "2026-04-29", // working days between Giỗ Tổ and 30/4
		"2026-09-03",
	}
	for _, s := range notWant {
		if name, ok := set[s]; ok {
			t.Errorf("%s should be a working day, listed as %q", s, name)
		}
	}
	if got := set["2025-01-29"]; got != "Tết Nguyên đán Ất Tỵ" {
		t.Errorf("2025-01-29 = %q", got)
	}
}

// --- administrative units -------------------------------------------------

// slug converts a Vietnamese name to its ASCII code form.
func slug(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// drop diacritics
		case r == 'đ':
			b.WriteByte('d')
		case r == ' ':
			b.WriteByte('-')
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		default:
			b.WriteRune('?')
		}
	}
	return b.String()
}

var (
	districtKinds = map[string]bool{DistrictKindCity: true, DistrictKindTown: true, DistrictKindRural: true}
	communeKinds  = map[string]bool{CommuneKindWard: true, CommuneKindCommune: true, CommuneKindTownship: true}
)

// Expected counts, as documented on BinhDuong2024.
var wantCounts = map[string]struct{ ward, township, commune int }{
	"thu-dau-mot":  {14, 0, 0},
	"di-an":        {7, 0, 0},
	"thuan-an":     {9, 0, 1},
	"tan-uyen":     {10, 0, 2},
	"ben-cat":      {7, 0, 1},
	"bau-bang":     {0, 1, 6},
	"bac-tan-uyen": {0, 2, 8},
	"phu-giao":     {0, 1, 10},
	"dau-tieng":    {0, 1, 11},
}

func TestDistricts(t *testing.T) {
	if len(BinhDuong2024) != 9 {
		t.Fatalf("%d districts, want 9", len(BinhDuong2024))
	}
	districtCodes := map[string]bool{}
	communeCodes := map[string]string{}
	nameCount := map[string]int{}
	for _, d := range BinhDuong2024 {
		for _, c := range d.Communes {
			nameCount[c.Name]++
		}
	}
	total, wards, townships, communes := 0, 0, 0, 0
	for _, d := range BinhDuong2024 {
		checkText(t, "district name", d.Name)
		if d.Code != slug(d.Name) {
			t.Errorf("district %q code %q, want %q", d.Name, d.Code, slug(d.Name))
		}
		if districtCodes[d.Code] {
			t.Errorf("duplicate district code %q", d.Code)
		}
		districtCodes[d.Code] = true
		if !districtKinds[d.Kind] {
			t.Errorf("district %q: bad kind %q", d.Name, d.Kind)
		}
		if len(d.Communes) == 0 {
			t.Errorf("district %q has no communes", d.Name)
		}
		var w, tt, x int
		for _, c := range d.Communes {
			checkText(t, "commune name", c.Name)
			want := slug(c.Name)
			if nameCount[c.Name] > 1 {
				want += "-" + d.Code
			}
			if c.Code != want {
				t.Errorf("commune %q (%s) code %q, want %q", c.Name, d.Name, c.Code, want)
			}
			if other, dup := communeCodes[c.Code]; dup {
				t.Errorf("duplicate commune code %q (%s and %s)", c.Code, other, d.Name)
			}
			communeCodes[c.Code] = d.Name
			switch c.Kind {
			case CommuneKindWard:
				w++
			case CommuneKindTownship:
				tt++
			case CommuneKindCommune:
				x++
			default:
				t.Errorf("commune %q: bad kind %q", c.Name, c.Kind)
			}
		}
		// Cities have no thị trấn; rural districts have no phường and at
		// least one thị trấn (the district seat).
		switch d.Kind {
		case DistrictKindCity, DistrictKindTown:
			if tt != 0 {
				t.Errorf("%s has %d thị trấn", d.FullName(), tt)
			}
		case DistrictKindRural:
			if w != 0 || tt == 0 {
				t.Errorf("%s: %d phường, %d thị trấn", d.FullName(), w, tt)
			}
		}
		wc, ok := wantCounts[d.Code]
		if !ok {
			t.Errorf("unexpected district %q", d.Code)
		} else if wc.ward != w || wc.township != tt || wc.commune != x {
			t.Errorf("%s: %d phường/%d thị trấn/%d xã, want %d/%d/%d", d.FullName(), w, tt, x, wc.ward, wc.township, wc.commune)
		}
		total += len(d.Communes)
		wards += w
		townships += tt
		communes += x
	}
	if total != 91 || wards != 47 || townships != 5 || communes != 39 {
		t.Errorf("totals: %d units = %d phường + %d thị trấn + %d xã, want 91 = 47 + 5 + 39", total, wards, townships, communes)
	}
}

func findDistrict(code string) *District {
	for i := range BinhDuong2024 {
		if BinhDuong2024[i].Code == code {
			return &BinhDuong2024[i]
		}
	}
	return nil
}

func findCommune(d *District, name string) *Commune {
	if d == nil {
		return nil
	}
	for i := range d.Communes {
		if d.Communes[i].Name == name {
			return &d.Communes[i]
		}
	}
	return nil
}

func TestUnitSpotChecks(t *testing.T) {
	kinds := map[string]string{
		"thu-dau-mot": DistrictKindCity, "di-an": DistrictKindCity, "thuan-an": DistrictKindCity,
		"tan-uyen": DistrictKindCity, "ben-cat": DistrictKindCity,
		"bau-bang": DistrictKindRural, "bac-tan-uyen": DistrictKindRural,
		"phu-giao": DistrictKindRural, "dau-tieng": DistrictKindRural,
	}
	for code, kind := range kinds {
		if d := findDistrict(code); d == nil || d.Kind != kind {
			t.Errorf("district %s: want kind %q, got %+v", code, kind, d)
		}
	}
	checks := []struct{ district, name, kind string }{
		{"thu-dau-mot", "Phú Cường", CommuneKindWard},
		{"thu-dau-mot", "Tương Bình Hiệp", CommuneKindWard},
		{"di-an", "Tân Đông Hiệp", CommuneKindWard},
		{"thuan-an", "Lái Thiêu", CommuneKindWard},
		{"thuan-an", "An Sơn", CommuneKindCommune},
		{"tan-uyen", "Uyên Hưng", CommuneKindWard},
		{"tan-uyen", "Vĩnh Tân", CommuneKindWard},
		{"tan-uyen", "Bạch Đằng", CommuneKindCommune},
		{"ben-cat", "Mỹ Phước", CommuneKindWard},
		{"ben-cat", "An Tây", CommuneKindWard},
		{"ben-cat", "Phú An", CommuneKindCommune},
		{"bau-bang", "Lai Uyên", CommuneKindTownship},
		{"bau-bang", "Cây Trường II", CommuneKindCommune},
		{"bac-tan-uyen", "Tân Thành", CommuneKindTownship},
		{"bac-tan-uyen", "Tân Bình", CommuneKindTownship},
		{"phu-giao", "Phước Vĩnh", CommuneKindTownship},
		{"dau-tieng", "Dầu Tiếng", CommuneKindTownship},
		{"dau-tieng", "Minh Thạnh", CommuneKindCommune},
	}
	for _, c := range checks {
		got := findCommune(findDistrict(c.district), c.name)
		if got == nil {
			t.Errorf("%s not found in %s", c.name, c.district)
		} else if got.Kind != c.kind {
			t.Errorf("%s (%s): kind %q, want %q", c.name, c.district, got.Kind, c.kind)
		}
	}
}

func TestFullName(t *testing.T) {
	cases := []struct{ got, want string }{
		{findDistrict("thu-dau-mot").FullName(), "Thành phố Thủ Dầu Một"},
		{findDistrict("dau-tieng").FullName(), "Huyện Dầu Tiếng"},
		{District{Name: "Bến Cát", Kind: DistrictKindTown}.FullName(), "Thị xã Bến Cát"},
		{findCommune(findDistrict("thu-dau-mot"), "Phú Cường").FullName(), "Phường Phú Cường"},
		{findCommune(findDistrict("thuan-an"), "An Sơn").FullName(), "Xã An Sơn"},
		{findCommune(findDistrict("bau-bang"), "Lai Uyên").FullName(), "Thị trấn Lai Uyên"},
	}
	for _, c := range cases {
		if c.got != c.want {
			t.Errorf("FullName = %q, want %q", c.got, c.want)
		}
		checkText(t, "full name", c.got)
	}
}
