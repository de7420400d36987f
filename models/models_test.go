package models_test

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
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
			// Each migration is recorded once. Versions only grow (Migrate
			// applies those above the recorded maximum), but need not be
			// consecutive while a change numbered below is still on its branch.
			var applied int64
			db.Model(&models.SchemaMigration{}).Count(&applied)
			versions := models.MigrationVersions()
			if int(applied) != len(versions) {
				t.Fatalf("%d migrations recorded, want %d", applied, len(versions))
			}
			for i := 1; i < len(versions); i++ {
				if versions[i] <= versions[i-1] {
					t.Fatalf("migration versions %v do not only grow", versions)
				}
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
			// The tree in force: Bình Dương's in 2024, the city's in 2026.
			for _, c := range []struct {
				at, root            string
				districts, communes int
			}{
				{"2024-06-01", seed.ProvinceID, 9, 91},
				{"2026-06-01", seed.CityID, 0, 168},
				{"2026-06-01", seed.ProvinceID, 0, 0},
			} {
				kinds := treeKinds(t, db, c.at, c.root)
				if kinds[models.KindDistrict] != c.districts || kinds[models.KindCommune] != c.communes {
					t.Errorf("%s under %s: %d districts and %d communes, want %d and %d", c.at, c.root,
						kinds[models.KindDistrict], kinds[models.KindCommune], c.districts, c.communes)
				}
			}
			if n := count(&models.User{}); n != int64(len(seed.DemoUsers)) {
				t.Errorf("%d users after seeding twice", n)
			}
			if n := count(&models.Round{}); n != 5 { // 2025, 2030, this year, and the two demo rounds
				t.Errorf("%d rounds", n)
			}
			if n := count(&models.Holiday{}, "date = ?", "2025-01-29"); n != 1 {
				t.Error("Tết 2025 (29 January) is not a holiday")
			}

			// The chain in force follows the reform of 1 July 2025.
			for _, c := range []struct {
				at, body string
				chain    routing.Chain
				want     []string
			}{
				{"2025-03-01", seed.CommuneID("dong-hoa"), routing.ThreeTier,
					[]string{seed.CommuneID("dong-hoa"), seed.DistrictID("di-an"), seed.EducationID, seed.InteriorID}},
				{"2026-01-01", seed.NewCommuneID("Phường Đông Hòa"), routing.TwoTier,
					[]string{seed.NewCommuneID("Phường Đông Hòa"), seed.CityEducationID, seed.CityInteriorID}},
			} {
				at, _ := time.Parse(time.DateOnly, c.at)
				dir, err := models.LoadDirectory(ctx, db, at)
				if err != nil {
					t.Fatal(err)
				}
				r, err := routing.Plan(dir, c.chain, c.body, routing.BangKhenTinh)
				if err != nil {
					t.Fatalf("%s: %v", c.at, err)
				}
				var got []string
				for _, s := range r.Steps {
					got = append(got, s.UnitID)
				}
				if !slices.Equal(got, c.want) {
					t.Errorf("%s: route through %v, want %v", c.at, got, c.want)
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

// treeKinds counts by kind the units in force on day at whose parent
// chain on that day reaches root.
func treeKinds(t *testing.T, db *gorm.DB, at, root string) map[string]int {
	t.Helper()
	ctx := context.Background()
	d := day(t, at)
	parents, err := models.ParentsAt(ctx, db, d)
	if err != nil {
		t.Fatal(err)
	}
	var units []models.Unit
	if err := db.Find(&units).Error; err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, u := range units {
		if !u.InForce(d) {
			continue
		}
		id := u.ID
		for i := 0; i < 8 && parents[id] != ""; i++ {
			id = parents[id]
		}
		if id == root && u.ID != root {
			kinds[u.Kind]++
		}
	}
	return kinds
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

// TestMigrateForwardFromBinhDuong upgrades a database as the Bình Dương
// releases left it: units without codes or legal kinds, communes and
// departments that never end, communes under the province from the
// reform, schools under Bình Dương's Sở for ever, no lineage, and a
// nomination of a commune. After migrating and seeding, the old units end
// with the reform, with their codes and the file's lineage; the links
// after their end are gone; the schools sit under the city's Sở; the tree
// of 2026 is the city's; nothing else is lost.
func TestMigrateForwardFromBinhDuong(t *testing.T) {
	ctx := context.Background()
	for name, db := range dialects(t) {
		t.Run(name, func(t *testing.T) {
			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			m := db.Migrator()
			for _, col := range []string{"Code", "LegalKind"} {
				if err := m.DropColumn(&models.Unit{}, col); err != nil {
					t.Fatal(err)
				}
			}
			if err := m.DropTable(&models.UnitLineage{}); err != nil {
				t.Fatal(err)
			}
			db.Where("version > 5").Delete(&models.SchemaMigration{})

			// What the Bình Dương seed stored.
			units, parents, _ := seed.History()
			exec := func(q string, args ...any) {
				t.Helper()
				if err := db.Exec(q, args...).Error; err != nil {
					t.Fatal(err)
				}
			}
			dongHoa := seed.CommuneID("dong-hoa")
			for _, u := range units {
				if !isBinhDuong(u.ID) {
					continue
				}
				var to any
				if u.Kind == models.KindDistrict {
					to = seed.Reform
				}
				exec("INSERT INTO units (id, name, kind, review_level, effective_from, effective_to, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
					u.ID, u.Name, u.Kind, u.ReviewLevel, u.EffectiveFrom, to, u.EffectiveFrom)
			}
			for _, p := range parents {
				if !isBinhDuong(p.UnitID) || p.EffectiveFrom.Equal(seed.Reform) {
					continue
				}
				var to any
				if p.EffectiveTo != nil && p.UnitID != seed.EducationID && p.UnitID != seed.InteriorID && p.ParentID != seed.EducationID {
					to = seed.Reform
				}
				exec("INSERT INTO unit_parents (unit_id, effective_from, parent_id, effective_to) VALUES (?, ?, ?, ?)",
					p.UnitID, p.EffectiveFrom, p.ParentID, to)
				if p.ParentID != seed.EducationID && p.ParentID != seed.ProvinceID {
					exec("INSERT INTO unit_parents (unit_id, effective_from, parent_id) VALUES (?, ?, ?)", p.UnitID, seed.Reform, seed.ProvinceID)
				}
			}
			if err := db.Create(&models.Nomination{ID: "n-cu", RoundID: "r", UnitID: dongHoa, CreatedBy: "u", NomineeKind: "household",
				NomineeName: "Hộ ông A", Award: "giay-khen-xa", Dossier: "{}", Status: "approved"}).Error; err != nil {
				t.Fatal(err)
			}

			if err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
				t.Fatal(err)
			}
			var u models.Unit
			if err := db.First(&u, "id = ?", dongHoa).Error; err != nil || u.EffectiveTo == nil || !u.EffectiveTo.Equal(seed.Reform) ||
				u.Code == "" || u.LegalKind != "phường" {
				t.Fatalf("Đông Hòa after the upgrade: %+v %v", u, err)
			}
			for _, id := range []string{seed.ProvinceID, seed.EducationID, seed.InteriorID} {
				db.First(&u, "id = ?", id)
				if u.EffectiveTo == nil || !u.EffectiveTo.Equal(seed.Reform) {
					t.Errorf("%s does not end with the reform", id)
				}
			}
			var later int64
			db.Model(&models.UnitParent{}).Where("unit_id = ? AND effective_from >= ?", dongHoa, seed.Reform).Count(&later)
			if later != 0 {
				t.Error("Đông Hòa still sits under the province after the reform")
			}
			var succ []models.UnitLineage
			db.Where("predecessor_id = ?", dongHoa).Find(&succ)
			if len(succ) != 1 || succ[0].SuccessorID != seed.NewCommuneID("Phường Đông Hòa") || succ[0].Share != models.ShareFull {
				t.Errorf("Đông Hòa's successors: %+v", succ)
			}
			if kinds := treeKinds(t, db, "2026-06-01", seed.CityID); kinds[models.KindCommune] != 168 || kinds[models.KindDistrict] != 0 {
				t.Errorf("the city in 2026: %v", kinds)
			}
			if kinds := treeKinds(t, db, "2024-06-01", seed.ProvinceID); kinds[models.KindCommune] != 91 || kinds[models.KindDistrict] != 9 {
				t.Errorf("Bình Dương in 2024: %v", kinds)
			}
			parentsThen, _ := models.ParentsAt(ctx, db, day(t, "2026-06-01"))
			for _, s := range seed.Schools {
				if parentsThen[s.ID] != seed.CityEducationID {
					t.Errorf("school %s under %q in 2026", s.ID, parentsThen[s.ID])
				}
			}
			var n models.Nomination
			if err := db.First(&n, "id = ?", "n-cu").Error; err != nil || n.UnitID != dongHoa {
				t.Errorf("the nomination after the upgrade: %+v %v", n, err)
			}
		})
	}
}

// isBinhDuong reports whether a seeded ID is one the Bình Dương releases
// stored.
func isBinhDuong(id string) bool {
	for _, d := range seed.BinhDuong2024 {
		if id == seed.DistrictID(d.Code) {
			return true
		}
		for _, c := range d.Communes {
			if id == seed.CommuneID(c.Code) {
				return true
			}
		}
	}
	if id == seed.ProvinceID || id == seed.EducationID || id == seed.InteriorID {
		return true
	}
	for _, s := range seed.Schools {
		if id == s.ID {
			return true
		}
	}
	return false
}

// TestPreliminaryRoundBroughtToTwoTiers: a 2025 preliminary review seeded
// by an earlier version (three tiers, March–June 2025) is brought to its
// two-tier terms by the next seeding while nothing was filed in it, and
// kept as filed once something was.
func TestPreliminaryRoundBroughtToTwoTiers(t *testing.T) {
	ctx := context.Background()
	for _, filed := range []bool{false, true} {
		db, err := models.Open("sqlite:"+filepath.Join(t.TempDir(), "p.db"), slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		if err := models.Migrate(ctx, db); err != nil {
			t.Fatal(err)
		}
		old := seed.PreliminaryRound2025()
		old.Chain, old.ReferenceDate = routing.ThreeTier.Code, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		if err := db.Create(&old).Error; err != nil {
			t.Fatal(err)
		}
		if filed {
			n := models.Nomination{ID: "n-1", RoundID: old.ID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u", NomineeKind: "individual",
				NomineeName: "Nguyễn Văn An", Award: "bang-khen-tinh", Dossier: "{}", Status: "draft"}
			if err := db.Create(&n).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := seed.Apply(ctx, db, seed.Options{}); err != nil {
			t.Fatal(err)
		}
		var r models.Round
		if err := db.First(&r, "id = ?", old.ID).Error; err != nil {
			t.Fatal(err)
		}
		want := routing.TwoTier.Code
		if filed {
			want = routing.ThreeTier.Code
		}
		if r.Chain != want || (!filed && r.ReferenceDate.Format(time.DateOnly) != "2025-07-01") {
			t.Errorf("filed %t: chain %s from %s, want %s", filed, r.Chain, r.ReferenceDate.Format(time.DateOnly), want)
		}
	}
}
