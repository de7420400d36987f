package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/routing"
)

// directory is the routing view of the units in force on one day.
type directory struct {
	units     map[string]routing.Unit
	reviewers map[routing.Level]routing.Unit
}

func (d directory) Unit(id string) (routing.Unit, bool) { u, ok := d.units[id]; return u, ok }

func (d directory) Reviewer(l routing.Level) (routing.Unit, bool) {
	u, ok := d.reviewers[l]
	return u, ok
}

// LoadDirectory returns the units in force on day at, for planning routes.
// Province-wide levels (education, interior) must have exactly one
// reviewing unit.
func LoadDirectory(ctx context.Context, db *gorm.DB, at time.Time) (routing.Directory, error) {
	var units []Unit
	if err := db.WithContext(ctx).Find(&units).Error; err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	parents, err := ParentsAt(ctx, db, at)
	if err != nil {
		return nil, err
	}
	d := directory{units: map[string]routing.Unit{}, reviewers: map[routing.Level]routing.Unit{}}
	for _, u := range units {
		if !u.InForce(at) {
			continue
		}
		ru := routing.Unit{ID: u.ID, Name: u.Name, Level: routing.Level(u.ReviewLevel), ParentID: parents[u.ID]}
		d.units[u.ID] = ru
		if ru.Level == routing.Education || ru.Level == routing.Interior {
			if prev, dup := d.reviewers[ru.Level]; dup {
				return nil, fmt.Errorf("two units review at the %s level: %s and %s", ru.Level, prev.ID, ru.ID)
			}
			d.reviewers[ru.Level] = ru
		}
	}
	return d, nil
}

// ParentsAt maps each unit to its parent on day at.
func ParentsAt(ctx context.Context, db *gorm.DB, at time.Time) (map[string]string, error) {
	var links []UnitParent
	if err := db.WithContext(ctx).Find(&links).Error; err != nil {
		return nil, fmt.Errorf("load unit parents: %w", err)
	}
	parents := make(map[string]string, len(links))
	for _, l := range links {
		if l.InForce(at) {
			parents[l.UnitID] = l.ParentID
		}
	}
	return parents, nil
}
