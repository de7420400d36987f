package service

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// Units and their dated parent links are the hierarchy routes are planned
// on (models.LoadDirectory at a round's reference date). Everyone reads
// it; only the province's administrator changes it: creates a unit from a
// day, renames it, moves it under another parent from a day, ends it on a
// day. No change reaches into the past a nomination was routed on (see
// hierarchy.go). Every change is audited and bumps the reference version
// in the same transaction, so every process's cache drops it at once.

// ParentLinkView is one of a unit's parent links.
// ValidTo is the link's last day, EffectiveTo the day after it.
type ParentLinkView struct {
	ParentID      string  `json:"parent_id"`
	ParentName    string  `json:"parent_name,omitempty"`
	EffectiveFrom string  `json:"effective_from"`
	EffectiveTo   *string `json:"effective_to,omitempty"`
	ValidTo       *string `json:"valid_to,omitempty"`
}

// UnitDetailView is a unit with the history of its parents. ParentID is
// its parent today, or on the nearest day it is in force.
type UnitDetailView struct {
	UnitView
	Parents []ParentLinkView `json:"parents"`
	// Predecessors are the units this one was formed from, Successors
	// those it went into, each with its share.
	Predecessors []LineageView `json:"predecessors"`
	Successors   []LineageView `json:"successors"`
	// ActiveAccounts, in the answers to changes, counts the unit's enabled
	// accounts: an ended unit's are for the administrator to disable.
	ActiveAccounts *int64 `json:"active_accounts,omitempty"`
}

// errNoUnit is the refusal of a unit that does not exist.
func errNoUnit() error { return NotFound("Không có đơn vị này.", "No such unit.") }

// loadUnit reads unit id through db (a transaction, under the lock), or
// refuses it as not found.
func loadUnit(ctx context.Context, db *gorm.DB, id string) (models.Unit, error) {
	u, err := models.LoadUnit(ctx, db, id)
	if errors.Is(err, models.ErrNotFound) {
		return u, errNoUnit()
	}
	return u, err
}

// Unit is unit id with its parents over time.
func (s *Service) Unit(ctx context.Context, id string) (UnitDetailView, error) {
	u, err := loadUnit(ctx, s.db, id)
	if err != nil {
		return UnitDetailView{}, err
	}
	return s.unitDetail(ctx, u)
}

// unitDetail describes u with its parent links.
func (s *Service) unitDetail(ctx context.Context, u models.Unit) (UnitDetailView, error) {
	links, err := models.UnitLinks(ctx, s.db, u.ID)
	if err != nil {
		return UnitDetailView{}, err
	}
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return UnitDetailView{}, err
	}
	at := s.today()
	if at.Before(u.EffectiveFrom) {
		at = u.EffectiveFrom
	}
	if u.EffectiveTo != nil && !at.Before(*u.EffectiveTo) {
		at = u.EffectiveTo.AddDate(0, 0, -1)
	}
	cur, _ := models.LinkAt(links, at) // none: a unit under nothing, the province
	v := UnitDetailView{UnitView: ViewUnit(u, cur.ParentID), Parents: make([]ParentLinkView, 0, len(links))}
	for _, l := range links {
		p := ParentLinkView{ParentID: l.ParentID, ParentName: names[l.ParentID], EffectiveFrom: l.EffectiveFrom.Format(time.DateOnly)}
		if l.EffectiveTo != nil {
			to, last := l.EffectiveTo.Format(time.DateOnly), l.EffectiveTo.AddDate(0, 0, -1).Format(time.DateOnly)
			p.EffectiveTo, p.ValidTo = &to, &last
		}
		v.Parents = append(v.Parents, p)
	}
	if v.Predecessors, v.Successors, err = s.lineageViews(ctx, u.ID); err != nil {
		return UnitDetailView{}, err
	}
	return v, nil
}

// changedUnit answers a change with the unit as it now is and its
// enabled accounts.
func (s *Service) changedUnit(ctx context.Context, id string) (UnitDetailView, error) {
	v, err := s.Unit(ctx, id)
	if err != nil {
		return v, err
	}
	n, err := models.ActiveAccounts(ctx, s.db, id)
	if err != nil {
		return v, err
	}
	v.ActiveAccounts = &n
	return v, nil
}

// UnitInput is a new unit, in force from a day under a parent (a province
// or city has none). Code is the national administrative code, required
// of provinces, districts and communes; LegalKind, when left out, is read
// from the name ("Phường …").
type UnitInput struct {
	ID            string `json:"id"`
	Code          string `json:"code"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	LegalKind     string `json:"legal_kind"`
	ReviewLevel   string `json:"review_level"`
	ParentID      string `json:"parent_id"`
	EffectiveFrom string `json:"effective_from"`
}

var (
	unitIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// A national code: 2 digits a province, 3 a district, 5 a commune.
	adminCodePattern = regexp.MustCompile(`^([0-9]{2}|[0-9]{3}|[0-9]{5})$`)
	// Another body's registry code.
	bodyCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]{0,15}$`)
)

// kindNames are the kinds as messages name them.
var kindNames = map[string]string{models.KindProvince: "tỉnh, thành phố", models.KindDistrict: "huyện, quận, thị xã, thành phố thuộc tỉnh",
	models.KindCommune: "xã, phường, đặc khu", models.KindDepartment: "sở", models.KindSchool: "trường học",
	models.KindAgency: "cơ quan", models.KindEnterprise: "doanh nghiệp"}

// kindsVI names kinds in Vietnamese, joined by "hoặc".
func kindsVI(kinds []string) string {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = kindNames[k]
	}
	return strings.Join(names, " hoặc ")
}

// levelKinds is the kind of unit that reviews at each level.
var levelKinds = map[routing.Level]string{routing.Commune: models.KindCommune, routing.District: models.KindDistrict,
	routing.Education: models.KindDepartment, routing.Interior: models.KindDepartment}

// viDate shows a day as Vietnamese documents do.
func viDate(t time.Time) string { return t.Format("02/01/2006") }

// parseDay reads a YYYY-MM-DD day between 2000 and 2100 into *errs.
func parseDay(ptr, v string, errs *[]FieldError) time.Time {
	t, err := time.Parse(time.DateOnly, v)
	switch {
	case err != nil:
		*errs = append(*errs, FieldError{Pointer: ptr, Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."})
	case t.Year() < 2000 || t.Year() > 2100:
		*errs = append(*errs, FieldError{Pointer: ptr, Message: "Năm từ 2000 đến 2100.", MessageEN: "A year between 2000 and 2100."})
	default:
		return t
	}
	return time.Time{}
}

func checkUnitName(name string) []FieldError {
	if name == "" || len([]rune(name)) > 255 {
		return []FieldError{{Pointer: "/name", Message: "Tên đơn vị bắt buộc, tối đa 255 ký tự.", MessageEN: "The name is required, at most 255 characters."}}
	}
	return nil
}

// validate cleans the text, checks the fields that need no database and
// returns the day the unit starts (zero when invalid).
func (r *UnitInput) validate() (time.Time, []FieldError) {
	errs := cleanText(map[string]*string{"/id": &r.ID, "/code": &r.Code, "/name": &r.Name, "/kind": &r.Kind, "/legal_kind": &r.LegalKind,
		"/review_level": &r.ReviewLevel, "/parent_id": &r.ParentID, "/effective_from": &r.EffectiveFrom})
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	if len(r.ID) > 64 || !unitIDPattern.MatchString(r.ID) {
		add("/id", "Mã đơn vị gồm tối đa 64 ký tự: chữ thường không dấu, số, nối bằng dấu gạch ngang (vd. xa-tan-dong-hiep).",
			"The ID: up to 64 lowercase ASCII letters and digits in words joined by dashes (e.g. xa-tan-dong-hiep).")
	}
	errs = append(errs, checkUnitName(r.Name)...)
	known := slices.Contains(models.UnitKinds, r.Kind)
	if !known {
		add("/kind", "Loại đơn vị phải là province, department, district, commune, school, agency hoặc enterprise.", "Kind must be province, department, district, commune, school, agency or enterprise.")
	}
	coded := slices.Contains(models.CodedKinds, r.Kind)
	switch {
	case r.Code == "" && coded:
		add("/code", "Mã đơn vị hành chính (mã số quốc gia, vd. 25942) bắt buộc với "+kindNames[r.Kind]+".",
			"The national administrative code (e.g. 25942) is required of a "+r.Kind+".")
	case r.Code != "" && coded && !adminCodePattern.MatchString(r.Code):
		add("/code", "Mã đơn vị hành chính gồm 2 chữ số (tỉnh), 3 (huyện) hoặc 5 (xã).", "A national code has 2 digits (province), 3 (district) or 5 (commune).")
	case r.Code != "" && !coded && !bodyCodePattern.MatchString(r.Code):
		add("/code", "Mã tối đa 16 ký tự: chữ, số, dấu chấm, gạch ngang.", "The code: up to 16 letters, digits, dots or dashes.")
	}
	if known {
		if r.LegalKind == "" {
			r.LegalKind = models.LegalKindOf(r.Kind, r.Name)
		}
		if r.LegalKind == "" && !coded {
			r.LegalKind = models.LegalKinds[r.Kind][0]
		}
		if !slices.Contains(models.LegalKinds[r.Kind], r.LegalKind) {
			add("/legal_kind", "Loại hình của "+kindNames[r.Kind]+" phải là: "+strings.Join(models.LegalKinds[r.Kind], ", ")+" (hoặc để tên đơn vị bắt đầu bằng loại hình).",
				"The legal kind of a "+r.Kind+" must be one of: "+strings.Join(models.LegalKinds[r.Kind], ", ")+" (or begin the name with it).")
		}
	}
	if r.ReviewLevel != "" {
		lvl := routing.Level(r.ReviewLevel)
		switch {
		case !lvl.Valid():
			add("/review_level", "Cấp xét duyệt phải là commune, district, education hoặc interior (hoặc để trống).", "The review level must be commune, district, education or interior (or none).")
		case levelKinds[lvl] != r.Kind && slices.Contains(models.UnitKinds, r.Kind):
			add("/review_level", "Cấp xét duyệt không phù hợp loại đơn vị: cấp xã là xã/phường, cấp huyện là huyện, Sở GD&ĐT và Sở Nội vụ là sở.", "The review level does not fit the kind: commune level for a commune, district level for a district, education and interior for a department.")
		}
	}
	if r.ParentID == "" && r.Kind != models.KindProvince {
		errs = append(errs, Required("/parent_id"))
	}
	return parseDay("/effective_from", r.EffectiveFrom, &errs), errs
}

// CreateUnit creates a unit in force from a day under a parent in force
// that day.
func (s *Service) CreateUnit(ctx context.Context, who Caller, in UnitInput) (UnitDetailView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return UnitDetailView{}, err
	}
	from, errs := in.validate()
	u := models.Unit{ID: in.ID, Code: in.Code, Name: in.Name, Kind: in.Kind, LegalKind: in.LegalKind, ReviewLevel: in.ReviewLevel, EffectiveFrom: from}
	ev := s.auditEvent(who, "unit.create", u.ID, map[string]any{"name": u.Name, "code": u.Code, "kind": u.Kind, "legal_kind": u.LegalKind,
		"review_level": u.ReviewLevel, "parent_id": in.ParentID, "effective_from": in.EffectiveFrom})
	// The rules read the hierarchy under its lock, so that a concurrent
	// change (a parent ended, a second reviewer created) cannot slip in
	// between the check and the write.
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockHierarchy(tx); err != nil {
			return err
		}
		parent, more, err := checkNewUnit(ctx, tx, in, from)
		if err != nil {
			return err
		}
		if err := InvalidIf(append(errs, more...)); err != nil {
			return err
		}
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		if parent.ID != "" {
			// The link never outlives the parent: a unit created under a
			// district that ends sits under nothing after, until it is moved.
			link := models.UnitParent{UnitID: u.ID, ParentID: parent.ID, EffectiveFrom: from, EffectiveTo: parent.EffectiveTo}
			if err := tx.Create(&link).Error; err != nil {
				return err
			}
		}
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	var refusal *Error
	switch {
	case errors.As(err, &refusal):
		return UnitDetailView{}, refusal
	case errors.Is(err, gorm.ErrDuplicatedKey):
		e := Conflict("Mã đơn vị "+u.ID+" đã được dùng.", "The unit ID "+u.ID+" is taken.")
		e.Fields = []FieldError{{Pointer: "/id", Message: "Mã đơn vị đã được dùng (kể cả bởi một đơn vị đã ngừng hoạt động).", MessageEN: "This ID is taken (possibly by a unit that has ended)."}}
		return UnitDetailView{}, e
	case err != nil:
		return UnitDetailView{}, fmt.Errorf("create unit %s: %w", u.ID, err)
	}
	s.logAudit(ev)
	return s.changedUnit(ctx, u.ID)
}

// checkNewUnit applies the rules that read the hierarchy: the parent
// exists, is in force on the first day and is of a kind that may hold the
// new unit; no other unit has the same code on any day of the new one's;
// one unit reviews at a province-wide level in a province or city on any
// day. A zero first day (not given or invalid) checks only what needs no
// day.
func checkNewUnit(ctx context.Context, tx *gorm.DB, in UnitInput, from time.Time) (parent models.Unit, errs []FieldError, err error) {
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	if in.ParentID != "" {
		parent, err = models.LoadUnit(ctx, tx, in.ParentID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			add("/parent_id", "Đơn vị cấp trên không tồn tại.", "No such parent unit.")
		case err != nil:
			return parent, nil, err
		case !mayHold(parent, in.Kind):
			errs = append(errs, parentKindError(parent, in.Kind))
		case !from.IsZero() && !parent.InForce(from):
			add("/parent_id", "Đơn vị cấp trên không có hiệu lực vào ngày "+viDate(from)+".", "The parent is not in force on "+from.Format(time.DateOnly)+".")
		}
	}
	if in.Code != "" && !from.IsZero() {
		var same []models.Unit
		if err := tx.WithContext(ctx).Where("code = ?", in.Code).Find(&same).Error; err != nil {
			return parent, nil, fmt.Errorf("units with code %s: %w", in.Code, err)
		}
		for _, o := range same {
			if o.EffectiveTo == nil || o.EffectiveTo.After(from) {
				add("/code", "Mã "+in.Code+" đang thuộc "+o.Name+" (từ "+viDate(o.EffectiveFrom)+"); một mã chỉ thuộc một đơn vị vào một ngày: cho đơn vị đó ngừng hoạt động trước, hoặc kiểm tra lại mã.",
					"Code "+in.Code+" belongs to "+o.Name+" (from "+o.EffectiveFrom.Format(time.DateOnly)+"); a code names one unit on a day: end that unit first, or check the code.")
				break
			}
		}
	}
	if lvl := routing.Level(in.ReviewLevel); (lvl == routing.Education || lvl == routing.Interior) && !from.IsZero() && parent.ID != "" {
		// A second in the same province would stop its routes
		// (models.LoadDirectory).
		var others []models.Unit
		if err := tx.WithContext(ctx).Where("review_level = ?", in.ReviewLevel).Find(&others).Error; err != nil {
			return parent, nil, fmt.Errorf("units at %s: %w", lvl, err)
		}
		links, err := models.AllUnitParents(ctx, tx)
		if err != nil {
			return parent, nil, err
		}
		root := rootAt(links, parent.ID, from)
		for _, o := range others {
			if (o.EffectiveTo == nil || o.EffectiveTo.After(from)) && rootAt(links, o.ID, maxDay(from, o.EffectiveFrom)) == root {
				add("/review_level", o.Name+" đã xét duyệt ở cấp này trong thời gian đó; cho đơn vị đó ngừng hoạt động trước ngày bắt đầu của đơn vị mới.",
					o.Name+" already reviews at this level then: end it on or before the new unit's first day.")
				break
			}
		}
	}
	return parent, errs, nil
}

// mayHold reports whether parent is of a kind that may hold a unit of
// kind (an unknown kind is refused by its own field).
func mayHold(parent models.Unit, kind string) bool {
	allowed, known := models.ParentKinds[kind]
	return !known || slices.Contains(allowed, parent.Kind)
}

// parentKindError says why parent cannot hold a unit of kind, and what can.
func parentKindError(parent models.Unit, kind string) FieldError {
	allowed := models.ParentKinds[kind]
	if len(allowed) == 0 {
		return FieldError{Pointer: "/parent_id",
			Message:   kindNames[kind] + " là cấp cao nhất, không có đơn vị cấp trên; bỏ trống parent_id (" + parent.Name + " là " + kindNames[parent.Kind] + ").",
			MessageEN: "A " + kind + " is the top of the hierarchy and has no parent; leave parent_id empty (" + parent.Name + " is a " + parent.Kind + ")."}
	}
	return FieldError{Pointer: "/parent_id",
		Message:   parent.Name + " là " + kindNames[parent.Kind] + ", không thể là đơn vị cấp trên của " + kindNames[kind] + "; đơn vị cấp trên phải là " + kindsVI(allowed) + ".",
		MessageEN: parent.Name + " is a " + parent.Kind + " and cannot hold a " + kind + "; the parent must be a " + strings.Join(allowed, " or ") + "."}
}

// rootAt is the top of id's parent chain on day at.
func rootAt(links []models.UnitParent, id string, at time.Time) string {
	for depth := 0; depth < 16; depth++ {
		l, ok := models.LinkAt(linksOf(links, id), at)
		if !ok {
			return id
		}
		id = l.ParentID
	}
	return id
}

// linksOf are unit id's links among links.
func linksOf(links []models.UnitParent, id string) []models.UnitParent {
	var out []models.UnitParent
	for _, l := range links {
		if l.UnitID == id {
			out = append(out, l)
		}
	}
	return out
}

// maxDay is the later of two days.
func maxDay(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// UnitPatch changes a unit: renames it, moves it under ParentID from
// ParentFrom, or ends it on EffectiveTo (the first day it is no longer in
// force). A rename goes with either of the others; a move and an end are
// separate changes. Nil fields are left as they are.
type UnitPatch struct {
	Name *string `json:"name"`
	// NameFrom dates a rename: the unit bears the new name from that day
	// and its documents dated before keep the old one. Without it, a new
	// name corrects the old one throughout.
	NameFrom    *string `json:"name_from"`
	EffectiveTo *string `json:"effective_to"`
	ParentID    *string `json:"parent_id"`
	ParentFrom  *string `json:"parent_from"`
}

// unitChange is a checked UnitPatch.
type unitChange struct {
	name           *string
	nameFrom       time.Time
	move, end      bool
	parentID       string
	moveFrom, stop time.Time
}

// validate cleans the text and checks the fields that need no database.
func (r *UnitPatch) validate() (unitChange, error) {
	errs := cleanText(map[string]*string{"/name": r.Name, "/name_from": r.NameFrom, "/effective_to": r.EffectiveTo, "/parent_id": r.ParentID,
		"/parent_from": r.ParentFrom})
	ch := unitChange{name: r.Name, end: r.EffectiveTo != nil, move: r.ParentID != nil || r.ParentFrom != nil}
	if r.Name != nil {
		errs = append(errs, checkUnitName(*r.Name)...)
	}
	if r.NameFrom != nil {
		if r.Name == nil {
			errs = append(errs, FieldError{Pointer: "/name_from", Message: "Ngày đổi tên đi cùng tên mới (name).", MessageEN: "name_from goes with the new name."})
		} else {
			ch.nameFrom = parseDay("/name_from", *r.NameFrom, &errs)
		}
	}
	if ch.end {
		ch.stop = parseDay("/effective_to", *r.EffectiveTo, &errs)
	}
	if ch.move {
		if r.ParentID == nil || *r.ParentID == "" {
			errs = append(errs, Required("/parent_id"))
		} else {
			ch.parentID = *r.ParentID
		}
		if r.ParentFrom == nil {
			errs = append(errs, Required("/parent_from"))
		} else {
			ch.moveFrom = parseDay("/parent_from", *r.ParentFrom, &errs)
		}
		if ch.end {
			errs = append(errs, FieldError{Pointer: "/effective_to", Message: "Chuyển đơn vị và cho ngừng hoạt động là hai thay đổi riêng.", MessageEN: "Moving a unit and ending it are separate changes."})
		}
	}
	if r.Name == nil && !ch.end && !ch.move {
		errs = append(errs, FieldError{Pointer: "", Message: "Không có gì để thay đổi: gửi name, effective_to, hoặc parent_id cùng parent_from.", MessageEN: "Nothing to change: send name, effective_to, or parent_id with parent_from."})
	}
	return ch, InvalidIf(errs)
}

// datedRename records that u bears name from day from: its name until
// then (from its start, or from its last dated rename) and the new one.
// The day must fall within u's validity and after its last rename.
func datedRename(ctx context.Context, tx *gorm.DB, u models.Unit, name string, from time.Time) error {
	names, err := models.NamesOf(ctx, tx, u.ID)
	if err != nil {
		return err
	}
	last := u.EffectiveFrom
	if len(names) > 0 {
		last = names[len(names)-1].ValidFrom
	}
	if !from.After(last) || !u.InForce(from) {
		return Invalid(FieldError{Pointer: "/name_from", Message: fmt.Sprintf("Ngày đổi tên phải sau %s và trong thời gian đơn vị hoạt động.", viDate(last)),
			MessageEN: "The rename's day must come after the unit's start or last rename, while it is in force."})
	}
	rows := []models.UnitName{{UnitID: u.ID, ValidFrom: from, Name: name}}
	if len(names) == 0 {
		rows = append(rows, models.UnitName{UnitID: u.ID, ValidFrom: u.EffectiveFrom, Name: u.Name})
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("dated rename of %s: %w", u.ID, err)
	}
	return nil
}

// PatchUnit renames, moves or ends unit id and answers with the unit as
// it now is.
func (s *Service) PatchUnit(ctx context.Context, who Caller, id string, in UnitPatch) (UnitDetailView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return UnitDetailView{}, err
	}
	if _, err := loadUnit(ctx, s.db, id); err != nil {
		return UnitDetailView{}, err
	}
	ch, err := in.validate()
	if err != nil {
		return UnitDetailView{}, err
	}
	var events []models.AuditEvent
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockHierarchy(tx); err != nil {
			return err
		}
		u, err := loadUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		if ch.name != nil && *ch.name != u.Name {
			detail := map[string]any{"from": u.Name, "to": *ch.name}
			if !ch.nameFrom.IsZero() {
				if err := datedRename(ctx, tx, u, *ch.name, ch.nameFrom); err != nil {
					return err
				}
				detail["from_day"] = ch.nameFrom.Format(time.DateOnly)
			}
			if err := tx.Model(&models.Unit{}).Where("id = ?", u.ID).Update("name", *ch.name).Error; err != nil {
				return fmt.Errorf("rename %s: %w", u.ID, err)
			}
			events = append(events, s.auditEvent(who, "unit.rename", u.ID, detail))
		}
		var more []models.AuditEvent
		switch {
		case ch.move:
			more, err = s.moveUnit(ctx, tx, who, u, ch.parentID, ch.moveFrom)
		case ch.end:
			more, err = s.endUnit(ctx, tx, who, u, ch.stop)
		}
		if err != nil {
			return err
		}
		events = append(events, more...)
		for i := range events {
			if err := tx.Create(&events[i]).Error; err != nil {
				return err
			}
		}
		if len(events) == 0 {
			return nil // nothing changed
		}
		return models.BumpReferenceVersion(tx)
	})
	if err := failed(err, "change unit "+id); err != nil {
		return UnitDetailView{}, err
	}
	s.logAudit(events...)
	return s.changedUnit(ctx, id)
}
