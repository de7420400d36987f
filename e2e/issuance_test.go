package e2e

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestPhuongDiAnIssuesItsGiayKhen, through the REST API: a household of
// Phường Dĩ An nominated in a two-tier round of 2026 is approved by the
// phường and gets a Giấy khen decided and issued by the Chủ tịch UBND
// phường Dĩ An, in the phường's own register; the decision's and the
// certificate's PDFs name the phường's committee and its chairman.
func TestPhuongDiAnIssuesItsGiayKhen(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	dian := seed.NewCommuneID("Phường Dĩ An")
	round := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "hang-nam-2026-phuong", "name": "Khen thưởng hằng năm 2026 — Phường Dĩ An", "kind": "annual",
		"period_from": 2026, "period_to": 2026, "opens_at": "2026-01-01T00:00:00+07:00", "closes_at": "2099-12-31T17:00:00+07:00",
		"chain": routing.TwoTier.Code, "reference_date": "2026-01-01", "due_working_days": 10, "awards": []string{"giay-khen-xa"},
	}), http.StatusCreated, "round").str("id")
	for _, u := range []map[string]any{
		{"username": "vanthu2.phuongdian", "full_name": "Văn thư UBND phường Dĩ An", "role": "nominator"},
		{"username": "chutich2.phuongdian", "full_name": "Trần Văn Bình", "role": "reviewer", "head": true},
	} {
		u["unit_id"], u["password"], u["email"] = dian, password, u["username"].(string)+"@tdkt.local"
		must(t, s.call("quantri", "POST", "/api/v1/users", u), http.StatusCreated, "user "+u["username"].(string))
	}
	dossier, err := forms.ExampleFor(forms.KindHousehold, "Hộ gia đình ông Lê Văn Tư", routing.GiayKhenXa, 1)
	if err != nil {
		t.Fatal(err)
	}
	n := must(t, s.call("vanthu2.phuongdian", "POST", "/api/v1/nominations", map[string]any{
		"round_id": round, "nominee_kind": forms.KindHousehold, "nominee_name": "Hộ gia đình ông Lê Văn Tư",
		"award": "giay-khen-xa", "dossier": dossier,
	}), http.StatusCreated, "nomination")
	id := n.str("id")
	must(t, s.call("vanthu2.phuongdian", "POST", "/api/v1/nominations/"+id+"/submit", nil), http.StatusOK, "submit")
	// The household is not in the phường's register of learning titles,
	// which it keeps: the chairman accepts its claimed titles with a
	// comment.
	if r := must(t, s.call("chutich2.phuongdian", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve",
		"comment": "Đã đối chiếu các quyết định công nhận Gia đình học tập 2023, 2024."}),
		http.StatusOK, "approve"); r.str("status") != "accepted" {
		t.Fatalf("after the phường's approval: %s", r.raw)
	}

	d := must(t, s.call("chutich2.phuongdian", "POST", "/api/v1/decisions", map[string]any{"round_id": round,
		"number": "12/QĐ-UBND", "signed_on": "2026-11-25", "signer_title": "CHỦ TỊCH", "signer_name": "Trần Văn Bình",
		"nomination_ids": []string{id}}), http.StatusCreated, "the phường's decision")
	if d.str("issuer_unit_id") != dian {
		t.Fatalf("issuer %s, want %s", d.str("issuer_unit_id"), dian)
	}
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", map[string]any{"round_id": round,
		"number": "13/QĐ-UBND", "signed_on": "2026-11-25", "signer_title": "CHỦ TỊCH", "signer_name": "X",
		"nomination_ids": []string{id}}), http.StatusUnprocessableEntity, "Interior on the phường's Giấy khen")

	decision := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "qd.pdf",
		must(t, s.call("chutich2.phuongdian", "GET", "/api/v1/decisions/"+d.str("id")+"/decision.pdf", nil), http.StatusOK, "decision PDF").raw), 0))
	for _, want := range []string{"ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN", "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN", "Trần Văn Bình", "Dĩ An, ngày 25 tháng 11 năm 2026",
		"Căn cứ Nghị định số 152/2025/NĐ-CP"} {
		if !strings.Contains(decision, want) {
			t.Errorf("the decision's PDF lacks %q:\n%s", want, decision)
		}
	}
	certID := d.body["certificates"].([]any)[0].(map[string]any)["id"].(string)
	cert := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "gk.pdf",
		must(t, s.call("vanthu2.phuongdian", "GET", "/api/v1/certificates/"+certID+".pdf", nil), http.StatusOK, "certificate PDF").raw), 0))
	for _, want := range []string{"CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG DĨ AN", "Trần Văn Bình", "12/QĐ-UBND", "Hộ gia đình ông Lê Văn Tư"} {
		if !strings.Contains(cert, want) {
			t.Errorf("the Giấy khen lacks %q:\n%s", want, cert)
		}
	}
	if strings.Contains(cert, "BÌNH DƯƠNG") || strings.Contains(decision, "BÌNH DƯƠNG") {
		t.Error("the phường's documents name the old province")
	}
}

// TestIssuanceNumbersPerBody, through the REST API: Xã Bàu Bàng's
// 12/QĐ-UBND and Phường Dĩ An's are two decisions; 50 decisions posted at
// once by Phường Dĩ An number its register 1 to 50, each once.
func TestIssuanceNumbersPerBody(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	dian, baubang := seed.NewCommuneID("Phường Dĩ An"), seed.NewCommuneID("Xã Bàu Bàng")
	must(t, s.call("quantri", "POST", "/api/v1/users", map[string]any{"username": "chutich.baubang", "full_name": "Văn phòng UBND xã Bàu Bàng",
		"role": "reviewer", "head": true, "unit_id": baubang, "password": password, "email": "chutich.baubang@tdkt.local"}),
		http.StatusCreated, "Xã Bàu Bàng's head")
	// Accepted Giấy khen of the two-tier demo round, as their workflows
	// leave them: the decisions are what is tested here.
	const n = 50
	accepted := func(id, unit string) {
		t.Helper()
		row := models.Nomination{ID: id, RoundID: seed.DemoTwoTierRoundID, UnitID: unit, CreatedBy: "u", NomineeKind: "household",
			NomineeName: "Hộ " + id, Award: "giay-khen-xa", Dossier: "{}", Status: "accepted",
			Route: `{"chain":"two-tier","award":"giay-khen-xa","steps":[{"level":"commune","unit_id":"` + unit + `"}]}`}
		if err := s.db.Create(&row).Error; err != nil {
			t.Fatal(err)
		}
	}
	accepted("n-bb", baubang)
	for i := range n {
		accepted(fmt.Sprintf("n-%02d", i), dian)
	}
	decide := func(user, number string, ids ...string) response {
		return s.call(user, "POST", "/api/v1/decisions", map[string]any{"round_id": seed.DemoTwoTierRoundID, "number": number,
			"signed_on": "2026-11-25", "signer_title": "CHỦ TỊCH", "signer_name": "Trần Văn Bình", "nomination_ids": ids})
	}
	if r := must(t, decide("chutich.baubang", "12/QĐ-UBND", "n-bb"), http.StatusCreated, "Xã Bàu Bàng's 12/QĐ-UBND"); r.str("issuer_unit_id") != baubang {
		t.Fatalf("Xã Bàu Bàng's decision: %s", r.raw)
	}
	s.token("chutich.phuongdian")
	var wg sync.WaitGroup
	got := make([]response, n)
	for i := range n {
		wg.Go(func() {
			got[i] = decide("chutich.phuongdian", fmt.Sprintf("%d/QĐ-UBND", i+1), fmt.Sprintf("n-%02d", i))
		})
	}
	wg.Wait()
	numbers := make([]int, 0, n)
	for i, r := range got {
		if r.status != http.StatusCreated {
			t.Fatalf("decision %d: %d %s", i+1, r.status, r.raw)
		}
		if i == 11 && r.str("issuer_unit_id") != dian {
			t.Fatalf("Phường Dĩ An's 12/QĐ-UBND: %s", r.raw)
		}
		numbers = append(numbers, int(r.body["certificates"].([]any)[0].(map[string]any)["register_number"].(float64)))
	}
	slices.Sort(numbers)
	for i, num := range numbers {
		if num != i+1 {
			t.Fatalf("Phường Dĩ An's register numbers %v, want 1..%d", numbers, n)
		}
	}
}
