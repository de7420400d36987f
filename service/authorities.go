package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// The award authorities say who may award what on a day, each a dated row
// (models.Authority): the district chairman's Giấy khen until 30 June
// 2025, the commune chairman's, the Sở directors', the city chairman's
// Bằng khen, and the Minister's and the Prime Minister's, which Interior
// records as those bodies' decisions. A round may offer an award only if
// it is held on the round's reference date, and a decision may be signed
// only on a day its award is held. Every user may read the rows; only the
// province's administrator adds or corrects one, audited in the same
// transaction, so that a wrong day is fixed without a release. A change
// counts at the next check, in every process (it bumps the reference
// version in its transaction).

// AuthorityView is an authority as the API and the web show it.
type AuthorityView struct {
	ID        uint   `json:"id"`
	Award     string `json:"award"`
	Name      string `json:"name"`
	DecidedBy string `json:"decided_by"`
	Form      string `json:"form"`
	LastLevel string `json:"last_level"`
	Issuer    string `json:"issuer"`
	External  bool   `json:"external"`
	ValidFrom string `json:"valid_from"`
	// ValidTo is the last day the authority holds the award, null while
	// it does.
	ValidTo  *string `json:"valid_to"`
	Council  string  `json:"council"`
	Source   string  `json:"source"`
	Position int     `json:"position"`
}

// AuthoritiesView lists authorities: all of them, or those of Award, or
// those in force on Date.
type AuthoritiesView struct {
	Date  string          `json:"date,omitempty"`
	Award string          `json:"award,omitempty"`
	Items []AuthorityView `json:"items"`
	Total int             `json:"total"`
}

func viewAuthority(a models.Authority) AuthorityView {
	return AuthorityView{ID: a.ID, Award: a.Award, Name: a.Name, DecidedBy: a.DecidedBy, Form: a.Form, LastLevel: a.LastLevel,
		Issuer: a.Issuer, External: a.External, ValidFrom: a.ValidFrom.UTC().Format(time.DateOnly), ValidTo: dayString(a.ValidTo),
		Council: a.Council, Source: a.Source, Position: a.Position}
}

// notHeld says why nobody holds award on day — the day being the one
// what names ("ngày tham chiếu của đợt") — or "" when an authority does.
func notHeld(rows []models.Authority, award routing.Award, day time.Time, what, whatEN string) (vi, en string) {
	if _, ok := models.AuthorityOn(rows, award, day); ok {
		return "", ""
	}
	on, onEN := viDate(day.In(calendar.Zone)), day.In(calendar.Zone).Format(time.DateOnly)
	ended, starts := models.AuthorityAround(rows, award, day)
	switch {
	case ended != nil:
		return fmt.Sprintf("Thẩm quyền tặng %s chỉ đến hết ngày %s, trước %s %s.", ended.Name, viDate(ended.ValidTo.UTC()), what, on),
			fmt.Sprintf("The authority for this award ended on %s, before %s %s.", ended.ValidTo.UTC().Format(time.DateOnly), whatEN, onEN)
	case starts != nil:
		return fmt.Sprintf("Thẩm quyền tặng %s có từ ngày %s, sau %s %s.", starts.Name, viDate(starts.ValidFrom.UTC()), what, on),
			fmt.Sprintf("The authority for this award begins on %s, after %s %s.", starts.ValidFrom.UTC().Format(time.DateOnly), whatEN, onEN)
	}
	return fmt.Sprintf("Không có thẩm quyền nào tặng hình thức khen thưởng này vào %s %s; quản trị cấp tỉnh bổ sung trong bảng thẩm quyền khen thưởng.", what, on),
		fmt.Sprintf("Nobody holds the authority for this award on %s %s; the province's administrator adds it to the award authorities.", whatEN, onEN)
}

// Authorities lists every authority, or those of award, or (date,
// YYYY-MM-DD) those in force that day.
func (s *Service) Authorities(ctx context.Context, who Caller, date, award string) (AuthoritiesView, error) {
	var errs []FieldError
	var on time.Time
	if date != "" {
		on = parseDay("/date", date, &errs)
	}
	if _, err := routing.LookupAward(routing.Award(award)); award != "" && err != nil {
		errs = append(errs, FieldError{Pointer: "/award", Message: "Hình thức khen thưởng không tồn tại.", MessageEN: "Unknown award."})
	}
	if err := InvalidIf(errs); err != nil {
		return AuthoritiesView{}, err
	}
	rows, err := models.Authorities(ctx, s.db)
	if err != nil {
		return AuthoritiesView{}, err
	}
	out := AuthoritiesView{Date: date, Award: award, Items: []AuthorityView{}}
	for _, a := range rows {
		if (on.IsZero() || a.InForce(on)) && (award == "" || a.Award == award) {
			out.Items = append(out.Items, viewAuthority(a))
		}
	}
	out.Total = len(out.Items)
	return out, nil
}

// errNoAuthority refuses an authority that does not exist.
func errNoAuthority() error {
	return NotFound("Không có dòng thẩm quyền này.", "No such award authority.")
}

// authorityID reads a row's ID from a path; anything else is not found.
func authorityID(id string) (uint, error) {
	n, err := strconv.ParseUint(id, 10, 32)
	if err != nil || n == 0 {
		return 0, errNoAuthority()
	}
	return uint(n), nil
}

// Authority is one authority by ID.
func (s *Service) Authority(ctx context.Context, who Caller, id string) (AuthorityView, error) {
	n, err := authorityID(id)
	if err != nil {
		return AuthorityView{}, err
	}
	a, err := models.LoadAuthority(ctx, s.db, n)
	if errors.Is(err, models.ErrNotFound) {
		return AuthorityView{}, errNoAuthority()
	}
	if err != nil {
		return AuthorityView{}, err
	}
	return viewAuthority(a), nil
}

// AuthorityForms are the forms a row may have, for the forms.
func AuthorityForms() []string { return append([]string(nil), models.AuthorityForms...) }

// AuthorityInput is an authority as typed: days as YYYY-MM-DD, valid_to
// optional (the last day held). For an award of the routing table, an
// empty name, deciding title, form, level or a missing external is the
// table's.
type AuthorityInput struct {
	Award     string `json:"award"`
	Name      string `json:"name"`
	DecidedBy string `json:"decided_by"`
	Form      string `json:"form"`
	LastLevel string `json:"last_level"`
	Issuer    string `json:"issuer"`
	External  *bool  `json:"external"`
	ValidFrom string `json:"valid_from"`
	ValidTo   string `json:"valid_to"`
	Council   string `json:"council"`
	Source    string `json:"source"`
	Position  int    `json:"position"`
}

// AuthorityPatch corrects an authority: nil fields are left as they are;
// an empty valid_to clears it (still held).
type AuthorityPatch struct {
	Award     *string `json:"award"`
	Name      *string `json:"name"`
	DecidedBy *string `json:"decided_by"`
	Form      *string `json:"form"`
	LastLevel *string `json:"last_level"`
	Issuer    *string `json:"issuer"`
	External  *bool   `json:"external"`
	ValidFrom *string `json:"valid_from"`
	ValidTo   *string `json:"valid_to"`
	Council   *string `json:"council"`
	Source    *string `json:"source"`
	Position  *int    `json:"position"`
}

// row checks what needs no database — text, formats, lengths — and builds
// the row; the rules of a row (models.CheckAuthority) are checked after.
func (in *AuthorityInput) row() (models.Authority, []FieldError) {
	errs := cleanText(map[string]*string{"/award": &in.Award, "/name": &in.Name, "/decided_by": &in.DecidedBy, "/form": &in.Form,
		"/last_level": &in.LastLevel, "/issuer": &in.Issuer, "/valid_from": &in.ValidFrom, "/valid_to": &in.ValidTo,
		"/council": &in.Council, "/source": &in.Source})
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	if route, err := routing.LookupAward(routing.Award(in.Award)); err == nil {
		fill := func(v *string, def string) {
			if *v == "" {
				*v = def
			}
		}
		fill(&in.Name, route.Name)
		fill(&in.DecidedBy, route.DecidedBy)
		fill(&in.Form, route.Form)
		fill(&in.LastLevel, string(route.LastLevel))
		fill(&in.Issuer, string(route.Issuer))
		if in.External == nil {
			in.External = &route.External
		}
	}
	for _, f := range []struct {
		ptr string
		v   string
		max int
	}{{"/award", in.Award, 64}, {"/name", in.Name, 255}, {"/decided_by", in.DecidedBy, 255}, {"/council", in.Council, 2000}, {"/source", in.Source, 2000}} {
		if n := utf8.RuneCountInString(f.v); n > f.max {
			add(f.ptr, fmt.Sprintf("Tối đa %d ký tự.", f.max), fmt.Sprintf("At most %d characters.", f.max))
		}
	}
	if in.Position < 0 || in.Position > 999 {
		add("/position", "Thứ tự từ 0 đến 999.", "The position is between 0 and 999.")
	}
	a := models.Authority{Award: in.Award, Name: in.Name, DecidedBy: in.DecidedBy, Form: in.Form, LastLevel: in.LastLevel,
		Issuer: in.Issuer, External: in.External != nil && *in.External, Council: in.Council, Source: in.Source, Position: in.Position}
	if in.ValidFrom != "" {
		a.ValidFrom = parseDay("/valid_from", in.ValidFrom, &errs)
	}
	if in.ValidTo != "" {
		if t := parseDay("/valid_to", in.ValidTo, &errs); !t.IsZero() {
			a.ValidTo = &t
		}
	}
	return a, errs
}

// authorityErrors words the rules a row breaks, skipping the fields
// already refused for their format.
func authorityErrors(a models.Authority, problems []models.AuthorityProblem, refused []FieldError) []FieldError {
	skip := map[string]bool{}
	for _, e := range refused {
		skip[e.Pointer] = true
	}
	var out []FieldError
	for _, p := range problems {
		if ptr := "/" + p.Field; !skip[ptr] {
			out = append(out, authorityError(a, p, ptr))
		}
	}
	return out
}

// levelNames lists the review levels for a message.
func levelNames() string {
	names := make([]string, len(routing.Levels))
	for i, l := range routing.Levels {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// authorityError is one broken rule in both languages.
func authorityError(a models.Authority, p models.AuthorityProblem, ptr string) FieldError {
	e := func(vi, en string) FieldError { return FieldError{Pointer: ptr, Message: vi, MessageEN: en} }
	route, _ := routing.LookupAward(routing.Award(a.Award))
	switch p.Field + ":" + p.Rule {
	case "award:" + models.RuleRequired, "award:" + models.RuleUnknown:
		codes := make([]string, len(routing.Awards))
		for i, r := range routing.Awards {
			codes[i] = string(r.Code)
		}
		return e("Hình thức khen thưởng phải là một mã của bảng định tuyến: "+strings.Join(codes, ", ")+".",
			"The award must be a code of the routing table: "+strings.Join(codes, ", ")+".")
	case "name:" + models.RuleRequired:
		return e("Tên hình thức khen thưởng theo cơ quan có thẩm quyền bắt buộc, vd. Giấy khen của Chủ tịch UBND xã.",
			"The award's name as its authority gives it is required, e.g. Giấy khen của Chủ tịch UBND xã.")
	case "decided_by:" + models.RuleRequired:
		return e("Chức danh người quyết định bắt buộc, vd. Chủ tịch UBND xã.", "The deciding title is required, e.g. Chủ tịch UBND xã.")
	case "form:" + models.RuleRequired, "form:" + models.RuleUnknown:
		return e("Hình thức phải là Giấy khen hoặc Bằng khen.", "The form must be Giấy khen or Bằng khen.")
	case "form:" + models.RuleRouting:
		return e("Hình thức của "+route.Name+" là "+route.Form+" theo bảng định tuyến.",
			"The routing table gives this award as a "+route.Form+".")
	case "last_level:" + models.RuleRequired, "last_level:" + models.RuleUnknown, "issuer:" + models.RuleRequired, "issuer:" + models.RuleUnknown:
		return e("Cấp phải là một trong: "+levelNames()+".", "The level must be one of: "+levelNames()+".")
	case "last_level:" + models.RuleRouting:
		return e("Cấp xét cuối của "+route.Name+" là "+route.LastLevel.Label()+" theo bảng định tuyến; đổi cấp xét cần một bản phát hành mới.",
			"The routing table has "+string(route.LastLevel)+" as this award's last review level; another level needs a release.")
	case "issuer:" + models.RuleRouting:
		return e("Cấp ban hành của "+route.Name+" là "+route.Issuer.Label()+" theo bảng định tuyến; đổi cấp cần một bản phát hành mới.",
			"The routing table has "+string(route.Issuer)+" issue this award; another level needs a release.")
	case "external:" + models.RuleRouting:
		if route.External {
			return e(route.Name+" là quyết định của cơ quan trung ương, Sở Nội vụ ghi nhận (external = true).",
				"This award is a central body's decision, which Interior records (external = true).")
		}
		return e(route.Name+" do cơ quan của thành phố quyết định (external = false).", "This award is decided within the city (external = false).")
	case "valid_from:" + models.RuleRequired:
		return e("Ngày bắt đầu có thẩm quyền bắt buộc (YYYY-MM-DD).", "The first day of the authority is required (YYYY-MM-DD).")
	case "valid_to:" + models.RuleOrder:
		return e("Ngày cuối cùng có thẩm quyền không được trước ngày bắt đầu "+viDate(a.ValidFrom)+".",
			"The last day of the authority cannot be before the first, "+a.ValidFrom.Format(time.DateOnly)+".")
	case "council:" + models.RuleRequired:
		return e("Hội đồng xét bắt buộc, vd. Hội đồng Thi đua – Khen thưởng thành phố.",
			"The reviewing council is required, e.g. Hội đồng Thi đua – Khen thưởng thành phố.")
	case "source:" + models.RuleRequired:
		return e("Nguồn bắt buộc: điều, khoản của văn bản quy định thẩm quyền và điều gì chưa xác minh.",
			"The source is required: the article of the text that gives the authority, and what is not confirmed.")
	case p.Field + ":" + models.RuleOverlap:
		o := p.Other
		until, untilEN := "nay", "now"
		if o.ValidTo != nil {
			until, untilEN = viDate(o.ValidTo.UTC()), o.ValidTo.UTC().Format(time.DateOnly)
		}
		return e("Hình thức "+o.Award+" đã có dòng thẩm quyền từ "+viDate(o.ValidFrom.UTC())+" đến "+until+
			" ("+o.DecidedBy+"); hai dòng của một hình thức không được trùng ngày: sửa dòng đó, hoặc chọn ngày khác.",
			"Award "+o.Award+" has an authority from "+o.ValidFrom.UTC().Format(time.DateOnly)+" to "+untilEN+
				"; two rows of one award cannot share a day: correct that row, or choose other days.")
	}
	return e("Giá trị không hợp lệ.", "Invalid value.")
}

// checkAuthority applies the rules of a row against the other rows of
// its award, read in tx under the lock, and returns every refusal.
func checkAuthority(ctx context.Context, tx *gorm.DB, a models.Authority, refused []FieldError) error {
	var others []models.Authority
	if a.Award != "" {
		var err error
		if others, err = models.AuthoritiesOfAward(ctx, tx, a.Award); err != nil {
			return err
		}
	}
	return InvalidIf(append(refused, authorityErrors(a, models.CheckAuthority(a, others), refused)...))
}

// authorityDetail is a row as an audit event keeps it.
func authorityDetail(a models.Authority) map[string]any {
	v := viewAuthority(a)
	d := map[string]any{"award": v.Award, "name": v.Name, "decided_by": v.DecidedBy, "form": v.Form, "last_level": v.LastLevel,
		"issuer": v.Issuer, "external": v.External, "valid_from": v.ValidFrom, "valid_to": "", "council": v.Council,
		"source": v.Source, "position": v.Position}
	if v.ValidTo != nil {
		d["valid_to"] = *v.ValidTo
	}
	return d
}

// CreateAuthority adds an authority (the province's administrator).
func (s *Service) CreateAuthority(ctx context.Context, who Caller, in AuthorityInput) (AuthorityView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return AuthorityView{}, err
	}
	a, errs := in.row()
	var ev models.AuditEvent
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockAuthorities(tx); err != nil {
			return err
		}
		if err := checkAuthority(ctx, tx, a, errs); err != nil {
			return err
		}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		ev = s.auditEvent(who, "authority.create", strconv.FormatUint(uint64(a.ID), 10), authorityDetail(a))
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err := failed(err, "create award authority "+a.Award); err != nil {
		return AuthorityView{}, err
	}
	s.logAudit(ev)
	return viewAuthority(a), nil
}

// patched is the row's input with the patch's fields laid over it.
func (p AuthorityPatch) patched(a models.Authority) (AuthorityInput, bool) {
	v := viewAuthority(a)
	external := v.External
	in := AuthorityInput{Award: v.Award, Name: v.Name, DecidedBy: v.DecidedBy, Form: v.Form, LastLevel: v.LastLevel, Issuer: v.Issuer,
		External: &external, ValidFrom: v.ValidFrom, Council: v.Council, Source: v.Source, Position: v.Position}
	if v.ValidTo != nil {
		in.ValidTo = *v.ValidTo
	}
	changed := false
	for _, f := range []struct {
		from *string
		to   *string
	}{{p.Award, &in.Award}, {p.Name, &in.Name}, {p.DecidedBy, &in.DecidedBy}, {p.Form, &in.Form}, {p.LastLevel, &in.LastLevel},
		{p.Issuer, &in.Issuer}, {p.ValidFrom, &in.ValidFrom}, {p.ValidTo, &in.ValidTo}, {p.Council, &in.Council}, {p.Source, &in.Source}} {
		if f.from != nil {
			*f.to, changed = *f.from, true
		}
	}
	if p.External != nil {
		external, changed = *p.External, true
	}
	if p.Position != nil {
		in.Position, changed = *p.Position, true
	}
	return in, changed
}

// PatchAuthority corrects authority id (the province's administrator): the
// row as patched must pass every rule a new one does. The audit event
// keeps each changed field's value before and after.
func (s *Service) PatchAuthority(ctx context.Context, who Caller, id string, p AuthorityPatch) (AuthorityView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return AuthorityView{}, err
	}
	n, err := authorityID(id)
	if err != nil {
		return AuthorityView{}, err
	}
	var out models.Authority
	var events []models.AuditEvent
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockAuthorities(tx); err != nil {
			return err
		}
		old, err := models.LoadAuthority(ctx, tx, n)
		if errors.Is(err, models.ErrNotFound) {
			return errNoAuthority()
		}
		if err != nil {
			return err
		}
		in, changed := p.patched(old)
		if !changed {
			return Invalid(FieldError{Pointer: "", Message: "Không có gì để sửa: gửi ít nhất một trường.",
				MessageEN: "Nothing to change: send at least one field."})
		}
		a, errs := in.row()
		a.ID = old.ID
		if err := checkAuthority(ctx, tx, a, errs); err != nil {
			return err
		}
		before, after := authorityDetail(old), authorityDetail(a)
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
		set := map[string]any{"award": a.Award, "name": a.Name, "decided_by": a.DecidedBy, "form": a.Form, "last_level": a.LastLevel,
			"issuer": a.Issuer, "external": a.External, "valid_from": a.ValidFrom, "valid_to": a.ValidTo, "council": a.Council,
			"source": a.Source, "position": a.Position}
		if err := tx.Model(&models.Authority{}).Where("id = ?", old.ID).Updates(set).Error; err != nil {
			return err
		}
		if out, err = models.LoadAuthority(ctx, tx, old.ID); err != nil {
			return err
		}
		events = append(events, s.auditEvent(who, "authority.update", strconv.FormatUint(uint64(old.ID), 10), detail))
		if err := tx.Create(&events[0]).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err := failed(err, "correct award authority "+id); err != nil {
		return AuthorityView{}, err
	}
	if len(events) > 0 {
		s.logAudit(events...)
	}
	return viewAuthority(out), nil
}
