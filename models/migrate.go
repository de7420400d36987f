package models

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// SchemaMigration records an applied migration.
type SchemaMigration struct {
	Version   int    `gorm:"primaryKey;autoIncrement:false"`
	Name      string `gorm:"size:255;not null"`
	AppliedAt time.Time
}

// migration is one versioned, forward-only schema change. Versions are
// never renumbered or edited once released: a change to the schema is a new
// migration appended to the list.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

var migrations = []migration{
	{1, "initial schema", func(tx *gorm.DB) error {
		if err := tx.Migrator().CreateTable(All()...); err != nil {
			return err
		}
		if Dialect(tx) != "postgres" {
			return nil
		}
		// Accent-insensitive search is a LIKE '%…%' on the folded name:
		// on PostgreSQL a trigram index serves it (pg_trgm is a trusted
		// extension: the database owner may create it).
		if err := tx.Exec("CREATE EXTENSION IF NOT EXISTS pg_trgm").Error; err != nil {
			return fmt.Errorf("pg_trgm: %w", err)
		}
		return tx.Exec("CREATE INDEX IF NOT EXISTS idx_nominations_search_trgm ON nominations USING gin (search_name gin_trgm_ops)").Error
	}},
	// Version 1 creates every table from the current models, so a fresh
	// database already has what later versions add: they check first.
	{2, "disabled accounts, audit of administrators' changes", func(tx *gorm.DB) error {
		m := tx.Migrator()
		if !m.HasColumn(&User{}, "DisabledAt") {
			if err := m.AddColumn(&User{}, "DisabledAt"); err != nil {
				return fmt.Errorf("users.disabled_at: %w", err)
			}
		}
		if !m.HasTable(&AuditEvent{}) {
			if err := m.CreateTable(&AuditEvent{}); err != nil {
				return fmt.Errorf("audit_events: %w", err)
			}
		}
		return nil
	}},
	// Certificates issued until now were set on A4: the column's default
	// keeps them there, so that their stored PDFs render again to the
	// bytes of their SHA-256; new ones are set on the 400×300 mm stock.
	{3, "paper of issued certificates", func(tx *gorm.DB) error {
		if tx.Migrator().HasColumn(&Certificate{}, "Paper") {
			return nil
		}
		if err := tx.Migrator().AddColumn(&Certificate{}, "Paper"); err != nil {
			return fmt.Errorf("certificates.paper: %w", err)
		}
		return nil
	}},
	{4, "a password reset ends the sessions opened before it", func(tx *gorm.DB) error {
		if tx.Migrator().HasColumn(&User{}, "Generation") {
			return nil
		}
		if err := tx.Migrator().AddColumn(&User{}, "Generation"); err != nil {
			return fmt.Errorf("users.generation: %w", err)
		}
		return nil
	}},
	// A reviewer's list reads the route rows of their unit and level; with
	// the nomination in the index the rows are never visited.
	{5, "route rows indexed by unit, level and nomination", func(tx *gorm.DB) error {
		m := tx.Migrator()
		if !m.HasIndex(&RouteStep{}, "idx_route_steps_scope") {
			if err := m.CreateIndex(&RouteStep{}, "idx_route_steps_scope"); err != nil {
				return fmt.Errorf("idx_route_steps_scope: %w", err)
			}
		}
		if m.HasIndex(&RouteStep{}, "idx_route_steps_unit") {
			if err := m.DropIndex(&RouteStep{}, "idx_route_steps_unit"); err != nil {
				return fmt.Errorf("drop idx_route_steps_unit: %w", err)
			}
		}
		return nil
	}},
	// Units carry their national code and legal kind, and the
	// reorganisation of 1 July 2025 is recorded as lineage. The rows
	// themselves are brought forward by the seed (seed.Apply), which
	// knows the units by code.
	{6, "units' codes, legal kinds and lineage", func(tx *gorm.DB) error {
		m := tx.Migrator()
		for _, col := range []string{"Code", "LegalKind"} {
			if !m.HasColumn(&Unit{}, col) {
				if err := m.AddColumn(&Unit{}, col); err != nil {
					return fmt.Errorf("units.%s: %w", col, err)
				}
			}
		}
		if !m.HasIndex(&Unit{}, "Code") {
			if err := m.CreateIndex(&Unit{}, "Code"); err != nil {
				return fmt.Errorf("units.code index: %w", err)
			}
		}
		if !m.HasTable(&UnitLineage{}) {
			if err := m.CreateTable(&UnitLineage{}); err != nil {
				return fmt.Errorf("unit_lineages: %w", err)
			}
		}
		return nil
	}},
	// Reference data is cached in every process and checked against one
	// version row on each use (models.Reference), so that a change made
	// through one replica reaches all of them at once.
	{7, "the reference data's version", func(tx *gorm.DB) error {
		if !tx.Migrator().HasTable(&ReferenceVersion{}) {
			if err := tx.Migrator().CreateTable(&ReferenceVersion{}); err != nil {
				return fmt.Errorf("reference_versions: %w", err)
			}
		}
		row := ReferenceVersion{ID: referenceVersionID, Version: 1}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("reference_versions row: %w", err)
		}
		return nil
	}},
	// The texts a decision cites are dated rows, corrected without a
	// release; the seed (seed.Apply) fills an empty table.
	{8, "legal bases of decisions", func(tx *gorm.DB) error {
		if tx.Migrator().HasTable(&LegalBasis{}) {
			return nil
		}
		if err := tx.Migrator().CreateTable(&LegalBasis{}); err != nil {
			return fmt.Errorf("legal_bases: %w", err)
		}
		return nil
	}},
	// Who signs for each body is dated data: a decision takes its signer
	// from the roster of its date.
	{9, "signers of each body by term", func(tx *gorm.DB) error {
		if !tx.Migrator().HasTable(&Signer{}) {
			if err := tx.Migrator().CreateTable(&Signer{}); err != nil {
				return fmt.Errorf("signers: %w", err)
			}
		}
		return nil
	}},
	// A nomination records the version of the dossier form it was filed
	// under. Existing ones get the version in force on their round's
	// reference date (what a new nomination takes); one whose round is
	// gone or dated before the first version (the movement's 2023 rounds)
	// the version in force on the day it was created; failing that too,
	// version 1. The codes and days are frozen here as forms registered
	// them when this migration was written (formEditions), so that the
	// migration does the same whatever versions are added later.
	{10, "the form version of each nomination", func(tx *gorm.DB) error {
		m := tx.Migrator()
		for _, col := range []string{"FormCode", "FormVersion"} {
			if !m.HasColumn(&Nomination{}, col) {
				if err := m.AddColumn(&Nomination{}, col); err != nil {
					return fmt.Errorf("nominations.%s: %w", col, err)
				}
			}
		}
		return fillFormVersions(tx)
	}},
	// Renames are dated: a document prints the name its unit bore on its
	// date.
	{11, "dated names of units", func(tx *gorm.DB) error {
		if !tx.Migrator().HasTable(&UnitName{}) {
			if err := tx.Migrator().CreateTable(&UnitName{}); err != nil {
				return fmt.Errorf("unit_names: %w", err)
			}
		}
		return nil
	}},
	// A real round routes each step by the units in force on the day it is
	// reached; the demo's three-tier rehearsal of 2025 keeps the units of
	// its reference date throughout.
	{13, "rounds that keep the units of their reference date", func(tx *gorm.DB) error {
		if !tx.Migrator().HasColumn(&Round{}, "FixedRouting") {
			if err := tx.Migrator().AddColumn(&Round{}, "FixedRouting"); err != nil {
				return fmt.Errorf("rounds.fixed_routing: %w", err)
			}
		}
		// The demo round seed.DemoRoundID, as earlier versions seeded it.
		if err := tx.Model(&Round{}).Where("id = ?", "thu-nghiem").Update("fixed_routing", true).Error; err != nil {
			return fmt.Errorf("the demo round's routing: %w", err)
		}
		return nil
	}},
	// Who may award what is dated data, corrected without a release; the
	// seed (seed.Apply) fills an empty table from the routing table.
	{14, "award authorities by period", func(tx *gorm.DB) error {
		if !tx.Migrator().HasTable(&Authority{}) {
			if err := tx.Migrator().CreateTable(&Authority{}); err != nil {
				return fmt.Errorf("award_authorities: %w", err)
			}
		}
		return nil
	}},
	// The register of learning titles (issue 16): holders, recognitions,
	// the tallies the indicators read, units' counts and the targets.
	{15, "the register of learning titles", func(tx *gorm.DB) error {
		for _, t := range learningTables() {
			if !tx.Migrator().HasTable(t) {
				if err := tx.Migrator().CreateTable(t); err != nil {
					return fmt.Errorf("learning tables: %w", err)
				}
			}
		}
		return nil
	}},
	// Units' reports on the movement, year by year and over the reviews'
	// periods, with every submitted version.
	{16, "reports on the movement", func(tx *gorm.DB) error {
		for _, t := range []any{&LearningReport{}, &LearningReportVersion{}} {
			if !tx.Migrator().HasTable(t) {
				if err := tx.Migrator().CreateTable(t); err != nil {
					return fmt.Errorf("learning reports: %w", err)
				}
			}
		}
		return nil
	}},
	// The request each Idempotency-Key was first used for, so that a key
	// reused for another request is refused (issue 17).
	{17, "requests of idempotency keys", func(tx *gorm.DB) error {
		if !tx.Migrator().HasTable(&RequestKey{}) {
			if err := tx.Migrator().CreateTable(&RequestKey{}); err != nil {
				return fmt.Errorf("request_keys: %w", err)
			}
		}
		return nil
	}},
	// A recognition keeps the scoring sheet and points it was judged by.
	{18, "recognitions' scoring sheets", func(tx *gorm.DB) error {
		for _, col := range []string{"SheetCode", "SheetVersion", "Criteria"} {
			if !tx.Migrator().HasColumn(&LearningRecognition{}, col) {
				if err := tx.Migrator().AddColumn(&LearningRecognition{}, col); err != nil {
					return fmt.Errorf("learning_recognitions.%s: %w", col, err)
				}
			}
		}
		return nil
	}},
	// Proposals of recognitions and their history (issue 16, point 2).
	{19, "proposals of learning titles", func(tx *gorm.DB) error {
		for _, t := range []any{&LearningProposal{}, &LearningProposalEvent{}} {
			if !tx.Migrator().HasTable(t) {
				if err := tx.Migrator().CreateTable(t); err != nil {
					return fmt.Errorf("learning proposals: %w", err)
				}
			}
		}
		return nil
	}},
}

// formCodes are the dossier forms' codes by nominee kind, and
// formEditions their versions' first days, newest first, as forms
// registered them for migration 10 (forms/versions.go).
var (
	formCodes = map[string]string{
		"individual": "HSKT-CN", "household": "HSKT-HGD", "clan": "HSKT-DH",
		"collective": "HSKT-TT", "enterprise": "HSKT-DN", "community": "HSKT-CD",
	}
	formEditions = []struct {
		version int
		from    time.Time
	}{
		{2, time.Date(2025, 7, 1, 0, 0, 0, 0, time.UTC)}, // Nghị định 152/2025/NĐ-CP
		{1, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}, // Nghị định 98/2023/NĐ-CP
	}
)

// FormVersionOn is the form version migration 10 gives a nomination of
// day (a round's reference date or a creation time, read as its civil
// day in Việt Nam), 0 before the first version.
func FormVersionOn(day time.Time) int {
	y, mo, d := day.In(time.FixedZone("ICT", 7*60*60)).Date()
	civil := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	for _, e := range formEditions {
		if !civil.Before(e.from) {
			return e.version
		}
	}
	return 0
}

// FormCodes is migration 10's code of each nominee kind, for the test
// that holds it to the forms' registry.
func FormCodes() map[string]string { return maps.Clone(formCodes) }

// fillFormVersions gives every nomination without a form version the
// one migration 10 describes.
func fillFormVersions(tx *gorm.DB) error {
	var rounds []Round
	if err := tx.Select("id", "reference_date").Find(&rounds).Error; err != nil {
		return fmt.Errorf("rounds: %w", err)
	}
	byVersion := map[int][]string{}
	for _, r := range rounds {
		if v := FormVersionOn(r.ReferenceDate); v > 0 {
			byVersion[v] = append(byVersion[v], r.ID)
		}
	}
	for kind, code := range formCodes {
		for v, ids := range byVersion {
			for chunk := range slices.Chunk(ids, 500) {
				if err := tx.Model(&Nomination{}).Where("form_code = '' AND nominee_kind = ? AND round_id IN ?", kind, chunk).
					UpdateColumns(map[string]any{"form_code": code, "form_version": v}).Error; err != nil {
					return fmt.Errorf("form version %d of %s nominations: %w", v, kind, err)
				}
			}
		}
	}
	// What is left has no round, or one dated before the first version:
	// by its creation day, row by row (few).
	var rest []Nomination
	if err := tx.Select("id", "nominee_kind", "created_at").Where("form_code = ''").Find(&rest).Error; err != nil {
		return fmt.Errorf("nominations without a form version: %w", err)
	}
	for _, n := range rest {
		code, ok := formCodes[n.NomineeKind]
		if !ok {
			continue // no form for the kind: nothing to record
		}
		v := max(FormVersionOn(n.CreatedAt), 1)
		if err := tx.Model(&Nomination{}).Where("id = ?", n.ID).
			UpdateColumns(map[string]any{"form_code": code, "form_version": v}).Error; err != nil {
			return fmt.Errorf("form version of %s: %w", n.ID, err)
		}
	}
	return nil
}

// LatestVersion is the schema version this build expects.
func LatestVersion() int { return migrations[len(migrations)-1].version }

// Migrate applies every migration not yet recorded. Everything runs in one
// transaction (DDL is transactional on both engines), under an advisory
// lock on PostgreSQL, so processes migrating at once apply each version
// once. Running it again is a no-op. It refuses a database whose schema is
// newer than this build.
func Migrate(ctx context.Context, db *gorm.DB) error {
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if Dialect(tx) == "postgres" {
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7351001)").Error; err != nil {
				return fmt.Errorf("migrate: lock: %w", err)
			}
		}
		if !tx.Migrator().HasTable(&SchemaMigration{}) {
			if err := tx.Migrator().CreateTable(&SchemaMigration{}); err != nil {
				return fmt.Errorf("migrate: create schema_migrations: %w", err)
			}
		}
		var current int
		if err := tx.Model(&SchemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&current).Error; err != nil {
			return fmt.Errorf("migrate: read version: %w", err)
		}
		if current > LatestVersion() {
			return fmt.Errorf("migrate: database schema version %d is newer than this build (%d)", current, LatestVersion())
		}
		for _, m := range migrations {
			if m.version <= current {
				continue
			}
			if err := m.up(tx); err != nil {
				return fmt.Errorf("migrate: version %d (%s): %w", m.version, m.name, err)
			}
			rec := SchemaMigration{Version: m.version, Name: m.name, AppliedAt: time.Now().UTC()}
			if err := tx.Create(&rec).Error; err != nil {
				return fmt.Errorf("migrate: record version %d: %w", m.version, err)
			}
		}
		return nil
	})
}

// SchemaVersion returns the highest applied migration, 0 for an empty
// database.
func SchemaVersion(ctx context.Context, db *gorm.DB) (int, error) {
	if !db.Migrator().HasTable(&SchemaMigration{}) {
		return 0, nil
	}
	var v int
	err := db.WithContext(ctx).Model(&SchemaMigration{}).Select("COALESCE(MAX(version), 0)").Scan(&v).Error
	return v, err
}
