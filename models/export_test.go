package models

import (
	"context"

	"gorm.io/gorm"
)

// ListQueries gives the two statements ListNominations runs (the count and
// the page), for the tests that read their plans.
func ListQueries(ctx context.Context, db *gorm.DB, sc NominationScope, f NominationFilter) (count, page string, err error) {
	db = db.WithContext(ctx)
	var total int64
	if err := countQuery(db, sc, f).Count(&total).Error; err != nil {
		return "", "", err
	}
	count = db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var n int64
		return countQuery(tx, sc, f).Count(&n)
	})
	page = db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		q, perr := pageQuery(tx, sc, f, total)
		if perr != nil {
			err = perr
			return tx
		}
		var rows []Nomination
		return q.Find(&rows)
	})
	return count, page, err
}

// MigrationVersions lists the versions of the migrations, in the order
// Migrate applies them.
func MigrationVersions() []int {
	out := make([]int, len(migrations))
	for i, m := range migrations {
		out[i] = m.version
	}
	return out
}
