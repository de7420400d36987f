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

	"github.com/tdkt/tdkt/routing"
)

var route = routing.Route{Chain: "three-tier", Award: routing.BangKhenTinh, Issuer: routing.Interior,
	Steps: []routing.Step{
		{Level: routing.Commune, UnitID: "xa", UnitName: "Phường Đông Hòa"},
		{Level: routing.District, UnitID: "huyen", UnitName: "Thành phố Dĩ An"},
		{Level: routing.Education, UnitID: "sogd", UnitName: "Sở GD&ĐT"},
		{Level: routing.Interior, UnitID: "sonv", UnitName: "Sở Nội vụ"},
	}}

var (
	body     = Actor{UserID: "u-body", Name: "Văn thư", Role: RoleNominator, UnitID: "school"}
	other    = Actor{UserID: "u-other", Name: "Khác", Role: RoleNominator, UnitID: "other-school"}
	reviewer = map[int]Actor{
		0: {UserID: "r0", Role: RoleReviewer, UnitID: "xa", Level: routing.Commune},
		1: {UserID: "r1", Role: RoleReviewer, UnitID: "huyen", Level: routing.District},
		2: {UserID: "r2", Role: RoleReviewer, UnitID: "sogd", Level: routing.Education},
		3: {UserID: "r3", Role: RoleInterior, UnitID: "sonv", Level: routing.Interior},
	}
	otherDistrict = Actor{UserID: "r9", Role: RoleReviewer, UnitID: "thuan-an", Level: routing.District}
)

// call is one scripted update and what it must produce.
type call struct {
	update  string
	arg     any
	errType string // expected application error type, "" for success
	status  string // expected status after a success
	step    int
}

type harness struct {
	t           *testing.T
	env         *testsuite.TestWorkflowEnvironment
	transitions []Transition
	// replan answers the ReplanStep activity; nil: every step stands.
	replan func(ReplanStep) Replanned
}

func newHarness(t *testing.T) *harness {
	var s testsuite.WorkflowTestSuite
	h := &harness{t: t, env: s.NewTestWorkflowEnvironment()}
	h.env.RegisterWorkflowWithOptions(Nomination, workflow.RegisterOptions{Name: NominationWorkflow})
	h.env.RegisterActivityWithOptions(func(_ context.Context, tr Transition) error {
		h.transitions = append(h.transitions, tr)
		return nil
	}, activity.RegisterOptions{Name: ActivityProjectTransition})
	h.env.RegisterActivityWithOptions(func(_ context.Context, req ReplanStep) (Replanned, error) {
		if h.replan == nil {
			return Replanned{}, nil
		}
		return h.replan(req), nil
	}, activity.RegisterOptions{Name: ActivityReplanStep})
	return h
}

func (h *harness) run(calls []call) State {
	for i, c := range calls {
		c := c
		h.env.RegisterDelayedCallback(func() {
			h.env.UpdateWorkflow(c.update, "", &testsuite.TestUpdateCallback{
				OnAccept: func() {},
				OnReject: func(err error) { h.check(i, c, nil, err) },
				OnComplete: func(res any, err error) {
					st, _ := res.(State)
					h.check(i, c, &st, err)
				},
			}, c.arg)
		}, time.Duration(i+1)*time.Minute)
	}
	h.env.ExecuteWorkflow(NominationWorkflow, Input{NominationID: "n1", RoundID: "r", BodyUnitID: "school", Route: route})
	var st State
	if h.env.IsWorkflowCompleted() {
		if err := h.env.GetWorkflowResult(&st); err != nil {
			h.t.Fatalf("workflow failed: %v", err)
		}
	}
	return st
}

func (h *harness) check(i int, c call, st *State, err error) {
	h.t.Helper()
	if c.errType != "" {
		var ae *temporal.ApplicationError
		if !errors.As(err, &ae) || ae.Type() != c.errType {
			h.t.Errorf("call %d %s: err = %v, want type %s", i, c.update, err, c.errType)
		}
		return
	}
	if err != nil {
		h.t.Errorf("call %d %s: %v", i, c.update, err)
		return
	}
	if st.Status != c.status || st.Step != c.step {
		h.t.Errorf("call %d %s: state = %s@%d, want %s@%d", i, c.update, st.Status, st.Step, c.status, c.step)
	}
}

func approve(step int) call {
	return call{UpdateDecide, Decision{Actor: reviewer[step], Action: ActionApprove, Step: step}, "", StatusInReview, step + 1}
}

func TestApproveThroughEveryLevel(t *testing.T) {
	h := newHarness(t)
	last := approve(3)
	last.status, last.step = StatusAccepted, 3
	st := h.run([]call{
		{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, "", StatusInReview, 0},
		approve(0), approve(1), approve(2), last,
	})
	if st.Status != StatusAccepted {
		t.Fatalf("final status %s", st.Status)
	}
	if len(h.transitions) != 5 {
		t.Fatalf("%d transitions projected, want 5", len(h.transitions))
	}
	for i, tr := range h.transitions {
		if tr.Seq != i+1 {
			t.Errorf("transition %d has seq %d", i, tr.Seq)
		}
	}
	if got := h.transitions[4].ActedLevel; got != string(routing.Interior) {
		t.Errorf("last approval acted at %q", got)
	}
}

func TestReturnResumesAtTheReturningLevel(t *testing.T) {
	for step := 0; step < len(route.Steps); step++ {
		t.Run(string(route.Steps[step].Level), func(t *testing.T) {
			h := newHarness(t)
			calls := []call{{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, "", StatusInReview, 0}}
			for s := 0; s < step; s++ {
				calls = append(calls, approve(s))
			}
			calls = append(calls,
				call{UpdateDecide, Decision{Actor: reviewer[step], Action: ActionReturn, Step: step}, ErrInvalid, "", 0},
				call{UpdateDecide, Decision{Actor: reviewer[step], Action: ActionReturn, Comment: "Bổ sung minh chứng", Step: step}, "", StatusReturned, step},
				call{UpdateDecide, Decision{Actor: reviewer[step], Action: ActionApprove, Step: step}, ErrConflict, "", 0},
				call{UpdateResubmit, Submission{Actor: body, DossierVersion: 1}, ErrInvalid, "", 0},
				call{UpdateResubmit, Submission{Actor: other, DossierVersion: 2}, ErrForbidden, "", 0},
				call{UpdateResubmit, Submission{Actor: body, DossierVersion: 2}, "", StatusInReview, step},
				call{UpdateWithdraw, Withdrawal{Actor: body}, "", StatusWithdrawn, step},
			)
			st := h.run(calls)
			if st.Status != StatusWithdrawn || st.DossierVersion != 2 {
				t.Fatalf("final state %+v", st)
			}
		})
	}
}

func TestValidatorsRefuseBeforeWriting(t *testing.T) {
	h := newHarness(t)
	h.run([]call{
		{UpdateDecide, Decision{Actor: reviewer[0], Action: ActionApprove, Step: 0}, ErrConflict, "", 0},
		{UpdateSubmit, Submission{Actor: other, DossierVersion: 1}, ErrForbidden, "", 0},
		{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, "", StatusInReview, 0},
		{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, ErrConflict, "", 0},
		approve(0),
		// A Thuận An reviewer cannot decide a Dĩ An step.
		{UpdateDecide, Decision{Actor: otherDistrict, Action: ActionApprove, Step: 1}, ErrForbidden, "", 0},
		// The commune's step is decided already.
		{UpdateDecide, Decision{Actor: reviewer[0], Action: ActionApprove, Step: 0}, ErrConflict, "", 0},
		{UpdateDecide, Decision{Actor: reviewer[1], Action: "sign", Step: 1}, ErrInvalid, "", 0},
		{UpdateDecide, Decision{Actor: body, Action: ActionApprove, Step: 1}, ErrForbidden, "", 0},
		{UpdateDecide, Decision{Actor: reviewer[1], Action: ActionReject, Comment: "Không đủ tiêu chuẩn", Step: 1}, "", StatusRejected, 1},
		{UpdateWithdraw, Withdrawal{Actor: body}, ErrConflict, "", 0},
	})
	if len(h.transitions) != 3 {
		t.Fatalf("%d transitions projected, want 3 (submit, approve, reject): refused calls must write nothing", len(h.transitions))
	}
}
