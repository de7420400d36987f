package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// TestCertificatesRenderedAtIssue: issuing a decision starts its
// certificates' workflow, which stores each PDF under the data directory
// with its SHA-256; the download serves those bytes. A lost file, or a
// certificate issued before certificates were rendered at issue, is
// stored again by the workflow the download starts, to the same bytes.
func TestCertificatesRenderedAtIssue(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	id := accepted(t, s, "Vũ Thị Lan", "bang-khen-tinh")
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/rounds/thu-nghiem/council", map[string]any{"held_on": "2026-11-20",
		"members_total": 11, "members_present": 9, "votes": []map[string]any{{"nomination_id": id, "for": 9, "against": 0}}}),
		http.StatusCreated, "council")
	d := must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", map[string]any{"round_id": "thu-nghiem",
		"number": "78/QĐ-UBND", "signed_on": "2026-11-25", "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn Lộc",
		"nomination_ids": []string{id}}), http.StatusCreated, "decision")
	certID := d.body["certificates"].([]any)[0].(map[string]any)["id"].(string)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := s.client.GetWorkflow(ctx, workflows.CertificatesWorkflowID(d.str("id")), "").Get(ctx, nil); err != nil {
		t.Fatalf("certificates workflow: %v", err)
	}
	var cert models.Certificate
	if err := s.db.First(&cert, "id = ?", certID).Error; err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "certificates", certID+".pdf")
	stored, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("the workflow stored no PDF: %v", err)
	}
	sum := sha256.Sum256(stored)
	if hex.EncodeToString(sum[:]) != cert.PDFSHA256 {
		t.Fatalf("stored PDF's SHA-256 %x, recorded %s", sum, cert.PDFSHA256)
	}
	download := func(what string) []byte {
		t.Helper()
		r := must(t, s.call("donvi.donghoa", "GET", "/api/v1/certificates/"+certID+".pdf", nil), http.StatusOK, what)
		return r.raw
	}
	if got := download("download"); !bytes.Equal(got, stored) {
		t.Fatal("the download is not the stored PDF")
	}

	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if got := download("download of a lost file"); !bytes.Equal(got, stored) {
		t.Fatal("a lost file is not restored to the bytes of its SHA-256")
	}
	if again, err := os.ReadFile(path); err != nil || !bytes.Equal(again, stored) {
		t.Fatalf("the lost file is not stored again: %v", err)
	}

	// As a certificate issued before rendering moved to the workflow: no
	// file, no hash.
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Model(&models.Certificate{}).Where("id = ?", certID).Update("pdf_sha256", "").Error; err != nil {
		t.Fatal(err)
	}
	if got := download("download of a certificate never rendered"); !bytes.Equal(got, stored) {
		t.Fatal("an unrendered certificate renders to other bytes")
	}
}
