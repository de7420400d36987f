package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// The legal bases are the texts a decision cites in its preamble ("Căn
// cứ …;"), each a dated row (models.LegalBasis): a decision cites those in
// force on the day it is signed, so NĐ 98/2023/NĐ-CP on 20 June 2025 and
// NĐ 152/2025/NĐ-CP from 1 July 2025. Every user may read them (a decision
// cites them publicly); only the province's administrator adds or corrects
// a row, audited in the same transaction, so that a wrong title or date is
// fixed without a release. A change applies to documents rendered after
// it, in every process at once (the change bumps the reference version in
// its transaction): decisions are rendered on request, so an old decision's PDF cites
// the corrected row of its day.

// LegalBasisView is a legal basis as the API and the web show it.
type LegalBasisView struct {
	ID    uint   `json:"id"`
	Code  string `json:"code"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// Citation is the line a decision prints: "Căn cứ " + title + ";".
	Citation string `json:"citation"`
	// IssuedOn is null when the issue date is not confirmed; ValidTo, the
	// last day in force, null while in force.
	IssuedOn  *string `json:"issued_on"`
	ValidFrom string  `json:"valid_from"`
	ValidTo   *string `json:"valid_to"`
	Sector    string  `json:"sector"`
	Source    string  `json:"source"`
	Position  int     `json:"position"`
}

// LegalBasesView lists legal bases: all of them, or those in force on
// Date.
type LegalBasesView struct {
	Date  string           `json:"date,omitempty"`
	Items []LegalBasisView `json:"items"`
	Total int              `json:"total"`
}

// citation is the preamble line of a legal basis.
func citation(b models.LegalBasis) string { return "Căn cứ " + b.Title + ";" }

// dayString shows a stored day as YYYY-MM-DD (nil: nil).
func dayString(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := t.UTC().Format(time.DateOnly)
	return &s
}

func viewLegalBasis(b models.LegalBasis) LegalBasisView {
	return LegalBasisView{ID: b.ID, Code: b.Code, Kind: b.Kind, Title: b.Title, Citation: citation(b),
		IssuedOn: dayString(b.IssuedOn), ValidFrom: b.ValidFrom.UTC().Format(time.DateOnly), ValidTo: dayString(b.ValidTo),
		Sector: b.Sector, Source: b.Source, Position: b.Position}
}

// awardSector is the sector whose texts an award's decision cites besides
// the general ones: the Director of Education's Giấy khen and the
// Minister of Education's Bằng khen are the education sector's (the
// ministry's circular on the sector's commendations applies to them);
// the others are decided under the general texts only.
func awardSector(a routing.Award) string {
	switch a {
	case routing.GiayKhenSo, routing.BangKhenBo:
		return models.SectorEducation
	}
	return models.SectorAll
}

// legalBasis is the preamble of a decision on award signed on: a
// "Căn cứ …;" line for each text in force that day (in Vietnam) for the
// award's sector, in the rows' order.
func (s *Service) legalBasis(ctx context.Context, on time.Time, award routing.Award) ([]string, error) {
	rows, err := s.ref.LegalBases(ctx)
	if err != nil {
		return nil, fmt.Errorf("legal basis of a decision on %s: %w", award, err)
	}
	day := on.In(calendar.Zone)
	in := models.LegalBasesOn(rows, day, awardSector(award))
	lines := make([]string, len(in))
	for i, b := range in {
		lines[i] = citation(b)
	}
	if len(lines) == 0 {
		// The decision is still rendered: its preamble is for the
		// administrator to complete in the table, not a reason to refuse it.
		s.log.Warn("no legal basis in force", "day", day.Format(time.DateOnly), "award", award)
	}
	return lines, nil
}

// LegalBases lists every legal basis, or (date, YYYY-MM-DD) those in
// force that day, of every sector.
func (s *Service) LegalBases(ctx context.Context, who Caller, date string) (LegalBasesView, error) {
	var errs []FieldError
	var on time.Time
	if date != "" {
		if on = parseDay("/date", date, &errs); on.IsZero() {
			return LegalBasesView{}, Invalid(errs...)
		}
	}
	rows, err := models.LegalBases(ctx, s.db)
	if err != nil {
		return LegalBasesView{}, err
	}
	out := LegalBasesView{Date: date, Items: []LegalBasisView{}}
	for _, b := range rows {
		if on.IsZero() || b.InForce(on) {
			out.Items = append(out.Items, viewLegalBasis(b))
		}
	}
	out.Total = len(out.Items)
	return out, nil
}

// LegalBasisKinds are the kinds of text a row may be, for the forms.
func LegalBasisKinds() []string { return slices.Clone(models.LegalBasisKinds) }

// errNoLegalBasis refuses a legal basis that does not exist.
func errNoLegalBasis() error {
	return NotFound("Không có căn cứ pháp lý này.", "No such legal basis.")
}

// legalBasisID reads a row's ID from a path; anything else is not found.
func legalBasisID(id string) (uint, error) {
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil || n == 0 {
		return 0, errNoLegalBasis()
	}
	return uint(n), nil
}

// LegalBasis is one legal basis by ID.
func (s *Service) LegalBasis(ctx context.Context, who Caller, id string) (LegalBasisView, error) {
	n, err := legalBasisID(id)
	if err != nil {
		return LegalBasisView{}, err
	}
	b, err := models.LoadLegalBasis(ctx, s.db, n)
	if errors.Is(err, models.ErrNotFound) {
		return LegalBasisView{}, errNoLegalBasis()
	}
	if err != nil {
		return LegalBasisView{}, err
	}
	return viewLegalBasis(b), nil
}

// LegalBasisInput is a legal basis as typed: days as YYYY-MM-DD, issued_on
// and valid_to optional (valid_to is the last day in force). A title typed
// with its "Căn cứ " and its closing ";" is stored without them.
type LegalBasisInput struct {
	Code      string `json:"code"`
	Kind      string `json:"kind"`
	Title     string `json:"title"`
	IssuedOn  string `json:"issued_on"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Sector    string `json:"sector"`
	Source    string `json:"source"`
	Position  int    `json:"position"`
}

// LegalBasisPatch corrects a legal basis: nil fields are left as they
// are; an empty issued_on or valid_to clears it (not confirmed; in force).
type LegalBasisPatch struct {
	Code      *string `json:"code"`
	Kind      *string `json:"kind"`
	Title     *string `json:"title"`
	IssuedOn  *string `json:"issued_on"`
	ValidFrom *string `json:"valid_from"`
	ValidTo   *string `json:"valid_to"`
	Sector    *string `json:"sector"`
	Source    *string `json:"source"`
	Position  *int    `json:"position"`
}

// legalCodePattern is a text's number: number/year/symbol
// ("152/2025/NĐ-CP", "06/2022/QH15", "29/2023/TT-BGDĐT").
var legalCodePattern = regexp.MustCompile(`^[0-9]{1,5}/[0-9]{4}/[\p{L}\p{N}][\p{L}\p{N}&.-]{1,31}$`)

// row checks what needs no database — text, formats, lengths — and builds
// the row; the rules of a row (models.CheckLegalBasis) are checked after.
func (in *LegalBasisInput) row() (models.LegalBasis, []FieldError) {
	errs := cleanText(map[string]*string{"/code": &in.Code, "/kind": &in.Kind, "/title": &in.Title, "/issued_on": &in.IssuedOn,
		"/valid_from": &in.ValidFrom, "/valid_to": &in.ValidTo, "/sector": &in.Sector, "/source": &in.Source})
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	in.Kind = strings.ToLower(in.Kind)
	in.Title = strings.TrimSpace(strings.TrimRight(strings.TrimPrefix(in.Title, "Căn cứ "), ";. "))
	if in.Code != "" && (utf8.RuneCountInString(in.Code) > 64 || !legalCodePattern.MatchString(in.Code)) {
		add("/code", "Số hiệu có dạng số/năm/ký hiệu, vd. 152/2025/NĐ-CP, 06/2022/QH15.",
			"The number is number/year/symbol, e.g. 152/2025/NĐ-CP, 06/2022/QH15.")
	}
	if utf8.RuneCountInString(in.Title) > 2000 {
		add("/title", "Trích yếu tối đa 2000 ký tự.", "The title is at most 2000 characters.")
	}
	if utf8.RuneCountInString(in.Source) > 2000 {
		add("/source", "Nguồn tối đa 2000 ký tự.", "The source is at most 2000 characters.")
	}
	if in.Position < 0 || in.Position > 999 {
		add("/position", "Thứ tự từ 0 đến 999.", "The position is between 0 and 999.")
	}
	b := models.LegalBasis{Code: in.Code, Kind: in.Kind, Title: in.Title, Sector: in.Sector, Source: in.Source, Position: in.Position}
	if in.ValidFrom != "" {
		b.ValidFrom = parseDay("/valid_from", in.ValidFrom, &errs)
	}
	optional := func(ptr, v string) *time.Time {
		if v == "" {
			return nil
		}
		if t := parseDay(ptr, v, &errs); !t.IsZero() {
			return &t
		}
		return nil
	}
	b.IssuedOn, b.ValidTo = optional("/issued_on", in.IssuedOn), optional("/valid_to", in.ValidTo)
	return b, errs
}

// ruleErrors words the rules a row breaks, skipping the fields already
// refused for their format (a day that did not parse is not also
// "required").
func ruleErrors(b models.LegalBasis, problems []models.LegalBasisProblem, refused []FieldError) []FieldError {
	skip := map[string]bool{}
	for _, e := range refused {
		skip[e.Pointer] = true
	}
	var out []FieldError
	for _, p := range problems {
		ptr := "/" + p.Field
		// A number refused for its form is not also missing from the title.
		if skip[ptr] || p.Rule == models.RuleTitleCode && skip["/code"] {
			continue
		}
		out = append(out, ruleError(b, p, ptr))
	}
	return out
}

// ruleError is one broken rule in both languages.
func ruleError(b models.LegalBasis, p models.LegalBasisProblem, ptr string) FieldError {
	e := func(vi, en string) FieldError { return FieldError{Pointer: ptr, Message: vi, MessageEN: en} }
	kinds := strings.Join(models.LegalBasisKinds, ", ")
	switch p.Field + ":" + p.Rule {
	case "code:required":
		return e("Số hiệu văn bản bắt buộc, vd. 152/2025/NĐ-CP.", "The number of the text is required, e.g. 152/2025/NĐ-CP.")
	case "kind:required", "kind:unknown":
		return e("Loại văn bản phải là một trong: "+kinds+".", "The kind must be one of: "+kinds+".")
	case "title:required":
		return e("Trích yếu (câu căn cứ, không kể “Căn cứ” và dấu “;”) bắt buộc.",
			"The title (the citing phrase, without “Căn cứ” and the “;”) is required.")
	case "title:" + models.RuleTitleKind:
		return e("Trích yếu phải bắt đầu bằng loại văn bản: “"+upperFirst(b.Kind)+" …”.",
			"The title must open with the kind of text: “"+upperFirst(b.Kind)+" …”.")
	case "title:" + models.RuleTitleCode:
		return e("Trích yếu phải ghi số hiệu "+b.Code+" (chỉ luật được dẫn bằng ngày thông qua).",
			"The title must carry the number "+b.Code+" (only a law is cited by its date).")
	case "valid_from:required":
		return e("Ngày có hiệu lực bắt buộc (YYYY-MM-DD).", "The first day in force is required (YYYY-MM-DD).")
	case "valid_to:" + models.RuleOrder:
		return e("Ngày hết hiệu lực (ngày cuối cùng còn hiệu lực) không được trước ngày có hiệu lực "+viDate(b.ValidFrom)+".",
			"The last day in force cannot be before the first, "+b.ValidFrom.Format(time.DateOnly)+".")
	case "issued_on:" + models.RuleIssuedAfter:
		return e("Ngày ban hành không được sau ngày có hiệu lực "+viDate(b.ValidFrom)+".",
			"The issue date cannot be after the first day in force, "+b.ValidFrom.Format(time.DateOnly)+".")
	case "sector:unknown":
		return e("Lĩnh vực để trống (mọi khen thưởng) hoặc education (khen thưởng của ngành Giáo dục).",
			"The sector is empty (every award) or education (the education sector's awards).")
	case "source:required":
		return e("Nguồn bắt buộc: nơi lấy các thông tin của dòng này (số Công báo, cổng thông tin của cơ quan ban hành) và điều gì chưa xác minh.",
			"The source is required: where the row's facts come from (the gazette, the issuing body's portal) and what is not confirmed.")
	case p.Field + ":" + models.RuleOverlap:
		o := p.Other
		until, untilEN := "nay", "now"
		if o.ValidTo != nil {
			until, untilEN = viDate(o.ValidTo.UTC()), o.ValidTo.UTC().Format(time.DateOnly)
		}
		return e("Văn bản "+o.Code+" đã có dòng hiệu lực từ "+viDate(o.ValidFrom.UTC())+" đến "+until+
			"; hai dòng của một văn bản không được trùng ngày: sửa dòng đó, hoặc chọn ngày khác.",
			"Text "+o.Code+" has a row in force from "+o.ValidFrom.UTC().Format(time.DateOnly)+" to "+untilEN+
				"; two rows of one text cannot share a day: correct that row, or choose other days.")
	}
	return e("Giá trị không hợp lệ.", "Invalid value.")
}

// upperFirst capitalizes a kind for a message ("nghị định" → "Nghị định").
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// checkLegalBasis applies the rules of a row against the other rows of
// its code, read in tx under the lock, and returns every refusal.
func checkLegalBasis(ctx context.Context, tx *gorm.DB, b models.LegalBasis, refused []FieldError) error {
	var others []models.LegalBasis
	if b.Code != "" {
		var err error
		if others, err = models.LegalBasesOfCode(ctx, tx, b.Code); err != nil {
			return err
		}
	}
	return InvalidIf(append(refused, ruleErrors(b, models.CheckLegalBasis(b, others), refused)...))
}

// legalBasisDetail is a row as an audit event keeps it.
func legalBasisDetail(b models.LegalBasis) map[string]any {
	v := viewLegalBasis(b)
	d := map[string]any{"code": v.Code, "kind": v.Kind, "title": v.Title, "valid_from": v.ValidFrom, "sector": v.Sector,
		"source": v.Source, "position": v.Position, "issued_on": "", "valid_to": ""}
	if v.IssuedOn != nil {
		d["issued_on"] = *v.IssuedOn
	}
	if v.ValidTo != nil {
		d["valid_to"] = *v.ValidTo
	}
	return d
}

// CreateLegalBasis adds a legal basis (the province's administrator).
func (s *Service) CreateLegalBasis(ctx context.Context, who Caller, in LegalBasisInput) (LegalBasisView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return LegalBasisView{}, err
	}
	b, errs := in.row()
	var ev models.AuditEvent
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockLegalBases(tx); err != nil {
			return err
		}
		if err := checkLegalBasis(ctx, tx, b, errs); err != nil {
			return err
		}
		if err := tx.Create(&b).Error; err != nil {
			return err
		}
		ev = s.auditEvent(who, "legal_basis.create", strconv.FormatUint(uint64(b.ID), 10), legalBasisDetail(b))
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err := failed(err, "create legal basis "+b.Code); err != nil {
		return LegalBasisView{}, err
	}
	s.logAudit(ev)
	return viewLegalBasis(b), nil
}

// patched is the row's input with the patch's fields laid over it.
func (p LegalBasisPatch) patched(b models.LegalBasis) (LegalBasisInput, bool) {
	v := viewLegalBasis(b)
	in := LegalBasisInput{Code: v.Code, Kind: v.Kind, Title: v.Title, ValidFrom: v.ValidFrom, Sector: v.Sector, Source: v.Source,
		Position: v.Position}
	if v.IssuedOn != nil {
		in.IssuedOn = *v.IssuedOn
	}
	if v.ValidTo != nil {
		in.ValidTo = *v.ValidTo
	}
	changed := false
	for _, f := range []struct {
		from *string
		to   *string
	}{{p.Code, &in.Code}, {p.Kind, &in.Kind}, {p.Title, &in.Title}, {p.IssuedOn, &in.IssuedOn}, {p.ValidFrom, &in.ValidFrom},
		{p.ValidTo, &in.ValidTo}, {p.Sector, &in.Sector}, {p.Source, &in.Source}} {
		if f.from != nil {
			*f.to, changed = *f.from, true
		}
	}
	if p.Position != nil {
		in.Position, changed = *p.Position, true
	}
	return in, changed
}

// PatchLegalBasis corrects legal basis id (the province's administrator):
// the row as patched must pass every rule a new one does. The audit event
// keeps each changed field's value before and after.
func (s *Service) PatchLegalBasis(ctx context.Context, who Caller, id string, p LegalBasisPatch) (LegalBasisView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return LegalBasisView{}, err
	}
	n, err := legalBasisID(id)
	if err != nil {
		return LegalBasisView{}, err
	}
	var out models.LegalBasis
	var events []models.AuditEvent
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockLegalBases(tx); err != nil {
			return err
		}
		old, err := models.LoadLegalBasis(ctx, tx, n)
		if errors.Is(err, models.ErrNotFound) {
			return errNoLegalBasis()
		}
		if err != nil {
			return err
		}
		in, changed := p.patched(old)
		if !changed {
			return Invalid(FieldError{Pointer: "", Message: "Không có gì để sửa: gửi ít nhất một trường.",
				MessageEN: "Nothing to change: send at least one field."})
		}
		b, errs := in.row()
		b.ID = old.ID
		if err := checkLegalBasis(ctx, tx, b, errs); err != nil {
			return err
		}
		before, after := legalBasisDetail(old), legalBasisDetail(b)
		detail := map[string]any{}
		for k, v := range after {
			if before[k] != v {
				detail[k], detail[k+"_before"] = v, before[k]
			}
		}
		out = old
		if len(detail) == 0 {
			return nil // as it was: nothing written
		}
		set := map[string]any{"code": b.Code, "kind": b.Kind, "title": b.Title, "issued_on": b.IssuedOn, "valid_from": b.ValidFrom,
			"valid_to": b.ValidTo, "sector": b.Sector, "source": b.Source, "position": b.Position}
		if err := tx.Model(&models.LegalBasis{}).Where("id = ?", old.ID).Updates(set).Error; err != nil {
			return err
		}
		if out, err = models.LoadLegalBasis(ctx, tx, old.ID); err != nil {
			return err
		}
		events = append(events, s.auditEvent(who, "legal_basis.update", strconv.FormatUint(uint64(old.ID), 10), detail))
		if err := tx.Create(&events[0]).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err := failed(err, "correct legal basis "+id); err != nil {
		return LegalBasisView{}, err
	}
	if len(events) > 0 {
		s.logAudit(events...)
	}
	return viewLegalBasis(out), nil
}
