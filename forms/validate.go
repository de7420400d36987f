package forms

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/tdkt/tdkt/internal/textnorm"
)

// MaxErrors bounds the errors Validate lists: every error of any real
// dossier, while a hostile document of a hundred thousand unknown keys
// cannot turn a 256 KB body into a response many times its size. Errors
// beyond it are counted in one last error with the pointer "".
const MaxErrors = 1000

// vietnam is the civil time of the forms: "today" for a date of birth or a
// letter date is the day in Việt Nam (UTC+7, no daylight saving), whatever
// the server's zone.
var vietnam = time.FixedZone("ICT", 7*60*60)

// Validate checks a nomination dossier (a JSON object decoded into
// map[string]any: letter, nominee, minutes) against the dossier form of
// kind, as of now (the day of submission).
//
// It reports every error, each located by a JSON pointer with a Vietnamese
// and an English message, so that a clerk fixes a dossier in one round
// trip. Strings are NFC-normalized and trimmed (single-line ones also have
// their inner white space collapsed) before they are measured and matched;
// invalid UTF-8 and control characters, unknown fields, wrong types,
// fractional integers, values out of bounds and lists too long are refused.
// Numbers may arrive as float64 or json.Number (or Go integers).
//
// On success clean is the normalized dossier (integers as int64, numbers
// as float64) and errs is nil; otherwise clean is nil, so that invalid data
// cannot be stored by mistake. An absent key, null and a string that is
// empty after trimming all mean "not given". The input is never modified.
//
// The form is the version of kind in force on now's day (see at); a
// nomination's dossier is checked with ValidateForm and the version it
// recorded.
func Validate(kind string, dossier map[string]any, now time.Time) (clean map[string]any, errs []FieldError) {
	f, ok := at(kind, now)
	if !ok {
		return nil, []FieldError{{Pointer: "",
			Message:   fmt.Sprintf("Loại đối tượng “%s” không hợp lệ; chọn một trong: %s.", sanitize(kind), strings.Join(kinds, ", ")),
			MessageEN: fmt.Sprintf("Unknown nominee kind “%s”; use one of: %s.", sanitize(kind), strings.Join(kinds, ", "))}}
	}
	return validateForm(&f, dossier, now)
}

// ValidateForm is Validate against a given version of a dossier form (from
// Get or InForce): a nomination is checked with the version it was filed
// under, whatever version is in force when it is submitted.
func ValidateForm(f Form, dossier map[string]any, now time.Time) (clean map[string]any, errs []FieldError) {
	return validateForm(&f, dossier, now)
}

func validateForm(f *Form, dossier map[string]any, now time.Time) (map[string]any, []FieldError) {
	w := &walker{form: f, today: civilDay(now)}
	if dossier == nil {
		w.add("", "Hồ sơ trống.", "The dossier is empty.")
		return nil, w.errs
	}
	root := Field{Name: "", Label: f.Title, LabelEN: f.TitleEN, Type: TypeObject, Fields: f.Fields, Checks: f.Checks}
	clean, _ := w.object(&root, dossier, "")
	if w.more > 0 {
		w.errs = append(w.errs, FieldError{Pointer: "",
			Message:   fmt.Sprintf("Còn %d lỗi khác không được liệt kê.", w.more),
			MessageEN: fmt.Sprintf("%d more errors are not listed.", w.more)})
	}
	if len(w.errs) > 0 {
		return nil, w.errs
	}
	return clean, nil
}

// walker validates one document and collects its errors.
type walker struct {
	form  *Form
	today time.Time // the civil day of submission, at 00:00 UTC
	errs  []FieldError
	more  int
}

type outcome int

const (
	valid outcome = iota
	invalid
	absent
)

func (w *walker) add(ptr, vi, en string) {
	if len(w.errs) >= MaxErrors {
		w.more++
		return
	}
	w.errs = append(w.errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en})
}

// addf adds an error whose messages start with the field's label.
func (w *walker) addf(f *Field, ptr, vi, en string, args ...any) {
	w.add(ptr, fmt.Sprintf("“%s” "+vi, append([]any{f.Label}, args...)...),
		fmt.Sprintf("“%s” "+en, append([]any{f.LabelEN}, args...)...))
}

// value validates v against f; the clean value is meaningful when the
// outcome is valid.
func (w *walker) value(f *Field, v any, ptr string) (any, outcome) {
	if v == nil {
		return nil, absent
	}
	switch f.Type {
	case TypeString, TypeText, TypeEnum, TypeDate:
		s, ok := v.(string)
		if !ok {
			w.addf(f, ptr, "phải là chuỗi ký tự.", "must be a string.")
			return nil, invalid
		}
		if !textnorm.Valid(s) || strings.ContainsFunc(s, isBidiControl) {
			w.addf(f, ptr, "chứa ký tự không hợp lệ (ký tự điều khiển hoặc không phải UTF-8).",
				"contains invalid characters (control characters or invalid UTF-8).")
			return nil, invalid
		}
		s = normalizeText(f.Type, s)
		if s == "" {
			return nil, absent
		}
		return w.text(f, s, ptr)
	case TypeInteger, TypeNumber:
		return w.number(f, v, ptr)
	case TypeBoolean:
		b, ok := v.(bool)
		if !ok {
			w.addf(f, ptr, "phải là true hoặc false.", "must be true or false.")
			return nil, invalid
		}
		return b, valid
	case TypeObject:
		return w.object(f, v, ptr)
	case TypeArray:
		return w.array(f, v, ptr)
	}
	panic(fmt.Sprintf("forms: field %q has unknown type %q", f.Name, f.Type))
}

// isBidiControl reports the bidirectional embedding, override and isolate
// controls: Vietnamese never needs them, and in a name printed on a
// certificate they reorder what the reader sees (Trojan Source).
func isBidiControl(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// normalizeText is NFC and trimming (textnorm.Clean); a one-line value
// also has its runs of white space collapsed to one space, a multi-line one
// its line ends unified to "\n".
func normalizeText(t Type, s string) string {
	s = textnorm.Clean(s)
	if t == TypeText {
		return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return strings.Join(strings.Fields(s), " ")
}

func (w *walker) text(f *Field, s, ptr string) (any, outcome) {
	// A pattern states the format precisely (“exactly 12 digits”), so its
	// message goes before the generic length messages.
	if f.Pattern != "" && !pattern(f.Pattern).MatchString(s) {
		if f.PatternMessage != "" {
			w.add(ptr, f.PatternMessage, f.PatternMessageEN)
		} else {
			w.addf(f, ptr, "không đúng định dạng.", "has the wrong format.")
		}
		return nil, invalid
	}
	n := utf8.RuneCountInString(s)
	if n < f.MinLength {
		w.addf(f, ptr, "phải có ít nhất %d ký tự (hiện có %d).", "must have at least %d characters (has %d).", f.MinLength, n)
		return nil, invalid
	}
	if max := f.maxLength(); n > max {
		w.addf(f, ptr, "không được quá %d ký tự (hiện có %d).", "must have at most %d characters (has %d).", max, n)
		return nil, invalid
	}
	switch f.Type {
	case TypeEnum:
		if !slices.ContainsFunc(f.Enum, func(o Option) bool { return o.Value == s }) {
			vals := enumList(f.Enum)
			w.addf(f, ptr, "phải là một trong các giá trị: %s.", "must be one of: %s.", vals)
			return nil, invalid
		}
	case TypeDate:
		d, ok := parseDate(s)
		if !ok {
			w.addf(f, ptr, "phải là ngày hợp lệ dạng YYYY-MM-DD, ví dụ 2024-03-15.",
				"must be a valid date written YYYY-MM-DD, e.g. 2024-03-15.")
			return nil, invalid
		}
		if !w.dateBounds(f, d, ptr) {
			return nil, invalid
		}
	}
	if !w.runChecks(f, ptr, s) {
		return nil, invalid
	}
	return s, valid
}

func enumList(opts []Option) string {
	const shown = 12
	var b strings.Builder
	for i, o := range opts {
		if i == shown {
			b.WriteString(", …")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("“" + o.Value + "”")
	}
	return b.String()
}

func (w *walker) dateBounds(f *Field, d time.Time, ptr string) bool {
	fail := func(vi, en string, day time.Time, args ...any) bool {
		w.add(ptr, fmt.Sprintf("“%s” "+vi, append([]any{f.Label, viDate(day)}, args...)...),
			fmt.Sprintf("“%s” "+en, append([]any{f.LabelEN, isoDate(day)}, args...)...))
		return false
	}
	if f.MinDate != "" {
		if min, _ := parseDate(f.MinDate); d.Before(min) {
			return fail("không được trước ngày %s.", "must not be before %s.", min)
		}
	}
	if f.MaxDate != "" {
		if max, _ := parseDate(f.MaxDate); d.After(max) {
			return fail("không được sau ngày %s.", "must not be after %s.", max)
		}
	}
	if f.NotFuture && d.After(w.today) {
		return fail("không được sau ngày nộp hồ sơ (%s).", "must not be after the day of submission (%s).", w.today)
	}
	if f.MinYearsAgo > 0 {
		if latest := w.today.AddDate(-f.MinYearsAgo, 0, 0); d.After(latest) {
			return fail("phải từ ngày %s trở về trước (đủ %d năm tính đến ngày nộp hồ sơ).",
				"must be on or before %s (%d full years before the day of submission).", latest, f.MinYearsAgo)
		}
	}
	return true
}

// maxExact is the largest magnitude a float64 holds every integer up to.
const maxExact = 1 << 53

func (w *walker) number(f *Field, v any, ptr string) (any, outcome) {
	x, ok := toFloat(v)
	if !ok {
		if f.Type == TypeInteger {
			w.addf(f, ptr, "phải là số nguyên.", "must be an integer.")
		} else {
			w.addf(f, ptr, "phải là số.", "must be a number.")
		}
		return nil, invalid
	}
	if f.Type == TypeInteger && x != math.Trunc(x) {
		w.addf(f, ptr, "phải là số nguyên, không có phần thập phân.", "must be a whole number.")
		return nil, invalid
	}
	if f.Min != nil && x < *f.Min {
		w.addf(f, ptr, "phải từ %s trở lên.", "must be at least %s.", fmtNum(*f.Min))
		return nil, invalid
	}
	if f.Max != nil && x > *f.Max {
		w.addf(f, ptr, "không được lớn hơn %s.", "must be at most %s.", fmtNum(*f.Max))
		return nil, invalid
	}
	if f.Type == TypeInteger && math.Abs(x) > maxExact {
		w.addf(f, ptr, "quá lớn.", "is too large.")
		return nil, invalid
	}
	if f.NotFuture && f.Type == TypeInteger && x > float64(w.today.Year()) {
		w.addf(f, ptr, "không được sau năm nộp hồ sơ (%d).", "must not be after the year of submission (%d).", w.today.Year())
		return nil, invalid
	}
	var clean any = x
	if f.Type == TypeInteger {
		clean = int64(x)
	}
	if !w.runChecks(f, ptr, clean) {
		return nil, invalid
	}
	return clean, valid
}

func (w *walker) object(f *Field, v any, ptr string) (map[string]any, outcome) {
	m, ok := v.(map[string]any)
	if !ok {
		w.addf(f, ptr, "phải là một đối tượng JSON.", "must be a JSON object.")
		return nil, invalid
	}
	out := make(map[string]any, len(f.Fields))
	for i := range f.Fields {
		fd := &f.Fields[i]
		p := ptr + "/" + escape(fd.Name)
		cv, o := w.value(fd, m[fd.Name], p)
		switch {
		case o == valid:
			out[fd.Name] = cv
		case o == absent && fd.Required:
			w.add(p, fmt.Sprintf("Chưa nhập “%s” (bắt buộc).", fd.Label), fmt.Sprintf("“%s” is required.", fd.LabelEN))
		}
	}
	var unknown []string
	for k := range m {
		if field(f.Fields, k) == nil {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		w.add(ptr+"/"+escape(sanitize(k)), fmt.Sprintf("Trường “%s” không có trong biểu mẫu.", sanitize(k)),
			fmt.Sprintf("Unknown field “%s”.", sanitize(k)))
	}
	w.runChecks(f, ptr, out)
	return out, valid
}

func (w *walker) array(f *Field, v any, ptr string) (any, outcome) {
	a, ok := v.([]any)
	if !ok {
		w.addf(f, ptr, "phải là một danh sách.", "must be a list (JSON array).")
		return nil, invalid
	}
	if len(a) < f.MinItems {
		w.addf(f, ptr, "phải có ít nhất %d mục.", "must have at least %d items.", f.MinItems)
		return nil, invalid
	}
	if max := f.maxItems(); len(a) > max {
		w.addf(f, ptr, "không được quá %d mục (hiện có %d).", "must have at most %d items (has %d).", max, len(a))
		return nil, invalid
	}
	out := make([]any, 0, len(a))
	for i, it := range a {
		p := ptr + "/" + strconv.Itoa(i)
		cv, o := w.value(f.Items, it, p)
		switch o {
		case valid:
			out = append(out, cv)
		case absent:
			w.addf(f.Items, p, "không được để trống.", "must not be empty.")
		}
	}
	w.runChecks(f, ptr, out)
	return out, valid
}

// runChecks runs f's named checks; it reports whether none failed.
func (w *walker) runChecks(f *Field, ptr string, v any) bool {
	before := len(w.errs) + w.more
	for _, name := range f.Checks {
		check, ok := checks[name]
		if !ok {
			panic(fmt.Sprintf("forms: field %q names unknown check %q", f.Name, name))
		}
		check(w, f, ptr, v)
	}
	return len(w.errs)+w.more == before
}
