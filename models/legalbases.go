package models

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

// LegalBasis is one text a decision cites in its preamble ("Căn cứ …;"):
// a law, a government decree, a ministry's circular, in force over a
// period. The texts change under the engine (NĐ 98/2023/NĐ-CP gave way to
// NĐ 152/2025/NĐ-CP on 1 July 2025), and a decision cites those in force
// on the day it is signed, so they are dated reference rows rather than
// strings in code: an administrator corrects a title or a date without a
// release, and each row says where its facts come from.
//
// A text that replaces another is a second row whose ValidFrom is the day
// after the first's ValidTo. Rows of the same Code (one text) never overlap
// in time; rows of different codes may (a law and its decree are both in
// force).
type LegalBasis struct {
	ID   uint   `gorm:"primaryKey"`
	Code string `gorm:"size:64;not null;index"` // "152/2025/NĐ-CP"
	Kind string `gorm:"size:32;not null"`       // one of LegalBasisKinds
	// Title is the citing phrase as the decision prints it after "Căn cứ "
	// and before ";": "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm
	// 2025 của Chính phủ quy định …".
	Title string `gorm:"type:text;not null"`
	// IssuedOn is the day the text was issued (ban hành), nil when not
	// confirmed; ValidFrom the first day it is in force, ValidTo the last
	// (nil: still in force). Days are civil dates, stored at midnight UTC.
	IssuedOn  *time.Time
	ValidFrom time.Time `gorm:"not null"`
	ValidTo   *time.Time
	// Sector narrows the row to the awards of one sector (SectorEducation);
	// "" cites it in every decision.
	Sector string `gorm:"size:32;not null;default:''"`
	// Source says where the row's facts come from (the gazette, the
	// issuing body's portal), and what is not confirmed.
	Source string `gorm:"type:text;not null"`
	// Position orders the lines of a preamble: the law on local
	// government, then the law on emulation, its decree, the circulars.
	Position  int `gorm:"not null;default:0"`
	UpdatedAt time.Time
}

// TableName is "legal_bases" (gorm would not pluralize "basis" so).
func (LegalBasis) TableName() string { return "legal_bases" }

// LegalBasisKinds are the kinds of text a decision cites, as the title
// names them.
var LegalBasisKinds = []string{"luật", "nghị quyết", "nghị định", "quyết định", "thông tư"}

// Sectors of legal bases: "" for every award, SectorEducation for the
// education sector's (decided by the Director of Education or the
// Minister of Education).
const (
	SectorAll       = ""
	SectorEducation = "education"
)

// LegalBasisSectors lists the sectors a row may have.
var LegalBasisSectors = []string{SectorAll, SectorEducation}

// civilDay is the date of t in its own location, at midnight UTC.
func civilDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// storedDay is a stored date (midnight UTC, whatever zone the driver reads
// it in) at midnight UTC.
func storedDay(t time.Time) time.Time { return civilDay(t.UTC()) }

// InForce reports whether the text is in force on the date of on (in on's
// location: pass a time in Vietnam's zone).
func (b LegalBasis) InForce(on time.Time) bool {
	day := civilDay(on)
	return !day.Before(storedDay(b.ValidFrom)) && (b.ValidTo == nil || !day.After(storedDay(*b.ValidTo)))
}

// Overlaps reports whether two rows are in force on a common day.
func (b LegalBasis) Overlaps(o LegalBasis) bool {
	// b starts no later than o ends, and o starts no later than b ends.
	return (o.ValidTo == nil || !storedDay(b.ValidFrom).After(storedDay(*o.ValidTo))) &&
		(b.ValidTo == nil || !storedDay(o.ValidFrom).After(storedDay(*b.ValidTo)))
}

// LegalBasesOn returns the rows of rows in force on the date of on that a
// decision of sector cites — those of every award and those of the
// sector — ordered by Position, then by the day they took effect. rows is
// not changed.
func LegalBasesOn(rows []LegalBasis, on time.Time, sector string) []LegalBasis {
	out := []LegalBasis{}
	for _, b := range rows {
		if b.InForce(on) && (b.Sector == SectorAll || b.Sector == sector) {
			out = append(out, b)
		}
	}
	slices.SortStableFunc(out, func(a, b LegalBasis) int {
		if a.Position != b.Position {
			return a.Position - b.Position
		}
		return a.ValidFrom.Compare(b.ValidFrom)
	})
	return out
}

// LegalBasisProblem is a rule a row breaks: the field at fault (its JSON
// name) and the rule, so that the service words it for the caller.
type LegalBasisProblem struct {
	Field string
	Rule  string
	// Other is the row of the same code the checked one overlaps (rule
	// RuleOverlap).
	Other *LegalBasis
}

// The rules of CheckLegalBasis.
const (
	RuleRequired    = "required"     // the field is empty
	RuleUnknown     = "unknown"      // kind or sector is not one of the list
	RuleOrder       = "order"        // valid_to before valid_from
	RuleIssuedAfter = "issued_after" // issued after it took effect
	RuleTitleKind   = "title_kind"   // the title does not open with the kind ("Nghị định …")
	RuleTitleCode   = "title_code"   // the title of a text other than a law does not carry its code
	RuleOverlap     = "overlap"      // another row of the code is in force on one of its days
)

// CheckLegalBasis lists the rules b breaks among the rows others (the
// table as it is; b itself, by ID, is skipped). A row needs a code, a
// kind, a title that opens with the kind (and, but for a law, carries the
// code: a law is cited by its date), a first day, a last day not before
// it, an issue day not after it, a known sector and a source; and no
// other row of its code may be in force on one of its days.
func CheckLegalBasis(b LegalBasis, others []LegalBasis) []LegalBasisProblem {
	var out []LegalBasisProblem
	add := func(field, rule string) { out = append(out, LegalBasisProblem{Field: field, Rule: rule}) }
	if b.Code == "" {
		add("code", RuleRequired)
	}
	switch {
	case b.Kind == "":
		add("kind", RuleRequired)
	case !slices.Contains(LegalBasisKinds, b.Kind):
		add("kind", RuleUnknown)
	}
	switch {
	case b.Title == "":
		add("title", RuleRequired)
	case slices.Contains(LegalBasisKinds, b.Kind) && !strings.HasPrefix(b.Title, capitalized(b.Kind)+" "):
		add("title", RuleTitleKind)
	case b.Kind != "luật" && b.Code != "" && !strings.Contains(b.Title, b.Code):
		add("title", RuleTitleCode)
	}
	if b.ValidFrom.IsZero() {
		add("valid_from", RuleRequired)
	} else {
		if b.ValidTo != nil && storedDay(*b.ValidTo).Before(storedDay(b.ValidFrom)) {
			add("valid_to", RuleOrder)
		}
		if b.IssuedOn != nil && storedDay(*b.IssuedOn).After(storedDay(b.ValidFrom)) {
			add("issued_on", RuleIssuedAfter)
		}
	}
	if !slices.Contains(LegalBasisSectors, b.Sector) {
		add("sector", RuleUnknown)
	}
	if b.Source == "" {
		add("source", RuleRequired)
	}
	if b.Code == "" || b.ValidFrom.IsZero() || b.ValidTo != nil && storedDay(*b.ValidTo).Before(storedDay(b.ValidFrom)) {
		return out // no period to compare
	}
	for i := range others {
		o := others[i]
		if o.ID == b.ID && b.ID != 0 || o.Code != b.Code || !b.Overlaps(o) {
			continue
		}
		// The field at fault: the first day when it falls within the
		// other's period, else the last day, which runs into it.
		field := "valid_to"
		if o.InForce(storedDay(b.ValidFrom)) {
			field = "valid_from"
		}
		out = append(out, LegalBasisProblem{Field: field, Rule: RuleOverlap, Other: &o})
		break
	}
	return out
}

// capitalized upper-cases the first letter ("nghị định" → "Nghị định").
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// Queries of the legal bases.

// LegalBases returns every row, ordered by position, then first day.
func LegalBases(ctx context.Context, db *gorm.DB) ([]LegalBasis, error) {
	var rows []LegalBasis
	if err := db.WithContext(ctx).Order("position, valid_from, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load legal bases: %w", err)
	}
	return rows, nil
}

// LoadLegalBasis reads one row; a missing one is ErrNotFound.
func LoadLegalBasis(ctx context.Context, db *gorm.DB, id uint) (LegalBasis, error) {
	var b LegalBasis
	err := db.WithContext(ctx).First(&b, "id = ?", id).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return b, fmt.Errorf("legal basis %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return b, fmt.Errorf("load legal basis %d: %w", id, err)
	}
	return b, nil
}

// LegalBasesOfCode returns the rows of one text, for the overlap check.
func LegalBasesOfCode(ctx context.Context, db *gorm.DB, code string) ([]LegalBasis, error) {
	var rows []LegalBasis
	if err := db.WithContext(ctx).Where("code = ?", code).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("legal bases of %s: %w", code, err)
	}
	return rows, nil
}

// LockLegalBases serializes changes to the legal bases within tx on
// PostgreSQL, so that two rows of one code checked at once cannot both
// pass the overlap check; SQLite's write transactions are serial already.
func LockLegalBases(tx *gorm.DB) error {
	if Dialect(tx) != "postgres" {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(7351008)").Error; err != nil {
		return fmt.Errorf("lock the legal bases: %w", err)
	}
	return nil
}

// Reference data: the legal bases served from memory.

// LegalBases returns every legal basis, cached like the rest of the
// reference data (a change bumps the reference version).
func (r *Reference) LegalBases(ctx context.Context) ([]LegalBasis, error) {
	v, err := r.get(ctx, "legal-bases", func(ctx context.Context) (any, error) { return LegalBases(ctx, r.DB) })
	if err != nil {
		return nil, err
	}
	return v.([]LegalBasis), nil
}
