package e2e

import (
	"net/http"
	"testing"

	"github.com/tdkt/tdkt/models/seed"
)

// adminOnly is the answers of an administrators' endpoint to the
// matrix's actors: 401 anonymous, 403 to every other role, want to the
// province's administrator.
func adminOnly(want int) []int {
	return []int{401, 403, 403, 403, 403, 403, 403, 403, want}
}

// certificateMatrix issues a certificate for a Phường Đông Hòa nomination
// and checks who downloads it: whoever sees the nomination (want, by
// actor), the nominating body first of all; and that the body's view of
// the nomination names it.
func certificateMatrix(t *testing.T, s *stack, actors []string, want []int) {
	t.Helper()
	id := accepted(t, s, "Vũ Thị Lan", "bang-khen-tinh")
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/rounds/thu-nghiem/council", map[string]any{"held_on": "2026-11-20",
		"members_total": 11, "members_present": 9, "votes": []map[string]any{{"nomination_id": id, "for": 9, "against": 0}}}),
		http.StatusCreated, "council")
	r := must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", map[string]any{"round_id": "thu-nghiem",
		"number": "77/QĐ-UBND", "signed_on": "2026-11-25", "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn Lộc",
		"nomination_ids": []string{id}}), http.StatusCreated, "decision")
	certID := r.body["certificates"].([]any)[0].(map[string]any)["id"].(string)
	for i, who := range actors {
		if got := s.call(who, "GET", "/api/v1/certificates/"+certID+".pdf", nil).status; got != want[i] {
			t.Errorf("GET the certificate as %q: %d, want %d", who, got, want[i])
		}
	}
	mine := must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "the body's nomination")
	if cert, _ := mine.body["certificate"].(map[string]any); cert == nil || cert["id"] != certID || cert["decision_number"] != "77/QĐ-UBND" {
		t.Errorf("the body's nomination does not name its certificate: %v", mine.body["certificate"])
	}
}

// adminMatrix: an administrator manages the accounts of their unit and
// the units under it (own), not the others' (other); only the province's
// administrator changes the holiday calendar and the unit hierarchy.
func adminMatrix(t *testing.T, s *stack) {
	t.Helper()
	must(t, s.call("quantri", "POST", "/api/v1/users", map[string]any{"username": "quantri.sogddt", "full_name": "Quản trị Sở GD&ĐT",
		"role": "admin", "unit_id": seed.EducationID, "password": password}), http.StatusCreated, "department's admin")
	const dept = "quantri.sogddt"
	r := must(t, s.call(dept, "GET", "/api/v1/users", nil), http.StatusOK, "list")
	seen := map[string]bool{}
	for _, it := range r.body["items"].([]any) {
		seen[it.(map[string]any)["username"].(string)] = true
	}
	if len(seen) != 3 || !seen[dept] || !seen["xet.sogddt"] || !seen["donvi.chuyenhungvuong"] {
		t.Errorf("the department's admin lists %v", seen)
	}
	teacher := func(username, unit string) map[string]any {
		return map[string]any{"username": username, "full_name": "Văn thư", "role": "nominator", "unit_id": unit, "password": password}
	}
	for _, c := range []struct {
		who, method, path string
		body              any
		want              int
	}{
		// Own unit and below.
		{dept, "PATCH", "/api/v1/users/u-donvi.chuyenhungvuong", map[string]any{"disabled": false}, 200},
		{dept, "POST", "/api/v1/users/u-xet.sogddt/password", map[string]any{"password": "ngan"}, 422},
		{dept, "POST", "/api/v1/users", teacher("vanthu.thpt-di-an", "thpt-di-an"), 201},
		// Other units: not disclosed, not created in.
		{dept, "PATCH", "/api/v1/users/u-donvi.donghoa", map[string]any{"disabled": true}, 404},
		{dept, "POST", "/api/v1/users/u-xet.dian/password", map[string]any{"password": "mat-khau-moi-2026"}, 404},
		{dept, "POST", "/api/v1/users", teacher("vanthu.donghoa", seed.CommuneID("dong-hoa")), 403},
		{dept, "PATCH", "/api/v1/users/u-quantri", map[string]any{"disabled": true}, 404},
		// Rounds, deadlines and every dossier are the province's.
		{dept, "GET", "/api/v1/nominations", nil, 200},
		{dept, "POST", "/api/v1/rounds", map[string]any{}, 403},
		{dept, "PATCH", "/api/v1/rounds/thu-nghiem", map[string]any{}, 403},
		{dept, "GET", "/api/v1/rounds/thu-nghiem/dashboard", nil, 403},
		{dept, "GET", "/api/v1/rounds/thu-nghiem/report.xlsx", nil, 403},
		// The calendar is the province's.
		{dept, "GET", "/api/v1/holidays?year=2026", nil, 200},
		{dept, "POST", "/api/v1/holidays", map[string]any{"date": "2026-12-01", "name": "Thử"}, 403},
		{dept, "DELETE", "/api/v1/holidays/2026-01-01", nil, 403},
		// So is the unit hierarchy, even the department's own schools.
		{dept, "POST", "/api/v1/units", map[string]any{"id": "thpt-moi", "name": "Trường THPT mới", "kind": "school",
			"parent_id": seed.EducationID, "effective_from": "2026-09-01"}, 403},
		{dept, "PATCH", "/api/v1/units/thpt-di-an", map[string]any{"name": "Trường THPT Dĩ An (mới)"}, 403},
		{dept, "PATCH", "/api/v1/units/" + seed.EducationID, map[string]any{"effective_to": "2027-01-01"}, 403},
		{dept, "GET", "/api/v1/units/thpt-di-an", nil, 200},
		// The province's administrator manages everything.
		{"quantri", "PATCH", "/api/v1/users/u-donvi.chuyenhungvuong", map[string]any{"disabled": false}, 200},
		{"quantri", "POST", "/api/v1/holidays", map[string]any{"date": "2026-12-01", "name": "Thử"}, 201},
		{"quantri", "DELETE", "/api/v1/holidays/2026-12-01", nil, 204},
		{"quantri", "PATCH", "/api/v1/units/thpt-di-an", map[string]any{"name": "Trường THPT Dĩ An"}, 200},
	} {
		if got := s.call(c.who, c.method, c.path, c.body); got.status != c.want {
			t.Errorf("%s %s as %s: %d, want %d: %s", c.method, c.path, c.who, got.status, c.want, got.raw)
		}
	}
	// A unit's administrator sees its own unit's dossiers, as its
	// nominating body would, not the province's.
	for _, it := range must(t, s.call(dept, "GET", "/api/v1/nominations", nil), http.StatusOK, "list").body["items"].([]any) {
		if unit := it.(map[string]any)["unit_id"]; unit != seed.EducationID {
			t.Errorf("the department's admin sees a nomination of %v", unit)
		}
	}
	// Disabling ends the sessions of the account at once.
	s.token("xet.thuanan")
	must(t, s.call("quantri", "PATCH", "/api/v1/users/u-xet.thuanan", map[string]any{"disabled": true}), http.StatusOK, "disable")
	if got := s.call("xet.thuanan", "GET", "/api/v1/inbox", nil).status; got != http.StatusUnauthorized {
		t.Errorf("a disabled account's token: %d, want 401", got)
	}
	must(t, s.call("quantri", "PATCH", "/api/v1/users/u-xet.thuanan", map[string]any{"disabled": false}), http.StatusOK, "enable")
	if got := s.call("xet.thuanan", "GET", "/api/v1/inbox", nil).status; got != http.StatusUnauthorized {
		t.Errorf("a token from before the account was disabled, after enabling: %d, want 401", got)
	}
}
