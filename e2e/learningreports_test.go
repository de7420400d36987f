package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/worker"
	"github.com/tdkt/tdkt/workflows"
)

// TestTwentiethNovemberReport, through the REST API: the yearly schedule
// (run once when created) drafts Phường Dĩ An's report of the year,
// addressed to the city's Sở GD&ĐT; the phường's clerk writes it and sends
// it, with the register's figures frozen, twice (two versions); the Sở's
// officer finds it among those received and receives it, after which it
// can be neither edited nor sent again.
func TestTwentiethNovemberReport(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	now := time.Now().In(calendar.Zone)
	if err := worker.EnsureLearningReports(context.Background(), s.client, taskQueue); err != nil {
		t.Fatal(err)
	}
	if now.Month() < time.November {
		// Before November the schedule's first run drafts nothing (its
		// 1 November run will): draft as that run does.
		if _, err := (&activities.Activities{DB: s.db, Log: testLogger(t)}).DraftLearningReports(context.Background(), workflows.ReportsYear{Year: now.Year()}); err != nil {
			t.Fatal(err)
		}
	}
	year := strconv.Itoa(now.Year())
	dian := seed.NewCommuneID("Phường Dĩ An")
	var id string
	for deadline := time.Now().Add(time.Minute); id == ""; time.Sleep(200 * time.Millisecond) {
		r := must(t, s.call("vanthu.phuongdian", "GET", "/api/v1/learning/reports?year="+year, nil), http.StatusOK, "reports")
		for _, it := range r.body["sent"].([]any) {
			if rep := it.(map[string]any); rep["unit_id"] == dian && rep["kind"] == "annual" {
				id = rep["id"].(string)
				if rep["to_unit_id"] != seed.CityEducationID || rep["status"] != models.ReportDraft {
					t.Fatalf("the draft: %v", rep)
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("no draft report a minute after the schedule's first run")
		}
	}
	path := "/api/v1/learning/reports/" + id
	must(t, s.call("vanthu.phuongdian", "POST", path+"/submit", nil), http.StatusUnprocessableEntity, "submit without results")
	must(t, s.call("vanthu.phuongdian", "PATCH", path, map[string]any{"sections": map[string]any{
		"ket_qua": "Năm nay phường công nhận 30 Gia đình học tập.", "kien_nghi": "Đề nghị bổ sung kinh phí."}}), http.StatusOK, "write")
	must(t, s.call("vanthu.phuongdian", "PATCH", path, map[string]any{"sections": map[string]any{"khac": "x"}}),
		http.StatusUnprocessableEntity, "an unknown section")
	must(t, s.call("donvi.donghoa", "PATCH", path, map[string]any{"sections": map[string]any{"ket_qua": "x"}}), http.StatusNotFound, "another unit")
	must(t, s.call("vanthu.phuongdian", "POST", path+"/submit", nil), http.StatusOK, "submit")
	r := must(t, s.call("vanthu.phuongdian", "POST", path+"/submit", nil), http.StatusOK, "a corrected version")
	if r.body["version"] != float64(2) || r.body["status"] != models.ReportSubmitted || len(r.body["versions"].([]any)) != 2 ||
		len(r.body["figures"].([]any)) == 0 {
		t.Fatalf("after two submissions: %s", r.raw)
	}

	must(t, s.call("quantri", "POST", "/api/v1/users", map[string]any{"username": "xet.sogddt.tphcm", "full_name": "Phòng TĐKT Sở GD&ĐT Thành phố",
		"role": "reviewer", "unit_id": seed.CityEducationID, "password": password, "email": "xet.sogddt.tphcm@tdkt.local"}), http.StatusCreated, "the Sở's officer")
	must(t, s.call("vanthu.phuongdian", "POST", path+"/receive", nil), http.StatusForbidden, "the sender receives")
	in := must(t, s.call("xet.sogddt.tphcm", "GET", "/api/v1/learning/reports?year="+year, nil), http.StatusOK, "the Sở's list")
	found := false
	for _, it := range in.body["received"].([]any) {
		found = found || it.(map[string]any)["id"] == id
	}
	if !found {
		t.Fatalf("the Sở does not see the phường's report: %s", in.raw)
	}
	if r := must(t, s.call("xet.sogddt.tphcm", "POST", path+"/receive", nil), http.StatusOK, "receive"); r.body["status"] != models.ReportReceived {
		t.Fatalf("received: %s", r.raw)
	}
	must(t, s.call("vanthu.phuongdian", "POST", path+"/submit", nil), http.StatusConflict, "send after receipt")
	must(t, s.call("vanthu.phuongdian", "PATCH", path, map[string]any{"sections": map[string]any{"ket_qua": "x"}}), http.StatusConflict, "edit after receipt")
}
