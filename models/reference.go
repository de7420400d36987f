package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/routing"
)

// Reference serves the slowly changing reference data — units, their
// parents and lineage, rounds, the holiday calendar — from memory, so that
// a request or a projection does not reload whole tables. Every change to
// that data increments the one row of reference_versions in its own
// transaction (BumpReferenceVersion); every use reads that row by its
// primary key and drops the cache when the version moved. So a holiday
// added through one api replica counts in the next deadline any worker
// computes, with one cheap query per use instead of a reload.
type Reference struct {
	DB *gorm.DB

	mu      sync.Mutex
	version int64 // of the data in entries; 0: nothing loaded yet
	entries map[string]any
}

// ErrNotFound is returned for a unit or round that does not exist.
var ErrNotFound = errors.New("not found")

// ReferenceVersion is the one row (ID 1) whose Version counts the changes
// to reference data. Migration 7 creates it at version 1.
type ReferenceVersion struct {
	ID      int   `gorm:"primaryKey;autoIncrement:false"`
	Version int64 `gorm:"not null"`
}

// referenceVersionID is the primary key of the one version row.
const referenceVersionID = 1

// BumpReferenceVersion increments the reference data's version. Call it
// inside the transaction that changes the data, as its last statement: the
// new version commits with the change, so no process can read the new
// version and then load the old data; and the row lock it takes on
// PostgreSQL is held only until the commit, so writers queue on it but
// never wait on each other in a cycle.
func BumpReferenceVersion(tx *gorm.DB) error {
	res := tx.Model(&ReferenceVersion{}).Where("id = ?", referenceVersionID).
		Update("version", gorm.Expr("version + 1"))
	if res.Error != nil {
		return fmt.Errorf("bump reference version: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("bump reference version: no row %d in reference_versions (run tdkt migrate)", referenceVersionID)
	}
	return nil
}

// CurrentReferenceVersion reads the reference data's version.
func CurrentReferenceVersion(ctx context.Context, db *gorm.DB) (int64, error) {
	var v ReferenceVersion
	if err := db.WithContext(ctx).Take(&v, referenceVersionID).Error; err != nil {
		return 0, fmt.Errorf("reference version: %w", err)
	}
	return v.Version, nil
}

// pinnedVersion is the context key of a version read once for a batch.
type pinnedVersion struct{}

// Pin reads the version once for the work ctx carries: the reference uses
// under the returned context check no more, so a batch over thousands of
// certificates reads the version row once, and sees one version
// throughout. Use it for one request or one batch, never for a long-lived
// context. On error ctx is returned as it was, and each use checks again.
func (r *Reference) Pin(ctx context.Context) context.Context {
	v, err := CurrentReferenceVersion(ctx, r.DB)
	if err != nil {
		return ctx
	}
	return context.WithValue(ctx, pinnedVersion{}, v)
}

// get returns the value cached under key, or loads it. It reads the
// version first (unless ctx was pinned to one): data loaded after reading version v is at least as new
// as v, so it is kept under v; a value loaded while another goroutine saw
// a newer version is returned but not kept.
func (r *Reference) get(ctx context.Context, key string, load func(context.Context) (any, error)) (any, error) {
	version, pinned := ctx.Value(pinnedVersion{}).(int64)
	if !pinned {
		var err error
		if version, err = CurrentReferenceVersion(ctx, r.DB); err != nil {
			return nil, err
		}
	}
	r.mu.Lock()
	if version > r.version {
		r.version, r.entries = version, nil
	}
	if v, ok := r.entries[key]; ok {
		r.mu.Unlock()
		return v, nil
	}
	r.mu.Unlock()
	v, err := load(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if version == r.version {
		if r.entries == nil {
			r.entries = map[string]any{}
		}
		r.entries[key] = v
	}
	r.mu.Unlock()
	return v, nil
}

// Calendar is the working-day calendar.
func (r *Reference) Calendar(ctx context.Context) (calendar.Calendar, error) {
	v, err := r.get(ctx, "calendar", func(ctx context.Context) (any, error) { return LoadCalendar(ctx, r.DB) })
	if err != nil {
		return calendar.Calendar{}, err
	}
	return v.(calendar.Calendar), nil
}

// Directory is the routing view of the units in force on day at.
func (r *Reference) Directory(ctx context.Context, at time.Time) (routing.Directory, error) {
	v, err := r.get(ctx, "directory:"+at.Format(time.DateOnly), func(ctx context.Context) (any, error) {
		return LoadDirectory(ctx, r.DB, at)
	})
	if err != nil {
		return nil, err
	}
	return v.(routing.Directory), nil
}

// Round returns a round by ID.
func (r *Reference) Round(ctx context.Context, id string) (Round, error) {
	v, err := r.get(ctx, "round:"+id, func(ctx context.Context) (any, error) {
		var round Round
		err := r.DB.WithContext(ctx).First(&round, "id = ?", id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("round %s: %w", id, ErrNotFound)
		}
		return round, err
	})
	if err != nil {
		return Round{}, err
	}
	return v.(Round), nil
}

// Unit returns a unit by ID.
func (r *Reference) Unit(ctx context.Context, id string) (Unit, error) {
	v, err := r.get(ctx, "unit:"+id, func(ctx context.Context) (any, error) {
		var u Unit
		err := r.DB.WithContext(ctx).First(&u, "id = ?", id).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, fmt.Errorf("unit %s: %w", id, ErrNotFound)
		}
		return u, err
	})
	if err != nil {
		return Unit{}, err
	}
	return v.(Unit), nil
}

// UnitNames maps every unit's ID to its name (exports, lists, documents).
func (r *Reference) UnitNames(ctx context.Context) (map[string]string, error) {
	v, err := r.get(ctx, "unit-names", func(ctx context.Context) (any, error) {
		var units []Unit
		if err := r.DB.WithContext(ctx).Select("id", "name").Find(&units).Error; err != nil {
			return nil, fmt.Errorf("load unit names: %w", err)
		}
		names := make(map[string]string, len(units))
		for _, u := range units {
			names[u.ID] = u.Name
		}
		return names, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(map[string]string), nil
}

// Lineage returns every lineage row (which units went into which).
func (r *Reference) Lineage(ctx context.Context) ([]UnitLineage, error) {
	v, err := r.get(ctx, "lineage", func(ctx context.Context) (any, error) { return AllLineage(ctx, r.DB) })
	if err != nil {
		return nil, err
	}
	return v.([]UnitLineage), nil
}
