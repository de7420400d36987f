package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/forms"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/worker"
)

// lastReroute is the newest reroute line of a nomination's history.
func lastReroute(r response) map[string]any {
	hist, _ := r.body["history"].([]any)
	for i := len(hist) - 1; i >= 0; i-- {
		if h := hist[i].(map[string]any); h["action"] == "reroute" {
			return h
		}
	}
	return nil
}

// TestStepReachedAfterItsUnitEnded, through the REST API: in a three-tier
// round dated before the reform, a nomination of old Phường Đông Hòa
// submitted now is reviewed by the Phường Đông Hòa of the city that it went
// into, then goes on two tiers (the city's Sở, not the district that
// ended), each hand-over a line of its history.
func TestStepReachedAfterItsUnitEnded(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	round := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "ba-cap-2025", "name": "Đợt xét ba cấp 2025", "kind": "annual", "period_from": 2025, "period_to": 2025,
		"opens_at": "2025-01-01T00:00:00+07:00", "closes_at": "2099-12-31T17:00:00+07:00", "chain": routing.ThreeTier.Code,
		"reference_date": "2025-03-01", "due_working_days": 10, "awards": []string{"bang-khen-tinh"},
	}), http.StatusCreated, "round").str("id")
	name := "Nguyễn Thị Lan"
	id := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{
		"round_id": round, "nominee_kind": "individual", "nominee_name": name,
		"award": "bang-khen-tinh", "dossier": dossierFor(t, name, "bang-khen-tinh"),
	}), http.StatusCreated, "draft").str("id")
	phuong := seed.NewCommuneID("Phường Đông Hòa")
	r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", nil), http.StatusOK, "submit")
	if r.str("current_unit_id") != phuong || r.str("status") != "in_review" {
		t.Fatalf("after submission: at %s (%s), want %s", r.str("current_unit_id"), r.str("status"), phuong)
	}
	r = must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	line := lastReroute(r)
	if line == nil || !strings.Contains(line["comment"].(string), "Phường Đông Hòa thôi hoạt động từ ngày 01/07/2025") ||
		line["actor_name"] != "Hệ thống tdkt" {
		t.Fatalf("the reroute line: %v", r.body["history"])
	}
	steps := r.body["route"].(map[string]any)["steps"].([]any)
	var units []string
	for _, st := range steps {
		units = append(units, st.(map[string]any)["unit_id"].(string))
	}
	if want := []string{phuong, seed.CityEducationID, seed.CityInteriorID}; strings.Join(units, " ") != strings.Join(want, " ") {
		t.Fatalf("route %v, want %v", units, want)
	}

	must(t, s.call("quantri", "POST", "/api/v1/users", map[string]any{"username": "xet.phuongdonghoa", "full_name": "Cán bộ phường Đông Hòa",
		"role": "reviewer", "unit_id": phuong, "password": password, "email": "xet.phuongdonghoa@tdkt.local"}), http.StatusCreated, "reviewer")
	if r := s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}); r.status == http.StatusOK {
		t.Fatal("the old commune's reviewer decided a step that is no longer theirs")
	}
	r = must(t, s.call("xet.phuongdonghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}),
		http.StatusOK, "the phường approves")
	if r.str("current_unit_id") != seed.CityEducationID {
		t.Fatalf("after the phường: at %s, want the city's Sở GD&ĐT", r.str("current_unit_id"))
	}
	if r := s.call("xet.dian", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve", "step": 1}); r.status == http.StatusOK {
		t.Fatal("the ended district decided")
	}
	// The old phường's clerk, moved to the phường it went into, carries
	// its nomination on.
	must(t, s.call("quantri", "POST", "/api/v1/units/"+seed.CommuneID("dong-hoa")+"/succeed", map[string]any{"to": phuong}), http.StatusOK, "succeed")
	if r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/withdraw", map[string]any{"reason": "Hồ sơ lập lại"}),
		http.StatusOK, "the moved clerk withdraws"); r.str("status") != "withdrawn" {
		t.Fatalf("after the withdrawal: %s", r.raw)
	}
}

// TestHandoverOfANominationWaitingAtAnEndedUnit, through the REST API: a
// nomination waits at a commune that the administrator then ends, with
// its successor; the daily handover (its schedule runs once when created)
// moves it there with a line in its history, and the successor's reviewer
// decides it.
func TestHandoverOfANominationWaitingAtAnEndedUnit(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	today := time.Now().In(calendar.Zone).Format(time.DateOnly)
	for _, u := range []map[string]any{
		{"id": "xa-thu-mot", "code": "99001", "name": "Xã Thử Một", "effective_from": "2026-01-01"},
		{"id": "xa-thu-hai", "code": "99002", "name": "Xã Thử Hai", "effective_from": today},
	} {
		u["kind"], u["review_level"], u["parent_id"] = "commune", "commune", seed.CityID
		must(t, s.call("quantri", "POST", "/api/v1/units", u), http.StatusCreated, "unit "+u["id"].(string))
	}
	for _, u := range []map[string]any{
		{"username": "vanthu.thumot", "role": "nominator", "unit_id": "xa-thu-mot"},
		{"username": "xet.thumot", "role": "reviewer", "unit_id": "xa-thu-mot"},
		{"username": "xet.thuhai", "role": "reviewer", "unit_id": "xa-thu-hai", "head": true},
	} {
		u["full_name"], u["password"], u["email"] = u["username"], password, u["username"].(string)+"@tdkt.local"
		must(t, s.call("quantri", "POST", "/api/v1/users", u), http.StatusCreated, "user "+u["username"].(string))
	}
	round := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "thu-ban-giao", "name": "Đợt thử bàn giao", "kind": "annual", "period_from": 2026, "period_to": 2026,
		"opens_at": "2026-01-01T00:00:00+07:00", "closes_at": "2099-12-31T17:00:00+07:00", "chain": routing.TwoTier.Code,
		"reference_date": "2026-01-01", "due_working_days": 10, "awards": []string{"giay-khen-xa"},
	}), http.StatusCreated, "round").str("id")
	nominee := "Hộ gia đình bà Phan Thị Mến"
	dossier, err := forms.ExampleFor(forms.KindHousehold, nominee, routing.GiayKhenXa, 1)
	if err != nil {
		t.Fatal(err)
	}
	id := must(t, s.call("vanthu.thumot", "POST", "/api/v1/nominations", map[string]any{"round_id": round,
		"nominee_kind": forms.KindHousehold, "nominee_name": nominee, "award": "giay-khen-xa", "dossier": dossier}),
		http.StatusCreated, "nomination").str("id")
	if r := must(t, s.call("vanthu.thumot", "POST", "/api/v1/nominations/"+id+"/submit", nil), http.StatusOK, "submit"); r.str("current_unit_id") != "xa-thu-mot" {
		t.Fatalf("submitted to %s", r.str("current_unit_id"))
	}

	must(t, s.call("quantri", "PATCH", "/api/v1/units/xa-thu-mot", map[string]any{"effective_to": today}), http.StatusOK, "end the commune")
	must(t, s.call("quantri", "PUT", "/api/v1/units/xa-thu-mot/successors", map[string]any{
		"successors": []map[string]any{{"id": "xa-thu-hai", "share": "full"}}}), http.StatusOK, "its successor")
	if err := worker.EnsureHandover(context.Background(), s.client, taskQueue); err != nil {
		t.Fatal(err)
	}
	var r response
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(200 * time.Millisecond) {
		r = must(t, s.call("quantri", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
		if r.str("current_unit_id") == "xa-thu-hai" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after the handover's run, the nomination is still at %s", r.str("current_unit_id"))
		}
	}
	line := lastReroute(r)
	if line == nil || !strings.Contains(line["comment"].(string), "Xã Thử Một thôi hoạt động từ ngày") ||
		!strings.Contains(line["comment"].(string), "Xã Thử Hai") {
		t.Fatalf("the handover's line: %v", r.body["history"])
	}
	if r.body["due_at"] == nil {
		t.Error("the successor's step has no deadline")
	}
	if r := s.call("xet.thumot", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}); r.status == http.StatusOK {
		t.Fatal("the ended commune's reviewer decided")
	}
	if r := must(t, s.call("xet.thuhai", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}),
		http.StatusOK, "the successor approves"); r.str("status") != "accepted" {
		t.Fatalf("after the successor's approval: %s", r.raw)
	}
}
