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

// Reference serves the slowly changing reference data — units and their
// parents, rounds, the holiday calendar — from memory for a short time, so
// that a request or a projection does not reload whole tables. A process
// that changes reference data calls Invalidate; other processes see the
// change within TTL.
type Reference struct {
	DB  *gorm.DB
	TTL time.Duration // default 30 s

	mu      sync.Mutex
	entries map[string]cached
}

type cached struct {
	value   any
	expires time.Time
}

// ErrNotFound is returned for a unit or round that does not exist.
var ErrNotFound = errors.New("not found")

func (r *Reference) get(ctx context.Context, key string, load func(context.Context) (any, error)) (any, error) {
	ttl := r.TTL
	if ttl == 0 {
		ttl = 30 * time.Second
	}
	now := time.Now()
	r.mu.Lock()
	if e, ok := r.entries[key]; ok && now.Before(e.expires) {
		r.mu.Unlock()
		return e.value, nil
	}
	r.mu.Unlock()
	v, err := load(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.entries == nil {
		r.entries = map[string]cached{}
	}
	r.entries[key] = cached{value: v, expires: now.Add(ttl)}
	r.mu.Unlock()
	return v, nil
}

// Invalidate drops everything cached.
func (r *Reference) Invalidate() {
	r.mu.Lock()
	r.entries = nil
	r.mu.Unlock()
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
