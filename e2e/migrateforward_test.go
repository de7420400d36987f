package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/tdkt/tdkt/internal/doctor"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestMigrateForwardWithNominationsInFlight: a database as version 5 left
// it — units without codes, legal kinds or lineage, none of the later
// tables' rows recorded as applied — holding nominations in review, is
// migrated and seeded forward while their workflows run; the doctor then
// finds no drift between the read model and the workflows, and the
// nominations carry on.
func TestMigrateForwardWithNominationsInFlight(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	ctx := context.Background()
	waiting := createDraft(t, s, "Phạm Thị Thu")
	submit(t, s, waiting)
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+waiting+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve")
	fresh := createDraft(t, s, "Phạm Văn Đức")
	submit(t, s, fresh)

	m := s.db.Migrator()
	for _, col := range []string{"Code", "LegalKind"} {
		if err := m.DropColumn(&models.Unit{}, col); err != nil {
			t.Fatal(err)
		}
	}
	if err := m.DropTable(&models.UnitLineage{}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Where("version > 5").Delete(&models.SchemaMigration{}).Error; err != nil {
		t.Fatal(err)
	}
	if err := models.Migrate(ctx, s.db); err != nil {
		t.Fatal(err)
	}
	if err := seed.Apply(ctx, s.db, seed.Options{DemoPassword: password}); err != nil {
		t.Fatal(err)
	}
	var u models.Unit
	if err := s.db.First(&u, "id = ?", seed.CommuneID("dong-hoa")).Error; err != nil || u.Code == "" || u.EffectiveTo == nil {
		t.Fatalf("Đông Hòa after the migration: %+v %v", u, err)
	}
	rep, err := doctor.Check(ctx, s.db, s.client, false)
	if err != nil || len(rep.Drifts) != 0 || rep.Checked != 2 {
		t.Fatalf("doctor after migrating forward: %+v %v", rep, err)
	}
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		must(t, s.call(u, "POST", "/api/v1/nominations/"+waiting+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve after the migration")
	}
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+fresh+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve the other")
}
