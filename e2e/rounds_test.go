package e2e

import (
	"bytes"
	"context"
	"math"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pdftest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/worker"
	"github.com/tdkt/tdkt/workflows"
)

// TestRoundWindowAndQuota runs a whole round on the embedded server (a
// rehearsal on the province's three tiers of 2025, fixed_routing): an
// administrator creates it with a quota, submissions fill the quota (the
// next one gets 409 naming it), the window is moved into the past (the
// round's workflow closes it), and a late submission gets 409 with the
// closing time. The dashboard counts what happened. The nomination
// submitted before the close then goes on to the end (finishRound).
func TestRoundWindowAndQuota(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	now := time.Now().UTC()
	r := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "so-ket-thu", "name": "Sơ kết thử nghiệm", "kind": "preliminary", "period_from": 2023, "period_to": 2025,
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(48 * time.Hour), "chain": "three-tier",
		"reference_date": "2025-03-01", "fixed_routing": true, "due_working_days": 10, "level_due_days": map[string]int{"district": 15},
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

	finishRound(t, s, roundID, second)
}

// finishRound takes a closed round's nomination for a provincial Bằng khen
// (in review at the district: the commune has approved it) to its end: the
// district, the Department of Education and Interior approve it, it is on
// the consolidated list, the provincial council passes it, Interior issues
// the decision, the decision and the certificate download, the certificate
// verifies, and the round's report counts it in the workbook and the PDF.
// The round's other nominations are one withdrawn Bằng khen and one Giấy
// khen left a draft by the refused late submission.
func finishRound(t *testing.T, s *stack, roundID, id string) {
	n := "/api/v1/nominations/" + id
	for i := 1; i < len(demoRoute); i++ {
		step := demoRoute[i]
		must(t, s.call(step.reviewer, "POST", n+"/decisions", map[string]any{"action": "approve"}),
			http.StatusOK, "approve after the close at "+step.level)
		r := must(t, s.call("donvi.donghoa", "GET", n, nil), http.StatusOK, "get")
		want := workflows.StatusAccepted
		if i+1 < len(demoRoute) {
			want = workflows.StatusInReview
			if r.str("current_level") != demoRoute[i+1].level {
				t.Fatalf("after approval at %s: %s", step.level, r.raw)
			}
		}
		if r.str("status") != want {
			t.Fatalf("after approval at %s: %s, want %s", step.level, r.str("status"), want)
		}
	}

	consolidated := func() map[string]any {
		t.Helper()
		r := must(t, s.call("canbo.sonoivu", "GET", "/api/v1/rounds/"+roundID+"/consolidated", nil), http.StatusOK, "consolidated")
		items := r.body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != id {
			t.Fatalf("consolidated list: %s", r.raw)
		}
		return items[0].(map[string]any)
	}
	if item := consolidated(); item["award_name"] != "Bằng khen của Chủ tịch UBND thành phố" || item["council_passed"] != nil {
		t.Fatalf("consolidated before the council: %v", item)
	}
	today := time.Now().In(calendar.Zone).Format(time.DateOnly)
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/rounds/"+roundID+"/council", map[string]any{
		"held_on": today, "members_total": 11, "members_present": 10,
		"votes": []map[string]any{{"nomination_id": id, "for": 9, "against": 1}}}), http.StatusCreated, "council")
	if item := consolidated(); item["council_passed"] != true || item["council_for"] != float64(9) {
		t.Fatalf("consolidated after the council: %v", item)
	}

	d := must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", map[string]any{"round_id": roundID,
		"number": "45/QĐ-UBND", "signed_on": today, "signer_title": "KT. CHỦ TỊCH – PHÓ CHỦ TỊCH",
		"signer_name": "Nguyễn Lộc Hà", "nomination_ids": []string{id}}), http.StatusCreated, "decision")
	if consolidated()["decision_id"] != d.str("id") {
		t.Fatal("the consolidated list does not show the decision")
	}
	decision := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "quyet-dinh.pdf",
		fetch(t, s, "canbo.sonoivu", "/api/v1/decisions/"+d.str("id")+"/decision.pdf")), 0))
	for _, want := range []string{"Số: 45/QĐ-UBND", "cho 1 cá nhân, tập thể", "1 Đào Văn B Phường Đông Hòa 1"} {
		if !strings.Contains(decision, want) {
			t.Errorf("decision.pdf lacks %q", want)
		}
	}
	cert := d.body["certificates"].([]any)[0].(map[string]any)
	code := cert["verify_code"].(string)
	issuedPDF := pdftest.Write(t, "bang-khen.pdf", fetch(t, s, "donvi.donghoa", "/api/v1/certificates/"+cert["id"].(string)+".pdf"))
	issued := pdftest.Flat(pdftest.Text(t, issuedPDF, 0))
	for _, want := range []string{"BẰNG KHEN", "Đào Văn B", "Quyết định số: 45/QĐ-UBND", "Số vào sổ: 1", code} {
		if !strings.Contains(issued, want) {
			t.Errorf("certificate lacks %q", want)
		}
	}
	// Issued on the 400×300 mm stock, single and in the batch; the draft
	// stays on A4 landscape.
	for what, c := range map[string]struct {
		path string
		w, h float64
	}{
		"certificate": {issuedPDF, 1133.86, 850.39},
		"batch": {pdftest.Write(t, "in.pdf", fetch(t, s, "canbo.sonoivu", "/api/v1/decisions/"+d.str("id")+"/certificates.pdf")),
			1133.86, 850.39},
		"draft": {pdftest.Write(t, "du-thao.pdf", fetch(t, s, "donvi.donghoa", n+"/certificate-draft.pdf")), 841.89, 595.28},
	} {
		if info := pdftest.ReadInfo(t, c.path); math.Abs(info.Width-c.w) > 0.005 || math.Abs(info.Height-c.h) > 0.005 {
			t.Errorf("%s: page %g x %g pts, want %g x %g", what, info.Width, info.Height, c.w, c.h)
		}
	}
	v := must(t, s.call("", "GET", "/verify/"+code, nil, "Accept", "application/json"), http.StatusOK, "verify")
	if v.body["valid"] != true || v.str("recipient") != "Đào Văn B" || v.str("decision_number") != "45/QĐ-UBND" {
		t.Fatalf("verification: %s", v.raw)
	}

	// The report: one Giấy khen draft, one Bằng khen withdrawn, one accepted.
	wb, err := excelize.OpenReader(bytes.NewReader(fetch(t, s, "canbo.sonoivu", "/api/v1/rounds/"+roundID+"/report.xlsx")))
	if err != nil {
		t.Fatal(err)
	}
	byAward := [][]string{
		{"Hình thức khen thưởng", "Đang soạn", "Đang xét", "Trả lại để bổ sung", "Được chấp thuận", "Không chấp thuận", "Đã rút", "Tổng"},
		{"Giấy khen của Chủ tịch UBND xã", "1", "0", "0", "0", "0", "0", "1"},
		{"Bằng khen của Chủ tịch UBND thành phố", "0", "0", "0", "1", "0", "1", "2"},
		{"Tổng cộng", "1", "0", "0", "1", "0", "1", "3"},
	}
	if rows, err := wb.GetRows("Theo hình thức"); err != nil || !reflect.DeepEqual(rows, byAward) {
		t.Errorf("report.xlsx by award = %q (%v), want %q", rows, err, byAward)
	}
	report := pdftest.Flat(pdftest.Text(t, pdftest.Write(t, "bao-cao.pdf",
		fetch(t, s, "canbo.sonoivu", "/api/v1/rounds/"+roundID+"/report.pdf")), 0))
	for _, want := range []string{
		"Đợt Sơ kết thử nghiệm Giai đoạn 2023 – 2025",
		strings.Join(byAward[2], " "), strings.Join(byAward[3], " "),
		"Được chấp thuận 1 Không chấp thuận 0 Đã rút 1 Tổng cộng 3",
		"Phường Đông Hòa 1 0 0 1 0 1 3",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("report.pdf lacks %q", want)
		}
	}
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

// TestRoundRolloverSchedule: the worker's start creates the rollover's
// schedule once, which runs at once: the year's annual round to come
// (next year's from 1 December) exists with its calendar's workflow; its
// next run is 1 December at 08:00 in Vietnam.
func TestRoundRolloverSchedule(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if err := worker.EnsureRoundRollover(ctx, s.client, taskQueue); err != nil {
			t.Fatal(err)
		}
	}
	d, err := s.client.ScheduleClient().GetHandle(ctx, workflows.RoundRolloverScheduleID).Describe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if next := d.Info.NextActionTimes; len(next) == 0 || next[0].In(calendar.Zone).Month() != time.December ||
		next[0].In(calendar.Zone).Day() != 1 || next[0].In(calendar.Zone).Hour() != 8 {
		t.Fatalf("next rollover at %v, want 1 December 08:00", next)
	}
	year := workflows.RolloverYear(time.Now())
	if year > 2030 {
		return // the movement's period is over: the rollover opens none
	}
	id := seed.AnnualRoundID(year)
	deadline := time.Now().Add(time.Minute)
	for {
		var r models.Round
		if err := s.db.First(&r, "id = ?", id).Error; err == nil {
			if _, err := s.client.DescribeWorkflowExecution(ctx, workflows.RoundWorkflowID(id), ""); err == nil {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("round %s or its workflow not there a minute after the schedule's first run", id)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
