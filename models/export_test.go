package models

import (
	"context"

	"gorm.io/gorm"
)

// ListQueries gives the two statements ListNominations runs (the count and
// the page), for the tests that read their plans.
func ListQueries(ctx context.Context, db *gorm.DB, sc NominationScope, f NominationFilter) (count, page string, err error) {
	count = db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		var n int64
		return f.apply(sc.Apply(tx.WithContext(ctx).Model(&Nomination{}))).Count(&n)
	})
	var ordered *gorm.DB
	page = db.ToSQL(func(tx *gorm.DB) *gorm.DB {
		q, oerr := f.order(f.apply(sc.Apply(tx.WithContext(ctx).Model(&Nomination{}))))
		if oerr != nil {
			err = oerr
			return tx
		}
		ordered = q
		var rows []Nomination
		return ordered.Omit("dossier").Limit(max(f.PerPage, 1)).Offset((max(f.Page, 1) - 1) * max(f.PerPage, 1)).Find(&rows)
	})
	return count, page, err
}
