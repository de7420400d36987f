package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/tdkt/tdkt/internal/backup"
	"github.com/tdkt/tdkt/internal/doctor"
)

// TestOnlineBackupAndRestore backs up a running stack's data directory,
// starts a new stack on the backup, finds no drift with the doctor, and
// carries a nomination on from where it was.
func TestOnlineBackupAndRestore(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	waiting := createDraft(t, s, "Lạc Thị Hương")
	submit(t, s, waiting)
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+waiting+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve")
	done := accepted(t, s, "Lạc Văn Sơn", "bang-khen-tinh")

	restored := filepath.Join(t.TempDir(), "backup")
	if err := backup.Dev(context.Background(), dir, restored); err != nil {
		t.Fatal(err)
	}
	if err := backup.Dev(context.Background(), dir, restored); err == nil {
		t.Fatal("backup over an existing directory succeeded")
	}
	s.stop()

	s = newStack(t, restored, "sqlite:"+filepath.Join(restored, "tdkt.db"), false)
	defer s.stop()
	rep, err := doctor.Check(context.Background(), s.db, s.client, false)
	if err != nil || len(rep.Drifts) != 0 || rep.Checked != 2 {
		t.Fatalf("doctor after restore: %+v %v", rep, err)
	}
	if r := must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+done, nil), http.StatusOK, "get"); r.str("status") != "accepted" {
		t.Fatalf("restored accepted nomination: %s", r.raw)
	}
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		must(t, s.call(u, "POST", "/api/v1/nominations/"+waiting+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve after restore")
	}
}
