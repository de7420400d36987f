package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/tdkt/tdkt/learning"
)

// The register of learning titles (package learning): holders with their
// history, their recognitions year by year, the tallies the indicators
// read, the counts units record for the rates' denominators, and the
// plan's targets.

// LearningHolder is what holds learning titles over the years: a
// household (with its head), a clan, a thôn/ấp/khu phố, an organisation,
// a person, a commune or a district. A person is kept by name, year of
// birth and address; their CCCD only as PersonKey, a keyed hash that finds
// the same person twice and can be neither shown nor reversed.
type LearningHolder struct {
	ID        string `gorm:"primaryKey;size:64"`
	Kind      string `gorm:"size:32;not null"`
	Name      string `gorm:"size:255;not null"`
	UnitID    string `gorm:"size:64;not null;index"` // the commune (or body) it belongs to
	Area      string `gorm:"size:255"`               // its thôn, ấp or khu phố
	HeadName  string `gorm:"size:255"`               // a household's head
	BirthYear int
	Address   string `gorm:"size:255"`
	Category  string `gorm:"size:32"` // a person: worker or civil_servant
	PersonKey string `gorm:"size:64;index"`
	SinceYear int    `gorm:"not null"` // the first year it exists
	CreatedBy string `gorm:"size:64;not null"`
	CreatedAt time.Time
}

// LearningRecognition is one year's decision on one holder and title:
// recognised, not recognised, or revoked with the reason. UnitID and
// Qualifier copy the holder's unit and what the indicators count apart
// (the person's category, the commune's rating), so that the tallies are
// kept from this row alone.
type LearningRecognition struct {
	ID             string `gorm:"primaryKey;size:64"`
	HolderID       string `gorm:"size:64;not null;uniqueIndex:idx_learning_recognition,priority:1"`
	Title          string `gorm:"size:64;not null;uniqueIndex:idx_learning_recognition,priority:2"`
	Year           int    `gorm:"not null;uniqueIndex:idx_learning_recognition,priority:3;index:idx_learning_unit_year,priority:2"`
	UnitID         string `gorm:"size:64;not null;index:idx_learning_unit_year,priority:1"`
	Area           string `gorm:"size:255"`
	Score          *float64
	Rating         string `gorm:"size:16"`
	Qualifier      string `gorm:"size:32"`
	Status         string `gorm:"size:32;not null"`
	Reason         string `gorm:"type:text"`
	DecisionNumber string `gorm:"size:64"`
	DecisionDate   *time.Time
	DecisionBodyID string `gorm:"size:64"`
	Evidence       string `gorm:"type:text"` // JSON list of what the dossier holds
	// SheetCode and SheetVersion name the scoring sheet the Criteria
	// (JSON points per criterion) were scored under, when they were.
	SheetCode    string `gorm:"size:32"`
	SheetVersion int
	Criteria     string `gorm:"type:text"`
	CreatedBy    string `gorm:"size:64;not null"`
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// LearningTally counts a unit's recognised holders of one key (package
// learning's Key) in a year. It is kept in the transaction that changes a
// recognition, so the dashboard sums a few rows per unit instead of
// counting millions.
type LearningTally struct {
	UnitID string `gorm:"primaryKey;size:64"`
	Year   int    `gorm:"primaryKey;autoIncrement:false"`
	Key    string `gorm:"primaryKey;size:96"`
	N      int64  `gorm:"not null"`
}

// LearningCount is a count a unit records for a year (package learning's
// Measure), typed or imported, with where it comes from.
type LearningCount struct {
	UnitID     string    `gorm:"primaryKey;size:64"`
	Year       int       `gorm:"primaryKey;autoIncrement:false"`
	Measure    string    `gorm:"primaryKey;size:32"`
	Value      int64     `gorm:"not null"`
	Source     string    `gorm:"size:255;not null"`
	RecordedOn time.Time `gorm:"not null"`
	RecordedBy string    `gorm:"size:64;not null"`
	UpdatedAt  time.Time
}

// LearningTarget is a plan's target for an indicator in a year, for every
// level or one (commune, city).
type LearningTarget struct {
	ID        uint    `gorm:"primaryKey"`
	Plan      string  `gorm:"size:64;not null;uniqueIndex:idx_learning_target,priority:1"`
	Indicator string  `gorm:"size:64;not null;uniqueIndex:idx_learning_target,priority:2"`
	Year      int     `gorm:"not null;uniqueIndex:idx_learning_target,priority:3"`
	Level     string  `gorm:"size:16;not null;default:'';uniqueIndex:idx_learning_target,priority:4"`
	Percent   float64 `gorm:"not null"`
	Source    string  `gorm:"size:255;not null"`
}

// learningTables are the register's tables, for migration 15.
func learningTables() []any {
	return []any{&LearningHolder{}, &LearningRecognition{}, &LearningTally{}, &LearningCount{}, &LearningTarget{}}
}

// AddToTally moves the tally of key for a unit and year by delta, within
// tx.
func AddToTally(tx *gorm.DB, unitID string, year int, key string, delta int64) error {
	row := LearningTally{UnitID: unitID, Year: year, Key: key, N: delta}
	err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "unit_id"}, {Name: "year"}, {Name: "key"}},
		DoUpdates: clause.Assignments(map[string]any{"n": gorm.Expr("learning_tallies.n + ?", delta)}),
	}).Create(&row).Error
	if err != nil {
		return fmt.Errorf("tally %s %d %s: %w", unitID, year, key, err)
	}
	return nil
}

// TalliesOf sums the tallies of a year over units, by key.
func TalliesOf(ctx context.Context, db *gorm.DB, year int, units []string) (map[string]int64, error) {
	return sumBy(ctx, db.Model(&LearningTally{}), "key", "n", year, units)
}

// TalliesByUnit gives the tallies of a year over units, unit by unit.
func TalliesByUnit(ctx context.Context, db *gorm.DB, year int, units []string) ([]LearningTally, error) {
	var rows []LearningTally
	for _, part := range chunks(units) {
		var got []LearningTally
		if err := db.WithContext(ctx).Where("year = ? AND unit_id IN ? AND n <> 0", year, part).Find(&got).Error; err != nil {
			return nil, fmt.Errorf("tallies of %d: %w", year, err)
		}
		rows = append(rows, got...)
	}
	return rows, nil
}

// CountsOf gives the counts of a year recorded by units.
func CountsOf(ctx context.Context, db *gorm.DB, year int, units []string) ([]LearningCount, error) {
	var rows []LearningCount
	for _, part := range chunks(units) {
		var got []LearningCount
		if err := db.WithContext(ctx).Where("year = ? AND unit_id IN ?", year, part).Find(&got).Error; err != nil {
			return nil, fmt.Errorf("counts of %d: %w", year, err)
		}
		rows = append(rows, got...)
	}
	return rows, nil
}

// sumBy sums column value grouped by column key over the year's rows of
// units.
func sumBy(ctx context.Context, q *gorm.DB, key, value string, year int, units []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range chunks(units) {
		var rows []struct {
			K string
			N int64
		}
		err := q.Session(&gorm.Session{}).WithContext(ctx).Select(key+" AS k, SUM("+value+") AS n").
			Where("year = ? AND unit_id IN ?", year, part).Group(key).Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("sum %s of %d: %w", key, year, err)
		}
		for _, r := range rows {
			out[r.K] += r.N
		}
	}
	return out, nil
}

// chunks splits ids into lists short enough for an IN clause on both
// engines.
func chunks(ids []string) [][]string {
	const size = 900
	var out [][]string
	for len(ids) > size {
		out = append(out, ids[:size])
		ids = ids[size:]
	}
	return append(out, ids)
}

// LearningReport is a unit's report on the movement for a period — the
// annual one due on 20 November, the 2025 preliminary review (2023–2025)
// and the 2030 final review (2023–2030) — sent to the level above
// (commune → Sở GD&ĐT → the city's committee). Figures are frozen when
// it is submitted; every submitted version is kept.
type LearningReport struct {
	ID          string `gorm:"primaryKey;size:96"`
	Kind        string `gorm:"size:16;not null;uniqueIndex:idx_learning_report,priority:1"`
	PeriodFrom  int    `gorm:"not null"`
	PeriodTo    int    `gorm:"not null;uniqueIndex:idx_learning_report,priority:2"`
	UnitID      string `gorm:"size:64;not null;uniqueIndex:idx_learning_report,priority:3"`
	ToUnitID    string `gorm:"size:64;not null;index"`
	Status      string `gorm:"size:16;not null"`
	Version     int    `gorm:"not null;default:0"`
	Figures     string `gorm:"type:text"` // JSON, as submitted last
	Sections    string `gorm:"type:text"` // JSON map of the text sections
	DueOn       time.Time
	SubmittedAt *time.Time
	SubmittedBy string `gorm:"size:64"`
	ReceivedAt  *time.Time
	ReceivedBy  string `gorm:"size:64"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// LearningReportVersion is one submitted version of a report, as it was
// sent.
type LearningReportVersion struct {
	ReportID    string    `gorm:"primaryKey;size:96"`
	Version     int       `gorm:"primaryKey;autoIncrement:false"`
	Figures     string    `gorm:"type:text;not null"`
	Sections    string    `gorm:"type:text;not null"`
	SubmittedAt time.Time `gorm:"not null"`
	SubmittedBy string    `gorm:"size:64;not null"`
}

// Learning report statuses.
const (
	ReportDraft     = "draft"
	ReportSubmitted = "submitted"
	ReportReceived  = "received"
)

// InsertRecognitions writes recognitions within tx and counts those that
// recognise in their units' tallies, one update per unit, year and key:
// the one writer of recognitions (the API, the Excel import, a decided
// proposal).
func InsertRecognitions(tx *gorm.DB, rows []LearningRecognition) error {
	if len(rows) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(rows, 200).Error; err != nil {
		return fmt.Errorf("insert %d recognitions: %w", len(rows), err)
	}
	type tally struct {
		unit string
		year int
		key  string
	}
	deltas := map[tally]int64{}
	var order []tally
	for _, r := range rows {
		if r.Status != learning.Recognised {
			continue
		}
		t := tally{r.UnitID, r.Year, learning.Key(learning.Title(r.Title), r.Qualifier)}
		if deltas[t] == 0 {
			order = append(order, t)
		}
		deltas[t]++
	}
	for _, t := range order {
		if err := AddToTally(tx, t.unit, t.year, t.key, deltas[t]); err != nil {
			return err
		}
	}
	return nil
}

// LearningProposal is a proposal of recognitions on its way to a decision
// (learning.ProposalKinds): a commune's annual recognition of families,
// clans and communities, a school's Đơn vị học tập, a commune's
// self-assessment. Its workflow (workflows.Proposal) carries it through
// its steps; this row is what that workflow projects.
type LearningProposal struct {
	ID             string `gorm:"primaryKey;size:64"`
	Kind           string `gorm:"size:32;not null"`
	UnitID         string `gorm:"size:64;not null;index"` // the proposing unit
	Area           string `gorm:"size:255"`               // the thôn, ấp or khu phố proposing
	Year           int    `gorm:"not null"`
	Steps          string `gorm:"type:text;not null"` // JSON []workflows.ProposalStep
	Items          string `gorm:"type:text;not null"` // JSON, the recognitions proposed
	Status         string `gorm:"size:16;not null;index"`
	Step           int    `gorm:"not null;default:0"`
	CurrentUnitID  string `gorm:"size:64;index"`
	Seq            int    `gorm:"not null;default:0"`
	DueAt          *time.Time
	DecisionNumber string `gorm:"size:64"`
	DecisionDate   *time.Time
	WorkflowID     string `gorm:"size:128"`
	CreatedBy      string `gorm:"size:64;not null"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// LearningProposalEvent is one line of a proposal's history, keyed by
// (proposal, seq) so a projection that runs twice writes it once.
type LearningProposalEvent struct {
	ProposalID string `gorm:"primaryKey;size:64"`
	Seq        int    `gorm:"primaryKey;autoIncrement:false"`
	Action     string `gorm:"size:32;not null"`
	Step       int
	UnitID     string    `gorm:"size:64"`
	ActorID    string    `gorm:"size:64"`
	ActorName  string    `gorm:"size:255"`
	Comment    string    `gorm:"type:text"`
	ToStatus   string    `gorm:"size:16;not null"`
	At         time.Time `gorm:"not null"`
}
