package api

import (
	"bytes"
	"io"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/workflows"
)

// TestCertificatePaper: a certificate is rendered on the paper recorded
// with it — one issued on A4 before the 400×300 mm stock stays A4, and
// when its stored file is lost it renders again to the bytes of its
// SHA-256; one issued on the stock is 400×300 mm, in the single download
// and in the decision's batch; the draft is A4.
func TestCertificatePaper(t *testing.T) {
	e := newEnv(t)
	e.withFiles(nil)
	d := models.Decision{ID: "d-1", RoundID: seed.DemoRoundID, IssuerUnitID: seed.InteriorID, Year: 2026, Number: "7/QĐ-UBND",
		SignedOn: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà"}
	rows := []any{&d}
	for i, paper := range []string{"a4", "400x300"} {
		id := []string{"old", "new"}[i]
		rows = append(rows,
			&models.Nomination{ID: "n-" + id, RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
				NomineeKind: "individual", NomineeName: "Bà Nguyễn Thị Hồng " + id, Award: "bang-khen-tinh", Dossier: "{}",
				Status: workflows.StatusAccepted, Route: `{"steps":[]}`},
			&models.Certificate{ID: "c-" + id, DecisionID: d.ID, NominationID: "n-" + id, IssuerUnitID: seed.InteriorID, Year: 2026,
				RegisterNumber: i + 1, VerifyCode: []string{"0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"}[i],
				Status: "valid", Paper: paper})
	}
	for _, v := range rows {
		if err := e.s.DB.Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	// The decision's workflow stores the issued certificates' PDFs.
	e.render(d.ID)
	get := func(path string) []byte {
		t.Helper()
		req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+e.token("canbo.sonoivu"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, b)
		}
		return b
	}
	// size is the first page's size in points, as pdfinfo reads it.
	size := func(b []byte) [2]float64 {
		t.Helper()
		info := pdftest.ReadInfo(t, pdftest.Write(t, "c.pdf", b))
		return [2]float64{math.Round(info.Width*100) / 100, math.Round(info.Height*100) / 100}
	}
	a4, stock := [2]float64{841.89, 595.28}, [2]float64{1133.86, 850.39}

	old := get("/api/v1/certificates/c-old.pdf")
	if got := size(old); got != a4 {
		t.Errorf("certificate issued on A4: page %v, want %v", got, a4)
	}
	if err := os.Remove(filepath.Join(e.s.DataDir, "certificates", "c-old.pdf")); err != nil {
		t.Fatal(err)
	}
	// The download does not render it; the workflow it starts again does
	// (here, without Temporal, the test runs its activity).
	if code, _, _ := e.do("GET", "/api/v1/certificates/c-old.pdf", e.token("canbo.sonoivu"), "", nil); code != 503 {
		t.Fatalf("download of a lost file: %d, want 503", code)
	}
	e.render(d.ID)
	if again := get("/api/v1/certificates/c-old.pdf"); !bytes.Equal(again, old) {
		t.Error("a certificate issued on A4, its file lost, renders differently")
	}
	if got := size(get("/api/v1/certificates/c-new.pdf")); got != stock {
		t.Errorf("certificate issued on the stock: page %v, want %v", got, stock)
	}
	if got := size(get("/api/v1/nominations/n-new/certificate-draft.pdf")); got != a4 {
		t.Errorf("draft: page %v, want %v", got, a4)
	}
	// The batch: register number 1 (A4) then 2 (the stock).
	batch := pdftest.Write(t, "batch.pdf", get("/api/v1/decisions/d-1/certificates.pdf"))
	out := pdftest.Run(t, "poppler-utils", "pdfinfo", "-f", "1", "-l", "2", batch)
	for _, want := range []string{`(?m)^Page +1 size: +841\.89 x 595\.28 pts`, `(?m)^Page +2 size: +1133\.86 x 850\.39 pts`} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("batch: pdfinfo does not match %s:\n%s", want, out)
		}
	}
}
