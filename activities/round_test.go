package activities

import (
	"log/slog"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/notify"
	"github.com/tdkt/tdkt/notify/notifytest"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// TestRoundCalendarWithTheDatabase runs a round's workflow with the real
// activities, the clock skipped ahead: the round opens, the clerks of the
// units that have submitted nothing are reminded a week before the close
// (the unit that did submit is not), the round closes; an administrator
// reopens it for ten more days, which reminds again and closes again. The
// database shows each state when it holds.
func TestRoundCalendarWithTheDatabase(t *testing.T) {
	db := databases(t)["sqlite"]
	mail, addr := notifytest.Start(t)
	a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler), Mail: notify.SMTP{Addr: addr, From: "tdkt@tdkt.local"}}
	const day = 24 * time.Hour
	start := time.Date(2029, 12, 3, 8, 0, 0, 0, calendar.Zone)
	round := models.Round{ID: "tong-ket-thu", Code: "tong-ket-thu", Name: "Tổng kết thử", Kind: models.RoundFinal,
		PeriodFrom: 2023, PeriodTo: 2030, OpensAt: start.Add(2 * day).UTC(), ClosesAt: start.Add(30 * day).UTC(),
		Chain: routing.TwoTier.Code, ReferenceDate: start, DueWorkingDays: 10, Awards: `["bang-khen-tinh"]`,
		State: models.RoundScheduled}
	if err := db.Create(&round).Error; err != nil {
		t.Fatal(err)
	}
	// Phường Đông Hòa has submitted (its nomination has a route); the
	// school has not.
	if err := db.Create(&models.Nomination{ID: "n-r", RoundID: round.ID, UnitID: seed.CommuneID("dong-hoa"), CreatedBy: "u",
		NomineeKind: "individual", NomineeName: "Nguyễn Thị Hồng", Award: "bang-khen-tinh", Dossier: "{}",
		Status: workflows.StatusInReview, Route: `{"steps":[]}`}).Error; err != nil {
		t.Fatal(err)
	}

	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(start)
	env.RegisterWorkflowWithOptions(workflows.Round, workflow.RegisterOptions{Name: workflows.RoundWorkflow})
	env.RegisterActivityWithOptions(a.ProjectRoundState, activity.RegisterOptions{Name: workflows.ActivityProjectRound})
	env.RegisterActivityWithOptions(a.RemindSilentUnits, activity.RegisterOptions{Name: workflows.ActivityRemindUnits})

	type seen struct {
		after    time.Duration
		state    string
		reminded []string
	}
	var got []seen
	look := func(after time.Duration) {
		env.RegisterDelayedCallback(func() {
			var r models.Round
			db.First(&r, "id = ?", round.ID)
			var to []string
			db.Model(&models.Outbox{}).Where("kind = ?", "round-reminder").Order("id").Pluck("recipient", &to)
			got = append(got, seen{after, r.State, to})
		}, after)
	}
	for _, d := range []time.Duration{1, 3, 25, 31, 36, 41} {
		look(d * day)
	}
	env.RegisterDelayedCallback(func() {
		env.UpdateWorkflow(workflows.UpdateReschedule, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(err error) { t.Errorf("reschedule refused: %v", err) },
			OnComplete: func(_ any, err error) {
				if err != nil {
					t.Errorf("reschedule: %v", err)
				}
			},
		}, workflows.Schedule{RoundID: round.ID, OpensAt: round.OpensAt, ClosesAt: start.Add(40 * day).UTC(), RemindDays: 7})
	}, 35*day)
	env.ExecuteWorkflow(workflows.RoundWorkflow, workflows.Schedule{RoundID: round.ID, OpensAt: round.OpensAt,
		ClosesAt: round.ClosesAt, RemindDays: 7})
	if !env.IsWorkflowCompleted() {
		t.Fatal("the round's workflow did not end")
	}
	// The silent clerks: the school's and Phường Dĩ An's (the demo's
	// clerk of the city since 1 July 2025).
	school, phuong := "donvi.chuyenhungvuong@tdkt.local", "vanthu.phuongdian@tdkt.local"
	want := []seen{
		{1 * day, models.RoundScheduled, nil},
		{3 * day, models.RoundOpen, nil},
		{25 * day, models.RoundOpen, []string{school, phuong}},
		{31 * day, models.RoundClosed, []string{school, phuong}},
		{36 * day, models.RoundOpen, []string{school, phuong, school, phuong}},
		{41 * day, models.RoundClosed, []string{school, phuong, school, phuong}},
	}
	if len(got) != len(want) {
		t.Fatalf("observed %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i].after != want[i].after || got[i].state != want[i].state || len(got[i].reminded) != len(want[i].reminded) {
			t.Errorf("after %v: state %s, reminded %v; want %s, %v", want[i].after, got[i].state, got[i].reminded,
				want[i].state, want[i].reminded)
			continue
		}
		for j := range want[i].reminded {
			if got[i].reminded[j] != want[i].reminded[j] {
				t.Errorf("after %v: reminded %v, want %v", want[i].after, got[i].reminded, want[i].reminded)
			}
		}
	}
	if n := len(mail.Messages()); n != 4 {
		t.Fatalf("%d reminders delivered, want 4 (the two silent clerks, once per closing time)", n)
	}
}
