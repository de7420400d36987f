package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/internal/doctor"
	"github.com/tdkt/tdkt/models"
)

// TestDoctorFindsAndRepairsDrift corrupts the read model in three ways —
// a wrong level, a lost projection, a submission whose workflow never
// started — and checks that the doctor reports each and repairs them.
func TestDoctorFindsAndRepairsDrift(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	ctx := context.Background()
	a, b, healthy := createDraft(t, s, "Vương Thị A"), createDraft(t, s, "Vương Thị B"), createDraft(t, s, "Vương Thị C")
	for _, id := range []string{a, b, healthy} {
		submit(t, s, id)
	}
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+b+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve")
	stuck := createDraft(t, s, "Vương Thị D")

	rep, err := doctor.Check(ctx, s.db, s.client, false)
	if err != nil || len(rep.Drifts) != 0 || rep.Checked != 3 {
		t.Fatalf("clean database: %+v %v", rep, err)
	}
	s.db.Model(&models.Nomination{}).Where("id = ?", a).Updates(map[string]any{"current_level": "interior", "current_unit_id": "so-noi-vu"})
	s.db.Model(&models.Nomination{}).Where("id = ?", b).Updates(map[string]any{"seq": 1, "current_level": "commune", "current_unit_id": "xa-dong-hoa", "current_step": 0})
	s.db.Model(&models.Nomination{}).Where("id = ?", stuck).Update("pending_version", 1)

	rep, err = doctor.Check(ctx, s.db, s.client, false)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.Print(&out)
	if len(rep.Drifts) != 3 || rep.Repaired != 0 {
		t.Fatalf("want 3 drifts:\n%s", out.String())
	}
	rep, err = doctor.Check(ctx, s.db, s.client, true)
	if err != nil || rep.Repaired != 3 {
		t.Fatalf("repair: %+v %v", rep, err)
	}
	rep, err = doctor.Check(ctx, s.db, s.client, false)
	if err != nil || len(rep.Drifts) != 0 {
		t.Fatalf("after repair: %+v %v", rep, err)
	}
	// A lost audit row is reported (it cannot be rebuilt from the read model).
	s.db.Where("nomination_id = ? AND seq = 1", healthy).Delete(&models.ReviewStep{})
	rep, err = doctor.Check(ctx, s.db, s.client, true)
	if err != nil || len(rep.Drifts) != 1 || rep.Repaired != 0 || !strings.Contains(rep.Drifts[0].Problem, "audit trail") {
		t.Fatalf("lost audit row: %+v %v", rep, err)
	}
	// The repaired nominations work again: B waits at the district.
	must(t, s.call("xet.dian", "POST", "/api/v1/nominations/"+b+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve after repair")
	must(t, s.call("donvi.donghoa", "PATCH", "/api/v1/nominations/"+stuck, map[string]any{"nominee_name": "Vương Thị Dung"}), http.StatusOK, "edit released draft")
}
