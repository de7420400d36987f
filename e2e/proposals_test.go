package e2e

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/tdkt/tdkt/models/seed"
)

// TestProposalOfFamiliesDecidedByTheChairman, through the REST API on the
// embedded Temporal server: Phường Dĩ An proposes two households of a
// khu phố for Gia đình học tập 2026; a line of another title is refused by
// its pointer; the phường's reviewer approves its review, another
// commune's cannot; the decision needs the head and the decision's number;
// decided, both households hold the title with that number, and the
// phường's indicator counts them.
func TestProposalOfFamiliesDecidedByTheChairman(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	dian := seed.NewCommuneID("Phường Dĩ An")
	var holders []string
	for _, name := range []string{"Trần Văn Một", "Lê Thị Hai"} {
		h := must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/learning/holders", map[string]any{"kind": "household",
			"name": "Hộ " + name, "head_name": name, "unit_id": dian, "area": "Khu phố Bình Minh", "since_year": 2000}), http.StatusCreated, "holder")
		holders = append(holders, h.str("id"))
	}
	bad := must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/learning/proposals", map[string]any{"kind": "cong-nhan-cap-xa", "year": 2026,
		"items": []map[string]any{{"holder_id": holders[0], "title": "don-vi-hoc-tap"}}}), http.StatusUnprocessableEntity, "a unit's title")
	if errs, _ := bad.body["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["pointer"] != "/items/0/title" {
		t.Fatalf("refusal: %s", bad.raw)
	}
	p := must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/learning/proposals", map[string]any{"kind": "cong-nhan-cap-xa", "year": 2026,
		"area": "Khu phố Bình Minh", "items": []map[string]any{{"holder_id": holders[0], "title": "gia-dinh-hoc-tap"},
			{"holder_id": holders[1], "title": "gia-dinh-hoc-tap", "score": 90}}}), http.StatusCreated, "proposal")
	id := p.str("id")
	if p.str("status") != "in_review" || p.str("current_unit_id") != dian || p.body["due_at"] == nil {
		t.Fatalf("proposed: %s", p.raw)
	}
	path := "/api/v1/learning/proposals/" + id + "/decisions"
	must(t, s.call("xet.donghoa", "POST", path, map[string]any{"action": "approve"}), http.StatusNotFound, "another commune")
	must(t, s.call("quantri", "POST", "/api/v1/users", map[string]any{"username": "xet2.phuongdian", "full_name": "Cán bộ phường Dĩ An",
		"role": "reviewer", "unit_id": dian, "password": password, "email": "xet2.phuongdian@tdkt.local"}), http.StatusCreated, "reviewer")
	if r := must(t, s.call("xet2.phuongdian", "POST", path, map[string]any{"action": "approve", "comment": "Đủ điều kiện"}), http.StatusOK, "review"); r.body["step"] != float64(1) {
		t.Fatalf("after the review: %s", r.raw)
	}
	must(t, s.call("xet2.phuongdian", "POST", path, map[string]any{"action": "approve", "decision_number": "30/QĐ-UBND", "decision_date": "2026-12-01"}),
		http.StatusForbidden, "decided by someone who does not head the phường")
	must(t, s.call("chutich.phuongdian", "POST", path, map[string]any{"action": "approve"}), http.StatusUnprocessableEntity, "no decision number")
	r := must(t, s.call("chutich.phuongdian", "POST", path, map[string]any{"action": "approve", "decision_number": "30/QĐ-UBND", "decision_date": "2026-12-01"}),
		http.StatusOK, "decision")
	if r.str("status") != "decided" || r.str("decision_number") != "30/QĐ-UBND" || len(r.body["history"].([]any)) != 3 {
		t.Fatalf("decided: %s", r.raw)
	}
	must(t, s.call("chutich.phuongdian", "POST", path, map[string]any{"action": "approve", "decision_number": "31/QĐ-UBND", "decision_date": "2026-12-02"}),
		http.StatusConflict, "decided twice")
	for _, h := range holders {
		got := must(t, s.call("vanthu.phuongdian", "GET", "/api/v1/learning/holders/"+h, nil), http.StatusOK, "holder")
		recs := got.body["recognitions"].([]any)
		if len(recs) != 1 || recs[0].(map[string]any)["decision_number"] != "30/QĐ-UBND" || recs[0].(map[string]any)["status"] != "recognised" {
			t.Fatalf("the household after the decision: %s", got.raw)
		}
	}
	ind := must(t, s.call("vanthu.phuongdian", "GET", "/api/v1/learning/indicators?unit="+dian+"&year=2026", nil), http.StatusOK, "indicators")
	if n := ind.body["tallies"].(map[string]any)["gia-dinh-hoc-tap"]; n != float64(2) {
		t.Fatalf("the phường's 2026 households recognised: %v", n)
	}
}
