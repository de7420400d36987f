package workflows

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"
)

const day = 24 * time.Hour

var admin = Actor{UserID: "admin", Role: RoleAdmin, UnitID: "tinh"}

// TestDeadlinesRemindEscalateAndRearm runs a nomination whose steps have a
// 14-day term with a reminder 2 days before: the reminder and the
// escalation go out on time, an approval opens a new term, and an
// extension re-arms the timers; nothing is approved by silence.
func TestDeadlinesRemindEscalateAndRearm(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(Nomination, workflow.RegisterOptions{Name: NominationWorkflow})
	var start time.Time
	env.RegisterActivityWithOptions(func(_ context.Context, tr Transition) (Deadline, error) {
		if tr.ToStatus != StatusInReview {
			return Deadline{}, nil
		}
		due := tr.At.Add(14 * day)
		if tr.DueAt != nil {
			due = *tr.DueAt
		}
		return Deadline{DueAt: due, RemindAt: due.Add(-2 * day)}, nil
	}, activity.RegisterOptions{Name: ActivityProjectTransition})
	env.RegisterActivityWithOptions(func(context.Context, ReplanStep) (Replanned, error) { return Replanned{}, nil },
		activity.RegisterOptions{Name: ActivityReplanStep})
	type sent struct {
		kind  string
		step  int
		after time.Duration
	}
	var notices []sent
	env.RegisterActivityWithOptions(func(_ context.Context, n Notice) error {
		notices = append(notices, sent{n.Kind, n.Step, env.Now().Sub(start).Round(time.Hour)})
		return nil
	}, activity.RegisterOptions{Name: ActivityNotifyDeadline})

	// arg is called when the update is sent, so it can use the test clock.
	update := func(at time.Duration, name string, arg func() any) {
		env.RegisterDelayedCallback(func() {
			if start.IsZero() {
				start = env.Now()
			}
			env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { t.Errorf("%s at %v rejected: %v", name, at, err) },
				OnComplete: func(_ any, err error) {
					if err != nil {
						t.Errorf("%s at %v failed: %v", name, at, err)
					}
				},
			}, arg())
		}, at)
	}
	update(time.Nanosecond, UpdateSubmit, func() any { return Submission{Actor: body, DossierVersion: 1} })
	update(20*day, UpdateDecide, func() any { return Decision{Actor: reviewer[0], Action: ActionApprove, Step: 0} })
	// Extend step 1's term (approval at day 20 + 14 days) by 10 days.
	update(25*day, UpdateExtend, func() any {
		return Extension{Actor: admin, Reason: "Chờ kết quả thẩm định", DueAt: start.Add(44 * day)}
	})
	update(50*day, UpdateWithdraw, func() any { return Withdrawal{Actor: body} })

	env.ExecuteWorkflow(NominationWorkflow, Input{NominationID: "n1", BodyUnitID: "school", Route: route})
	if !env.IsWorkflowCompleted() {
		t.Fatal("workflow did not complete")
	}
	want := []sent{
		{NoticeReminder, 0, 12 * day}, {NoticeEscalation, 0, 14 * day},
		{NoticeReminder, 1, 42 * day}, {NoticeEscalation, 1, 44 * day},
	}
	if len(notices) != len(want) {
		t.Fatalf("notices %+v, want %+v", notices, want)
	}
	for i := range want {
		if notices[i] != want[i] {
			t.Errorf("notice %d = %+v, want %+v", i, notices[i], want[i])
		}
	}
	var st State
	if err := env.GetWorkflowResult(&st); err != nil || st.Status != StatusWithdrawn {
		t.Fatalf("final %+v %v", st, err)
	}
}
