package forms

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestExamplesValid(t *testing.T) {
	for _, kind := range Kinds() {
		for _, useNumber := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/usenumber=%v", kind, useNumber), func(t *testing.T) {
				d := decode(t, exampleBytes(t, kind), useNumber)
				clean, errs := Validate(kind, d, testNow)
				if len(errs) > 0 {
					t.Fatalf("example is invalid: %+v", errs)
				}
				// Clean is stable: validating it again changes nothing.
				again, errs := Validate(kind, clean, testNow)
				if len(errs) > 0 || !reflect.DeepEqual(again, clean) {
					t.Fatalf("clean dossier does not validate to itself: %+v", errs)
				}
				// It encodes to JSON and reads back as a valid dossier.
				b, err := json.Marshal(clean)
				if err != nil {
					t.Fatal(err)
				}
				if _, errs := Validate(kind, decode(t, b, false), testNow); len(errs) > 0 {
					t.Fatalf("re-encoded clean dossier is invalid: %+v", errs)
				}
				if y, ok := clean["nominee"].(map[string]any)["titles"].([]any)[0].(map[string]any)["year"].(int64); !ok || y < 2023 {
					t.Fatalf("integers are not int64 in clean: %#v", y)
				}
			})
		}
	}
}

func TestValidateErrors(t *testing.T) {
	type op struct {
		ptr string
		val any // deleteIt removes the key
	}
	deleteIt := struct{}{}
	long := strings.Repeat("a", 301)
	many := func(n int, v func(i int) any) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = v(i)
		}
		return out
	}
	cases := []struct {
		name string
		kind string
		ops  []op
		want []string // pointers, in order
		msg  string   // a substring of the first error's Vietnamese message
	}{
		{"valid as is", KindIndividual, nil, nil, ""},
		{"unknown top-level field", KindIndividual, []op{{"/extra", 1}}, []string{"/extra"}, "không có trong biểu mẫu"},
		{"unknown field escaped", KindIndividual, []op{{"/nominee/a~1b~0c", 1}}, []string{"/nominee/a~1b~0c"}, "a/b~c"},
		{"unknown nested field", KindIndividual, []op{{"/nominee/titles/0/note", "x"}}, []string{"/nominee/titles/0/note"}, ""},
		{"missing letter", KindIndividual, []op{{"/letter", deleteIt}}, []string{"/letter"}, "Tờ trình"},
		{"letter not an object", KindIndividual, []op{{"/letter", []any{}}}, []string{"/letter"}, "đối tượng JSON"},
		{"nominee null", KindIndividual, []op{{"/nominee", nil}}, []string{"/nominee"}, "bắt buộc"},
		{"name missing", KindIndividual, []op{{"/nominee/full_name", deleteIt}}, []string{"/nominee/full_name"}, "Họ và tên"},
		{"name blank", KindIndividual, []op{{"/nominee/full_name", "  \t "}}, []string{"/nominee/full_name"}, "bắt buộc"},
		{"name wrong type", KindIndividual, []op{{"/nominee/full_name", 12.0}}, []string{"/nominee/full_name"}, "chuỗi"},
		{"name with digit", KindIndividual, []op{{"/nominee/full_name", "Nguyễn Thị 3"}}, []string{"/nominee/full_name"}, "chữ cái"},
		{"name with NUL", KindIndividual, []op{{"/nominee/full_name", "Nguyễn\x00Hồng"}}, []string{"/nominee/full_name"}, "không hợp lệ"},
		{"name with escape", KindIndividual, []op{{"/nominee/full_name", "Nguyễn\x1b[31m"}}, []string{"/nominee/full_name"}, "không hợp lệ"},
		{"name with bidi override", KindIndividual, []op{{"/nominee/full_name", "Nguyễn \u202eHồng"}}, []string{"/nominee/full_name"}, "không hợp lệ"},
		{"name invalid UTF-8", KindIndividual, []op{{"/nominee/full_name", "Nguy\xffn"}}, []string{"/nominee/full_name"}, "UTF-8"},
		{"name too long", KindIndividual, []op{{"/nominee/full_name", strings.Repeat("Hồng ", 30)}}, []string{"/nominee/full_name"}, "không được quá 100 ký tự"},
		{"minority name ok", KindIndividual, []op{{"/nominee/full_name", "H'Hen Niê"}, {"/letter/nominees/0", "H’Hen Niê"}, {"/minutes/votes/0/nominee", "H'Hen Niê"}}, nil, ""},
		{"date of birth not a day", KindIndividual, []op{{"/nominee/date_of_birth", "1985-02-30"}}, []string{"/nominee/date_of_birth"}, "YYYY-MM-DD"},
		{"date of birth Vietnamese format", KindIndividual, []op{{"/nominee/date_of_birth", "12/03/1985"}}, []string{"/nominee/date_of_birth"}, "YYYY-MM-DD"},
		{"date of birth before 1920", KindIndividual, []op{{"/nominee/date_of_birth", "1919-12-31"}, {"/nominee/cccd", deleteIt}}, []string{"/nominee/date_of_birth"}, "01/01/1920"},
		{"under 16", KindIndividual, []op{{"/nominee/date_of_birth", "2009-06-21"}, {"/nominee/cccd", deleteIt}}, []string{"/nominee/date_of_birth"}, "20/06/2009"},
		{"just 16", KindIndividual, []op{{"/nominee/date_of_birth", "2009-06-20"}, {"/nominee/cccd", deleteIt}}, nil, ""},
		{"sex not in enum", KindIndividual, []op{{"/nominee/sex", "female"}}, []string{"/nominee/sex"}, "“nam”, “nữ”"},
		{"cccd 11 digits", KindIndividual, []op{{"/nominee/cccd", "07418500123"}}, []string{"/nominee/cccd"}, "12 chữ số"},
		{"cccd letters", KindIndividual, []op{{"/nominee/cccd", "07418500123X"}}, []string{"/nominee/cccd"}, "12 chữ số"},
		{"cccd province", KindIndividual, []op{{"/nominee/cccd", "003185001234"}}, []string{"/nominee/cccd"}, "(003)"},
		{"cccd province 097", KindIndividual, []op{{"/nominee/cccd", "097185001234"}}, []string{"/nominee/cccd"}, "(097)"},
		{"cccd year mismatch", KindIndividual, []op{{"/nominee/date_of_birth", "1984-03-12"}}, []string{"/nominee/cccd"}, "184"},
		{"cccd sex mismatch", KindIndividual, []op{{"/nominee/sex", "nam"}}, []string{"/nominee/cccd"}, "085"},
		{"cccd 21st century", KindIndividual, []op{{"/nominee/date_of_birth", "2001-01-05"}, {"/nominee/cccd", "074301001234"}}, nil, ""},
		{"cccd optional", KindIndividual, []op{{"/nominee/cccd", ""}}, nil, ""},
		{"achievements too short", KindIndividual, []op{{"/nominee/achievements", "Tốt 100%."}}, []string{"/nominee/achievements"}, "ít nhất 100 ký tự"},
		{"achievements without figures", KindIndividual, []op{{"/nominee/achievements", strings.Repeat("Tích cực học tập suốt đời. ", 5)}}, []string{"/nominee/achievements"}, "số liệu"},
		{"title year before period", KindIndividual, []op{{"/nominee/titles/0/year", 2022.0}}, []string{"/nominee/titles/0/year"}, "2023"},
		{"title year after period", KindIndividual, []op{{"/nominee/titles/0/year", json.Number("2031")}}, []string{"/nominee/titles/0/year"}, "2030"},
		{"title year in the future", KindIndividual, []op{{"/nominee/titles/0/year", 2026}}, []string{"/nominee/titles/0/year"}, "2025"},
		{"title year fractional", KindIndividual, []op{{"/nominee/titles/0/year", 2024.5}}, []string{"/nominee/titles/0/year"}, "số nguyên"},
		{"title year as string", KindIndividual, []op{{"/nominee/titles/0/year", "2024"}}, []string{"/nominee/titles/0/year"}, "số nguyên"},
		{"title year json.Number", KindIndividual, []op{{"/nominee/titles/0/year", json.Number("2024")}}, nil, ""},
		{"title year 2024.0", KindIndividual, []op{{"/nominee/titles/0/year", json.Number("2.024e3")}}, nil, ""},
		{"title year huge", KindIndividual, []op{{"/nominee/titles/0/year", 1e300}}, []string{"/nominee/titles/0/year"}, "2030"},
		{"title year not a number", KindIndividual, []op{{"/nominee/titles/0/year", json.Number("NaN")}}, []string{"/nominee/titles/0/year"}, "số nguyên"},
		{"title not in enum", KindIndividual, []op{{"/nominee/titles/0/title", "Gia đình học tập"}}, []string{"/nominee/titles/0/title"}, "Công dân học tập"},
		{"title missing", KindIndividual, []op{{"/nominee/titles/0/title", deleteIt}}, []string{"/nominee/titles/0/title"}, "Danh hiệu"},
		{"title twice", KindIndividual, []op{{"/nominee/titles/2", map[string]any{"title": "Công dân học tập", "year": 2024.0}}}, []string{"/nominee/titles/2"}, "mục 1"},
		{"titles not a list", KindIndividual, []op{{"/nominee/titles", "Công dân học tập"}}, []string{"/nominee/titles"}, "danh sách"},
		{"titles null item", KindIndividual, []op{{"/nominee/titles/0", nil}}, []string{"/nominee/titles/0"}, "để trống"},
		{"too many titles", KindIndividual, []op{{"/nominee/titles", many(21, func(i int) any { return map[string]any{} })}}, []string{"/nominee/titles"}, "20 mục"},
		{"award level", KindIndividual, []op{{"/nominee/awards/0/level", "tỉnh"}}, []string{"/nominee/awards/0/level"}, "“tinh”"},
		{"award decision without number", KindIndividual, []op{{"/nominee/awards/0/decision", "QĐ-UBND"}}, []string{"/nominee/awards/0/decision"}, "1234/QĐ-UBND"},
		{"award year before 1945", KindIndividual, []op{{"/nominee/awards/0/year", 1944}}, []string{"/nominee/awards/0/year"}, "1945"},
		{"several errors at once", KindIndividual, []op{{"/nominee/sex", "x"}, {"/nominee/titles/0/year", 1.5}, {"/letter/award", "x"}, {"/zz", 1}},
			[]string{"/letter/award", "/nominee/sex", "/nominee/titles/0/year", "/zz"}, ""},
		{"letter number pattern", KindIndividual, []op{{"/letter/number", "12/UBND"}}, []string{"/letter/number"}, "12/TTr-UBND"},
		{"letter number with year", KindIndividual, []op{{"/letter/number", "12/2025/TTr-UBND"}}, nil, ""},
		{"letter number too long", KindIndividual, []op{{"/letter/number", "12/TTr-" + long}}, []string{"/letter/number"}, "12/TTr-UBND"},
		{"letter in the future", KindIndividual, []op{{"/letter/date", "2025-06-21"}}, []string{"/letter/date"}, "20/06/2025"},
		{"letter today", KindIndividual, []op{{"/letter/date", "2025-06-20"}}, nil, ""},
		{"letter before the movement", KindIndividual, []op{{"/letter/date", "2022-12-31"}}, []string{"/letter/date"}, "01/01/2023"},
		{"letter award unknown", KindIndividual, []op{{"/letter/award", "bang-khen-xyz"}}, []string{"/letter/award"}, "giay-khen-xa"},
		{"legal basis CRLF", KindIndividual, []op{{"/letter/legal_basis", "Căn cứ Luật Thi đua, khen thưởng\r\nngày 15/6/2022."}}, nil, ""},
		{"no nominees", KindIndividual, []op{{"/letter/nominees", []any{}}}, []string{"/letter/nominees"}, "ít nhất 1 mục"},
		{"too many nominees", KindIndividual, []op{{"/letter/nominees", many(501, func(i int) any { return fmt.Sprint("Người ", i) })}}, []string{"/letter/nominees"}, "500 mục"},
		{"letter omits nominee", KindIndividual, []op{{"/letter/nominees", []any{"Lê Văn Tâm"}}}, []string{"/letter/nominees"}, "Nguyễn Thị Hồng"},
		{"letter names nominee twice", KindIndividual, []op{{"/letter/nominees/2", "NGUYEN THI HONG"}}, []string{"/letter/nominees/2"}, "mục 1"},
		{"letter null nominee", KindIndividual, []op{{"/letter/nominees/0", nil}}, []string{"/letter/nominees/0", "/letter/nominees"}, "để trống"},
		{"present above total", KindIndividual, []op{{"/minutes/members_present", 10}}, []string{"/minutes/members_present"}, "(10)"},
		{"no quorum", KindIndividual, []op{{"/minutes/members_present", 5}, {"/minutes/votes/0/for", 5}, {"/minutes/votes/1/for", 3}},
			[]string{"/minutes/members_present"}, "6/9"},
		{"quorum exactly 2/3", KindIndividual, []op{{"/minutes/members_present", 6}, {"/minutes/votes/0/for", 6}, {"/minutes/votes/1/for", 4}}, nil, ""},
		{"votes above present", KindIndividual, []op{{"/minutes/votes/1/for", 7}}, []string{"/minutes/votes/1"}, "(9)"},
		{"vote twice", KindIndividual, []op{{"/minutes/votes/1/nominee", "NGUYỄN  THỊ HỒNG"}}, []string{"/minutes/votes/1/nominee"}, "mục 1"},
		{"negative vote", KindIndividual, []op{{"/minutes/votes/0/against", -1}}, []string{"/minutes/votes/0/against"}, "từ 0"},
		{"vote missing count", KindIndividual, []op{{"/minutes/votes/0/for", deleteIt}}, []string{"/minutes/votes/0/for"}, "bắt buộc"},
		{"no members", KindIndividual, []op{{"/minutes/members_total", 0}}, []string{"/minutes/members_total"}, "từ 1"},
		{"members as whole float", KindIndividual, []op{{"/minutes/members_total", 9.0}}, nil, ""},
		{"meeting after letter", KindIndividual, []op{{"/minutes/meeting_date", "2025-06-11"}}, []string{"/minutes/meeting_date"}, "10/06/2025"},
		{"meeting on letter day", KindIndividual, []op{{"/minutes/meeting_date", "2025-06-10"}}, nil, ""},

		{"collective abbreviation", KindCollective, []op{{"/nominee/name", "Trường THPT chuyên Hùng Vương"}}, []string{"/nominee/name"}, "“THPT” (“Trung học phổ thông”)"},
		{"collective several abbreviations", KindCollective, []op{{"/nominee/name", "Trường THCS Kim Đồng, TP. Thủ Dầu Một"}},
			[]string{"/nominee/name"}, "“THCS” (“Trung học cơ sở”), “TP” (“Thành phố”)"},
		{"collective unknown abbreviation", KindCollective, []op{{"/nominee/name", "Trung tâm Ngoại ngữ ABCD tỉnh Bình Dương"}}, []string{"/nominee/name"}, "“ABCD”"},
		{"collective GD&ĐT", KindCollective, []op{{"/nominee/name", "Phòng GD&ĐT thành phố Thủ Dầu Một"}}, []string{"/nominee/name"}, "Giáo dục và Đào tạo"},
		{"collective in capitals", KindCollective, []op{{"/nominee/name", "TRƯỜNG TRUNG HỌC PHỔ THÔNG CHUYÊN HÙNG VƯƠNG"}}, []string{"/nominee/name"}, "chữ in hoa"},
		{"collective category", KindCollective, []op{{"/nominee/category", "school"}}, []string{"/nominee/category"}, "truong-hoc"},
		{"phone with spaces", KindCollective, []op{{"/nominee/phone", "0274 3822 536"}}, []string{"/nominee/phone"}, "10 chữ số"},
		{"phone +84 mobile", KindCollective, []op{{"/nominee/phone", "+84912345678"}}, nil, ""},
		{"phone too short", KindCollective, []op{{"/nominee/phone", "091234567"}}, []string{"/nominee/phone"}, "10 chữ số"},
		{"structure missing", KindCollective, []op{{"/nominee/structure", deleteIt}}, []string{"/nominee/structure"}, "Cơ cấu tổ chức"},
		{"enterprise legal form abbreviated", KindEnterprise, []op{{"/nominee/name", "Công ty TNHH MTV Becamex IDC"}}, []string{"/nominee/name"},
			"“TNHH” (“Trách nhiệm hữu hạn”), “MTV” (“Một thành viên”)."},
		{"enterprise brand in capitals", KindEnterprise, []op{{"/nominee/name", "Công ty Cổ phần Becamex IDC"}, {"/letter/nominees/0", "Công ty Cổ phần Becamex IDC"},
			{"/minutes/votes/0/nominee", "Công ty Cổ phần Becamex IDC"}}, nil, ""},
		{"enterprise tax code", KindEnterprise, []op{{"/nominee/tax_code", "370214567"}}, []string{"/nominee/tax_code"}, "10 chữ số"},
		{"enterprise branch tax code", KindEnterprise, []op{{"/nominee/tax_code", "3702145678-001"}}, nil, ""},
		{"household members", KindHousehold, []op{{"/nominee/members", 0}}, []string{"/nominee/members"}, "từ 1"},
		{"household title of a clan", KindHousehold, []op{{"/nominee/titles/0/title", "Dòng họ học tập"}}, []string{"/nominee/titles/0/title"}, "Gia đình học tập"},
		{"household named in letter", KindHousehold, []op{{"/letter/nominees/0", "Hộ ông Trần Văn Bình Minh"}}, []string{"/letter/nominees"}, "Trần Văn Bình"},
		{"clan representative", KindClan, []op{{"/nominee/representative", "Huỳnh Văn Lộc (trưởng tộc)"}}, []string{"/nominee/representative"}, "“(”"},
		{"community households above population", KindCommunity, []op{{"/nominee/households", 7000}}, []string{"/nominee/households"}, "(7000)"},
		{"community population fractional", KindCommunity, []op{{"/nominee/population", 6245.5}}, []string{"/nominee/population"}, "số nguyên"},
		{"community Roman numeral", KindCommunity, []op{{"/nominee/name", "Khu phố III, phường Phú Lợi"}, {"/letter/nominees/0", "Khu phố III, phường Phú Lợi"},
			{"/minutes/votes/0/nominee", "Khu phố III, phường Phú Lợi"}}, nil, ""},
		{"community abbreviated", KindCommunity, []op{{"/nominee/name", "KP.3, P. Phú Lợi"}}, []string{"/nominee/name"}, "“KP” (“Khu phố”), “P.”"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := example(t, c.kind)
			for _, o := range c.ops {
				if o.val == deleteIt {
					del(t, d, o.ptr)
				} else {
					set(t, d, o.ptr, o.val)
				}
			}
			before := deepCopy(d)
			clean, errs := Validate(c.kind, d, testNow)
			checkErrs(t, errs)
			if !reflect.DeepEqual(d, before) {
				t.Fatal("Validate modified its input")
			}
			if got := pointers(errs); !slices.Equal(got, c.want) {
				t.Fatalf("pointers = %q, want %q; errors: %+v", got, c.want, errs)
			}
			if len(c.want) == 0 && clean == nil {
				t.Fatal("no clean dossier")
			}
			if len(c.want) > 0 && clean != nil {
				t.Fatal("clean dossier despite errors")
			}
			if c.msg != "" && !strings.Contains(errs[0].Message, c.msg) {
				t.Fatalf("message %q does not contain %q", errs[0].Message, c.msg)
			}
		})
	}
}

func TestValidateKindAndNil(t *testing.T) {
	_, errs := Validate("robot", map[string]any{}, testNow)
	checkErrs(t, errs)
	if len(errs) != 1 || errs[0].Pointer != "" || !strings.Contains(errs[0].MessageEN, "individual") {
		t.Fatalf("unknown kind: %+v", errs)
	}
	_, errs = Validate(KindIndividual, nil, testNow)
	if len(errs) != 1 || errs[0].Pointer != "" {
		t.Fatalf("nil dossier: %+v", errs)
	}
	_, errs = Validate(KindIndividual, map[string]any{}, testNow)
	if got := pointers(errs); !slices.Equal(got, []string{"/letter", "/nominee", "/minutes"}) {
		t.Fatalf("empty dossier: %q", got)
	}
}

func TestValidateErrorCap(t *testing.T) {
	d := map[string]any{}
	for i := range MaxErrors + 500 {
		d[fmt.Sprintf("k%05d", i)] = i
	}
	_, errs := Validate(KindClan, d, testNow)
	checkErrs(t, errs)
	if len(errs) != MaxErrors+1 {
		t.Fatalf("%d errors", len(errs))
	}
	if last := errs[len(errs)-1]; last.Pointer != "" || !strings.Contains(last.MessageEN, "503 more") {
		t.Fatalf("last error %+v", last) // 1503 errors: 3 required + 1500 unknown
	}
}

// TestNFC: decomposed (NFD) input, as typed on some keyboards and
// systems, comes out NFC; white space is trimmed and collapsed.
func TestNFC(t *testing.T) {
	d := example(t, KindIndividual)
	nfd := func(s string) string {
		out := norm.NFD.String(s)
		if out == s {
			t.Fatalf("%q has no decomposition", s)
		}
		return out
	}
	set(t, d, "/nominee/full_name", "  "+nfd("Nguyễn\tThị   Hồng")+"\n")
	set(t, d, "/nominee/sex", nfd("nữ"))
	set(t, d, "/nominee/titles/0/title", nfd("Công dân học tập"))
	set(t, d, "/letter/nominees/0", nfd("Nguyễn Thị Hồng"))
	set(t, d, "/nominee/achievements", nfd(d["nominee"].(map[string]any)["achievements"].(string))+"\r\n")
	clean, errs := Validate(KindIndividual, d, testNow)
	if len(errs) > 0 {
		t.Fatalf("%+v", errs)
	}
	n := clean["nominee"].(map[string]any)
	if got := n["full_name"]; got != "Nguyễn Thị Hồng" {
		t.Fatalf("full_name = %q", got)
	}
	if got := n["sex"]; got != "nữ" {
		t.Fatalf("sex = %q", got)
	}
	if got := n["titles"].([]any)[0].(map[string]any)["title"]; got != TitleLearningCitizen {
		t.Fatalf("title = %q", got)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			if !norm.NFC.IsNormalString(x) {
				t.Errorf("not NFC: %q", x)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(clean)
}

func TestInputNotMutated(t *testing.T) {
	for _, kind := range Kinds() {
		d := example(t, kind)
		set(t, d, "/letter/issuer", norm.NFD.String("  Ủy ban nhân dân phường Phú Lợi  "))
		set(t, d, "/minutes/members_total", 9.0)
		before := deepCopy(d)
		clean, _ := Validate(kind, d, testNow)
		Eligibility(string(d["letter"].(map[string]any)["award"].(string)), kind, d, testNow)
		NomineeKey(kind, d)
		if !reflect.DeepEqual(d, before) {
			t.Fatalf("%s: input modified", kind)
		}
		if clean != nil {
			clean["letter"].(map[string]any)["issuer"] = "changed"
			if reflect.DeepEqual(d, clean) || d["letter"].(map[string]any)["issuer"] == "changed" {
				t.Fatalf("%s: clean shares maps with the input", kind)
			}
		}
	}
}

// TestSyntheticTypes covers the field types no dossier form uses yet.
func TestSyntheticTypes(t *testing.T) {
	f := Form{Kind: "test", Title: "Thử", Fields: []Field{
		{Name: "ok", Label: "Đồng ý", LabelEN: "Agreed", Type: TypeBoolean, Required: true},
		{Name: "rate", Label: "Tỷ lệ", LabelEN: "Rate", Type: TypeNumber, Min: num(0), Max: num(100)},
		{Name: "until", Label: "Đến ngày", LabelEN: "Until", Type: TypeDate, MaxDate: "2030-12-31"},
	}}
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clean, errs := validateForm(&f, map[string]any{"ok": true, "rate": json.Number("85.5"), "until": "2030-12-31"}, now)
	if len(errs) > 0 || clean["rate"] != 85.5 || clean["ok"] != true {
		t.Fatalf("%v %+v", clean, errs)
	}
	_, errs = validateForm(&f, map[string]any{"ok": "yes", "rate": 100.5, "until": "2031-01-01"}, now)
	checkErrs(t, errs)
	if got := pointers(errs); !slices.Equal(got, []string{"/ok", "/rate", "/until"}) {
		t.Fatalf("%q %+v", got, errs)
	}
	if !strings.Contains(errs[1].Message, "100") || !strings.Contains(errs[2].Message, "31/12/2030") {
		t.Fatalf("%+v", errs)
	}
}

// TestToday: "today" is the day in Việt Nam, whatever the server's zone.
func TestToday(t *testing.T) {
	d := example(t, KindIndividual)
	set(t, d, "/letter/date", "2025-06-21")
	// 2025-06-20 17:30 UTC is already 21 June in Việt Nam.
	if _, errs := Validate(KindIndividual, d, time.Date(2025, 6, 20, 17, 30, 0, 0, time.UTC)); len(errs) > 0 {
		t.Fatalf("%+v", errs)
	}
	if _, errs := Validate(KindIndividual, d, time.Date(2025, 6, 20, 16, 30, 0, 0, time.UTC)); len(errs) != 1 {
		t.Fatalf("%+v", errs)
	}
}

func TestCCCDProvinces(t *testing.T) {
	if len(cccdProvinces) != 63 {
		t.Fatalf("%d province codes, want 63", len(cccdProvinces))
	}
	for code := range cccdProvinces {
		if len(code) != 3 || code < "001" || code > "096" {
			t.Errorf("bad code %q", code)
		}
	}
}
