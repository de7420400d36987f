package api

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// passedNominee stores an accepted nomination of Phường Đông Hòa for
// award, passed by the provincial council.
func (e *env) passedNominee(id, name string, award routing.Award) {
	e.t.Helper()
	session := models.CouncilSession{ID: "s-" + id, RoundID: seed.DemoRoundID, HeldOn: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		MembersTotal: 11, MembersPresent: 9, ThresholdPercent: 50}
	for _, v := range []any{
		&models.Nomination{ID: id, RoundID: seed.DemoRoundID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
			NomineeKind: "individual", NomineeName: name, Award: string(award), Dossier: "{}",
			Status: workflows.StatusAccepted, Route: `{"steps":[]}`},
		&session,
		&models.CouncilVote{SessionID: session.ID, NominationID: id, For: 9, Passed: true},
	} {
		if err := e.s.DB.Create(v).Error; err != nil {
			e.t.Fatal(err)
		}
	}
}

// TestCentralDecisionIsRecordedOnly: Interior records the Prime
// Minister's (and the Minister's) decision from its number and date: the
// awardee gets a certificate row with the next register number and a
// verification page that names the award and the central body that
// decided it, but tdkt writes no PDF of theirs — the decision's
// certificates activity stores nothing, and the certificate, the print
// batch, the decision and the draft each answer a 409 problem that says
// who issues it. A central award shares its decision with no other award.
func TestCentralDecisionIsRecordedOnly(t *testing.T) {
	for _, tc := range []struct {
		award                   routing.Award
		number, signer          string
		issuer, decidedBy, name string
	}{
		{routing.BangKhenThuTuong, "1520/QĐ-TTg", "THỦ TƯỚNG", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "Bằng khen của Thủ tướng Chính phủ"},
		{routing.BangKhenBo, "3412/QĐ-BGDĐT", "BỘ TRƯỞNG", "Bộ Giáo dục và Đào tạo", "Bộ trưởng Bộ GD&ĐT", "Bằng khen của Bộ trưởng Bộ Giáo dục và Đào tạo"},
	} {
		t.Run(string(tc.award), func(t *testing.T) {
			e := newEnv(t)
			e.withFiles(nil)
			e.passedNominee("n-central", "Lâm Văn Phúc", tc.award)
			e.passedNominee("n-city", "Tô Thị Hoa", routing.BangKhenTinh)
			interior := e.token("canbo.sonoivu")
			issue := map[string]any{"round_id": seed.DemoRoundID, "number": tc.number, "signed_on": "2026-11-25",
				"signer_title": tc.signer, "signer_name": "Nguyễn Văn An", "nomination_ids": []string{"n-central", "n-city"}}

			// Not with the chairman's Bằng khen in one decision.
			code, m := e.call("POST", "/api/v1/decisions", interior, issue)
			if ptrs := pointers(m); code != 422 || len(ptrs) != 1 || ptrs[0] != "/nomination_ids/1" {
				t.Fatalf("a central and a city award in one decision: %d %v", code, m)
			}

			issue["nomination_ids"] = []string{"n-central"}
			code, dec := e.call("POST", "/api/v1/decisions", interior, issue)
			if code != 201 || dec["number"] != tc.number || dec["issued_by"] != tc.issuer {
				t.Fatalf("recording the decision: %d %v", code, dec)
			}
			certs, _ := dec["certificates"].([]any)
			if len(certs) != 1 {
				t.Fatalf("certificates of the decision: %v", dec)
			}
			cert := certs[0].(map[string]any)
			if cert["nomination_id"] != "n-central" || cert["register_number"] != float64(1) || cert["status"] != "valid" ||
				cert["issued_by"] != tc.issuer {
				t.Fatalf("the awardee's record: %v", cert)
			}
			certID, decID := cert["id"].(string), dec["id"].(string)
			if code, again := e.call("GET", "/api/v1/decisions/"+decID, interior, nil); code != 200 || again["issued_by"] != tc.issuer ||
				again["certificates"].([]any)[0].(map[string]any)["issued_by"] != tc.issuer {
				t.Fatalf("the decision read back: %d %v", code, again)
			}
			if code, n := e.call("GET", "/api/v1/nominations/n-central", e.token("donvi.donghoa"), nil); code != 200 ||
				n["certificate"].(map[string]any)["issued_by"] != tc.issuer {
				t.Fatalf("the nomination's certificate: %d %v", code, n)
			}

			// What the decision's workflow runs renders nothing.
			acts := &activities.Activities{DB: e.s.DB, Log: e.s.Log, DataDir: e.s.DataDir}
			written, err := acts.RenderCertificates(context.Background(), workflows.CertificateBatch{DecisionID: decID,
				Limit: workflows.CertificateBatchSize, BaseURL: e.srv.URL, At: time.Now()})
			if err != nil || written != 0 {
				t.Fatalf("the certificates activity wrote %d PDFs (%v)", written, err)
			}
			var row models.Certificate
			if err := e.s.DB.First(&row, "id = ?", certID).Error; err != nil || row.PDFSHA256 != "" {
				t.Fatalf("certificate row: %+v %v", row, err)
			}
			if entries, err := os.ReadDir(filepath.Join(e.s.DataDir, "certificates")); err == nil && len(entries) > 0 {
				t.Fatalf("PDFs stored for a central award: %v", entries)
			}

			for _, path := range []string{"/api/v1/certificates/" + certID + ".pdf", "/api/v1/decisions/" + decID + "/certificates.pdf",
				"/api/v1/decisions/" + decID + "/decision.pdf", "/api/v1/nominations/n-central/certificate-draft.pdf"} {
				code, h, p := e.do("GET", path, interior, "", nil)
				detail, _ := p["detail"].(string)
				en, _ := p["detail_en"].(string)
				if code != 409 || h.Get("Content-Type") != "application/problem+json" || p["type"] != "/problems/conflict" ||
					!strings.Contains(detail, "Bằng khen do "+tc.issuer+" cấp; hệ thống chỉ ghi nhận quyết định") ||
					!strings.Contains(en, "only records the decision") {
					t.Errorf("GET %s: %d %v", path, code, p)
				}
			}

			// The verification page: the award, the central decision, the
			// body that issued it and the one that recorded it.
			var unit models.Unit
			if err := e.s.DB.First(&unit, "id = ?", dec["issuer_unit_id"]).Error; err != nil {
				t.Fatal(err)
			}
			code, _, v := e.doAccept("/verify/"+cert["verify_code"].(string), "application/json")
			if code != 200 || v["valid"] != true || v["recipient"] != "Lâm Văn Phúc" || v["award"] != tc.name ||
				v["decision_number"] != tc.number || v["decision_date"] != "25/11/2026" || v["register_number"] != float64(1) ||
				v["issuer"] != tc.issuer || v["decided_by"] != tc.decidedBy || v["recorded_by"] != unit.Name {
				t.Fatalf("verification: %d %v", code, v)
			}
			code, page, _ := e.doAccept("/verify/"+cert["verify_code"].(string), "text/html")
			for _, want := range []string{"Còn hiệu lực", "Lâm Văn Phúc", tc.name, "Số " + tc.number + " ngày 25/11/2026 của " + tc.decidedBy,
				"Bằng khen do " + tc.issuer + " cấp; hệ thống chỉ ghi nhận quyết định.", unit.Name} {
				if code != 200 || !strings.Contains(page, html.EscapeString(want)) {
					t.Errorf("verification page: %d, no %q in\n%s", code, want, page)
				}
			}
		})
	}
}

// doAccept GETs a public path with an Accept header and returns its body,
// decoded too when it is JSON.
func (e *env) doAccept(path, accept string) (int, string, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Accept", accept)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	m := map[string]any{}
	if strings.Contains(accept, "json") {
		if err := json.Unmarshal(raw, &m); err != nil {
			e.t.Fatalf("GET %s: %v: %s", path, err, raw)
		}
	}
	return res.StatusCode, string(raw), m
}
