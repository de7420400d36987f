package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// UnitName is a name a unit bore from a day. A rename decided for a date
// records the name before it and the new one, so that a document dated
// before the rename prints the old name and one dated after it the new;
// a unit never renamed has no rows and bears its own name throughout.
type UnitName struct {
	UnitID    string    `gorm:"primaryKey;size:64"`
	ValidFrom time.Time `gorm:"primaryKey"`
	Name      string    `gorm:"size:255;not null"`
}

// NameOn is the name of u on day on: the latest of rows (u's names)
// from on or before it, else u's own name.
func NameOn(rows []UnitName, u Unit, on time.Time) string {
	name, from := u.Name, time.Time{}
	day := on.Format(time.DateOnly)
	for _, r := range rows {
		if r.UnitID == u.ID && r.ValidFrom.Format(time.DateOnly) <= day && !r.ValidFrom.Before(from) {
			name, from = r.Name, r.ValidFrom
		}
	}
	return name
}

// NamesOf lists unit id's dated names, earliest first.
func NamesOf(ctx context.Context, db *gorm.DB, id string) ([]UnitName, error) {
	var out []UnitName
	if err := db.WithContext(ctx).Where("unit_id = ?", id).Order("valid_from").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("names of %s: %w", id, err)
	}
	return out, nil
}

// UnitNameHistory maps each renamed unit to its dated names, cached like
// the rest of the reference data.
func (r *Reference) UnitNameHistory(ctx context.Context) (map[string][]UnitName, error) {
	v, err := r.get(ctx, "unit-name-history", func(ctx context.Context) (any, error) {
		var rows []UnitName
		if err := r.DB.WithContext(ctx).Order("unit_id, valid_from").Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("load unit names: %w", err)
		}
		out := map[string][]UnitName{}
		for _, n := range rows {
			out[n.UnitID] = append(out[n.UnitID], n)
		}
		return out, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string][]UnitName), nil
}
