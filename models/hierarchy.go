package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"
)

// UnitKinds lists the unit kinds, from the top of the hierarchy down.
var UnitKinds = []string{KindProvince, KindDepartment, KindDistrict, KindCommune, KindSchool, KindAgency, KindEnterprise}

// Changes to the hierarchy never touch the past: a unit is moved from a
// day by closing the link in force on that day and opening a new one, and
// ended by closing its period and its link on that day. The hierarchy as
// it stood on any earlier day — the one a 2024 round's routes were planned
// on — reads the same afterwards.

// UnitLinks returns a unit's parent links, oldest first.
func UnitLinks(ctx context.Context, db *gorm.DB, unitID string) ([]UnitParent, error) {
	var links []UnitParent
	if err := db.WithContext(ctx).Where("unit_id = ?", unitID).Find(&links).Error; err != nil {
		return nil, fmt.Errorf("load parent links of %s: %w", unitID, err)
	}
	slices.SortFunc(links, func(a, b UnitParent) int { return a.EffectiveFrom.Compare(b.EffectiveFrom) })
	return links, nil
}

// LinkAt returns the link of links in force on day t.
func LinkAt(links []UnitParent, t time.Time) (UnitParent, bool) {
	for _, l := range links {
		if l.InForce(t) {
			return l, true
		}
	}
	return UnitParent{}, false
}

// MoveUnit places unit under parent from day from: the link in force on
// that day, if any, ends on it, and a new link runs from it until the old
// one would have ended (without one: until the unit's next link starts, or
// the unit ends), never beyond the parent's own end. The caller checks
// that the move makes sense (both units in force on the day, no cycle, the
// old link starting before the day).
func MoveUnit(ctx context.Context, tx *gorm.DB, unit, parent Unit, from time.Time) (UnitParent, error) {
	links, err := UnitLinks(ctx, tx, unit.ID)
	if err != nil {
		return UnitParent{}, err
	}
	next := UnitParent{UnitID: unit.ID, ParentID: parent.ID, EffectiveFrom: from, EffectiveTo: unit.EffectiveTo}
	if cur, ok := LinkAt(links, from); ok {
		if !cur.EffectiveFrom.Before(from) {
			return UnitParent{}, fmt.Errorf("move %s on %s: its link to %s starts that day", unit.ID, from.Format(time.DateOnly), cur.ParentID)
		}
		next.EffectiveTo = cur.EffectiveTo
		if err := closeLink(ctx, tx, cur, from); err != nil {
			return UnitParent{}, err
		}
	} else {
		for _, l := range links {
			if l.EffectiveFrom.After(from) {
				to := l.EffectiveFrom
				next.EffectiveTo = &to
				break
			}
		}
	}
	next.EffectiveTo = earlier(next.EffectiveTo, parent.EffectiveTo)
	if err := tx.WithContext(ctx).Create(&next).Error; err != nil {
		return UnitParent{}, fmt.Errorf("link %s to %s from %s: %w", unit.ID, parent.ID, from.Format(time.DateOnly), err)
	}
	return next, nil
}

// EndUnit ends unit on day at (the first day it is no longer in force) and
// closes its parent link in force then. The caller checks that nothing
// sits under it from that day and that no link of it starts on or after
// it.
func EndUnit(ctx context.Context, tx *gorm.DB, unit Unit, at time.Time) error {
	links, err := UnitLinks(ctx, tx, unit.ID)
	if err != nil {
		return err
	}
	for _, l := range links {
		if l.EffectiveFrom.Before(at) && (l.EffectiveTo == nil || l.EffectiveTo.After(at)) {
			if err := closeLink(ctx, tx, l, at); err != nil {
				return err
			}
		}
	}
	res := tx.WithContext(ctx).Model(&Unit{}).Where("id = ?", unit.ID).Update("effective_to", at)
	if res.Error != nil {
		return fmt.Errorf("end unit %s: %w", unit.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("end unit %s: %d rows", unit.ID, res.RowsAffected)
	}
	return nil
}

// closeLink ends a link on day at.
func closeLink(ctx context.Context, tx *gorm.DB, l UnitParent, at time.Time) error {
	res := tx.WithContext(ctx).Model(&UnitParent{}).Where("unit_id = ? AND effective_from = ?", l.UnitID, l.EffectiveFrom).
		Update("effective_to", at)
	if res.Error != nil {
		return fmt.Errorf("close the link of %s to %s: %w", l.UnitID, l.ParentID, res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("close the link of %s to %s from %s: %d rows", l.UnitID, l.ParentID,
			l.EffectiveFrom.Format(time.DateOnly), res.RowsAffected)
	}
	return nil
}

// earlier is the earlier of two ends (nil: open).
func earlier(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.Before(*b):
		return a
	}
	return b
}
