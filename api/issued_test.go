package api

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// issued stores an accepted nomination of Phường Đông Hòa for award with
// an issued certificate, as Interior's decision leaves them.
func (e *env) issued(award routing.Award) models.Certificate {
	e.t.Helper()
	n := models.Nomination{ID: "n-issued", RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
		NomineeKind: "individual", NomineeName: "Bà Lê Thị Thu", Award: string(award), Dossier: "{}",
		Status: workflows.StatusAccepted, Route: `{"steps":[]}`}
	d := models.Decision{ID: "d-9", RoundID: seed.DemoRoundID, IssuerUnitID: seed.InteriorID, Year: 2026, Number: "9/QĐ-UBND",
		SignedOn: time.Date(2026, 11, 24, 17, 0, 0, 0, time.UTC), SignerTitle: "CHỦ TỊCH", SignerName: "Nguyễn Lộc Hà"}
	cert := models.Certificate{ID: "c-9", DecisionID: d.ID, NominationID: n.ID, IssuerUnitID: seed.InteriorID, Year: 2026,
		RegisterNumber: 4, VerifyCode: "00112233445566778899aabbccddeeff", Status: "valid"}
	for _, v := range []any{&n, &d, &cert} {
		if err := e.s.DB.Create(v).Error; err != nil {
			e.t.Fatal(err)
		}
	}
	return cert
}

// TestNominatingBodySeesItsCertificate: the nomination's page names the
// issued certificate, and the body downloads its PDF — or, for the Prime
// Minister's Bằng khen, is told that the Government issues it and tdkt
// has recorded its decision, no PDF of it being made; another unit sees
// neither.
func TestNominatingBodySeesItsCertificate(t *testing.T) {
	for _, tc := range []struct {
		award    routing.Award
		issuedBy string // "": tdkt renders the certificate
	}{{routing.BangKhenTinh, ""}, {routing.BangKhenThuTuong, "Thủ tướng Chính phủ"}} {
		t.Run(string(tc.award), func(t *testing.T) {
			e := newEnv(t)
			e.withFiles(nil)
			e.issued(tc.award)
			e.render("d-9")
			code, m := e.call("GET", "/api/v1/nominations/n-issued", e.token("donvi.donghoa"), nil)
			cert, _ := m["certificate"].(map[string]any)
			if code != 200 || cert == nil || cert["id"] != "c-9" || cert["decision_number"] != "9/QĐ-UBND" ||
				cert["signed_on"] != "2026-11-25" || cert["register_number"] != float64(4) || cert["status"] != "valid" ||
				cert["verify_url"] != e.srv.URL+"/verify/00112233445566778899aabbccddeeff" {
				t.Fatalf("nomination of the body: %d %v", code, m)
			}
			if got, _ := cert["issued_by"].(string); got != tc.issuedBy {
				t.Errorf("issued_by %q, want %q", got, tc.issuedBy)
			}
			code, h, p := e.do("GET", "/api/v1/certificates/c-9.pdf", e.token("donvi.donghoa"), "", nil)
			if tc.issuedBy == "" {
				if code != 200 || h.Get("Content-Type") != "application/pdf" {
					t.Fatalf("the body downloads its certificate: %d %v", code, h)
				}
			} else {
				detail, _ := p["detail"].(string)
				if code != 409 || h.Get("Content-Type") != "application/problem+json" ||
					!strings.Contains(detail, "Bằng khen do Thủ tướng Chính phủ cấp; hệ thống chỉ ghi nhận quyết định") ||
					!strings.Contains(p["detail_en"].(string), "only records the decision") {
					t.Fatalf("download of a central award's certificate: %d %v", code, p)
				}
				if _, err := os.Stat(filepath.Join(e.s.DataDir, "certificates", "c-9.pdf")); !errors.Is(err, os.ErrNotExist) {
					t.Fatalf("a PDF of the Prime Minister's Bằng khen was stored: %v", err)
				}
			}
			for _, path := range []string{"/api/v1/nominations/n-issued", "/api/v1/certificates/c-9.pdf"} {
				if code, _, _ := e.do("GET", path, e.token("donvi.chuyenhungvuong"), "", nil); code != 404 {
					t.Errorf("another unit: GET %s: %d, want 404", path, code)
				}
			}
			// Lists do not carry it.
			_, m = e.call("GET", "/api/v1/nominations", e.token("donvi.donghoa"), nil)
			if items := m["items"].([]any); len(items) != 1 || items[0].(map[string]any)["certificate"] != nil {
				t.Fatalf("list: %v", m)
			}
		})
	}
}

// TestObjectionsOfANomination: Interior reads the posting and its
// objections with their resolution; the nominating body may not.
func TestObjectionsOfANomination(t *testing.T) {
	e := newEnv(t)
	e.issued(routing.BangKhenThuTuong) // the award whose nominees are posted
	start := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	resolved := start.Add(48 * time.Hour)
	for _, v := range []any{
		&models.Posting{NominationID: "n-issued", RoundID: seed.DemoRoundID, StartsAt: start, EndsAt: start.Add(14 * 24 * time.Hour)},
		&models.Objection{ID: "o-1", NominationID: "n-issued", Author: "Trần Văn Dân", Contact: "0909 000 111",
			Text: "Đề nghị xác minh lại thành tích.", CreatedAt: start.Add(time.Hour)},
		&models.Objection{ID: "o-2", NominationID: "n-issued", Author: "Lê B", Text: "Thành tích đã được xác minh.",
			CreatedAt: start.Add(2 * time.Hour), Resolution: "Đã xác minh.", ResolvedBy: "u-canbo.sonoivu", ResolvedAt: &resolved},
	} {
		if err := e.s.DB.Create(v).Error; err != nil {
			t.Fatal(err)
		}
	}
	code, m := e.call("GET", "/api/v1/nominations/n-issued/objections", e.token("canbo.sonoivu"), nil)
	if code != 200 || m["total"] != float64(2) || m["posting"] == nil {
		t.Fatalf("objections: %d %v", code, m)
	}
	items := m["items"].([]any)
	first, second := items[0].(map[string]any), items[1].(map[string]any)
	if first["id"] != "o-1" || first["contact"] != "0909 000 111" || first["resolved_at"] != nil ||
		second["resolved_by_name"] != "Ban Thi đua – Khen thưởng, Sở Nội vụ" || second["resolution"] != "Đã xác minh." {
		t.Fatalf("objections: %v", items)
	}
	if code, _ := e.call("GET", "/api/v1/nominations/n-issued/objections", e.token("donvi.donghoa"), nil); code != 403 {
		t.Fatalf("the body reads objectors' names: %d", code)
	}
	// Objectors' names and contacts are Interior's alone, as the public
	// form promises.
	if code, _ := e.call("GET", "/api/v1/nominations/n-issued/objections", e.token("quantri"), nil); code != 403 {
		t.Fatalf("the administrator reads objectors' names: %d", code)
	}
	if code, m := e.call("GET", "/api/v1/nominations/khong-co/objections", e.token("canbo.sonoivu"), nil); code != 404 {
		t.Fatalf("unknown nomination: %d %v", code, m)
	}
}
