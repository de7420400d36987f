package e2e

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/workflows"
)

// historyDir holds the recorded histories that workflows' replay test
// replays against the current code.
const historyDir = "../workflows/testdata/histories"

// TestHistoriesReplay drives nominations through every kind of path on the
// real server, then replays their histories against the current workflow
// code. With TDKT_RECORD_HISTORIES=1 it also writes them to
// workflows/testdata/histories, where they guard running nominations
// against incompatible changes.
func TestHistoriesReplay(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	decide := func(user, id string, body map[string]any) {
		t.Helper()
		must(t, s.call(user, "POST", "/api/v1/nominations/"+id+"/decisions", body), http.StatusOK, user+" decides")
	}
	scenarios := map[string]string{}

	id := createDraft(t, s, "Hoàng Văn Thụ")
	submit(t, s, id)
	decide("xet.donghoa", id, map[string]any{"action": "approve"})
	must(t, s.call("quantri", "POST", "/api/v1/nominations/"+id+"/deadline",
		map[string]any{"working_days": 3, "reason": "Chờ biên bản họp"}), http.StatusOK, "extend")
	for _, u := range []string{"xet.dian", "xet.sogddt", "canbo.sonoivu"} {
		decide(u, id, map[string]any{"action": "approve"})
	}
	scenarios["accepted-with-extension"] = id

	id = createDraft(t, s, "Lý Thị Thu")
	submit(t, s, id)
	decide("xet.donghoa", id, map[string]any{"action": "approve"})
	decide("xet.dian", id, map[string]any{"action": "return", "comment": "Bổ sung minh chứng"})
	cur := must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	edited := withAchievements(cur.body["dossier"].(map[string]any), "Đã bổ sung minh chứng về 12 chuyên đề sinh hoạt chuyên môn, 8 học sinh giỏi cấp tỉnh và 15.000.000 đồng vận động cho Quỹ khuyến học.")
	must(t, s.call("donvi.donghoa", "PATCH", "/api/v1/nominations/"+id, map[string]any{"dossier": edited}), http.StatusOK, "edit")
	submit(t, s, id)
	decide("xet.dian", id, map[string]any{"action": "approve"})
	decide("xet.sogddt", id, map[string]any{"action": "reject", "comment": "Chưa đủ tiêu chuẩn"})
	scenarios["returned-resubmitted-rejected"] = id

	id = createDraft(t, s, "Mai Văn Hùng")
	submit(t, s, id)
	must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/withdraw", nil), http.StatusOK, "withdraw")
	scenarios["withdrawn"] = id

	// Routed by the day: a three-tier round of before the reform, whose
	// commune and district have ended, goes to the city's Phường Đông Hòa
	// and on two tiers; a handover signal finds nothing more to move.
	ba := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "ba-cap-2025", "name": "Đợt xét ba cấp 2025", "kind": "annual", "period_from": 2025, "period_to": 2025,
		"opens_at": "2025-01-01T00:00:00+07:00", "closes_at": "2099-12-31T17:00:00+07:00", "chain": "three-tier",
		"reference_date": "2025-03-01", "due_working_days": 10, "awards": []string{"bang-khen-tinh"}}), http.StatusCreated, "three-tier round").str("id")
	id = must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": ba, "nominee_kind": "individual",
		"nominee_name": "Đỗ Văn Nam", "award": "bang-khen-tinh", "dossier": dossierFor(t, "Đỗ Văn Nam", "bang-khen-tinh")}), http.StatusCreated, "draft").str("id")
	submit(t, s, id)
	must(t, s.call("quantri", "POST", "/api/v1/users", map[string]any{"username": "xet.phuongdonghoa", "full_name": "Cán bộ phường Đông Hòa",
		"role": "reviewer", "unit_id": seed.NewCommuneID("Phường Đông Hòa"), "password": password, "email": "xet.phuongdonghoa@tdkt.local"}),
		http.StatusCreated, "reviewer")
	decide("xet.phuongdonghoa", id, map[string]any{"action": "approve"})
	if err := s.client.SignalWorkflow(context.Background(), workflows.WorkflowID(id), "", workflows.SignalReroute, workflows.Reroute{Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/withdraw", nil), http.StatusOK, "withdraw")
	scenarios["rerouted-by-the-day"] = id

	// A round: created open, then moved into the past, so its workflow
	// opens, reminds and closes; it keeps running (waiting for changes).
	now := time.Now().UTC()
	r := must(t, s.call("quantri", "POST", "/api/v1/rounds", map[string]any{
		"code": "lich-su", "name": "Đợt ghi lịch sử", "kind": "annual", "period_from": 2026, "period_to": 2026,
		"opens_at": now.Add(-time.Hour), "closes_at": now.Add(24 * time.Hour), "chain": "two-tier",
		"reference_date": "2026-01-01", "due_working_days": 10, "awards": []string{"giay-khen-xa"}}), http.StatusCreated, "round")
	roundID := r.str("id")
	waitRoundState(t, s, roundID, "open")
	must(t, s.call("quantri", "PATCH", "/api/v1/rounds/"+roundID, map[string]any{
		"opens_at": now.Add(-48 * time.Hour), "closes_at": now.Add(-time.Hour)}), http.StatusOK, "reschedule")
	waitRoundState(t, s, roundID, "closed")

	// The decision over the accepted nominee renders its certificate.
	accepted := scenarios["accepted-with-extension"]
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/rounds/thu-nghiem/council", map[string]any{"held_on": "2026-11-20",
		"members_total": 11, "members_present": 9, "votes": []map[string]any{{"nomination_id": accepted, "for": 9, "against": 0}}}),
		http.StatusCreated, "council")
	decision := must(t, s.call("canbo.sonoivu", "POST", "/api/v1/decisions", map[string]any{"round_id": "thu-nghiem",
		"number": "79/QĐ-UBND", "signed_on": "2026-11-25", "signer_title": "CHỦ TỊCH", "signer_name": "Nguyễn Văn Lộc",
		"nomination_ids": []string{accepted}}), http.StatusCreated, "decision")

	record := os.Getenv("TDKT_RECORD_HISTORIES") == "1"
	histories := map[string]*historypb.History{"round-closed": fetchHistory(t, s, workflows.RoundWorkflowID(roundID), false),
		"decision-certificates": fetchHistory(t, s, workflows.CertificatesWorkflowID(decision.str("id")), true)}
	for name, id := range scenarios {
		histories[name] = fetchHistory(t, s, workflows.WorkflowID(id), true)
	}
	for name, h := range histories {
		raw, err := protojson.MarshalOptions{Multiline: true, Indent: "  "}.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), name+".json")
		if record {
			path = filepath.Join(historyDir, name+".json")
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			t.Fatal(err)
		}
		replayer := sdkworker.NewWorkflowReplayer()
		replayer.RegisterWorkflowWithOptions(workflows.Nomination, workflow.RegisterOptions{Name: workflows.NominationWorkflow})
		replayer.RegisterWorkflowWithOptions(workflows.Round, workflow.RegisterOptions{Name: workflows.RoundWorkflow})
		replayer.RegisterWorkflowWithOptions(workflows.DecisionCertificates, workflow.RegisterOptions{Name: workflows.CertificatesWorkflow})
		if err := replayer.ReplayWorkflowHistoryFromJSONFile(slogLogger{}, path); err != nil {
			t.Fatalf("replay %s: %v", name, err)
		}
	}
}

func fetchHistory(t *testing.T, s *stack, workflowID string, closed bool) *historypb.History {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Wait for the workflow to close so the history is complete.
	if closed {
		if err := s.client.GetWorkflow(ctx, workflowID, "").Get(ctx, nil); err != nil {
			t.Fatalf("%s: %v", workflowID, err)
		}
	}
	it := s.client.GetWorkflowHistory(ctx, workflowID, "", false, 0)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatal(err)
		}
		h.Events = append(h.Events, ev)
	}
	return h
}

// slogLogger quiets the replayer.
type slogLogger struct{}

func (slogLogger) Debug(string, ...any) {}
func (slogLogger) Info(string, ...any)  {}
func (slogLogger) Warn(msg string, kv ...any) {
	slog.Warn(msg, kv...)
}
func (slogLogger) Error(msg string, kv ...any) { slog.Error(msg, kv...) }
