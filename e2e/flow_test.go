package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"

	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

// demoRoute is the three-tier route of a Phường Đông Hòa nomination in the
// 2025 preliminary round, with the demo reviewer of each level.
var demoRoute = []struct{ level, unit, reviewer string }{
	{"commune", "xa-dong-hoa", "xet.donghoa"},
	{"district", "huyen-di-an", "xet.dian"},
	{"education", "so-gddt", "xet.sogddt"},
	{"interior", "so-noi-vu", "canbo.sonoivu"},
}

func createDraft(t *testing.T, s *stack, name string) string {
	t.Helper()
	r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{
		"round_id": "thu-nghiem", "nominee_kind": "individual", "nominee_name": name,
		"award": "bang-khen-tinh", "dossier": dossierFor(t, name, "bang-khen-tinh"),
	}), http.StatusCreated, "create draft")
	return r.str("id")
}

func submit(t *testing.T, s *stack, id string) response {
	t.Helper()
	return must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/submit", nil), http.StatusOK, "submit")
}

// inboxHas reports whether id is in user's inbox.
func inboxHas(t *testing.T, s *stack, user, id string) bool {
	t.Helper()
	r := must(t, s.call(user, "GET", "/api/v1/inbox?per_page=100", nil), http.StatusOK, "inbox "+user)
	items, _ := r.body["items"].([]any)
	for _, it := range items {
		if it.(map[string]any)["id"] == id {
			return true
		}
	}
	return false
}

func TestThinPathSQLite(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	thinPath(t, s)
}

func TestThinPathPostgres(t *testing.T) {
	s := newStack(t, t.TempDir(), pgtest.DSN(t), true)
	defer s.stop()
	thinPath(t, s)
}

// thinPath creates and submits a nomination over REST and approves it at
// every level, checking the read model after each step.
func thinPath(t *testing.T, s *stack) {
	id := createDraft(t, s, "Nguyễn Thị Hồng")
	r := submit(t, s, id)
	if r.str("status") != workflows.StatusInReview || r.str("current_level") != "commune" {
		t.Fatalf("after submit: %s", r.raw)
	}
	for i, step := range demoRoute {
		var n models.Nomination
		if err := s.db.First(&n, "id = ?", id).Error; err != nil {
			t.Fatal(err)
		}
		if n.Status != workflows.StatusInReview || n.CurrentLevel != step.level || n.CurrentUnitID != step.unit {
			t.Fatalf("step %d: read model says %s at %s/%s, want in_review at %s/%s",
				i, n.Status, n.CurrentLevel, n.CurrentUnitID, step.level, step.unit)
		}
		if !inboxHas(t, s, step.reviewer, id) {
			t.Fatalf("step %d: not in %s's inbox", i, step.reviewer)
		}
		if i > 0 && inboxHas(t, s, demoRoute[i-1].reviewer, id) {
			t.Fatalf("step %d: still in the previous level's inbox", i)
		}
		// A Thuận An reviewer neither sees nor decides a Dĩ An nomination.
		must(t, s.call("xet.thuanan", "POST", "/api/v1/nominations/"+id+"/decisions",
			map[string]any{"action": "approve"}), http.StatusNotFound, "other district decides")
		// The body cannot decide its own nomination.
		must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions",
			map[string]any{"action": "approve"}), http.StatusForbidden, "body decides")
		if i+1 < len(demoRoute) {
			// A reviewer further up the route sees it but cannot decide yet.
			r := must(t, s.call(demoRoute[i+1].reviewer, "POST", "/api/v1/nominations/"+id+"/decisions",
				map[string]any{"action": "approve"}), http.StatusConflict, "next level decides early")
			if !strings.Contains(r.str("detail_en"), "not reached") {
				t.Fatalf("next level decides early: %s", r.raw)
			}
		}
		if i > 0 {
			// The previous level decided already.
			must(t, s.call(demoRoute[i-1].reviewer, "POST", "/api/v1/nominations/"+id+"/decisions",
				map[string]any{"action": "approve"}), http.StatusConflict, "previous level decides again")
		}
		r := must(t, s.call(step.reviewer, "POST", "/api/v1/nominations/"+id+"/decisions",
			map[string]any{"action": "approve", "comment": "Đồng ý đề nghị"}), http.StatusOK, "approve at "+step.level)
		want := workflows.StatusInReview
		if i == len(demoRoute)-1 {
			want = workflows.StatusAccepted
		}
		if r.str("status") != want {
			t.Fatalf("after approval at %s: %s", step.level, r.raw)
		}
	}
	r = must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	history, _ := r.body["history"].([]any)
	if len(history) != 1+len(demoRoute) {
		t.Fatalf("history has %d entries, want %d: %s", len(history), 1+len(demoRoute), r.raw)
	}
	for i, step := range demoRoute {
		h := history[i+1].(map[string]any)
		if h["action"] != "approve" || h["level"] != step.level || h["unit_id"] != step.unit {
			t.Errorf("history[%d] = %v, want approve at %s by %s", i+1, h, step.level, step.unit)
		}
	}
	if r.str("finished_at") == "" || r.body["route"] == nil {
		t.Fatalf("accepted nomination lacks finished_at or route: %s", r.raw)
	}
	must(t, s.call("canbo.sonoivu", "POST", "/api/v1/nominations/"+id+"/decisions",
		map[string]any{"action": "approve", "step": 3}), http.StatusConflict, "decide a finished nomination")
}

// TestRestartResumes stops the whole stack while a nomination waits at the
// district and starts a new one on the same files: it still waits there
// and can be approved onward.
func TestRestartResumes(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "tdkt.db")
	s := newStack(t, dir, dbURL, true)
	id := createDraft(t, s, "Trần Văn Minh")
	submit(t, s, id)
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions",
		map[string]any{"action": "approve"}), http.StatusOK, "approve at commune")
	operatorFinds(t, s, id, "district")
	s.stop()

	s = newStack(t, dir, dbURL, false)
	defer s.stop()
	r := must(t, s.call("xet.dian", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get after restart")
	if r.str("current_level") != "district" {
		t.Fatalf("after restart: %s", r.raw)
	}
	for _, step := range demoRoute[1:] {
		must(t, s.call(step.reviewer, "POST", "/api/v1/nominations/"+id+"/decisions",
			map[string]any{"action": "approve"}), http.StatusOK, "approve after restart at "+step.level)
	}
	r = must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	if r.str("status") != workflows.StatusAccepted {
		t.Fatalf("final: %s", r.raw)
	}
}

// TestConcurrentDecisionsAndIdempotency: two reviewers of the same step at
// the same moment → one decision, one 409; one Idempotency-Key twice → one
// effect.
func TestConcurrentDecisionsAndIdempotency(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	// A second reviewer account of the commune council.
	var second models.User
	if err := s.db.First(&second, "username = ?", "xet.donghoa").Error; err != nil {
		t.Fatal(err)
	}
	second.ID, second.Username, second.FullName = "u-xet.donghoa2", "xet.donghoa2", "Ủy viên Hội đồng TĐKT phường Đông Hòa"
	if err := s.db.Create(&second).Error; err != nil {
		t.Fatal(err)
	}
	s.token("xet.donghoa")
	s.token("xet.donghoa2")

	for round := 0; round < 3; round++ {
		id := createDraft(t, s, "Lê Thị "+[]string{"Lan", "Mai", "Cúc"}[round])
		submit(t, s, id)
		var wg sync.WaitGroup
		results := make([]response, 2)
		actions := []map[string]any{{"action": "approve"}, {"action": "return", "comment": "Bổ sung minh chứng"}}
		for i, user := range []string{"xet.donghoa", "xet.donghoa2"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = s.call(user, "POST", "/api/v1/nominations/"+id+"/decisions", actions[i])
			}()
		}
		wg.Wait()
		codes := map[int]int{}
		for _, r := range results {
			codes[r.status]++
		}
		if codes[http.StatusOK] != 1 || codes[http.StatusConflict] != 1 {
			t.Fatalf("round %d: statuses %d and %d, want one 200 and one 409: %s / %s",
				round, results[0].status, results[1].status, results[0].raw, results[1].raw)
		}
		var decided int64
		s.db.Model(&models.ReviewStep{}).Where("nomination_id = ? AND action IN ?", id, []string{"approve", "return"}).Count(&decided)
		if decided != 1 {
			t.Fatalf("round %d: %d decisions recorded, want 1", round, decided)
		}
	}

	id := createDraft(t, s, "Phạm Văn Tâm")
	submit(t, s, id)
	for i := 0; i < 2; i++ {
		r := must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions",
			map[string]any{"action": "approve"}, "Idempotency-Key", "duyet-1"), http.StatusOK, fmt.Sprintf("idempotent call %d", i))
		if r.str("current_level") != "district" {
			t.Fatalf("call %d: %s", i, r.raw)
		}
	}
	var approvals int64
	s.db.Model(&models.ReviewStep{}).Where("nomination_id = ? AND action = ?", id, "approve").Count(&approvals)
	if approvals != 1 {
		t.Fatalf("%d approvals recorded for one Idempotency-Key, want 1", approvals)
	}
	// The same key with another body is another request: a 422 naming the
	// key, not the first decision's outcome, and nothing recorded.
	r := must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions",
		map[string]any{"action": "reject", "comment": "Không đủ tiêu chuẩn"}, "Idempotency-Key", "duyet-1"),
		http.StatusUnprocessableEntity, "the key reused with another body")
	if !strings.Contains(string(r.raw), "/headers/Idempotency-Key") || !strings.Contains(string(r.raw), "different request") {
		t.Fatalf("the key reused with another body: %s", r.raw)
	}
	var rejections int64
	s.db.Model(&models.ReviewStep{}).Where("nomination_id = ? AND action = ?", id, "reject").Count(&rejections)
	if rejections != 0 {
		t.Fatalf("%d rejections recorded under a key first used for an approval, want 0", rejections)
	}
}

// TestReturnAndResubmit returns a nomination at the district; the body
// edits it and resubmits; it resumes at the district with a new version.
func TestReturnAndResubmit(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	id := createDraft(t, s, "Võ Thị Sáu")
	submit(t, s, id)
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "commune")
	must(t, s.call("xet.dian", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "return"}),
		http.StatusUnprocessableEntity, "return without reasons")
	r := must(t, s.call("xet.dian", "POST", "/api/v1/nominations/"+id+"/decisions",
		map[string]any{"action": "return", "comment": "Bổ sung số liệu năm 2024"}), http.StatusOK, "return")
	if r.str("status") != workflows.StatusReturned {
		t.Fatalf("after return: %s", r.raw)
	}
	if !inboxHas(t, s, "donvi.donghoa", id) {
		t.Fatal("returned nomination not in the body's inbox")
	}
	cur := must(t, s.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	edited := withAchievements(cur.body["dossier"].(map[string]any), "Vận động 150 hội viên tham gia học tập suốt đời, mở 6 lớp tin học cho người cao tuổi và 4 lớp tiếng Anh cộng đồng (số liệu 2024)")
	must(t, s.call("donvi.donghoa", "PATCH", "/api/v1/nominations/"+id, map[string]any{"dossier": edited}), http.StatusOK, "edit")
	r = submit(t, s, id)
	if r.str("status") != workflows.StatusInReview || r.str("current_level") != "district" || r.body["dossier_version"] != float64(2) {
		t.Fatalf("after resubmit: %s", r.raw)
	}
	r = must(t, s.call("xet.dian", "GET", "/api/v1/nominations/"+id+"/versions", nil), http.StatusOK, "versions")
	versions := r.body["items"].([]any)
	if len(versions) != 2 {
		t.Fatalf("%d dossier versions kept, want 2: %s", len(versions), r.raw)
	}
	v2 := versions[1].(map[string]any)
	changes := v2["changes"].([]any)
	if v2["created_by"] != "u-donvi.donghoa" || len(changes) != 1 {
		t.Fatalf("version 2: %v", v2)
	}
	ch := changes[0].(map[string]any)
	if ch["pointer"] != "/dossier/nominee/achievements" || ch["after"] != "Vận động 150 hội viên tham gia học tập suốt đời, mở 6 lớp tin học cho người cao tuổi và 4 lớp tiếng Anh cộng đồng (số liệu 2024)" {
		t.Fatalf("change %v", ch)
	}
	must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations/"+id+"/withdraw", map[string]any{"reason": "Rút để bổ sung năm sau"}),
		http.StatusOK, "withdraw")
	must(t, s.call("xet.dian", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}),
		http.StatusConflict, "decide a withdrawn nomination")
}

// TestDeadlineExtension: a submitted step has a due date in working days;
// an administrator extends it (a reviewer may not), the audit trail records
// it and the due date moves.
func TestDeadlineExtension(t *testing.T) {
	dir := t.TempDir()
	s := newStack(t, dir, "sqlite:"+filepath.Join(dir, "tdkt.db"), true)
	defer s.stop()
	id := createDraft(t, s, "Đỗ Thị Mai")
	r := submit(t, s, id)
	due, err := time.Parse(time.RFC3339, r.str("due_at"))
	if err != nil {
		t.Fatalf("submitted nomination has no due date: %s", r.raw)
	}
	if d := due.Sub(time.Now()); d < 10*24*time.Hour || d > 40*24*time.Hour {
		t.Fatalf("due in %v, want 10 working days", d)
	}
	if r.body["overdue"] != false {
		t.Fatalf("fresh nomination overdue: %s", r.raw)
	}
	ext := map[string]any{"working_days": 5, "reason": "Chờ ý kiến Hội đồng"}
	must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/deadline", ext), http.StatusForbidden, "reviewer extends")
	must(t, s.call("quantri", "POST", "/api/v1/nominations/"+id+"/deadline", map[string]any{"working_days": 0}),
		http.StatusUnprocessableEntity, "extension without days or reason")
	r = must(t, s.call("quantri", "POST", "/api/v1/nominations/"+id+"/deadline", ext), http.StatusOK, "extend")
	newDue, _ := time.Parse(time.RFC3339, r.str("due_at"))
	if d := newDue.Sub(due); d < 5*24*time.Hour || d > 20*24*time.Hour {
		t.Fatalf("due moved by %v, want 5 working days", d)
	}
	r = must(t, s.call("quantri", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	history := r.body["history"].([]any)
	last := history[len(history)-1].(map[string]any)
	if last["action"] != "extend" || last["comment"] != "Chờ ý kiến Hội đồng" {
		t.Fatalf("last history entry %v", last)
	}
	// The reviewer can still decide; the next step gets a fresh term.
	r = must(t, s.call("xet.donghoa", "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}), http.StatusOK, "approve")
	if r.str("due_at") == "" || r.str("due_at") == last["at"] {
		t.Fatalf("next step has no due date: %s", r.raw)
	}
}

// operatorFinds checks that an operator finds the nomination's workflow by
// its search attributes and reads its live state with the state query.
func operatorFinds(t *testing.T, s *stack, id, level string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	query := fmt.Sprintf("TdktStatus = 'in_review' AND TdktLevel = '%s' AND TdktUnit = 'huyen-di-an' AND TdktRound = 'thu-nghiem'", level)
	for {
		res, err := s.client.ListWorkflow(ctx, &workflowservice.ListWorkflowExecutionsRequest{Namespace: "default", Query: query})
		if err != nil {
			t.Fatalf("list %q: %v", query, err)
		}
		if len(res.Executions) == 1 && res.Executions[0].Execution.WorkflowId == workflows.WorkflowID(id) {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("workflow list --query %q found %d executions", query, len(res.Executions))
		}
		time.Sleep(100 * time.Millisecond)
	}
	v, err := s.client.QueryWorkflow(ctx, workflows.WorkflowID(id), "", workflows.QueryState)
	if err != nil {
		t.Fatal(err)
	}
	var st workflows.State
	if err := v.Get(&st); err != nil || st.Level != level || st.DueAt == nil {
		t.Fatalf("state query: %+v %v", st, err)
	}
}

// accepted creates a nomination for award and approves it at every level
// of the demo route.
func accepted(t *testing.T, s *stack, name, award string) string {
	t.Helper()
	r := must(t, s.call("donvi.donghoa", "POST", "/api/v1/nominations", map[string]any{"round_id": "thu-nghiem",
		"nominee_kind": "individual", "nominee_name": name, "award": award, "dossier": dossierFor(t, name, award)}),
		http.StatusCreated, "create")
	id := r.str("id")
	submit(t, s, id)
	for _, step := range demoRoute {
		must(t, s.call(step.reviewer, "POST", "/api/v1/nominations/"+id+"/decisions", map[string]any{"action": "approve"}),
			http.StatusOK, "approve at "+step.level)
	}
	return id
}
