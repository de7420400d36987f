package e2e

import (
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
)

// TestAuthorizationMatrix calls every endpoint that touches a nomination as
// every role, from the nomination's own units and from others, and checks
// the answer. The nomination (Phường Đông Hòa, three-tier route) waits at
// the commune step; refusals change nothing, so the successes come last.
func TestAuthorizationMatrix(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	id := createDraft(t, s, "Quách Thị Xuân")
	submit(t, s, id)
	n := "/api/v1/nominations/" + id

	actors := []string{"", "donvi.donghoa", "donvi.chuyenhungvuong", "xet.donghoa", "xet.dian", "xet.thuanan",
		"xet.sogddt", "canbo.sonoivu", "quantri"}
	// want[i] is the status for actors[i]; 0 skips (the success, done last).
	type row struct {
		method, path string
		body         any
		want         []int
	}
	read := []int{401, 200, 404, 200, 200, 404, 200, 200, 200}
	// The round's report counts every unit's nominations: reviewers,
	// Interior and administrators, not the nominating bodies.
	report := []int{401, 403, 403, 200, 200, 200, 200, 200, 200}
	rows := []row{
		{"GET", n, nil, read},
		{"GET", n + "/versions", nil, read},
		{"PATCH", n, map[string]any{"nominee_name": "X"}, []int{401, 409, 404, 403, 403, 403, 403, 403, 403}},
		{"POST", n + "/submit", nil, []int{401, 409, 404, 403, 403, 403, 403, 403, 403}},
		{"POST", n + "/withdraw", nil, []int{401, 0, 404, 403, 403, 403, 403, 403, 403}},
		{"POST", n + "/decisions", map[string]any{"action": "approve"}, []int{401, 403, 403, 0, 409, 404, 409, 409, 403}},
		{"POST", n + "/deadline", map[string]any{"working_days": 1, "reason": "thử"}, []int{401, 403, 403, 403, 403, 403, 403, 403, 0}},
		{"POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem", "nominee_kind": "individual",
			"nominee_name": "Y", "award": "bang-khen-tinh"}, []int{401, 0, 0, 403, 403, 403, 403, 403, 403}},
		{"POST", "/api/v1/rounds", map[string]any{"code": "x"}, []int{401, 403, 403, 403, 403, 403, 403, 403, 422}},
		{"GET", "/api/v1/rounds/thu-nghiem/report.xlsx", nil, report},
		{"GET", "/api/v1/rounds/thu-nghiem/report.pdf", nil, report},
		// Posting and objections: Interior's (objections name their
		// authors, whom the public form promises only Interior sees).
		{"GET", n + "/objections", nil, []int{401, 403, 403, 403, 403, 403, 403, 200, 403}},
		{"POST", n + "/posting", nil, []int{401, 403, 403, 403, 403, 403, 403, 409, 403}},
		{"POST", "/api/v1/objections/khong-co/resolve", map[string]any{"resolution": "Đã xác minh."}, []int{401, 403, 403, 403, 403, 403, 403, 404, 403}},
		// Administration: administrators only (scopes in adminMatrix).
		{"GET", "/api/v1/users", nil, adminOnly(200)},
		{"POST", "/api/v1/users", map[string]any{"username": "x"}, adminOnly(422)},
		{"PATCH", "/api/v1/users/u-xet.thuanan", map[string]any{"disabled": false}, adminOnly(200)},
		{"POST", "/api/v1/users/u-xet.thuanan/password", map[string]any{"password": "ngan"}, adminOnly(422)},
		{"GET", "/api/v1/holidays", nil, adminOnly(200)},
		{"POST", "/api/v1/holidays", map[string]any{"date": "x", "name": "y"}, adminOnly(422)},
		{"DELETE", "/api/v1/holidays/2099-01-01", nil, adminOnly(404)},
		// The unit hierarchy: everyone reads, the province's administrator
		// changes (a department's administrator in adminMatrix).
		{"GET", "/api/v1/units/so-gddt", nil, []int{401, 200, 200, 200, 200, 200, 200, 200, 200}},
		{"POST", "/api/v1/units", map[string]any{"id": "x"}, adminOnly(422)},
		{"PATCH", "/api/v1/units/so-gddt", map[string]any{}, adminOnly(422)},
		{"PATCH", "/api/v1/units/khong-co", map[string]any{"name": "X"}, adminOnly(404)},
	}
	for _, r := range rows {
		for i, who := range actors {
			if r.want[i] == 0 {
				continue
			}
			res := s.call(who, r.method, r.path, r.body)
			if res.status != r.want[i] {
				t.Errorf("%s %s as %q: %d, want %d: %s", r.method, r.path, who, res.status, r.want[i], res.raw)
			}
		}
	}
	// Lists and exports are scoped: who sees the nomination.
	sees := []bool{false, true, false, true, true, false, true, true, true}
	for _, path := range []string{"/api/v1/nominations", "/api/v1/nominations?q=quach"} {
		for i, who := range actors[1:] {
			r := must(t, s.call(who, "GET", path, nil), http.StatusOK, "list as "+who)
			if got := r.body["total"] == float64(1); got != sees[i+1] {
				t.Errorf("GET %s as %s: total %v, want visible=%v", path, who, r.body["total"], sees[i+1])
			}
		}
	}
	for i, who := range actors[1:] {
		r := must(t, s.call(who, "GET", "/api/v1/inbox", nil), http.StatusOK, "inbox as "+who)
		want := who == "xet.donghoa"
		if got := r.body["total"] == float64(1); got != want {
			t.Errorf("inbox of %s (%d): total %v, want %v", who, i, r.body["total"], want)
		}
	}
	if s.call("", "GET", "/api/v1/nominations.csv", nil).status != 401 {
		t.Error("anonymous export allowed")
	}
	// Nothing changed: still at the commune, one submission in the history.
	r := must(t, s.call("quantri", "GET", n, nil), http.StatusOK, "get")
	if r.str("current_level") != "commune" || len(r.body["history"].([]any)) != 1 {
		t.Fatalf("refused calls changed the nomination: %s", r.raw)
	}
	// The successes.
	must(t, s.call("quantri", "POST", n+"/deadline", map[string]any{"working_days": 1, "reason": "thử"}), 200, "admin extends")
	must(t, s.call("xet.donghoa", "POST", n+"/decisions", map[string]any{"action": "approve"}), 200, "commune approves")
	must(t, s.call("donvi.donghoa", "POST", n+"/withdraw", nil), 200, "body withdraws")
	for _, who := range []string{"donvi.donghoa", "donvi.chuyenhungvuong"} {
		must(t, s.call(who, "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
			"nominee_kind": "individual", "nominee_name": fmt.Sprintf("Z %s", who), "award": "bang-khen-tinh"}), 201, who+" creates")
	}
	certificateMatrix(t, s, actors, read)
	adminMatrix(t, s)
}
