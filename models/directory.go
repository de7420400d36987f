package models

import (
	"context"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/routing"
)

// directory is the routing view of the units in force on one day.
type directory struct {
	units     map[string]routing.Unit
	reviewers map[reviewerKey]routing.Unit
}

// reviewerKey is a province-wide level within one province or city.
type reviewerKey struct {
	level routing.Level
	root  string
}

func (d directory) Unit(id string) (routing.Unit, bool) { u, ok := d.units[id]; return u, ok }

func (d directory) Reviewer(l routing.Level, root string) (routing.Unit, bool) {
	u, ok := d.reviewers[reviewerKey{l, root}]
	return u, ok
}

// root is the top of id's parent chain on the directory's day.
func (d directory) root(id string) string {
	for depth := 0; depth < 16 && d.units[id].ParentID != ""; depth++ {
		id = d.units[id].ParentID
	}
	return id
}

// LoadDirectory returns the units in force on day at, for planning routes.
// Province-wide levels (education, interior) must have exactly one
// reviewing unit in each province or city.
func LoadDirectory(ctx context.Context, db *gorm.DB, at time.Time) (routing.Directory, error) {
	var units []Unit
	if err := db.WithContext(ctx).Find(&units).Error; err != nil {
		return nil, fmt.Errorf("load units: %w", err)
	}
	parents, err := ParentsAt(ctx, db, at)
	if err != nil {
		return nil, err
	}
	d := directory{units: map[string]routing.Unit{}, reviewers: map[reviewerKey]routing.Unit{}}
	for _, u := range units {
		if !u.InForce(at) {
			continue
		}
		d.units[u.ID] = routing.Unit{ID: u.ID, Name: u.Name, Level: routing.Level(u.ReviewLevel), ParentID: parents[u.ID]}
	}
	// Sorted, so that the error names the same pair on every load.
	ids := make([]string, 0, len(d.units))
	for id := range d.units {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		ru := d.units[id]
		if ru.Level != routing.Education && ru.Level != routing.Interior {
			continue
		}
		k := reviewerKey{ru.Level, d.root(id)}
		if prev, dup := d.reviewers[k]; dup {
			return nil, fmt.Errorf("two units review at the %s level in %s: %s and %s", ru.Level, k.root, prev.ID, ru.ID)
		}
		d.reviewers[k] = ru
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
