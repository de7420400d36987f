package e2e

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/worker"
	"github.com/tdkt/tdkt/workflows"
)

// TestRoundWindowAndQuota runs a round on the embedded server: an
// administrator creates it with a quota, submissions fill the quota (the
// next one gets 409 naming it), the window is moved into the past (the
// round's workflow closes it), and a late submission gets 409 with the
// closing time. The dashboard counts what happened.
func TestRoundWindowAndQuota(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	now := time.Now().UTC()
	r := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "so-ket-thu", "name": "Sơ kết thử nghiệm", "kind": "preliminary", "period_from": 2023, "period_to": 2025,
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(48 * time.Hour), "chain": "three-tier",
		"reference_date": "2025-03-01", "due_working_days": 10, "level_due_days": map[string]int{"district": 15},
		"awards": []string{"bang-khen-tinh", "giay-khen-xa"},
		"quotas": []map[string]any{{"unit_id": "xa-dong-hoa", "award": "bang-khen-tinh", "max": 1}},
	}), http.StatusCreated, "create round")
	roundID := r.str("id")
	waitRoundState(t, s, roundID, models.RoundOpen)

	draft := func(name, award string) string {
		r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": roundID,
			"nominee_kind": "individual", "nominee_name": name, "award": award, "dossier": dossierFor(t, name, award)}),
			http.StatusCreated, "draft")
		return r.str("id")
	}
	first, second, third := draft("Đào Văn A", "bang-khen-tinh"), draft("Đào Văn B", "bang-khen-tinh"), draft("Đào Văn C", "giay-khen-xa")
	must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+first+"/submit", nil), http.StatusOK, "submit within quota")
	r = must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+second+"/submit", nil), http.StatusConflict, "submit over quota")
	if !strings.Contains(r.str("detail"), "tối đa 1 hồ sơ") || !strings.Contains(r.str("detail_en"), "at most 1") {
		t.Fatalf("quota problem does not name the quota: %s", r.raw)
	}
	// Withdrawing frees the place.
	must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+first+"/withdraw", nil), http.StatusOK, "withdraw")
	must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+second+"/submit", nil), http.StatusOK, "submit after withdrawal")

	// The district's term is the round's 15 working days, not the default 10.
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+second+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve")
	r = must(t, s.call("xet.dian", "GET", "/api/v1/nominations/"+second, nil), http.StatusOK, "get")
	due, _ := time.Parse(time.RFC3339, r.str("due_at"))
	if d := due.Sub(now); d < 19*24*time.Hour {
		t.Fatalf("district due in %v, want 15 working days", d)
	}

	// Close the round: it opened two days ago and closed an hour ago.
	closes := now.Add(-time.Hour)
	must(t, s.call("quantri", "PATCH", "/api/v1/rounds/"+roundID, map[string]any{
		"opens_at": now.Add(-48 * time.Hour), "closes_at": closes}), http.StatusOK, "reschedule")
	waitRoundState(t, s, roundID, models.RoundClosed)
	r = must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+third+"/submit", nil), http.StatusConflict, "late submission")
	if !strings.Contains(r.str("detail"), "đã hết hạn nhận hồ sơ") || !strings.Contains(r.str("detail_en"), closes.Truncate(time.Second).Format("2006-01-02T15:04:05")) {
		t.Fatalf("late submission problem lacks the closing time: %s", r.raw)
	}
	must(t, s.call("quantri", "PATCH", "/api/v1/rounds/"+roundID, map[string]any{
		"opens_at": now, "closes_at": now.Add(-time.Minute)}), http.StatusUnprocessableEntity, "close before open")

	d := must(t, s.call("canbo.sonoivu", "GET", "/api/v1/rounds/"+roundID+"/dashboard", nil), http.StatusOK, "dashboard")
	if d.body["total"] != float64(3) {
		t.Fatalf("dashboard total: %s", d.raw)
	}
	quotas := d.body["quotas"].([]any)
	if q := quotas[0].(map[string]any); q["max"] != float64(1) || q["used"] != float64(1) {
		t.Fatalf("quota use %v", q)
	}
	must(t, s.call("donvi.donghoa", "GET", "/api/v1/rounds/"+roundID+"/dashboard", nil), http.StatusForbidden, "body reads dashboard")
}

func waitRoundState(t *testing.T, s *stack, id, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for {
		var r models.Round
		if err := s.db.First(&r, "id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if r.State == want {
			return
		}
		if ctx.Err() != nil {
			t.Fatalf("round %s is %s, want %s", id, r.State, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestAnnualSchedule: the worker's start creates the yearly reminder
// schedule once; its next run is 6 November at 08:00 in Vietnam.
func TestAnnualSchedule(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := worker.EnsureAnnualSchedule(ctx, s.client, taskQueue); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.client.ScheduleClient().GetHandle(ctx, workflows.AnnualReminderScheduleID).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	next := d.Info.NextActionTimes
	if len(next) == 0 {
		t.Fatal("no next action")
	}
	at := next[0].In(calendar.Zone)
	if at.Month() != time.November || at.Day() != 6 || at.Hour() != 8 {
		t.Fatalf("next reminder at %s, want 6 November 08:00", at)
	}
}
