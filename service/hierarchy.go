package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
)

// The rules of a change to the hierarchy, read under its lock in the
// changing transaction. No change reaches into the past a nomination was
// routed on: a move or an end dated on or before the reference date of a
// round in which a nomination of the unit (or below it, or passing
// through it) has been submitted is refused, so that the round's routes
// stay the ones the hierarchy gives at its date.

// conflictAt is a conflict pointing at the field ptr with the same words.
func conflictAt(ptr, vi, en string) *Error {
	e := Conflict(vi, en)
	e.Fields = []FieldError{{Pointer: ptr, Message: vi, MessageEN: en}}
	return e
}

// moveUnit checks and applies a move of u under parentID from day from.
// Moving under the parent it already has that day changes nothing.
func (s *Service) moveUnit(ctx context.Context, tx *gorm.DB, who Caller, u models.Unit, parentID string, from time.Time) ([]models.AuditEvent, error) {
	var errs []FieldError
	if !u.InForce(from) {
		errs = append(errs, FieldError{Pointer: "/parent_from", Message: "Đơn vị không có hiệu lực vào ngày " + viDate(from) + ".", MessageEN: "The unit is not in force on " + from.Format(time.DateOnly) + "."})
	}
	parent, err := models.LoadUnit(ctx, tx, parentID)
	switch {
	case errors.Is(err, models.ErrNotFound):
		errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên không tồn tại.", MessageEN: "No such parent unit."})
	case err != nil:
		return nil, err
	case parent.ID == u.ID:
		errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Một đơn vị không thể trực thuộc chính nó.", MessageEN: "A unit cannot sit under itself."})
	case !mayHold(parent, u.Kind):
		errs = append(errs, parentKindError(parent, u.Kind))
	case !parent.InForce(from):
		errs = append(errs, FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên không có hiệu lực vào ngày " + viDate(from) + ".", MessageEN: "The parent is not in force on " + from.Format(time.DateOnly) + "."})
	}
	if err := InvalidIf(errs); err != nil {
		return nil, err
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
		return nil, Invalid(FieldError{Pointer: "/parent_from", Message: "Đơn vị trực thuộc đơn vị hiện tại từ chính ngày này; chọn một ngày sau " + viDate(cur.EffectiveFrom) + ".", MessageEN: "The unit's current parent link starts on this day; choose a day after " + cur.EffectiveFrom.Format(time.DateOnly) + "."})
	}
	all, err := models.AllUnitParents(ctx, tx)
	if err != nil {
		return nil, err
	}
	if underItself(all, u.ID, parent.ID, from) {
		return nil, Invalid(FieldError{Pointer: "/parent_id", Message: "Đơn vị cấp trên mới đang trực thuộc chính đơn vị này.", MessageEN: "The new parent sits under this unit."})
	}
	if err := checkRoutedSince(ctx, tx, all, u.ID, from, "/parent_from"); err != nil {
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
	return []models.AuditEvent{s.auditEvent(who, "unit.move", u.ID, detail)}, nil
}

// underItself reports whether parentID sits under unitID in links on day
// from or on any later day a link changes while the new link would hold:
// the move would make a cycle.
func underItself(links []models.UnitParent, unitID, parentID string, from time.Time) bool {
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
				return true
			}
			id = parents[id]
		}
	}
	return false
}

// endUnit checks and applies the end of u on day at. Ending it on the
// day it already ends changes nothing.
func (s *Service) endUnit(ctx context.Context, tx *gorm.DB, who Caller, u models.Unit, at time.Time) ([]models.AuditEvent, error) {
	if u.EffectiveTo != nil {
		if u.EffectiveTo.Equal(at) {
			return nil, nil
		}
		e := Conflict("Đơn vị đã ngừng hoạt động từ ngày "+viDate(*u.EffectiveTo)+".",
			"The unit already ends on "+u.EffectiveTo.Format(time.DateOnly)+".")
		e.Fields = []FieldError{{Pointer: "/effective_to", Message: "Đơn vị đã có ngày ngừng hoạt động " + viDate(*u.EffectiveTo) + ".", MessageEN: "The unit already ends on " + u.EffectiveTo.Format(time.DateOnly) + "."}}
		return nil, e
	}
	if !at.After(u.EffectiveFrom) {
		return nil, Invalid(FieldError{Pointer: "/effective_to", Message: "Ngày ngừng hoạt động phải sau ngày bắt đầu " + viDate(u.EffectiveFrom) + ".", MessageEN: "The end must come after the unit's first day, " + u.EffectiveFrom.Format(time.DateOnly) + "."})
	}
	all, err := models.AllUnitParents(ctx, tx)
	if err != nil {
		return nil, err
	}
	// Nothing may sit under it from that day: its units move first.
	under := map[string]bool{}
	for _, l := range all {
		if l.ParentID == u.ID && (l.EffectiveTo == nil || l.EffectiveTo.After(at)) {
			under[l.UnitID] = true
		}
	}
	if n := len(under); n > 0 {
		return nil, conflictAt("/effective_to", fmt.Sprintf("Còn %d đơn vị trực thuộc đơn vị này từ ngày %s: chuyển các đơn vị đó sang đơn vị khác trước.", n, viDate(at)),
			fmt.Sprintf("%d units still sit under this unit on or after %s: move them first.", n, at.Format(time.DateOnly)))
	}
	for _, l := range all {
		if l.UnitID == u.ID && !l.EffectiveFrom.Before(at) {
			return nil, conflictAt("/effective_to", "Đơn vị đã có lịch chuyển sang đơn vị cấp trên khác từ ngày "+viDate(l.EffectiveFrom)+", không trước ngày ngừng hoạt động.",
				"The unit is to move under another parent on "+l.EffectiveFrom.Format(time.DateOnly)+", not before the end.")
		}
	}
	// Nominations waiting at the unit when it ends go to the unit in force
	// then, each with a line in its history: the daily handover moves them
	// (at once when the successors are recorded), and a step reached later
	// is planned by that day's units (workflows.Nomination).
	if err := checkRoutedSince(ctx, tx, all, u.ID, at, "/effective_to"); err != nil {
		return nil, err
	}
	if err := models.EndUnit(ctx, tx, u, at); err != nil {
		return nil, err
	}
	return []models.AuditEvent{s.auditEvent(who, "unit.end", u.ID, map[string]any{"effective_to": at.Format(time.DateOnly)})}, nil
}

// checkRoutedSince refuses a change of unitID dated day when a round whose
// reference date is that day or later has a routed nomination of the unit,
// of a unit that ever sat under it (in links), or passing through it: its
// routes were planned on the hierarchy as it stands, which must stay so.
func checkRoutedSince(ctx context.Context, tx *gorm.DB, links []models.UnitParent, unitID string, day time.Time, ptr string) error {
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
	rows, err := models.RoutedNominations(ctx, tx, ids, models.Descendants(links, unitID), unitID)
	if err != nil || len(rows) == 0 {
		return err
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
	e := Conflict(vi, en)
	e.Fields = []FieldError{{Pointer: ptr, Message: "Chọn một ngày sau " + viDate(ref) + ".", MessageEN: "Choose a day after " + ref.Format(time.DateOnly) + "."}}
	return e
}
