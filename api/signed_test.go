package api

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/digitorus/pdfsign/verify"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/signing"
	"github.com/tdkt/tdkt/workflows"
)

// TestIssuedCertificateIsSignedOnce: with a signer configured, an issued
// certificate's PDF carries a valid PAdES signature, and every download
// returns the same signed bytes.
func TestIssuedCertificateIsSignedOnce(t *testing.T) {
	e := newEnv(t)
	signer, err := signing.SelfSigned("Sở Nội vụ tỉnh Bình Dương (thử nghiệm)", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	e.withFiles(signer)
	n := models.Nomination{ID: "n-signed", RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
		NomineeKind: "individual", NomineeName: "Bà Nguyễn Thị Hồng", Award: "bang-khen-tinh", Dossier: "{}",
		Status: workflows.StatusAccepted, Route: `{"steps":[]}`}
	d := models.Decision{ID: "d-1", RoundID: seed.DemoRoundID, IssuerUnitID: seed.InteriorID, Year: 2026, Number: "7/QĐ-UBND",
		SignedOn: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà"}
	cert := models.Certificate{ID: "c-1", DecisionID: d.ID, NominationID: n.ID, IssuerUnitID: seed.InteriorID, Year: 2026,
		RegisterNumber: 1, VerifyCode: "0123456789abcdef0123456789abcdef", Status: "valid"}
	for _, v := range []any{&n, &d, &cert} {
		if err := e.s.DB.Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	e.render(d.ID)
	get := func() []byte {
		req, _ := http.NewRequest("GET", e.srv.URL+"/api/v1/certificates/c-1.pdf", nil)
		req.Header.Set("Authorization", "Bearer "+e.token("canbo.sonoivu"))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("download: %d %s", res.StatusCode, b)
		}
		return b
	}
	first, second := get(), get()
	if string(first) != string(second) {
		t.Fatal("downloads of a signed certificate differ")
	}
	path := filepath.Join(t.TempDir(), "c.pdf")
	os.WriteFile(path, first, 0o644)
	f, _ := os.Open(path)
	defer f.Close()
	res, err := verify.VerifyFile(f)
	if err != nil || len(res.Signers) != 1 || !res.Signers[0].ValidSignature {
		t.Fatalf("signature: %+v %v", res, err)
	}
}
