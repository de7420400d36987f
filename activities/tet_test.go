package activities

import (
	"context"
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

// TestDeadlineAcrossTetInTheWorkflow runs a nomination's workflow with the
// real projection and notices over the seeded calendar, the clock skipped
// ahead: submitted on Thursday 12 February 2026, the commune's ten working
// days step over Tết Bính Ngọ (16–20 February), so the reminder goes out
// on 3 March and the escalation on 6 March — mail delivered, the inbox
// flagged, the nomination still waiting at the commune (never approved by
// silence) until the body withdraws it.
func TestDeadlineAcrossTetInTheWorkflow(t *testing.T) {
	db := databases(t)["sqlite"]
	mail, addr := notifytest.Start(t)
	a := &Activities{DB: db, Log: slog.New(slog.DiscardHandler), BaseURL: "https://tdkt.example.vn",
		Mail: notify.SMTP{Addr: addr, From: "tdkt@tdkt.local"}}
	nomination(t, db)
	ctx := context.Background()
	// Đông Hòa's reviewers work for the new Phường Đông Hòa, whose
	// deadline this is (the administrator's succeed step).
	if _, err := models.MoveAccounts(ctx, db, seed.CommuneID("dong-hoa"), seed.NewCommuneID("Phường Đông Hòa")); err != nil {
		t.Fatal(err)
	}
	submitted := time.Date(2026, 2, 12, 10, 0, 0, 0, calendar.Zone)
	dir, err := models.LoadDirectory(ctx, db, submitted)
	if err != nil {
		t.Fatal(err)
	}
	route, err := routing.Plan(dir, routing.TwoTier, seed.NewCommuneID("Phường Đông Hòa"), routing.BangKhenTinh)
	if err != nil {
		t.Fatal(err)
	}

	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(submitted)
	env.RegisterWorkflowWithOptions(workflows.Nomination, workflow.RegisterOptions{Name: workflows.NominationWorkflow})
	env.RegisterActivityWithOptions(a.ProjectTransition, activity.RegisterOptions{Name: workflows.ActivityProjectTransition})
	env.RegisterActivityWithOptions(a.ReplanStep, activity.RegisterOptions{Name: workflows.ActivityReplanStep})
	type sent struct {
		kind string
		at   time.Time
	}
	var notices []sent
	env.RegisterActivityWithOptions(func(ctx context.Context, n workflows.Notice) error {
		notices = append(notices, sent{n.Kind, env.Now().In(calendar.Zone)})
		return a.NotifyDeadline(ctx, n)
	}, activity.RegisterOptions{Name: workflows.ActivityNotifyDeadline})
	body := workflows.Actor{UserID: "u", Role: models.RoleNominator, UnitID: seed.NewCommuneID("Phường Đông Hòa")}
	send := func(after time.Duration, name string, arg any) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { t.Errorf("%s rejected: %v", name, err) },
				OnComplete: func(_ any, err error) {
					if err != nil {
						t.Errorf("%s: %v", name, err)
					}
				},
			}, arg)
		}, after)
	}
	send(time.Nanosecond, workflows.UpdateSubmit, workflows.Submission{Actor: body, DossierVersion: 1})
	// The day before the withdrawal, the inbox shows it overdue, escalated
	// and still at the commune.
	var waiting models.Nomination
	env.RegisterDelayedCallback(func() { db.First(&waiting, "id = ?", "n-1") }, 39*24*time.Hour)
	send(40*24*time.Hour, workflows.UpdateWithdraw, workflows.Withdrawal{Actor: body})
	env.ExecuteWorkflow(workflows.NominationWorkflow, workflows.Input{NominationID: "n-1", RoundID: "so-ket-2025",
		BodyUnitID: seed.NewCommuneID("Phường Đông Hòa"), Route: route})
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}

	want := []sent{
		{workflows.NoticeReminder, time.Date(2026, 3, 3, 0, 0, 0, 0, calendar.Zone)},
		{workflows.NoticeEscalation, time.Date(2026, 3, 6, 0, 0, 0, 0, calendar.Zone)},
	}
	if len(notices) != len(want) {
		t.Fatalf("notices %v, want %v", notices, want)
	}
	for i := range want {
		if notices[i].kind != want[i].kind || !notices[i].at.Equal(want[i].at) {
			t.Errorf("notice %d: %s at %s, want %s at %s", i, notices[i].kind, notices[i].at, want[i].kind, want[i].at)
		}
	}
	if len(mail.Messages()) < 2 {
		t.Fatalf("%d messages delivered, want the reminder and the escalation", len(mail.Messages()))
	}
	if waiting.Status != workflows.StatusInReview || waiting.EscalatedAt == nil || waiting.CurrentLevel != string(routing.Commune) ||
		waiting.DueAt == nil || !waiting.DueAt.Equal(want[1].at) {
		t.Fatalf("read model after the deadline: status %s, escalated %v, level %q, due %v",
			waiting.Status, waiting.EscalatedAt, waiting.CurrentLevel, waiting.DueAt)
	}
	var approvals int64
	db.Model(&models.ReviewStep{}).Where("nomination_id = ? AND action = ?", "n-1", workflows.ActionApprove).Count(&approvals)
	if approvals != 0 {
		t.Fatalf("%d approvals recorded without a reviewer", approvals)
	}
}
