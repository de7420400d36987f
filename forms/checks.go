package forms

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/tdkt/tdkt/internal/textnorm"
)

// A check is a rule a schema cannot state, named by Field.Checks and
// Form.Checks. It receives the clean value (a string, an int64, or the
// clean map or list of an object or array, holding only the values that
// passed) and reports errors through w; it skips what is absent.
type checkFunc func(w *walker, f *Field, ptr string, v any)

var checks map[string]checkFunc

func init() {
	checks = map[string]checkFunc{
		"person-name":           checkPersonName,
		"full-name":             func(w *walker, f *Field, ptr string, v any) { checkFullName(w, f, ptr, v, true) },
		"full-name-enterprise":  func(w *walker, f *Field, ptr string, v any) { checkFullName(w, f, ptr, v, false) },
		"has-figures":           checkHasFigures,
		"cccd":                  checkCCCD,
		"cccd-birth":            checkCCCDBirth,
		"unique-titles":         checkUniqueTitles,
		"households-population": checkHouseholds,
		"minutes-votes":         checkMinutes,
		"letter-lists-nominee":  checkLetterListsNominee,
		"minutes-before-letter": checkMinutesBeforeLetter,
	}
}

// checkPersonName refuses digits and symbols in a person's name; letters,
// combining marks, spaces, apostrophes and hyphens (names of ethnic
// minorities: H'Hen Niê, Y-Moan) are allowed.
func checkPersonName(w *walker, f *Field, ptr string, v any) {
	s, _ := v.(string)
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && !strings.ContainsRune(" '’-", r) {
			w.addf(f, ptr, "chỉ gồm chữ cái, dấu cách, dấu nháy hoặc gạch nối; không có chữ số hay ký hiệu (“%s”).",
				"may hold only letters, spaces, apostrophes and hyphens; no digits or symbols (“%s”).", string(r))
			return
		}
	}
}

// abbreviations maps the abbreviations common in Vietnamese unit names to
// their full wording: commendation decisions and certificates print the
// full name of a collective, so the dossier must carry it.
var abbreviations = map[string]string{
	"UBND": "Ủy ban nhân dân", "HĐND": "Hội đồng nhân dân", "MTTQ": "Mặt trận Tổ quốc",
	"THPT": "Trung học phổ thông", "THCS": "Trung học cơ sở", "TH": "Tiểu học", "MN": "Mầm non", "MG": "Mẫu giáo",
	"GDTX": "Giáo dục thường xuyên", "GDNN": "Giáo dục nghề nghiệp", "TTHTCĐ": "Trung tâm học tập cộng đồng",
	"GD&ĐT": "Giáo dục và Đào tạo", "GDĐT": "Giáo dục và Đào tạo", "GD": "Giáo dục", "ĐT": "Đào tạo",
	"SGDĐT": "Sở Giáo dục và Đào tạo", "PGDĐT": "Phòng Giáo dục và Đào tạo",
	"ĐH": "Đại học", "CĐ": "Cao đẳng", "TC": "Trung cấp",
	"TNHH": "Trách nhiệm hữu hạn", "MTV": "Một thành viên", "CP": "Cổ phần", "CTCP": "Công ty Cổ phần",
	"CTY": "Công ty", "Cty": "Công ty", "HTX": "Hợp tác xã", "DNTN": "Doanh nghiệp tư nhân",
	"TM": "Thương mại", "DV": "Dịch vụ", "SX": "Sản xuất", "XD": "Xây dựng", "XNK": "Xuất nhập khẩu",
	"KCN": "Khu công nghiệp", "TP": "Thành phố", "Tp": "Thành phố", "TX": "Thị xã", "TT": "Trung tâm” hoặc “Thị trấn",
	"KP": "Khu phố", "BV": "Bệnh viện", "CA": "Công an", "VP": "Văn phòng",
	"TNCS": "Thanh niên Cộng sản", "LĐLĐ": "Liên đoàn Lao động", "CĐCS": "Công đoàn cơ sở",
	"HLHPN": "Hội Liên hiệp Phụ nữ", "HKH": "Hội Khuyến học", "CCB": "Cựu chiến binh",
	"KH&CN": "Khoa học và Công nghệ", "KHCN": "Khoa học và Công nghệ", "VH": "Văn hóa", "TDTT": "Thể dục thể thao",
}

var roman = regexp.MustCompile(`^X{0,3}(IX|IV|V?I{0,3})$`)

// checkFullName refuses abbreviations in the name of a collective,
// enterprise or community. Known abbreviations are named with their full
// wording. In strict mode (collectives, communities) any all-capital word
// of 2–5 letters that is not a Roman numeral is taken for an abbreviation;
// an enterprise's registered name may hold a brand in capitals (Becamex
// IDC), so there only known abbreviations are refused. A name written
// wholly in capitals gets one message of its own.
func checkFullName(w *walker, f *Field, ptr string, v any, strict bool) {
	s, _ := v.(string)
	if s == "" {
		return
	}
	if strings.ToUpper(s) == s && strings.ToLower(s) != s && len(strings.Fields(s)) > 1 {
		w.addf(f, ptr, "không viết toàn bộ bằng chữ in hoa; viết hoa chữ cái đầu của tên riêng theo quy định.",
			"must not be written wholly in capitals; capitalize proper names only.")
		return
	}
	var found []string
	seen := map[string]bool{}
	flag := func(tok, full string) {
		if seen[tok] {
			return
		}
		seen[tok] = true
		if full == "" {
			found = append(found, fmt.Sprintf("“%s”", tok))
		} else {
			found = append(found, fmt.Sprintf("“%s” (%s)", tok, "“"+full+"”"))
		}
	}
	for _, tok := range strings.Fields(s) {
		tok = strings.Trim(tok, `,;:()[]"'“”‘’`)
		if full, ok := abbreviations[strings.TrimSuffix(tok, ".")]; ok {
			flag(strings.TrimSuffix(tok, "."), full)
			continue
		}
		if r := []rune(tok); len(r) == 2 && r[1] == '.' && unicode.IsUpper(r[0]) {
			flag(tok, "") // P. Phú Lợi, X. An Sơn
			continue
		}
		for _, part := range strings.FieldsFunc(tok, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if full, ok := abbreviations[part]; ok {
				flag(part, full)
			} else if strict && isAbbreviation(part) {
				flag(part, "")
			}
		}
	}
	if len(found) > 0 {
		list := strings.Join(found, ", ")
		w.addf(f, ptr, "phải viết đầy đủ, không viết tắt: %s.", "must be written in full, without abbreviations: %s.", list)
	}
}

func isAbbreviation(word string) bool {
	r := []rune(word)
	if len(r) < 2 || len(r) > 5 || roman.MatchString(word) {
		return false
	}
	for _, c := range r {
		if !unicode.IsUpper(c) {
			return false
		}
	}
	return true
}

// checkHasFigures requires figures in an achievement report: the plan
// judges results by numbers (rates of learning families, classes held,
// people supported), and a report without any is returned by reviewers.
func checkHasFigures(w *walker, f *Field, ptr string, v any) {
	s, _ := v.(string)
	if !strings.ContainsAny(s, "0123456789") {
		w.addf(f, ptr, "cần nêu số liệu cụ thể (ví dụ: số lớp, số người tham gia, số tiền, tỷ lệ %%).",
			"must give figures (classes held, people reached, amounts, rates).")
	}
}

// cccdProvinces are the province codes that open a 12-digit citizen ID
// (Thông tư 07/2016/TT-BCA, Điều 7 and Phụ lục; kept by Thông tư
// 59/2021/TT-BCA): the 63 provinces as they were when the numbers were
// issued. Numbers are not reissued when provinces merge (2025), so the old
// codes stay valid.
var cccdProvinces = map[string]string{
	"001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
	"010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
	"017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang",
	"025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
	"033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định", "037": "Ninh Bình",
	"038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình", "045": "Quảng Trị",
	"046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định",
	"054": "Phú Yên", "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
	"064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước",
	"072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa - Vũng Tàu", "079": "Hồ Chí Minh",
	"080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
	"087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ", "093": "Hậu Giang",
	"094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

// checkCCCD checks the province code of a citizen ID whose 12 digits the
// pattern already checked.
func checkCCCD(w *walker, f *Field, ptr string, v any) {
	s, _ := v.(string)
	if len(s) != 12 {
		return
	}
	if _, ok := cccdProvinces[s[:3]]; !ok {
		w.add(ptr, fmt.Sprintf("Ba chữ số đầu của số căn cước công dân (%s) không phải mã tỉnh, thành phố nơi đăng ký khai sinh (001–096).", s[:3]),
			fmt.Sprintf("The first three digits of the citizen ID (%s) are not a province code (001–096).", s[:3]))
	}
}

// checkCCCDBirth compares a citizen ID with the date of birth and sex it
// encodes (Thông tư 07/2016/TT-BCA, Điều 7): the 4th digit is the century
// and sex (0/1: male/female born 1900–1999, 2/3: 2000–2099), the 5th and
// 6th the last two digits of the year of birth. A mismatch is a typing
// error in one of the three fields.
func checkCCCDBirth(w *walker, f *Field, ptr string, v any) {
	m, _ := v.(map[string]any)
	id, _ := m["cccd"].(string)
	dob, _ := m["date_of_birth"].(string)
	sex, _ := m["sex"].(string)
	d, ok := parseDate(dob)
	if len(id) != 12 || !ok || sex == "" {
		return
	}
	code := (d.Year()/100 - 19) * 2
	if sex == "nữ" {
		code++
	}
	want := fmt.Sprintf("%d%02d", code, d.Year()%100)
	if code < 0 || code > 9 || id[3:6] != want {
		w.add(ptr+"/cccd",
			fmt.Sprintf("Số căn cước công dân không khớp với giới tính và năm sinh: chữ số thứ 4 đến 6 phải là %s (giới tính %s, sinh năm %d).", want, sex, d.Year()),
			fmt.Sprintf("The citizen ID does not match the sex and year of birth: its 4th to 6th digits must be %s (sex %s, born %d).", want, sex, d.Year()))
	}
}

// checkUniqueTitles refuses the same title declared twice for one year.
func checkUniqueTitles(w *walker, f *Field, ptr string, v any) {
	m, _ := v.(map[string]any)
	titles, _ := m["titles"].([]any)
	seen := map[string]int{}
	for i, t := range titles {
		tm, _ := t.(map[string]any)
		title, _ := tm["title"].(string)
		year, ok := tm["year"].(int64)
		if title == "" || !ok {
			continue
		}
		key := fmt.Sprintf("%s|%d", title, year)
		if j, dup := seen[key]; dup {
			w.add(fmt.Sprintf("%s/titles/%d", ptr, i),
				fmt.Sprintf("Danh hiệu “%s” năm %d đã kê khai ở mục %d.", title, year, j+1),
				fmt.Sprintf("The title “%s” for %d is already listed as item %d.", title, year, j+1))
			continue
		}
		seen[key] = i
	}
}

// checkHouseholds refuses more households than inhabitants.
func checkHouseholds(w *walker, f *Field, ptr string, v any) {
	m, _ := v.(map[string]any)
	pop, ok1 := m["population"].(int64)
	hh, ok2 := m["households"].(int64)
	if ok1 && ok2 && hh > pop {
		w.add(ptr+"/households", fmt.Sprintf("Số hộ (%d) không thể lớn hơn dân số (%d).", hh, pop),
			fmt.Sprintf("Households (%d) cannot exceed the population (%d).", hh, pop))
	}
}

// checkMinutes checks the review meeting: members present within the
// body, the quorum of the form, each nominee's votes within those present
// and each nominee voted on once. Whether a nominee passed is eligibility
// (rule "minutes-vote"): minutes may lawfully record a rejected nominee.
func checkMinutes(w *walker, f *Field, ptr string, v any) {
	m, _ := v.(map[string]any)
	total, okT := m["members_total"].(int64)
	present, okP := m["members_present"].(int64)
	q := w.form.Quorum
	switch {
	case !okT || !okP:
	case present > total:
		w.add(ptr+"/members_present",
			fmt.Sprintf("Số thành viên dự họp (%d) không thể lớn hơn tổng số thành viên (%d).", present, total),
			fmt.Sprintf("Members present (%d) cannot exceed the members in total (%d).", present, total))
	case q.Den > 0 && present*int64(q.Den) < total*int64(q.Num):
		need := (total*int64(q.Num) + int64(q.Den) - 1) / int64(q.Den)
		w.add(ptr+"/members_present",
			fmt.Sprintf("Cuộc họp không đủ số thành viên theo quy định (ít nhất %s tổng số, tức %d/%d thành viên); có %d thành viên dự họp.", q, need, total, present),
			fmt.Sprintf("The meeting lacks a quorum (at least %s of all members, i.e. %d of %d); %d attended.", q, need, total, present))
	}
	votes, _ := m["votes"].([]any)
	seen := map[string]int{}
	for i, x := range votes {
		vote, _ := x.(map[string]any)
		p := fmt.Sprintf("%s/votes/%d", ptr, i)
		yes, ok1 := vote["for"].(int64)
		no, ok2 := vote["against"].(int64)
		if ok1 && ok2 && okP && yes+no > present {
			w.add(p, fmt.Sprintf("Tổng số phiếu đồng ý và không đồng ý (%d) vượt quá số thành viên dự họp (%d).", yes+no, present),
				fmt.Sprintf("Votes for and against (%d) exceed the members present (%d).", yes+no, present))
		}
		if name, ok := vote["nominee"].(string); ok {
			key := nameKey(name)
			if j, dup := seen[key]; dup {
				w.add(p+"/nominee", fmt.Sprintf("“%s” đã có kết quả biểu quyết ở mục %d.", name, j+1),
					fmt.Sprintf("“%s” already has a vote as item %d.", name, j+1))
				continue
			}
			seen[key] = i
		}
	}
}

// checkLetterListsNominee requires the letter to name the nominee of the
// report, and to name each nominee once.
func checkLetterListsNominee(w *walker, f *Field, ptr string, v any) {
	m, _ := v.(map[string]any)
	letter, _ := m["letter"].(map[string]any)
	list, _ := letter["nominees"].([]any)
	seen := map[string]int{}
	for i, x := range list {
		s, _ := x.(string)
		key := nameKey(s)
		if j, dup := seen[key]; dup {
			w.add(fmt.Sprintf("%s/letter/nominees/%d", ptr, i),
				fmt.Sprintf("“%s” đã có trong danh sách ở mục %d.", s, j+1),
				fmt.Sprintf("“%s” is already listed as item %d.", s, j+1))
			continue
		}
		seen[key] = i
	}
	name := nomineeName(w.form.Kind, m)
	if name == "" || len(list) == 0 {
		return
	}
	if matchIndex(list, name) < 0 {
		w.add(ptr+"/letter/nominees",
			fmt.Sprintf("Danh sách đề nghị trong tờ trình không có “%s”, đối tượng của báo cáo thành tích.", name),
			fmt.Sprintf("The letter's list of nominees does not name “%s”, the nominee of the report.", name))
	}
}

// checkMinutesBeforeLetter requires the review meeting to precede (or be
// on the day of) the letter that reports its result.
func checkMinutesBeforeLetter(w *walker, f *Field, ptr string, v any) {
	m, _ := v.(map[string]any)
	letter, _ := m["letter"].(map[string]any)
	minutes, _ := m["minutes"].(map[string]any)
	ld, ok1 := parseDate(str(letter["date"]))
	md, ok2 := parseDate(str(minutes["meeting_date"]))
	if ok1 && ok2 && md.After(ld) {
		w.add(ptr+"/minutes/meeting_date",
			fmt.Sprintf("Ngày họp xét (%s) phải trước hoặc cùng ngày với tờ trình (%s).", viDate(md), viDate(ld)),
			fmt.Sprintf("The review meeting (%s) must be on or before the letter's date (%s).", isoDate(md), isoDate(ld)))
	}
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

// nomineeName is the name of the nominee in a dossier: the field named by
// the nominee form's NameField.
func nomineeName(kind string, dossier map[string]any) string {
	nf, ok := nomineeForms[kind]
	if !ok {
		return ""
	}
	nominee, _ := dossier["nominee"].(map[string]any)
	return textnorm.Clean(str(nominee[nf.NameField]))
}

// matchIndex finds name in a list of names (the letter's nominees, the
// minutes' votes, given as strings or as objects with a "nominee" key):
// the same name ignoring case, accents, spacing and the style of
// apostrophe, or failing that an entry that ends with the name as whole
// words ("Hộ ông Trần Văn Bình" for the household of Trần Văn Bình, but
// not "Hộ ông Trần Văn Bình Minh"). It returns -1 if none.
func matchIndex(list []any, name string) int {
	return newNameIndex(list).find(nameKey(name), false)
}

// nameIndex holds the folded names of a list, folded once: a letter of 500
// nominees is matched against minutes of 500 votes without folding each
// name 500 times.
type nameIndex struct {
	keys  []string
	exact map[string]int
}

func newNameIndex(list []any) nameIndex {
	ix := nameIndex{keys: make([]string, len(list)), exact: make(map[string]int, len(list))}
	for i, x := range list {
		switch e := x.(type) {
		case string:
			ix.keys[i] = nameKey(e)
		case map[string]any:
			ix.keys[i] = nameKey(str(e["nominee"]))
		}
		if _, dup := ix.exact[ix.keys[i]]; !dup && ix.keys[i] != "" {
			ix.exact[ix.keys[i]] = i
		}
	}
	return ix
}

// find looks up a folded name: equal, else an entry ending with it; with
// either, also an entry that ends the name ("Trần Văn Bình" in the minutes
// for "Hộ ông Trần Văn Bình" in the letter).
func (ix nameIndex) find(want string, either bool) int {
	if want == "" {
		return -1
	}
	if i, ok := ix.exact[want]; ok {
		return i
	}
	if i := slices.IndexFunc(ix.keys, func(e string) bool { return strings.HasSuffix(e, " "+want) }); i >= 0 || !either {
		return i
	}
	return slices.IndexFunc(ix.keys, func(e string) bool { return e != "" && strings.HasSuffix(want, " "+e) })
}

// nameKey folds a name for comparison (textnorm.Fold, one apostrophe).
func nameKey(s string) string {
	return strings.NewReplacer("’", "'", "‘", "'", "ʼ", "'").Replace(textnorm.Fold(s))
}
