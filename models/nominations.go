package models

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/routing"
)

// NominationScope is what a caller may see of the nominations: everything
// (Interior, the province's administrator), a nominating unit's own, or
// the nominations whose route passes a reviewer's unit at their level.
type NominationScope struct {
	All bool
	// BodyUnitIDs, when set, limits to the nominations of those nominating
	// units (a unit and its predecessors).
	BodyUnitIDs []string
	// ReviewUnitIDs and ReviewLevel, when set, limit to the nominations
	// routed through those units (a unit and its predecessors) at that
	// level.
	ReviewUnitIDs []string
	ReviewLevel   string
}

// Apply narrows q, a query over nominations, to the scope. The reviewer's scope is an IN over the
// route rows, which both engines drive from the (unit, level, nomination)
// index: a correlated EXISTS made SQLite probe the route rows once per
// nomination, which took seconds at 10,000.
func (sc NominationScope) Apply(q *gorm.DB) *gorm.DB {
	switch {
	case sc.All:
		return q
	case len(sc.ReviewUnitIDs) == 1:
		return q.Where("nominations.id IN (SELECT rs.nomination_id FROM route_steps rs WHERE rs.unit_id = ? AND rs.level = ?)",
			sc.ReviewUnitIDs[0], sc.ReviewLevel)
	case len(sc.ReviewUnitIDs) > 1:
		return q.Where("nominations.id IN (SELECT rs.nomination_id FROM route_steps rs WHERE rs.unit_id IN ? AND rs.level = ?)",
			sc.ReviewUnitIDs, sc.ReviewLevel)
	case len(sc.BodyUnitIDs) == 1:
		return q.Where("nominations.unit_id = ?", sc.BodyUnitIDs[0])
	case len(sc.BodyUnitIDs) > 1:
		return q.Where("nominations.unit_id IN ?", sc.BodyUnitIDs)
	default:
		return q.Where("1 = 0")
	}
}

// NominationFilter narrows and orders a list of nominations. Its values
// are already validated by the caller; Sort is one of SortKeys, optionally
// prefixed by "-" for descending (default "-updated_at").
type NominationFilter struct {
	RoundID, Status, Level, BodyUnitID, Award string
	// WithPredecessors widens BodyUnitID to the units it comes from (the
	// service fills BodyUnitIDs from it).
	WithPredecessors bool
	// BodyUnitIDs, when set, keeps the nominations of any of these units.
	BodyUnitIDs []string
	// CurrentUnitID keeps the nominations waiting at that unit.
	CurrentUnitID string
	// Overdue, when set, keeps only the overdue (true) or the others
	// (false) at Now.
	Overdue *bool
	Now     time.Time
	// Search is an accent-insensitive substring of the nominee's name,
	// already folded (textnorm.Fold).
	Search string
	Sort   string
	// Page is 1-based; PerPage bounds the page.
	Page, PerPage int
}

// defaultSort is the order of a list that asks for none: the latest
// changed first.
const defaultSort = "-updated_at"

// SortKeys maps the sort keys to their columns.
var SortKeys = map[string]string{
	"created_at": "nominations.created_at", "updated_at": "nominations.updated_at",
	"submitted_at": "nominations.submitted_at", "due_at": "nominations.due_at",
	"nominee_name": "nominations.search_name", "status": "nominations.status",
}

func (f NominationFilter) apply(q *gorm.DB) *gorm.DB {
	for _, c := range []struct{ column, value string }{
		{"nominations.round_id", f.RoundID}, {"nominations.status", f.Status}, {"nominations.current_level", f.Level},
		{"nominations.unit_id", f.BodyUnitID}, {"nominations.award", f.Award},
		{"nominations.current_unit_id", f.CurrentUnitID},
	} {
		if c.value != "" {
			q = q.Where(c.column+" = ?", c.value)
		}
	}
	if len(f.BodyUnitIDs) > 0 {
		q = q.Where("nominations.unit_id IN ?", f.BodyUnitIDs)
	}
	if f.Overdue != nil {
		if *f.Overdue {
			q = q.Where("nominations.status = ? AND nominations.due_at < ?", access.StatusInReview, f.Now.UTC())
		} else {
			q = q.Where("NOT (nominations.status = ? AND nominations.due_at IS NOT NULL AND nominations.due_at < ?)",
				access.StatusInReview, f.Now.UTC())
		}
	}
	if f.Search != "" {
		q = q.Where(`nominations.search_name LIKE ? ESCAPE '\'`, "%"+EscapeLike(f.Search)+"%")
	}
	return q
}

// order sorts by f.Sort with the ID as tie-breaker, so that pages are
// stable.
func (f NominationFilter) order(q *gorm.DB) (*gorm.DB, error) {
	key := cmp.Or(f.Sort, defaultSort)
	dir := "ASC"
	if strings.HasPrefix(key, "-") {
		key, dir = key[1:], "DESC"
	}
	col, ok := SortKeys[key]
	if !ok {
		return nil, fmt.Errorf("unknown sort key %q", f.Sort)
	}
	return q.Order(col + " " + dir).Order("nominations.id " + dir), nil
}

// ListNominations returns a page of the nominations in scope that pass the
// filter (without their dossiers), and how many pass it in all.
func ListNominations(ctx context.Context, db *gorm.DB, sc NominationScope, f NominationFilter) ([]Nomination, int64, error) {
	db = db.WithContext(ctx)
	var total int64
	if err := countQuery(db, sc, f).Count(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("count nominations: %w", err)
	}
	q, err := pageQuery(db, sc, f, total)
	if err != nil {
		return nil, 0, err
	}
	var rows []Nomination
	if err := q.Find(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("list nominations: %w", err)
	}
	return rows, total, nil
}

// countQuery is the query over the nominations in scope that pass f.
func countQuery(db *gorm.DB, sc NominationScope, f NominationFilter) *gorm.DB {
	return f.apply(sc.Apply(db.Model(&Nomination{})))
}

// pageQuery is the query of f's page, total being how many pass in all.
func pageQuery(db *gorm.DB, sc NominationScope, f NominationFilter, total int64) (*gorm.DB, error) {
	q := db.Model(&Nomination{})
	if idx := orderIndex(db, sc, f, total); idx != "" {
		q = q.Table("nominations INDEXED BY " + idx)
	}
	q, err := f.order(f.apply(sc.Apply(q)))
	if err != nil {
		return nil, err
	}
	per := max(f.PerPage, 1)
	return q.Omit("dossier").Limit(per).Offset((max(f.Page, 1) - 1) * per), nil
}

// denseScope is how many nominations a reviewer's scope must hold before
// SQLite reads its page in the order's index.
const denseScope = 1000

// orderedBy maps the sort keys whose column leads an index to that index.
var orderedBy = map[string]string{"updated_at": "idx_nominations_updated", "nominee_name": "idx_nominations_search_name"}

// orderIndex names the index SQLite must read a reviewer's page in, or ""
// to let it plan. Left to itself, SQLite looks each nomination of the
// route list up by ID and sorts them all before it keeps one page: at
// 100,000 that is most of a 300 ms budget. When the scope holds many, the
// first page lies early in the order's index, so reading that index and
// keeping the nominations of the (once built) route list stops after a
// page. PostgreSQL weighs both plans itself.
func orderIndex(db *gorm.DB, sc NominationScope, f NominationFilter, total int64) string {
	if Dialect(db) != "sqlite" || len(sc.ReviewUnitIDs) == 0 || total <= denseScope {
		return ""
	}
	return orderedBy[strings.TrimPrefix(cmp.Or(f.Sort, defaultSort), "-")]
}

// EachNomination calls fn for every nomination in scope that passes the
// filter, in its order (without dossiers), in batches: an export of tens
// of thousands of rows does not hold them all in memory.
func EachNomination(ctx context.Context, db *gorm.DB, sc NominationScope, f NominationFilter, fn func(Nomination) error) error {
	q, err := f.order(f.apply(sc.Apply(db.WithContext(ctx).Model(&Nomination{}))))
	if err != nil {
		return err
	}
	var batch []Nomination
	return q.Omit("dossier").FindInBatches(&batch, 500, func(tx *gorm.DB, _ int) error {
		for _, n := range batch {
			if err := fn(n); err != nil {
				return err
			}
		}
		return nil
	}).Error
}

// InboxScope is what waits for one caller: a reviewer's unit and level (in
// review there), or a nominating unit's returned nominations.
type InboxScope struct {
	ReviewUnitID, ReviewLevel string
	BodyUnitID                string
}

// Nominations is the inbox as a scope-and-filter pair for ListNominations:
// the inbox is the nominations in review at the unit and level (served by
// the status/level/unit index), or returned to the body.
func (in InboxScope) Nominations(f NominationFilter) (NominationScope, NominationFilter) {
	switch {
	case in.ReviewUnitID != "":
		f.Status, f.Level, f.CurrentUnitID = access.StatusInReview, in.ReviewLevel, in.ReviewUnitID
		return NominationScope{All: true}, f
	case in.BodyUnitID != "":
		f.Status = access.StatusReturned
		return NominationScope{BodyUnitIDs: []string{in.BodyUnitID}}, f
	}
	return NominationScope{}, f
}

// EscapeLike escapes the LIKE wildcards of a search term (the query says
// ESCAPE '\'), so "50%" searches for "50%".
func EscapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(s)
}

// VisibleNomination loads one nomination within the scope
// (gorm.ErrRecordNotFound when it is not there or not in scope).
func VisibleNomination(ctx context.Context, db *gorm.DB, sc NominationScope, id string) (Nomination, error) {
	var n Nomination
	err := sc.Apply(db.WithContext(ctx).Where("nominations.id = ?", id)).First(&n).Error
	return n, err
}

// PlannedRoute is the nomination's planned route, if it has one: the
// review steps and the unit at each level, which also name the body that
// issues its award.
func (n Nomination) PlannedRoute() (routing.Route, bool) {
	var r routing.Route
	if n.Route == "" || json.Unmarshal([]byte(n.Route), &r) != nil {
		return r, false
	}
	return r, true
}
