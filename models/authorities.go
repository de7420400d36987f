package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/routing"
)

// Authority is who may award what over a period: the district chairman
// gave his Giấy khen until the districts ended on 30 June 2025, the
// commune chairman gives hers, the city chairman his Bằng khen, and the
// Minister's and the Prime Minister's Bằng khen are their decisions,
// which Interior records. Which body holds an award on a day is a legal
// fact that changes under the engine, so it is a dated reference row: an
// administrator corrects a day or a name without a release, and each row
// says where its facts come from.
//
// The levels (LastLevel, Issuer, External, Form) restate the routing
// table (routing.Awards), which the workflow and the planner read without
// the database; CheckAuthority holds a row to it, so that a row never
// says the award goes elsewhere than it does. Rows of one award never
// overlap in time; a day without a row is a day nobody holds the award.
type Authority struct {
	ID    uint   `gorm:"primaryKey"`
	Award string `gorm:"size:64;not null;index"` // a routing.Award code
	// Name is the award as its authority gives it: "Giấy khen của Chủ tịch
	// UBND huyện".
	Name string `gorm:"size:255;not null"`
	// DecidedBy is the deciding title: "Chủ tịch UBND huyện".
	DecidedBy string `gorm:"size:255;not null"`
	Form      string `gorm:"size:32;not null"` // one of AuthorityForms
	LastLevel string `gorm:"size:32;not null"` // the last review level
	Issuer    string `gorm:"size:32;not null"` // the level that issues (or records) it
	// External is set for a decision of a body outside the city (the
	// ministry, the Prime Minister), which Interior records.
	External bool `gorm:"not null;default:false"`
	// ValidFrom is the first day the authority holds the award, ValidTo
	// the last (nil: still). Days are civil dates, stored at midnight UTC.
	ValidFrom time.Time `gorm:"not null"`
	ValidTo   *time.Time
	// Council is the emulation and commendation council that reviews the
	// award before it is decided, as text: "Hội đồng Thi đua – Khen
	// thưởng thành phố".
	Council string `gorm:"type:text;not null"`
	// Source says where the row's facts come from (the law's article, the
	// gazette), and what is not confirmed.
	Source string `gorm:"type:text;not null"`
	// Position orders the rows in lists, as the routing table does.
	Position  int `gorm:"not null;default:0"`
	UpdatedAt time.Time
}

// TableName is "award_authorities".
func (Authority) TableName() string { return "award_authorities" }

// AuthorityForms are the forms of commendation a row may have.
var AuthorityForms = []string{"Giấy khen", "Bằng khen"}

// vietnamDay is the date of t in Việt Nam, at midnight UTC. A round's
// reference date is stored at midnight UTC and a decision's signing day
// is a time in Việt Nam's zone: both are that day in Việt Nam, whatever
// zone the driver read them in.
func vietnamDay(t time.Time) time.Time { return civilDay(t.In(calendar.Zone)) }

// InForce reports whether the authority holds the award on the day of on
// in Việt Nam.
func (a Authority) InForce(on time.Time) bool {
	day := vietnamDay(on)
	return !day.Before(storedDay(a.ValidFrom)) && (a.ValidTo == nil || !day.After(storedDay(*a.ValidTo)))
}

// Overlaps reports whether two rows are in force on a common day.
func (a Authority) Overlaps(o Authority) bool {
	return (o.ValidTo == nil || !storedDay(a.ValidFrom).After(storedDay(*o.ValidTo))) &&
		(a.ValidTo == nil || !storedDay(o.ValidFrom).After(storedDay(*a.ValidTo)))
}

// AuthorityOn returns the row of rows by which award is held on the day
// of on in Việt Nam; false when nobody holds it that day.
func AuthorityOn(rows []Authority, award routing.Award, on time.Time) (Authority, bool) {
	for _, a := range rows {
		if a.Award == string(award) && a.InForce(on) {
			return a, true
		}
	}
	return Authority{}, false
}

// AuthorityAround returns, for a day on which nobody holds award, the row
// that ended last before it and the one that starts first after it (nil
// when there is none), so that a refusal can say since or until when.
func AuthorityAround(rows []Authority, award routing.Award, on time.Time) (ended, starts *Authority) {
	day := vietnamDay(on)
	for i := range rows {
		a := rows[i]
		switch {
		case a.Award != string(award):
		case a.ValidTo != nil && storedDay(*a.ValidTo).Before(day):
			if ended == nil || a.ValidTo.After(*ended.ValidTo) {
				ended = &a
			}
		case storedDay(a.ValidFrom).After(day):
			if starts == nil || a.ValidFrom.Before(starts.ValidFrom) {
				starts = &a
			}
		}
	}
	return ended, starts
}

// AuthorityProblem is a rule a row breaks: the field at fault (its JSON
// name) and the rule, for the service to word.
type AuthorityProblem struct {
	Field string
	Rule  string
	// Other is the row of the same award the checked one overlaps (rule
	// RuleOverlap).
	Other *Authority
}

// RuleRouting is broken by a row whose form, levels or external flag
// differ from the routing table's for its award: nominations are routed
// by the table, so such a row would describe a route nobody takes.
const RuleRouting = "routing"

// CheckAuthority lists the rules a breaks among the rows others (the
// table as it is; a itself, by ID, is skipped). A row needs a known
// award, its name, its deciding title, the form and levels of the routing
// table, a first day, a last day not before it, a council and a source;
// and no other row of its award may be in force on one of its days.
func CheckAuthority(a Authority, others []Authority) []AuthorityProblem {
	var out []AuthorityProblem
	add := func(field, rule string) { out = append(out, AuthorityProblem{Field: field, Rule: rule}) }
	route, err := routing.LookupAward(routing.Award(a.Award))
	known := err == nil
	switch {
	case a.Award == "":
		add("award", RuleRequired)
	case !known:
		add("award", RuleUnknown)
	}
	if a.Name == "" {
		add("name", RuleRequired)
	}
	if a.DecidedBy == "" {
		add("decided_by", RuleRequired)
	}
	switch {
	case a.Form == "":
		add("form", RuleRequired)
	case !slices.Contains(AuthorityForms, a.Form):
		add("form", RuleUnknown)
	case known && a.Form != route.Form:
		add("form", RuleRouting)
	}
	for _, l := range []struct {
		field string
		level string
		route routing.Level
	}{{"last_level", a.LastLevel, route.LastLevel}, {"issuer", a.Issuer, route.Issuer}} {
		switch {
		case l.level == "":
			add(l.field, RuleRequired)
		case !routing.Level(l.level).Valid():
			add(l.field, RuleUnknown)
		case known && routing.Level(l.level) != l.route:
			add(l.field, RuleRouting)
		}
	}
	if known && a.External != route.External {
		add("external", RuleRouting)
	}
	if a.ValidFrom.IsZero() {
		add("valid_from", RuleRequired)
	} else if a.ValidTo != nil && storedDay(*a.ValidTo).Before(storedDay(a.ValidFrom)) {
		add("valid_to", RuleOrder)
	}
	if a.Council == "" {
		add("council", RuleRequired)
	}
	if a.Source == "" {
		add("source", RuleRequired)
	}
	if a.Award == "" || a.ValidFrom.IsZero() || a.ValidTo != nil && storedDay(*a.ValidTo).Before(storedDay(a.ValidFrom)) {
		return out // no period to compare
	}
	for i := range others {
		o := others[i]
		if o.ID == a.ID && a.ID != 0 || o.Award != a.Award || !a.Overlaps(o) {
			continue
		}
		// The field at fault: the first day when it falls within the
		// other's period, else the last day, which runs into it.
		field := "valid_to"
		if !storedDay(a.ValidFrom).Before(storedDay(o.ValidFrom)) {
			field = "valid_from"
		}
		out = append(out, AuthorityProblem{Field: field, Rule: RuleOverlap, Other: &o})
		break
	}
	return out
}

// Queries of the authorities.

// Authorities returns every row, ordered by position, award, then first
// day.
func Authorities(ctx context.Context, db *gorm.DB) ([]Authority, error) {
	var rows []Authority
	if err := db.WithContext(ctx).Order("position, award, valid_from, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load award authorities: %w", err)
	}
	return rows, nil
}

// LoadAuthority reads one row; a missing one is ErrNotFound.
func LoadAuthority(ctx context.Context, db *gorm.DB, id uint) (Authority, error) {
	var a Authority
	err := db.WithContext(ctx).First(&a, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return a, fmt.Errorf("award authority %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, fmt.Errorf("load award authority %d: %w", id, err)
	}
	return a, nil
}

// AuthoritiesOfAward returns the rows of one award, for the overlap
// check.
func AuthoritiesOfAward(ctx context.Context, db *gorm.DB, award string) ([]Authority, error) {
	var rows []Authority
	if err := db.WithContext(ctx).Where("award = ?", award).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("authorities of %s: %w", award, err)
	}
	return rows, nil
}

// LockAuthorities serializes changes to the authorities within tx on
// PostgreSQL, so that two rows of one award checked at once cannot both
// pass the overlap check; SQLite's write transactions are serial already.
func LockAuthorities(tx *gorm.DB) error {
	if Dialect(tx) != "postgres" {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(7351012)").Error; err != nil {
		return fmt.Errorf("lock the award authorities: %w", err)
	}
	return nil
}

// Reference data: the authorities served from memory.

// Authorities returns every authority row, cached like the rest of the
// reference data (a change bumps the reference version).
func (r *Reference) Authorities(ctx context.Context) ([]Authority, error) {
	v, err := r.get(ctx, "authorities", func(ctx context.Context) (any, error) { return Authorities(ctx, r.DB) })
	if err != nil {
		return nil, err
	}
	return v.([]Authority), nil
}

// AuthorityOn returns the row by which award is held on the day of on in
// Việt Nam, read from the cache after checking the reference version, so
// that a correction made through any process counts at the next use;
// false when nobody holds it that day.
func (r *Reference) AuthorityOn(ctx context.Context, award routing.Award, on time.Time) (Authority, bool, error) {
	rows, err := r.Authorities(ctx)
	if err != nil {
		return Authority{}, false, err
	}
	a, ok := AuthorityOn(rows, award, on)
	return a, ok, nil
}
