package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// Units and their dated parent links are the hierarchy routes are planned
// on (models.LoadDirectory at a round's reference date). Everyone reads
// it; only the province's administrator changes it: creates a unit from a
// day, renames it, moves it under another parent from a day, ends it on a
// day. No change reaches into the past a nomination was routed on: a move
// or an end dated on or before the reference date of a round in which a
// nomination of the unit (or below it, or passing through it) has been
// submitted is refused, so that the round's routes stay the ones the
// hierarchy gives at its date. Every change is audited in the same
// transaction and drops the reference cache.

type parentLinkView struct {
	ParentID      string  `json:"parent_id"`
	ParentName    string  `json:"parent_name,omitempty"`
	EffectiveFrom string  `json:"effective_from"`
	EffectiveTo   *string `json:"effective_to,omitempty"`
}

// unitDetailView is a unit with the history of its parents. ParentID is
// its parent today, or on the nearest day it is in force.
type unitDetailView struct {
	unitView
	Parents []parentLinkView `json:"parents"`
	// ActiveAccounts, in the answers to changes, counts the unit's enabled
	// accounts: an ended unit's are for the administrator to disable.
	ActiveAccounts *int64 `json:"active_accounts,omitempty"`
}

// today is the current day in Vietnam, as the dates of units are kept
// (midnight UTC).
func (s *Server) today() time.Time {
	y, m, d := s.now().In(calendar.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// unitDetail describes u with its parent links.
func (s *Server) unitDetail(ctx context.Context, u models.Unit) (unitDetailView, error) {
	links, err := models.UnitLinks(ctx, s.DB, u.ID)
	if err != nil {
		return unitDetailView{}, err
	}
	names, err := s.reference().UnitNames(ctx)
	if err != nil {
		return unitDetailView{}, err
	}
	at := s.today()
	if at.Before(u.EffectiveFrom) {
		at = u.EffectiveFrom
	}
	if u.EffectiveTo != nil && !at.Before(*u.EffectiveTo) {
		at = u.EffectiveTo.AddDate(0, 0, -1)
	}
	cur, _ := models.LinkAt(links, at)
	v := unitDetailView{unitView: viewUnit(u, cur.ParentID), Parents: make([]parentLinkView, 0, len(links))}
	for _, l := range links {
		p := parentLinkView{ParentID: l.ParentID, ParentName: names[l.ParentID], EffectiveFrom: l.EffectiveFrom.Format(time.DateOnly)}
		if l.EffectiveTo != nil {
			to := l.EffectiveTo.Format(time.DateOnly)
			p.EffectiveTo = &to
		}
		v.Parents = append(v.Parents, p)
	}
	return v, nil
}

// loadUnit reads a unit by ID; a missing one is models.ErrNotFound.
func loadUnit(ctx context.Context, db *gorm.DB, id string) (models.Unit, error) {
	var u models.Unit
	err := db.WithContext(ctx).First(&u, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, models.ErrNotFound
	}
	if err != nil {
		return u, fmt.Errorf("load unit %s: %w", id, err)
	}
	return u, nil
}

// loadUnitOr404 reads the unit of the path, or answers 404.
func (s *Server) loadUnitOr404(c echo.Context, db *gorm.DB, id string) (models.Unit, error) {
	u, err := loadUnit(c.Request().Context(), db, id)
	if errors.Is(err, models.ErrNotFound) {
		return u, problem(http.StatusNotFound, "Không có đơn vị này.", "No such unit.")
	}
	return u, err
}

// getUnit returns one unit with the history of its parents.
func (s *Server) getUnit(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.loadUnitOr404(c, s.DB, c.Param("id"))
	if err != nil {
		return err
	}
	v, err := s.unitDetail(ctx, u)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type unitRequest struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Kind          string `json:"kind"`
	ReviewLevel   string `json:"review_level"`
	ParentID      string `json:"parent_id"`
	EffectiveFrom string `json:"effective_from"`
}

var unitIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// levelKinds is the kind of unit that reviews at each level.
var levelKinds = map[routing.Level]string{routing.Commune: models.KindCommune, routing.District: models.KindDistrict,
	routing.Education: models.KindDepartment, routing.Interior: models.KindDepartment}

// viDate shows a day as Vietnamese documents do.
func viDate(t time.Time) string { return t.Format("02/01/2006") }

// parseDay reads a YYYY-MM-DD day between 2000 and 2100.
func parseDay(ptr, v string) (time.Time, *FieldError) {
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &FieldError{Pointer: ptr, Message: "Ngày phải có dạng YYYY-MM-DD.", MessageEN: "Date must be YYYY-MM-DD."}
	}
	if t.Year() < 2000 || t.Year() > 2100 {
		return time.Time{}, &FieldError{Pointer: ptr, Message: "Năm từ 2000 đến 2100.", MessageEN: "A year between 2000 and 2100."}
	}
	return t, nil
}

func checkUnitName(name string) *FieldError {
	if name == "" || len([]rune(name)) > 255 {
		return &FieldError{Pointer: "/name", Message: "Tên đơn vị bắt buộc, tối đa 255 ký tự.", MessageEN: "The name is required, at most 255 characters."}
	}
	return nil
}

// validate checks the fields that need no database and returns the day
// the unit starts.
func (r unitRequest) validate() (time.Time, []FieldError) {
	var errs []FieldError
	add := func(fe *FieldError) {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	if len(r.ID) > 64 || !unitIDPattern.MatchString(r.ID) {
		add(&FieldError{Pointer: "/id", Message: "Mã đơn vị gồm tối đa 64 ký tự: chữ thường không dấu, số, nối bằng dấu gạch ngang (vd. xa-tan-dong-hiep).", MessageEN: "The ID: up to 64 lowercase ASCII letters and digits in words joined by dashes (e.g. xa-tan-dong-hiep)."})
	}
	add(checkUnitName(r.Name))
	switch {
	case r.Kind == models.KindProvince:
		add(&FieldError{Pointer: "/kind", Message: "Tỉnh là gốc của cây đơn vị, không tạo dưới một đơn vị khác.", MessageEN: "The province is the root of the hierarchy; it is not created under another unit."})
	case !slices.Contains(models.UnitKinds, r.Kind):
		add(&FieldError{Pointer: "/kind", Message: "Loại đơn vị phải là department, district, commune, school, agency hoặc enterprise.", MessageEN: "Kind must be department, district, commune, school, agency or enterprise."})
	}
	if r.ReviewLevel != "" {
		lvl := routing.Level(r.ReviewLevel)
		switch {
		case !lvl.Valid():
			add(&FieldError{Pointer: "/review_level", Message: "Cấp xét duyệt phải là commune, district, education hoặc interior (hoặc để trống).", MessageEN: "The review level must be commune, district, education or interior (or none)."})
		case levelKinds[lvl] != r.Kind && slices.Contains(models.UnitKinds, r.Kind):
			add(&FieldError{Pointer: "/review_level", Message: "Cấp xét duyệt không phù hợp loại đơn vị: cấp xã là xã/phường, cấp huyện là huyện, Sở GD&ĐT và Sở Nội vụ là sở.", MessageEN: "The review level does not fit the kind: commune level for a commune, district level for a district, education and interior for a department."})
		}
	}
	if r.ParentID == "" {
		errs = append(errs, required("/parent_id"))
	}
	from, fe := parseDay("/effective_from", r.EffectiveFrom)
	add(fe)
	return from, errs
}

// lockHierarchy serializes changes to the hierarchy on PostgreSQL (a
// move checked for cycles must not race another); SQLite's write
// transactions are serial.
func lockHierarchy(tx *gorm.DB) error {
	if models.Dialect(tx) != "postgres" {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(7351002)").Error
}

// createUnit creates a unit in force from a day under a parent in force
// that day.
func (s *Server) createUnit(c echo.Context) error {
	ctx := c.Request().Context()
	var req unitRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	from, errs := req.validate()
	u := models.Unit{ID: req.ID, Name: req.Name, Kind: req.Kind, ReviewLevel: req.ReviewLevel, EffectiveFrom: from}
	ev := s.auditEvent(c, "unit.create", u.ID, map[string]any{"name": u.Name, "kind": u.Kind, "review_level": u.ReviewLevel,
		"parent_id": req.ParentID, "effective_from": req.EffectiveFrom})
	// The rules read the hierarchy under its lock, so that a concurrent
	// change (a parent ended, a second reviewer created) cannot slip in
	// between the check and the write.
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockHierarchy(tx); err != nil {
			return err
		}
		parent, more, err := s.checkNewUnit(ctx, tx, req, from)
		if err != nil {
			return err
		}
		if errs = append(errs, more...); len(errs) > 0 {
			return invalid(errs)
		}
		// The link never outlives the parent: a unit created under a
		// district that ends sits under nothing after, until it is moved.
		link := models.UnitParent{UnitID: u.ID, ParentID: parent.ID, EffectiveFrom: from, EffectiveTo: parent.EffectiveTo}
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		if err := tx.Create(&link).Error; err != nil {
			return err
		}
		return tx.Create(&ev).Error
	})
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		p := problem(http.StatusConflict, "Mã đơn vị "+u.ID+" đã được dùng.", "The unit ID "+u.ID+" is taken.")
		p.Errors = []FieldError{{Pointer: "/id", Message: "Mã đơn vị đã được dùng (kể cả bởi một đơn vị đã ngừng hoạt động).", MessageEN: "This ID is taken (possibly by a unit that has ended)."}}
		return p
	}
	if err != nil {
		return fmt.Errorf("create unit %s: %w", u.ID, err)
	}
	s.reference().Invalidate()
	s.logAudit(ev)
	return s.respondUnit(c, http.StatusCreated, u.ID)
}

// checkNewUnit applies the rules that read the hierarchy: the parent
// exists and is in force on the first day; one unit reviews at a
// province-wide level on any day. A zero first day (not given or invalid)
// checks only that the parent exists.
func (s *Server) checkNewUnit(ctx context.Context, tx *gorm.DB, req unitRequest, from time.Time) (parent models.Unit, errs []FieldError, err error) {
	if req.ParentID != "" {
		parent, err = loadUnit(ctx, tx, req.ParentID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên không tồn tại.", MessageEN: "No such parent unit."})
		case err != nil:
			return parent, nil, err
		case !from.IsZero() && !parent.InForce(from):
			errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên không có hiệu lực vào ngày " + viDate(from) + ".", MessageEN: "The parent is not in force on " + from.Format(time.DateOnly) + "."})
		}
	}
	if lvl := routing.Level(req.ReviewLevel); (lvl == routing.Education || lvl == routing.Interior) && !from.IsZero() {
		// A second would stop every route (models.LoadDirectory).
		var others []models.Unit
		if err := tx.WithContext(ctx).Where("review_level = ?", req.ReviewLevel).Find(&others).Error; err != nil {
			return parent, nil, fmt.Errorf("units at %s: %w", lvl, err)
		}
		for _, o := range others {
			if o.EffectiveTo == nil || o.EffectiveTo.After(from) {
				errs = append(errs, FieldError{Pointer: "/review_level", Message: o.Name + " đã xét duyệt ở cấp này trong thời gian đó; cho đơn vị đó ngừng hoạt động trước ngày bắt đầu của đơn vị mới.", MessageEN: o.Name + " already reviews at this level then: end it on or before the new unit's first day."})
				break
			}
		}
	}
	return parent, errs, nil
}

// respondUnit answers a change with the unit as it now is.
func (s *Server) respondUnit(c echo.Context, status int, id string) error {
	ctx := c.Request().Context()
	u, err := s.loadUnitOr404(c, s.DB, id)
	if err != nil {
		return err
	}
	v, err := s.unitDetail(ctx, u)
	if err != nil {
		return err
	}
	var n int64
	if err := s.DB.WithContext(ctx).Model(&models.User{}).Where("unit_id = ? AND disabled_at IS NULL", id).Count(&n).Error; err != nil {
		return fmt.Errorf("count accounts of %s: %w", id, err)
	}
	v.ActiveAccounts = &n
	return c.JSON(status, v)
}

type unitPatch struct {
	Name        *string `json:"name"`
	EffectiveTo *string `json:"effective_to"`
	ParentID    *string `json:"parent_id"`
	ParentFrom  *string `json:"parent_from"`
}

// patchUnit renames a unit, moves it under another parent from a day
// (parent_id with parent_from), or ends it (effective_to: the first day
// it is no longer in force). A rename goes with either of the others;
// a move and an end are separate changes.
func (s *Server) patchUnit(c echo.Context) error {
	ctx := c.Request().Context()
	u, err := s.loadUnitOr404(c, s.DB, c.Param("id"))
	if err != nil {
		return err
	}
	var req unitPatch
	if err := decode(c, &req); err != nil {
		return err
	}
	var errs []FieldError
	add := func(fe *FieldError) {
		if fe != nil {
			errs = append(errs, *fe)
		}
	}
	if req.Name != nil {
		add(checkUnitName(*req.Name))
	}
	var end, moveFrom time.Time
	if req.EffectiveTo != nil {
		end = parseDayErr("/effective_to", *req.EffectiveTo, &errs)
	}
	move := req.ParentID != nil || req.ParentFrom != nil
	if move {
		if req.ParentID == nil || *req.ParentID == "" {
			errs = append(errs, required("/parent_id"))
		}
		if req.ParentFrom == nil {
			errs = append(errs, required("/parent_from"))
		} else {
			moveFrom = parseDayErr("/parent_from", *req.ParentFrom, &errs)
		}
		if req.EffectiveTo != nil {
			errs = append(errs, FieldError{Pointer: "/effective_to", Message: "Chuyển đơn vị và cho ngừng hoạt động là hai thay đổi riêng.", MessageEN: "Moving a unit and ending it are separate changes."})
		}
	}
	if req.Name == nil && req.EffectiveTo == nil && !move {
		errs = append(errs, FieldError{Pointer: "", Message: "Không có gì để thay đổi: gửi name, effective_to, hoặc parent_id cùng parent_from.", MessageEN: "Nothing to change: send name, effective_to, or parent_id with parent_from."})
	}
	if len(errs) > 0 {
		return invalid(errs)
	}
	var events []models.AuditEvent
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := lockHierarchy(tx); err != nil {
			return err
		}
		u, err := s.loadUnitOr404(c, tx, u.ID)
		if err != nil {
			return err
		}
		if req.Name != nil && *req.Name != u.Name {
			if err := tx.Model(&models.Unit{}).Where("id = ?", u.ID).Update("name", *req.Name).Error; err != nil {
				return fmt.Errorf("rename %s: %w", u.ID, err)
			}
			events = append(events, s.auditEvent(c, "unit.rename", u.ID, map[string]any{"from": u.Name, "to": *req.Name}))
		}
		if move {
			ev, err := s.moveUnit(ctx, tx, c, u, *req.ParentID, moveFrom)
			if err != nil {
				return err
			}
			events = append(events, ev...)
		}
		if req.EffectiveTo != nil {
			ev, err := s.endUnit(ctx, tx, c, u, end)
			if err != nil {
				return err
			}
			events = append(events, ev...)
		}
		for i := range events {
			if err := tx.Create(&events[i]).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		var p *Problem
		if errors.As(err, &p) {
			return p
		}
		return fmt.Errorf("change unit %s: %w", u.ID, err)
	}
	if len(events) > 0 {
		s.reference().Invalidate()
	}
	for _, ev := range events {
		s.logAudit(ev)
	}
	return s.respondUnit(c, http.StatusOK, u.ID)
}

// parseDayErr is parseDay appending its error to errs.
func parseDayErr(ptr, v string, errs *[]FieldError) time.Time {
	t, fe := parseDay(ptr, v)
	if fe != nil {
		*errs = append(*errs, *fe)
	}
	return t
}

// moveUnit checks and applies a move of u under parentID from day from.
// Moving under the parent it already has that day changes nothing.
func (s *Server) moveUnit(ctx context.Context, tx *gorm.DB, c echo.Context, u models.Unit, parentID string, from time.Time) ([]models.AuditEvent, error) {
	var errs []FieldError
	if !u.InForce(from) {
		errs = append(errs, FieldError{Pointer: "/parent_from", Message: "Đơn vị không có hiệu lực vào ngày " + viDate(from) + ".", MessageEN: "The unit is not in force on " + from.Format(time.DateOnly) + "."})
	}
	parent, err := loadUnit(ctx, tx, parentID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên không tồn tại.", MessageEN: "No such parent unit."})
	case err != nil:
		return nil, err
	case parent.ID == u.ID:
		errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Một đơn vị không thể trực thuộc chính nó.", MessageEN: "A unit cannot sit under itself."})
	case !parent.InForce(from):
		errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên không có hiệu lực vào ngày " + viDate(from) + ".", MessageEN: "The parent is not in force on " + from.Format(time.DateOnly) + "."})
	}
	if len(errs) > 0 {
		return nil, invalid(errs)
	}
	links, err := models.UnitLinks(ctx, tx, u.ID)
	if err != nil {
		return nil, err
	}
	cur, hasCur := models.LinkAt(links, from)
	if hasCur && cur.ParentID == parent.ID {
		return nil, nil // already there: a retried move
	}
	if hasCur && !cur.EffectiveFrom.Before(from) {
		return nil, invalid([]FieldError{{Pointer: "/parent_from", Message: "Đơn vị trực thuộc đơn vị hiện tại từ chính ngày này; chọn một ngày sau " + viDate(cur.EffectiveFrom) + ".", MessageEN: "The unit's current parent link starts on this day; choose a day after " + cur.EffectiveFrom.Format(time.DateOnly) + "."}})
	}
	if cyclic, err := underItself(ctx, tx, u.ID, parent.ID, from); err != nil {
		return nil, err
	} else if cyclic {
		return nil, invalid([]FieldError{{Pointer: "/parent_id", Message: "Đơn vị cấp trên mới đang trực thuộc chính đơn vị này.", MessageEN: "The new parent sits under this unit."}})
	}
	if err := s.checkRoutedSince(ctx, tx, u.ID, from, "/parent_from"); err != nil {
		return nil, err
	}
	link, err := models.MoveUnit(ctx, tx, u, parent, from)
	if err != nil {
		return nil, err
	}
	detail := map[string]any{"parent_id": parent.ID, "from": from.Format(time.DateOnly)}
	if hasCur {
		detail["previous_parent_id"] = cur.ParentID
	}
	if link.EffectiveTo != nil {
		detail["to"] = link.EffectiveTo.Format(time.DateOnly)
	}
	return []models.AuditEvent{s.auditEvent(c, "unit.move", u.ID, detail)}, nil
}

// underItself reports whether parentID sits, on day from or any later day
// a link changes while the new link would hold, under unitID: the move
// would make a cycle.
func underItself(ctx context.Context, tx *gorm.DB, unitID, parentID string, from time.Time) (bool, error) {
	var links []models.UnitParent
	if err := tx.WithContext(ctx).Find(&links).Error; err != nil {
		return false, fmt.Errorf("load unit parents: %w", err)
	}
	days := []time.Time{from}
	for _, l := range links {
		if l.EffectiveFrom.After(from) {
			days = append(days, l.EffectiveFrom)
		}
	}
	for _, day := range days {
		parents := map[string]string{}
		for _, l := range links {
			if l.InForce(day) {
				parents[l.UnitID] = l.ParentID
			}
		}
		id := parentID
		for depth := 0; id != "" && depth < 64; depth++ {
			if id == unitID {
				return true, nil
			}
			id = parents[id]
		}
	}
	return false, nil
}

// endUnit checks and applies the end of u on day at. Ending it on the
// day it already ends changes nothing.
func (s *Server) endUnit(ctx context.Context, tx *gorm.DB, c echo.Context, u models.Unit, at time.Time) ([]models.AuditEvent, error) {
	if u.EffectiveTo != nil {
		if u.EffectiveTo.Equal(at) {
			return nil, nil
		}
		p := problem(http.StatusConflict, "Đơn vị đã ngừng hoạt động từ ngày "+viDate(*u.EffectiveTo)+".",
			"The unit already ends on "+u.EffectiveTo.Format(time.DateOnly)+".")
		p.Errors = []FieldError{{Pointer: "/effective_to", Message: "Đơn vị đã có ngày ngừng hoạt động " + viDate(*u.EffectiveTo) + ".", MessageEN: "The unit already ends on " + u.EffectiveTo.Format(time.DateOnly) + "."}}
		return nil, p
	}
	if !at.After(u.EffectiveFrom) {
		return nil, invalid([]FieldError{{Pointer: "/effective_to", Message: "Ngày ngừng hoạt động phải sau ngày bắt đầu " + viDate(u.EffectiveFrom) + ".", MessageEN: "The end must come after the unit's first day, " + u.EffectiveFrom.Format(time.DateOnly) + "."}})
	}
	conflict := func(vi, en string) error {
		p := problem(http.StatusConflict, vi, en)
		p.Errors = []FieldError{{Pointer: "/effective_to", Message: vi, MessageEN: en}}
		return p
	}
	// Nothing may sit under it from that day: its units move first.
	var children []models.UnitParent
	if err := tx.WithContext(ctx).Where("parent_id = ?", u.ID).Find(&children).Error; err != nil {
		return nil, fmt.Errorf("units under %s: %w", u.ID, err)
	}
	under := map[string]bool{}
	for _, l := range children {
		if l.EffectiveTo == nil || l.EffectiveTo.After(at) {
			under[l.UnitID] = true
		}
	}
	if n := len(under); n > 0 {
		return nil, conflict(fmt.Sprintf("Còn %d đơn vị trực thuộc đơn vị này từ ngày %s: chuyển các đơn vị đó sang đơn vị khác trước.", n, viDate(at)),
			fmt.Sprintf("%d units still sit under this unit on or after %s: move them first.", n, at.Format(time.DateOnly)))
	}
	links, err := models.UnitLinks(ctx, tx, u.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if !l.EffectiveFrom.Before(at) {
			return nil, conflict("Đơn vị đã có lịch chuyển sang đơn vị cấp trên khác từ ngày "+viDate(l.EffectiveFrom)+", không trước ngày ngừng hoạt động.",
				"The unit is to move under another parent on "+l.EffectiveFrom.Format(time.DateOnly)+", not before the end.")
		}
	}
	// Nominations waiting at the unit, or submitted by it, are still in
	// review: they finish (or are withdrawn) first.
	var open int64
	err = tx.WithContext(ctx).Model(&models.Nomination{}).
		Where("status IN ?", []string{workflows.StatusInReview, workflows.StatusReturned}).
		Where("unit_id = ? OR EXISTS (SELECT 1 FROM route_steps WHERE route_steps.nomination_id = nominations.id AND route_steps.unit_id = ? AND route_steps.step >= nominations.current_step)", u.ID, u.ID).
		Count(&open).Error
	if err != nil {
		return nil, fmt.Errorf("open nominations of %s: %w", u.ID, err)
	}
	if open > 0 {
		return nil, conflict(fmt.Sprintf("Còn %d hồ sơ của đơn vị hoặc chờ đơn vị xét đang trong quá trình xét duyệt; chỉ cho ngừng hoạt động khi các hồ sơ đó đã xong hoặc được rút.", open),
			fmt.Sprintf("%d nominations of the unit or waiting for its review are still in review; end it once they are decided or withdrawn.", open))
	}
	if err := s.checkRoutedSince(ctx, tx, u.ID, at, "/effective_to"); err != nil {
		return nil, err
	}
	if err := models.EndUnit(ctx, tx, u, at); err != nil {
		return nil, err
	}
	return []models.AuditEvent{s.auditEvent(c, "unit.end", u.ID, map[string]any{"effective_to": at.Format(time.DateOnly)})}, nil
}

// checkRoutedSince refuses a change of unitID dated day when a round whose
// reference date is that day or later has a routed nomination of the unit,
// of a unit that ever sat under it, or passing through it: its routes were
// planned on the hierarchy as it stands, which must stay so.
func (s *Server) checkRoutedSince(ctx context.Context, tx *gorm.DB, unitID string, day time.Time, ptr string) error {
	var rounds []models.Round
	if err := tx.WithContext(ctx).Select("id", "name", "reference_date").Find(&rounds).Error; err != nil {
		return fmt.Errorf("load rounds: %w", err)
	}
	byID := map[string]models.Round{}
	var ids []string
	for _, r := range rounds {
		if !r.ReferenceDate.Before(day) {
			byID[r.ID] = r
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var links []models.UnitParent
	if err := tx.WithContext(ctx).Find(&links).Error; err != nil {
		return fmt.Errorf("load unit parents: %w", err)
	}
	subtree := descendants(links, unitID)
	var rows []struct {
		RoundID string
		N       int64
	}
	err := tx.WithContext(ctx).Model(&models.Nomination{}).Select("round_id, COUNT(*) AS n").
		Where("round_id IN ?", ids).
		Where("EXISTS (SELECT 1 FROM route_steps WHERE route_steps.nomination_id = nominations.id AND (nominations.unit_id IN ? OR route_steps.unit_id = ?))", subtree, unitID).
		Group("round_id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("routed nominations of %s: %w", unitID, err)
	}
	if len(rows) == 0 {
		return nil
	}
	var total int64
	last := byID[rows[0].RoundID]
	for _, r := range rows {
		total += r.N
		if round := byID[r.RoundID]; round.ReferenceDate.After(last.ReferenceDate) {
			last = round
		}
	}
	ref := last.ReferenceDate
	vi := fmt.Sprintf("%d hồ sơ liên quan đến đơn vị đã được gửi và định tuyến theo cây đơn vị tại ngày tham chiếu của đợt «%s» (%s): thay đổi phải có hiệu lực sau ngày đó để không làm sai lịch sử.",
		total, last.Name, viDate(ref))
	en := fmt.Sprintf("%d nominations involving the unit were submitted and routed on the hierarchy of the reference date of the round %q (%s): the change must take effect after that day, so as not to rewrite history.",
		total, last.Name, ref.Format(time.DateOnly))
	p := problem(http.StatusConflict, vi, en)
	p.Errors = []FieldError{{Pointer: ptr, Message: "Chọn một ngày sau " + viDate(ref) + ".", MessageEN: "Choose a day after " + ref.Format(time.DateOnly) + "."}}
	return p
}

// descendants is unitID and every unit that sits, or ever sat, under it.
func descendants(links []models.UnitParent, unitID string) []string {
	children := map[string][]string{}
	for _, l := range links {
		children[l.ParentID] = append(children[l.ParentID], l.UnitID)
	}
	seen := map[string]bool{unitID: true}
	out := []string{unitID}
	for i := 0; i < len(out); i++ {
		for _, c := range children[out[i]] {
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}
