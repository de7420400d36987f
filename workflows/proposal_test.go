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

// TestProposalStepsTermsAndDecision: the review passes to the decision,
// whose term ends unanswered (one reminder, nothing decided by silence);
// a decision without its number, or by someone not heading the unit, is
// refused; the head's decision ends it decided.
func TestProposalStepsTermsAndDecision(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.RegisterWorkflowWithOptions(Proposal, workflow.RegisterOptions{Name: ProposalWorkflow})
	var projected []ProposalTransition
	env.RegisterActivityWithOptions(func(_ context.Context, tr ProposalTransition) (Deadline, error) {
		projected = append(projected, tr)
		if tr.ToStatus != StatusInReview {
			return Deadline{}, nil
		}
		return Deadline{DueAt: tr.At.Add(10 * day)}, nil
	}, activity.RegisterOptions{Name: ActivityProjectProposal})
	var reminded []int
	env.RegisterActivityWithOptions(func(_ context.Context, n ProposalNotice) error {
		reminded = append(reminded, n.Seq)
		return nil
	}, activity.RegisterOptions{Name: ActivityNotifyProposal})
	reviewer := Actor{UserID: "r", Role: RoleReviewer, UnitID: "xa"}
	steps := []ProposalStep{{Role: "review", UnitID: "xa", Name: "xét"}, {Role: "decide", UnitID: "xa", Name: "quyết định"}}
	send := func(at time.Duration, d ProposalDecision, wantErr string) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateDecideProposal, "", &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { check(t, d, err, wantErr) },
				OnComplete: func(_ any, err error) {
					check(t, d, err, wantErr)
				},
			}, d)
		}, at)
	}
	send(time.Hour, ProposalDecision{Actor: reviewer, Action: ActionApprove, Step: 0}, "")
	send(20*day, ProposalDecision{Actor: reviewer, Action: ActionApprove, Step: 1, DecisionNumber: "1/QĐ-UBND", DecisionDate: "2026-12-01"}, ErrForbidden)
	send(21*day, ProposalDecision{Actor: reviewer, Head: true, Action: ActionApprove, Step: 1}, ErrInvalid)
	send(22*day, ProposalDecision{Actor: reviewer, Head: true, Action: ActionApprove, Step: 1, DecisionNumber: "1/QĐ-UBND", DecisionDate: "2026-12-01"}, "")
	env.ExecuteWorkflow(ProposalWorkflow, ProposalInput{ProposalID: "p1", Proposer: Actor{UserID: "v", Role: RoleNominator, UnitID: "xa"}, Steps: steps})
	var st ProposalState
	if err := env.GetWorkflowResult(&st); err != nil {
		t.Fatal(err)
	}
	if st.Status != StatusDecided || len(projected) != 3 || !projected[2].Decided || projected[2].DecisionNumber != "1/QĐ-UBND" {
		t.Fatalf("final %+v, projected %+v", st, projected)
	}
	if len(reminded) != 1 || reminded[0] != 2 {
		t.Fatalf("reminders %v, want one for the decision's step", reminded)
	}
}

func check(t *testing.T, d ProposalDecision, err error, want string) {
	t.Helper()
	var ae *temporal.ApplicationError
	switch {
	case want == "" && err != nil:
		t.Errorf("step %d %s: %v", d.Step, d.Action, err)
	case want != "" && (!errors.As(err, &ae) || ae.Type() != want):
		t.Errorf("step %d %s: %v, want %s", d.Step, d.Action, err, want)
	}
}
