package e2e

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/internal/testkit/pgtest"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
)

// TestHolidayReachesEveryProcess runs two api + worker pairs on one
// Temporal server and one PostgreSQL database, as two replicas of a
// deployment. Pair 1's worker is stopped, so every deadline is computed in
// pair 2. Pair 2 computes a first deadline (its cache now holds the
// calendar); a holiday is added through pair 1's API; the deadline pair 2
// computes for the very next step counts it.
func TestHolidayReachesEveryProcess(t *testing.T) {
	ctx := context.Background()
	s1 := newStack(t, t.TempDir(), pgtest.DSN(t), true)
	defer s1.stop()
	s2 := joinStack(t, s1)
	defer s2.stop()
	s1.worker.Stop()

	id := createDraft(t, s2, "Lê Thị Lan")
	submit(t, s2, id)

	// A working day well inside the next step's term: the third from now.
	before, err := models.LoadCalendar(ctx, s1.db)
	if err != nil {
		t.Fatal(err)
	}
	day := before.Due(time.Now(), 3).Add(-time.Hour).In(calendar.Zone).Format(time.DateOnly)
	must(t, s1.call("quantri", "POST", "/api/v1/holidays", map[string]any{"date": day, "name": "Ngày nghỉ (thử)"}),
		http.StatusCreated, "add a holiday through pair 1")

	r := must(t, s2.call(demoRoute[0].reviewer, "POST", "/api/v1/nominations/"+id+"/decisions",
		map[string]any{"action": "approve"}), http.StatusOK, "approve at commune through pair 2")
	if r.str("current_level") != demoRoute[1].level {
		t.Fatalf("after the approval: %s", r.raw)
	}
	r = must(t, s2.call("donvi.donghoa", "GET", "/api/v1/nominations/"+id, nil), http.StatusOK, "get")
	history, _ := r.body["history"].([]any)
	if len(history) != 2 {
		t.Fatalf("history: %s", r.raw)
	}
	at, err := time.Parse(time.RFC3339Nano, history[1].(map[string]any)["at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	due, err := time.Parse(time.RFC3339Nano, r.str("due_at"))
	if err != nil {
		t.Fatalf("due_at: %v: %s", err, r.raw)
	}

	after, err := models.LoadCalendar(ctx, s1.db)
	if err != nil {
		t.Fatal(err)
	}
	var round models.Round
	if err := s1.db.First(&round, "id = ?", seed.DemoRoundID).Error; err != nil {
		t.Fatal(err)
	}
	days := round.DueDays(demoRoute[1].level)
	if want, stale := after.Due(at, days), before.Due(at, days); !due.Equal(want) {
		t.Fatalf("the district's term ends %s; with the holiday of %s it ends %s (without it, %s)", due, day, want, stale)
	} else if want.Equal(stale) {
		t.Fatalf("the holiday of %s does not move the term from %s", day, at)
	}
}
