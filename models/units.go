package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// Queries the administration of units and accounts reads the hierarchy
// and the nominations through.

// LoadUnit reads a unit by ID; a missing one is ErrNotFound.
func LoadUnit(ctx context.Context, db *gorm.DB, id string) (Unit, error) {
	var u Unit
	err := db.WithContext(ctx).First(&u, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, fmt.Errorf("unit %s: %w", id, ErrNotFound)
	}
	if err != nil {
		return u, fmt.Errorf("load unit %s: %w", id, err)
	}
	return u, nil
}

// LockHierarchy serializes changes to the hierarchy within tx on
// PostgreSQL (a move checked for cycles must not race another); SQLite's
// write transactions are serial already.
func LockHierarchy(tx *gorm.DB) error {
	if Dialect(tx) != "postgres" {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(7351002)").Error; err != nil {
		return fmt.Errorf("lock the hierarchy: %w", err)
	}
	return nil
}

// AllUnitParents returns every parent link of every period.
func AllUnitParents(ctx context.Context, db *gorm.DB) ([]UnitParent, error) {
	var links []UnitParent
	if err := db.WithContext(ctx).Find(&links).Error; err != nil {
		return nil, fmt.Errorf("load unit parents: %w", err)
	}
	return links, nil
}

// Descendants is unitID and every unit that sits, or ever sat, under it
// in links, breadth first.
func Descendants(links []UnitParent, unitID string) []string {
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

// ActiveAccounts counts a unit's enabled accounts.
func ActiveAccounts(ctx context.Context, db *gorm.DB, unitID string) (int64, error) {
	var n int64
	if err := db.WithContext(ctx).Model(&User{}).Where("unit_id = ? AND disabled_at IS NULL", unitID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("count accounts of %s: %w", unitID, err)
	}
	return n, nil
}

// RoundCount is a number of nominations of one round.
type RoundCount struct {
	RoundID string
	N       int64
}

// RoutedNominations counts, per round of roundIDs, the nominations with a
// planned route that a unit of bodies submitted or whose route passes
// through unitID.
func RoutedNominations(ctx context.Context, db *gorm.DB, roundIDs, bodies []string, unitID string) ([]RoundCount, error) {
	var rows []RoundCount
	err := db.WithContext(ctx).Model(&Nomination{}).Select("round_id, COUNT(*) AS n").
		Where("round_id IN ?", roundIDs).
		Where("EXISTS (SELECT 1 FROM route_steps WHERE route_steps.nomination_id = nominations.id AND (nominations.unit_id IN ? OR route_steps.unit_id = ?))", bodies, unitID).
		Group("round_id").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("routed nominations of %s: %w", unitID, err)
	}
	return rows, nil
}
