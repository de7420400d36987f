package service

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/jsondiff"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// The files' area without HTTP: dossier forms, evidence files, versions,
// exports and the dossier's check at submission.

// filesService is adminService's service (the seed, its clock at 1
// October 2026, within the demo round) with a data directory and an
// upload limit of 4 KiB.
func filesService(t *testing.T) *Service {
	t.Helper()
	s := adminService(t)
	s.cfg.DataDir, s.cfg.MaxUploadBytes = t.TempDir(), 4<<10
	return s
}

// filesDraft stores a draft of Phường Đông Hòa in the demo round with the
// example dossier of an individual named name.
func filesDraft(t *testing.T, s *Service, id, name string, serial int) models.Nomination {
	t.Helper()
	d, err := forms.ExampleFor(forms.KindIndividual, name, routing.BangKhenTinh, serial)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	n := models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u-donvi.donghoa",
		NomineeKind: forms.KindIndividual, NomineeName: name, SearchName: name, Award: string(routing.BangKhenTinh),
		FormCode: forms.Code(forms.KindIndividual), FormVersion: 1, // the demo round's, as created
		Dossier: string(raw), Status: access.StatusDraft, WorkflowID: "nomination-" + id}
	if err := s.db.Create(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestFormsWithoutHTTP(t *testing.T) {
	s := &Service{}
	list := s.Forms()
	if len(list) != len(forms.Kinds()) || list[0].Kind != forms.KindIndividual || list[0].Schema != "/api/v1/forms/individual" ||
		list[0].Title != forms.Dossier(forms.KindIndividual).Title {
		t.Fatalf("forms %+v", list)
	}
	for _, k := range forms.Kinds() {
		f, err := s.Form(k)
		if err != nil || f.Kind != k || len(f.Fields) == 0 {
			t.Errorf("form %s: %v %+v", k, err, f)
		}
		schema, err := s.FormSchema(k, 0)
		if err != nil || !reflect.DeepEqual(schema, forms.Dossier(k).JSONSchema()) {
			t.Errorf("schema of %s differs from the form's: %v", k, err)
		}
		// The replaced version is still served, as it was.
		old, _ := forms.Get(forms.Code(k), 1)
		if schema, err := s.FormSchema(k, 1); err != nil || !reflect.DeepEqual(schema, old.JSONSchema()) {
			t.Errorf("schema of %s v1 differs from the form's: %v", k, err)
		}
		if _, err := s.FormSchema(k, 99); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s v99: %v", k, err)
		}
		if list[0].Version != 2 || len(list[0].Versions) != 2 || list[0].Versions[0].Version != 1 {
			t.Errorf("forms list: %+v", list[0])
		}
	}
	if _, err := s.Form("khong-co"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestUploadWithoutHTTP: the rules of an evidence file hold for any
// caller of the service: the nominating body's role and unit, an editable
// nomination, a file of a known type within the limit and the cap; a
// refused file leaves nothing stored; a stored file reads back only while
// it matches its hash.
func TestUploadWithoutHTTP(t *testing.T) {
	s := filesService(t)
	ctx := context.Background()
	body, other, reviewer := callerOf(t, s, "donvi.donghoa"), callerOf(t, s, "donvi.chuyenhungvuong"), callerOf(t, s, "xet.donghoa")
	n := filesDraft(t, s, "n-files", "Lê Thị Hạnh", 1)
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte("x"), 100)...)
	file := func(name string, data []byte) *Upload { return &Upload{Name: name, Data: data} }
	stored := func() int {
		t.Helper()
		entries, err := os.ReadDir(filepath.Join(s.DataDir(), "attachments"))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		return len(entries)
	}

	for name, c := range map[string]struct {
		who  Caller
		in   *Upload
		kind error
	}{
		"a reviewer":              {reviewer, file("x.pdf", pdf), ErrForbidden},
		"another unit's body":     {other, file("x.pdf", pdf), ErrNotFound},
		"no file":                 {body, nil, ErrInvalid},
		"a body cut at its limit": {body, &Upload{TooLarge: true}, ErrTooLarge},
		"a file over the limit":   {body, file("lon.pdf", append([]byte("%PDF-"), bytes.Repeat([]byte("x"), 4<<10)...)), ErrTooLarge},
		"HTML named .pdf":         {body, file("gia.pdf", []byte("<html>not a pdf</html>")), ErrInvalid},
		"a program":               {body, file("virus.exe", []byte("MZ\x90\x00")), ErrInvalid},
	} {
		if _, err := s.AddAttachment(ctx, c.who, n.ID, c.in); !errors.Is(err, c.kind) {
			t.Errorf("%s: %v, want %v", name, err, c.kind)
		}
	}
	if got := stored(); got != 0 {
		t.Fatalf("refused uploads stored %d files", got)
	}

	v, err := s.AddAttachment(ctx, body, n.ID, file(`..\..\etc/Biên bản "họp".pdf`, pdf))
	if err != nil || v.FileName != "Biên bản họp.pdf" || v.ContentType != "application/pdf" || v.Size != int64(len(pdf)) ||
		v.UploadedBy != body.User.ID || v.CreatedAt.IsZero() {
		t.Fatalf("upload: %v %+v", err, v)
	}
	if png, err := s.AddAttachment(ctx, body, n.ID, file("anh.jpg", []byte("\x89PNG\r\n\x1a\n...."))); err != nil || png.ContentType != "image/png" {
		t.Fatalf("a PNG named .jpg: %v %+v", err, png)
	}
	for _, who := range []Caller{body, reviewer} {
		// The reviewer sees the nomination once it is routed through them.
		if who.User.Role == models.RoleReviewer {
			if err := s.db.Create(&models.RouteStep{NominationID: n.ID, Step: 0, Level: string(routing.Commune),
				UnitID: reviewer.User.UnitID}).Error; err != nil {
				t.Fatal(err)
			}
		}
		list, err := s.Attachments(ctx, who, n.ID)
		if err != nil || len(list) != 2 || list[0].ID != v.ID {
			t.Fatalf("list as %s: %v %+v", who.User.Username, err, list)
		}
		// The download's names: ASCII for filename, the name in full for
		// filename* (RFC 5987), which the adapters put in the header.
		f, err := s.Attachment(ctx, who, n.ID, v.ID)
		if err != nil || !bytes.Equal(f.Body, pdf) || f.Inline || f.Name != "bien ban hop.pdf" ||
			f.UTF8Name != "Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp.pdf" {
			t.Fatalf("download as %s: %v %q %q", who.User.Username, err, f.Name, f.UTF8Name)
		}
	}
	if _, err := s.Attachments(ctx, other, n.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another unit lists: %v", err)
	}
	if _, err := s.Attachment(ctx, body, n.ID, "khong-co"); !errors.Is(err, ErrNotFound) {
		t.Errorf("no such file: %v", err)
	}
	// A file changed on disk is not served (an internal failure, not a
	// refusal).
	if err := os.WriteFile(filepath.Join(s.DataDir(), "attachments", v.ID), []byte("%PDF-changed"), 0o640); err != nil {
		t.Fatal(err)
	}
	var refusal *Error
	if _, err := s.Attachment(ctx, body, n.ID, v.ID); err == nil || errors.As(err, &refusal) {
		t.Errorf("a changed file: %v", err)
	}

	// A submission in flight, then the cap: refused, nothing more stored.
	if err := s.db.Model(&models.Nomination{}).Where("id = ?", n.ID).Update("pending_version", 1).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, body, n.ID, file("x.pdf", pdf)); !errors.Is(err, ErrConflict) || stored() != 2 {
		t.Errorf("while submitting: %v, %d stored", err, stored())
	}
	if err := s.db.Model(&models.Nomination{}).Where("id = ?", n.ID).Update("pending_version", 0).Error; err != nil {
		t.Fatal(err)
	}
	for i := 2; i < maxAttachments; i++ {
		if _, err := s.AddAttachment(ctx, body, n.ID, file("x.pdf", pdf)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AddAttachment(ctx, body, n.ID, file("x.pdf", pdf)); !errors.Is(err, ErrConflict) || stored() != maxAttachments {
		t.Errorf("beyond the cap: %v, %d stored", err, stored())
	}
	// In review: no more evidence.
	if err := s.db.Model(&models.Nomination{}).Where("id = ?", n.ID).Update("status", access.StatusInReview).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddAttachment(ctx, body, n.ID, file("x.pdf", pdf)); !errors.Is(err, ErrConflict) {
		t.Errorf("in review: %v", err)
	}
}

func TestSanitizeName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":         "passwd",
		`C:\Users\a\bao-cao.pdf`:   "bao-cao.pdf",
		"..hidden.pdf":             "hidden.pdf",
		"a\x00b\r\n<c>\"d\".pdf":   "abcd.pdf",
		"Bie\u0302n ba\u0309n.pdf": "Biên bản.pdf", // NFD in, NFC out
		"":                         "minh-chung",
		"../":                      "minh-chung",
		strings.Repeat("á", 300):   strings.Repeat("á", 200),
	} {
		if got := sanitizeName(in); got != want {
			t.Errorf("sanitizeName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestVersionsWithoutHTTP: each version lists what changed since the one
// before — the nominee's name and the dossier's values by pointer — with
// the name of who submitted it.
func TestVersionsWithoutHTTP(t *testing.T) {
	s := filesService(t)
	ctx := context.Background()
	body := callerOf(t, s, "donvi.donghoa")
	n := filesDraft(t, s, "n-versions", "Lê Thị Hạnh", 2)
	for _, v := range []models.DossierVersion{
		{NominationID: n.ID, Version: 1, Dossier: `{"nominee":{"full_name":"Lê Thị Hạnh","residence":"Khu phố 1"}}`,
			NomineeName: "Lê Thị Hạnh", CreatedBy: body.User.ID},
		{NominationID: n.ID, Version: 2, Dossier: `{"nominee":{"full_name":"Lê Thị Hạnh","residence":"Khu phố 2"}}`,
			NomineeName: "Lê Thị Hạnh Mai", CreatedBy: body.User.ID},
	} {
		if err := s.db.Create(&v).Error; err != nil {
			t.Fatal(err)
		}
	}
	vs, err := s.Versions(ctx, body, n.ID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions: %v %+v", err, vs)
	}
	if len(vs[0].Changes) != 0 || vs[0].CreatedByName != body.User.FullName {
		t.Errorf("first version %+v", vs[0])
	}
	want := []jsondiff.Change{
		{Pointer: "/dossier/nominee/residence", Before: "Khu phố 1", After: "Khu phố 2"},
		{Pointer: "/nominee_name", Before: "Lê Thị Hạnh", After: "Lê Thị Hạnh Mai"},
	}
	if !reflect.DeepEqual(vs[1].Changes, want) {
		t.Errorf("changes %+v, want %+v", vs[1].Changes, want)
	}
	if _, err := s.Versions(ctx, callerOf(t, s, "donvi.chuyenhungvuong"), n.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("another unit: %v", err)
	}
}

// TestExportWithoutHTTP: a list exports as CSV and as a workbook with
// Vietnamese names, a typed formula stays text in both, and a list too
// long is refused.
func TestExportWithoutHTTP(t *testing.T) {
	s := filesService(t)
	ctx := context.Background()
	interior := callerOf(t, s, "canbo.sonoivu")
	due := s.now().Add(-time.Hour)
	row := models.Nomination{ID: "n-1", NomineeName: "=HYPERLINK(\"http://x\")", NomineeKind: "household", Award: string(routing.BangKhenTinh),
		RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u-donvi.donghoa", Dossier: "{}",
		Status: access.StatusInReview, DueAt: &due, CurrentLevel: string(routing.Commune), CurrentUnitID: seed.CommuneID("dong-hoa")}
	if err := s.db.Create(&row).Error; err != nil {
		t.Fatal(err)
	}
	d, err := s.Export(ctx, interior, ListQuery{}, false, FormatCSV, "danh-sach-ho-so")
	if err != nil || d.Name != "danh-sach-ho-so-20261001-1600.csv" || d.ContentType != "text/csv; charset=utf-8" {
		t.Fatalf("csv: %v %s %s", err, d.Name, d.ContentType)
	}
	table, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(d.Body, []byte("\uFEFF")))).ReadAll()
	if err != nil || len(table) != 2 {
		t.Fatalf("csv table %v %q", err, table)
	}
	got := table[1]
	if got[2] != `'=HYPERLINK("http://x")` || got[3] != "Hộ gia đình" || got[7] != "Đang xét" || got[6] != "Phường Đông Hòa" ||
		got[11] != "Quá hạn" {
		t.Errorf("csv row %q", got)
	}
	d, err = s.Export(ctx, interior, ListQuery{}, false, FormatXLSX, "ho-so-cho-xu-ly")
	if err != nil || !strings.HasSuffix(d.Name, ".xlsx") {
		t.Fatalf("xlsx: %v %s", err, d.Name)
	}
	wb, err := excelize.OpenReader(bytes.NewReader(d.Body))
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	if v, err := wb.GetCellValue("Danh sách", "C2"); err != nil || v != row.NomineeName {
		t.Errorf("xlsx name %q %v", v, err)
	}
	if f, err := wb.GetCellFormula("Danh sách", "C2"); err != nil || f != "" {
		t.Errorf("xlsx reads the name as formula %q %v", f, err)
	}
	// One more nomination than an export takes: refused before any row is
	// read.
	if err := s.db.Exec(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?)
		INSERT INTO nominations (id, round_id, unit_id, created_by, nominee_kind, nominee_name, award, dossier, status,
			dossier_version, pending_version, seq, created_at, updated_at)
		SELECT 'n-bulk-' || i, ?, ?, 'u', 'individual', 'X', ?, '{}', ?, 0, 0, 0, ?, ? FROM k`,
		maxExportRows, seed.DemoRoundID, seed.CommuneID("dong-hoa"), string(routing.BangKhenTinh), access.StatusDraft,
		s.now(), s.now()).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.Export(ctx, interior, ListQuery{}, false, FormatCSV, "danh-sach-ho-so"); !errors.Is(err, ErrInvalid) ||
		!strings.Contains(err.Error(), "50001 rows") {
		t.Errorf("too long a list: %v", err)
	}
}

// TestCheckDossierFindsDuplicates: a nominee with a CCCD has one open
// nomination per award and round across units; without one, per unit.
func TestCheckDossierFindsDuplicates(t *testing.T) {
	s := filesService(t)
	ctx := context.Background()
	n := filesDraft(t, s, "n-check", "Lê Thị Hạnh", 3)
	checked, err := s.checkDossier(ctx, n)
	if err != nil || checked.key == "" || !strings.Contains(checked.key, "|cccd|") || checked.results == "" {
		t.Fatalf("check: %v %+v", err, checked)
	}
	// The same nominee, open in another unit.
	other := filesDraft(t, s, "n-other", "Lê Thị Hạnh", 3)
	if err := s.db.Model(&other).Updates(map[string]any{"unit_id": seed.CommuneID("di-an"), "status": access.StatusInReview,
		"nominee_key": checked.key}).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.checkDossier(ctx, n); !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "n-other") {
		t.Errorf("duplicate with a CCCD: %v", err)
	}
	// Without a CCCD the key matches within the unit only.
	if err := s.checkDuplicate(ctx, n, "individual|name|le thi hanh|1985-03-12"); err != nil {
		t.Errorf("a name key of another unit: %v", err)
	}
	// An invalid dossier lists its fields.
	n.Dossier = `{"nominee":{"cccd":"0741"}}`
	if _, err := s.checkDossier(ctx, n); !errors.Is(err, ErrInvalid) {
		t.Errorf("invalid dossier: %v", err)
	}
}
