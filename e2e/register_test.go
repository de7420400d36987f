package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
)

// TestClaimedTitlesAgainstTheRegister, through the REST API: a household
// of Phường Dĩ An whose dossier claims "Gia đình học tập" 2023–2025 while
// the register holds 2024 and 2025 is submitted with a warning naming the
// missing 2023; the phường's chairman cannot accept it without a comment
// (422 at /comment) and can with one. A household the register holds for
// all three years has no warning and is accepted without a comment.
func TestClaimedTitlesAgainstTheRegister(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	dian := seed.NewCommuneID("Phường Dĩ An")
	lineage, err := models.AllLineage(context.Background(), s.db)
	if err != nil {
		t.Fatal(err)
	}
	old := models.WithPredecessors(lineage, dian)[1] // a unit Phường Dĩ An comes from, in force in 2023 and 2024

	household := func(head string, years ...int) string {
		t.Helper()
		h := must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/learning/holders", map[string]any{"kind": "household",
			"name": "Hộ ông " + head, "head_name": head, "unit_id": dian, "area": "Khu phố Nhị Đồng 1", "since_year": 2010}),
			http.StatusCreated, "holder").str("id")
		for _, y := range years {
			unit := dian
			if y < 2025 {
				unit = old
			}
			must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/learning/recognitions", map[string]any{"holder_id": h, "unit_id": unit,
				"title": "gia-dinh-hoc-tap", "year": y, "status": "recognised", "decision_number": "15/QĐ-UBND"}), http.StatusCreated, "recognition")
		}
		d, err := forms.ExampleFor(forms.KindHousehold, head, routing.GiayKhenXa, 1)
		if err != nil {
			t.Fatal(err)
		}
		d["nominee"].(map[string]any)["titles"] = []any{
			map[string]any{"title": "Gia đình học tập", "year": 2023, "decision": "118/QĐ-UBND"},
			map[string]any{"title": "Gia đình học tập", "year": 2024, "decision": "96/QĐ-UBND"},
			map[string]any{"title": "Gia đình học tập", "year": 2025, "decision": "15/QĐ-UBND"},
		}
		id := must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/nominations", map[string]any{"round_id": seed.DemoTwoTierRoundID,
			"nominee_kind": forms.KindHousehold, "nominee_name": "Hộ ông " + head, "award": "giay-khen-xa", "dossier": d}),
			http.StatusCreated, "nomination").str("id")
		must(t, s.call("vanthu.phuongdian", "POST", "/api/v1/nominations/"+id+"/submit", nil), http.StatusOK, "submit")
		return id
	}
	registerResult := func(id string) map[string]any {
		t.Helper()
		r := must(t, s.call("chutich.phuongdian", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
		for _, x := range r.body["eligibility"].([]any) {
			if m := x.(map[string]any); m["rule_id"] == "learning-register" {
				return m
			}
		}
		t.Fatalf("no learning-register result: %s", r.raw)
		return nil
	}

	flagged := household("Trần Văn Bình", 2024, 2025)
	res := registerResult(flagged)
	if res["status"] != "warning" || res["message"] != "Hồ sơ khai Gia đình học tập 2023–2025; sổ ghi nhận: 2024, 2025; thiếu 2023." {
		t.Fatalf("the register's warning: %v", res)
	}
	r := must(t, s.call("chutich.phuongdian", "POST", "/api/v1/nominations/"+flagged+"/decisions", map[string]any{"action": "approve"}),
		http.StatusUnprocessableEntity, "approve without a comment")
	if errs, _ := r.body["errors"].([]any); len(errs) == 0 || errs[0].(map[string]any)["pointer"] != "/comment" ||
		!strings.Contains(errs[0].(map[string]any)["message"].(string), "thiếu 2023") {
		t.Fatalf("the refusal: %s", r.raw)
	}
	r = must(t, s.call("chutich.phuongdian", "POST", "/api/v1/nominations/"+flagged+"/decisions", map[string]any{"action": "approve",
		"comment": "Đã đối chiếu Quyết định 118/QĐ-UBND năm 2023 của UBND phường Dĩ An (cũ); sổ chưa nhập năm 2023."}),
		http.StatusOK, "approve with a comment")
	if r.str("status") != "accepted" {
		t.Fatalf("after the approval with a comment: %s", r.raw)
	}

	held := household("Lê Văn Tư", 2023, 2024, 2025)
	if res := registerResult(held); res["status"] != "pass" {
		t.Fatalf("all three years held: %v", res)
	}
	if r := must(t, s.call("chutich.phuongdian", "POST", "/api/v1/nominations/"+held+"/decisions", map[string]any{"action": "approve"}),
		http.StatusOK, "approve"); r.str("status") != "accepted" {
		t.Fatalf("after the approval: %s", r.raw)
	}
}
