package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/backup"
	"github.com/tdkt/tdkt/internal/devtemporal"
	"github.com/tdkt/tdkt/internal/doctor"
	"github.com/tdkt/tdkt/internal/testkit/pgcluster"
)

// pgStore names the three PostgreSQL databases of a production
// deployment: the application's and the Temporal cluster's two.
type pgStore struct{ app, temporal, visibility string }

// newPGServer starts a PostgreSQL server of its own with the three
// databases under their production names. A restore goes to a new server
// under the same names: Temporal's schema_version rows name their
// database, and the server refuses to start on a database they do not
// name.
func newPGServer(t *testing.T) (*pgcluster.Cluster, pgStore) {
	t.Helper()
	c, err := pgcluster.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop() })
	var st pgStore
	for name, url := range map[string]*string{"tdkt": &st.app, "temporal": &st.temporal, "temporal_visibility": &st.visibility} {
		if *url, err = pgcluster.CreateDatabase(context.Background(), c.URL("postgres"), name); err != nil {
			t.Fatal(err)
		}
	}
	return c, st
}

// TestPostgresBackupAndRestore takes pg_dump archives of the application
// database and of Temporal's two databases while the system runs, loses
// that server, restores the archives with pg_restore into empty databases
// on a new server, starts the system there, finds no drift with the
// doctor, and carries a nomination that waited at the district on to
// acceptance.
func TestPostgresBackupAndRestore(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	old, src := newPGServer(t)
	bin := old.Bin
	files := t.TempDir() // DATA_DIR: evidence and certificates
	s := newPostgresStack(t, src, files, true)
	waiting := createDraft(t, s, "Đặng Thị Thu")
	evidence := []byte("%PDF-1.7\nbiên bản họp xét khen thưởng")
	att := upload(t, s, waiting, "bien-ban.pdf", evidence)
	submit(t, s, waiting)
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+waiting+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve")
	done := accepted(t, s, "Đặng Văn Lâm", "bang-khen-tinh")

	// The application first, then Temporal: every workflow the read model
	// knows of is in the later snapshot.
	dir := t.TempDir()
	dumps := pgStore{app: filepath.Join(dir, "tdkt.dump"), temporal: filepath.Join(dir, "temporal.dump"),
		visibility: filepath.Join(dir, "temporal_visibility.dump")}
	for _, d := range [][2]string{{src.app, dumps.app}, {src.temporal, dumps.temporal}, {src.visibility, dumps.visibility}} {
		if err := backup.DumpPostgres(ctx, bin, d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := backup.DumpPostgres(ctx, bin, src.app, dumps.app); err == nil {
		t.Fatal("a dump over an existing file succeeded")
	}
	if err := backup.CopyFiles(files, filepath.Join(dir, "files")); err != nil {
		t.Fatal(err)
	}
	s.stop()
	if err := old.Stop(); err != nil {
		t.Fatal(err)
	}

	_, dst := newPGServer(t)
	for _, d := range [][2]string{{dumps.app, dst.app}, {dumps.temporal, dst.temporal}, {dumps.visibility, dst.visibility}} {
		if err := backup.RestorePostgres(ctx, bin, d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	restoredFiles := t.TempDir()
	if err := backup.CopyFiles(filepath.Join(dir, "files"), restoredFiles); err != nil {
		t.Fatal(err)
	}
	s = newPostgresStack(t, dst, restoredFiles, false)
	defer s.stop()
	rep, err := doctor.Check(ctx, s.db, s.client, false)
	if err != nil || len(rep.Drifts) != 0 || rep.Checked != 2 {
		t.Fatalf("doctor after restore: %+v %v", rep, err)
	}
	if r := must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+done, nil), http.StatusOK, "get"); r.str("status") != "accepted" {
		t.Fatalf("restored accepted nomination: %s", r.raw)
	}
	if r := s.call("xet.dian", "GET", "/api/v1/nominations/"+waiting+"/attachments/"+att, nil); r.status != http.StatusOK || !bytes.Equal(r.raw, evidence) {
		t.Fatalf("restored evidence: %d %q", r.status, r.raw)
	}
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		must(t, s.call(u, "POST", "/api/v1/nominations/"+waiting+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve after restore")
	}
	if r := must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+waiting, nil), http.StatusOK, "get"); r.str("status") != "accepted" {
		t.Fatalf("nomination carried on after restore: %s", r.raw)
	}
	if rep, err := doctor.Check(ctx, s.db, s.client, false); err != nil || len(rep.Drifts) != 0 {
		t.Fatalf("doctor after carrying on: %+v %v", rep, err)
	}
}

// upload stores evidence on a draft and returns its ID.
func upload(t *testing.T, s *stack, id, name string, content []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequest("POST", s.http.URL+"/api/v1/nominations/"+id+"/attachments", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+s.token("donvi.donghoa"))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var att struct{ ID string }
	if err := json.NewDecoder(res.Body).Decode(&att); err != nil || res.StatusCode != http.StatusCreated || att.ID == "" {
		t.Fatalf("upload: HTTP %d, %v", res.StatusCode, err)
	}
	return att.ID
}

// newPostgresStack is newStack with every database in PostgreSQL:
// Temporal's execution and visibility stores as well as the application's.
func newPostgresStack(t *testing.T, st pgStore, dir string, fresh bool) *stack {
	t.Helper()
	return startStack(t, dir, st.app, fresh, devtemporal.Options{PostgresURL: st.temporal, PostgresVisibilityURL: st.visibility})
}
