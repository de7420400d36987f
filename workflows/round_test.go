package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

// TestRoundCalendar opens a round, reminds silent units 7 days before the
// close and closes it; an administrator then extends the close, which
// re-arms the reminder and the closing; a schedule closing before it opens
// is refused.
func TestRoundCalendar(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(Round, workflow.RegisterOptions{Name: RoundWorkflow})
	start := env.Now()
	type event struct {
		what  string
		after time.Duration
	}
	var events []event
	at := func() time.Duration { return env.Now().Sub(start).Round(time.Hour) }
	env.RegisterActivityWithOptions(func(_ context.Context, st RoundState) error {
		events = append(events, event{"state " + st.State, at()})
		return nil
	}, activity.RegisterOptions{Name: ActivityProjectRound})
	env.RegisterActivityWithOptions(func(_ context.Context, s Schedule) error {
		events = append(events, event{"remind", at()})
		return nil
	}, activity.RegisterOptions{Name: ActivityRemindUnits})

	sched := Schedule{RoundID: "r", OpensAt: start.Add(2 * day), ClosesAt: start.Add(30 * day)}
	reschedule := func(when time.Duration, s Schedule, wantErr string) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateReschedule, "", &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) {
					var ae *temporal.ApplicationError
					if wantErr == "" || !errors.As(err, &ae) || ae.Type() != wantErr {
						t.Errorf("reschedule at %v rejected: %v", when, err)
					}
				},
				OnComplete: func(_ any, err error) {
					if err != nil || wantErr != "" {
						t.Errorf("reschedule at %v: err %v, want %q", when, err, wantErr)
					}
				},
			}, s)
		}, when)
	}
	reschedule(10*day, Schedule{RoundID: "r", OpensAt: start, ClosesAt: start}, ErrInvalid)
	// After the close (day 30), reopen until day 40.
	reschedule(35*day, Schedule{RoundID: "r", OpensAt: start.Add(2 * day), ClosesAt: start.Add(40 * day)}, "")
	env.ExecuteWorkflow(RoundWorkflow, sched)
	if !env.IsWorkflowCompleted() {
		t.Fatal("round workflow did not end")
	}
	want := []event{
		{"state open", 2 * day}, {"remind", 23 * day}, {"state closed", 30 * day},
		{"state open", 35 * day}, {"remind", 35 * day}, {"state closed", 40 * day},
	}
	if len(events) != len(want) {
		t.Fatalf("events %+v, want %+v", events, want)
	}
	for i := range want {
		if events[i] != want[i] {
			t.Errorf("event %d = %+v, want %+v", i, events[i], want[i])
		}
	}
}

func TestAnnualReminderAsksForTheYear(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(AnnualReminder, workflow.RegisterOptions{Name: AnnualReminderWorkflow})
	// 5 November 2027, 18:30 UTC is already 6 November in Vietnam.
	env.SetStartTime(time.Date(2027, 11, 5, 18, 30, 0, 0, time.UTC))
	var got int
	env.RegisterActivityWithOptions(func(_ context.Context, year int) error { got = year; return nil },
		activity.RegisterOptions{Name: ActivityRemindAnnual})
	env.ExecuteWorkflow(AnnualReminderWorkflow)
	if err := env.GetWorkflowError(); err != nil || got != 2027 {
		t.Fatalf("reminded for %d (%v), want 2027", got, err)
	}
}
