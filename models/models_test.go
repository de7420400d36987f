package models_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// dialects opens a fresh database of each engine.
func dialects(t *testing.T) map[string]*gorm.DB {
	out := map[string]*gorm.DB{}
	for name, url := range map[string]string{
		"sqlite":   "sqlite:" + filepath.Join(t.TempDir(), "m.db"),
		"postgres": pgtest.DSN(t),
	} {
		db, err := models.Open(url, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if s, err := db.DB(); err == nil {
				s.Close()
			}
		})
		out[name] = db
	}
	return out
}

func TestMigrateIsIdempotentAndIdenticalOnBothEngines(t *testing.T) {
	ctx := context.Background()
	columns := map[string]map[string][]string{}
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if v, _ := models.SchemaVersion(ctx, db); v != 0 {
				t.Fatalf("fresh database at version %d", v)
			}
			for i := 0; i < 2; i++ {
				if err := models.Migrate(ctx, db); err != nil {
					t.Fatalf("migrate run %d: %v", i, err)
				}
			}
			if v, _ := models.SchemaVersion(ctx, db); v != models.LatestVersion() {
				t.Fatalf("version %d, want %d", v, models.LatestVersion())
			}
			var applied int64
			db.Model(&models.SchemaMigration{}).Count(&applied)
			if int(applied) != models.LatestVersion() {
				t.Fatalf("%d migrations recorded", applied)
			}
			columns[name] = map[string][]string{}
			for _, m := range models.All() {
				types, err := db.Migrator().ColumnTypes(m)
				if err != nil {
					t.Fatal(err)
				}
				stmt := &gorm.Statement{DB: db}
				_ = stmt.Parse(m)
				for _, c := range types {
					columns[name][stmt.Schema.Table] = append(columns[name][stmt.Schema.Table], c.Name())
				}
			}
		})
	}
	for table, cols := range columns["sqlite"] {
		pg := columns["postgres"][table]
		if len(pg) != len(cols) {
			t.Errorf("table %s: %d columns on SQLite, %d on PostgreSQL", table, len(cols), len(pg))
		}
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := dialects(t)["sqlite"]
	if err := models.Migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	db.Create(&models.SchemaMigration{Version: models.LatestVersion() + 1, Name: "from the future"})
	if err := models.Migrate(ctx, db); err == nil {
		t.Fatal("migrated a database newer than the build")
	}
}

// TestMigrateFromVersion1 upgrades a database as version 1 left it
// (before accounts could be disabled): the column and the audit table
// appear, existing accounts stay active.
func TestMigrateFromVersion1(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			m := db.Migrator()
			if err := m.DropColumn(&models.User{}, "DisabledAt"); err != nil {
				t.Fatal(err)
			}
			if err := m.DropTable(&models.AuditEvent{}); err != nil {
				t.Fatal(err)
			}
			db.Where("version > 1").Delete(&models.SchemaMigration{})
			if err := db.Exec("INSERT INTO users (id, username, full_name, role, unit_id, password_hash) VALUES ('u-cu', 'cu', 'Cũ', 'admin', 'binh-duong', 'x')").Error; err != nil {
				t.Fatal(err)
			}
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if !m.HasColumn(&models.User{}, "DisabledAt") || !m.HasTable(&models.AuditEvent{}) {
				t.Fatal("version 2 did not add users.disabled_at and audit_events")
			}
			var u models.User
			if err := db.First(&u, "id = ?", "u-cu").Error; err != nil || u.DisabledAt != nil {
				t.Fatalf("existing account after the upgrade: %+v %v", u, err)
			}
			if err := db.Create(&models.AuditEvent{At: time.Now(), ActorID: "u-cu", ActorName: "cu", Action: "user.create", Target: "x"}).Error; err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSeedAndRouting(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < 2; i++ {
				if err := seed.Apply(ctx, db, seed.Options{DemoPassword: "x"}); err != nil {
					t.Fatalf("seed run %d: %v", i, err)
				}
			}
			count := func(m any, where ...any) int64 {
				var n int64
				q := db.Model(m)
				if len(where) > 0 {
					q = q.Where(where[0], where[1:]...)
				}
				q.Count(&n)
				return n
			}
			if n := count(&models.Unit{}, "kind = ?", models.KindDistrict); n != 9 {
				t.Errorf("%d districts, want 9", n)
			}
			if n := count(&models.Unit{}, "kind = ?", models.KindCommune); n != 91 {
				t.Errorf("%d communes, want 91", n)
			}
			if n := count(&models.User{}); n != int64(len(seed.DemoUsers)) {
				t.Errorf("%d users after seeding twice", n)
			}
			if n := count(&models.Round{}); n != 4 { // 2025, 2030, this year, and the demo round
				t.Errorf("%d rounds", n)
			}
			if n := count(&models.Holiday{}, "date = ?", "2025-01-29"); n != 1 {
				t.Error("Tết 2025 (29 January) is not a holiday")
			}

			// The chain in force follows the reform of 1 July 2025.
			for _, c := range []struct {
				at    string
				chain routing.Chain
				want  []routing.Level
			}{
				{"2025-03-01", routing.ThreeTier, []routing.Level{routing.Commune, routing.District, routing.Education, routing.Interior}},
				{"2026-01-01", routing.TwoTier, []routing.Level{routing.Commune, routing.Education, routing.Interior}},
			} {
				at, _ := time.Parse(time.DateOnly, c.at)
				dir, err := models.LoadDirectory(ctx, db, at)
				if err != nil {
					t.Fatal(err)
				}
				r, err := routing.Plan(dir, c.chain, seed.CommuneID("dong-hoa"), routing.BangKhenTinh)
				if err != nil {
					t.Fatalf("%s: %v", c.at, err)
				}
				if len(r.Steps) != len(c.want) {
					t.Fatalf("%s: route %+v", c.at, r.Steps)
				}
				for i, l := range c.want {
					if r.Steps[i].Level != l {
						t.Errorf("%s: step %d is %s, want %s", c.at, i, r.Steps[i].Level, l)
					}
				}
				if c.chain.Code == "three-tier" && r.Steps[1].UnitID != seed.DistrictID("di-an") {
					t.Errorf("district step goes to %s", r.Steps[1].UnitID)
				}
			}
			// After the reform the districts are gone: a district award
			// cannot be routed in a two-tier round.
			after, _ := time.Parse(time.DateOnly, "2026-01-01")
			dir, _ := models.LoadDirectory(ctx, db, after)
			if _, ok := dir.Unit(seed.DistrictID("di-an")); ok {
				t.Error("Dĩ An district still in force in 2026")
			}
		})
	}
}

// TestMigrateFromVersion2 upgrades a database with certificates issued
// before they named their paper: they are on A4, as they were rendered,
// and a new certificate keeps the paper it is given.
func TestMigrateFromVersion2(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.Migrator().DropColumn(&models.Certificate{}, "Paper"); err != nil {
				t.Fatal(err)
			}
			db.Where("version > 2").Delete(&models.SchemaMigration{})
			if err := db.Exec("INSERT INTO certificates (id, decision_id, nomination_id, issuer_unit_id, year, register_number, verify_code, status) " +
				"VALUES ('c-cu', 'd1', 'n1', 'so-noi-vu', 2025, 1, 'v1', 'valid')").Error; err != nil {
				t.Fatal(err)
			}
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := db.Create(&models.Certificate{ID: "c-moi", DecisionID: "d1", NominationID: "n2", IssuerUnitID: "so-noi-vu",
				Year: 2025, RegisterNumber: 2, VerifyCode: "v2", Status: "valid", Paper: "400x300"}).Error; err != nil {
				t.Fatal(err)
			}
			for id, want := range map[string]string{"c-cu": "a4", "c-moi": "400x300"} {
				var c models.Certificate
				if err := db.First(&c, "id = ?", id).Error; err != nil || c.Paper != want {
					t.Errorf("certificate %s after the upgrade: paper %q (%v), want %q", id, c.Paper, err, want)
				}
			}
		})
	}
}

func TestConstraints(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			step := models.ReviewStep{NominationID: "n1", Seq: 1, Action: "submit", ToStatus: "in_review", At: time.Now()}
			if err := db.Create(&step).Error; err != nil {
				t.Fatal(err)
			}
			dup := step
			dup.ID = 0
			if err := db.Create(&dup).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Fatalf("duplicate (nomination, seq) audit row: %v", err)
			}
			c := models.Certificate{ID: "c1", DecisionID: "d1", NominationID: "n1", IssuerUnitID: "so-noi-vu", Year: 2025,
				RegisterNumber: 1, VerifyCode: "v1", Status: "valid"}
			if err := db.Create(&c).Error; err != nil {
				t.Fatal(err)
			}
			c2 := c
			c2.ID, c2.NominationID, c2.VerifyCode = "c2", "n2", "v2"
			if err := db.Create(&c2).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Fatalf("duplicate register number: %v", err)
			}
			u := models.User{ID: "a", Username: "trung", FullName: "A", Role: "admin", UnitID: "x", PasswordHash: "h"}
			if err := db.Create(&u).Error; err != nil {
				t.Fatal(err)
			}
			u.ID = "b"
			if err := db.Create(&u).Error; !errors.Is(err, gorm.ErrDuplicatedKey) {
				t.Fatalf("duplicate username: %v", err)
			}
		})
	}
}
