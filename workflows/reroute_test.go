package workflows

import (
	"testing"
	"time"

	"github.com/tdkt/tdkt/routing"
)

// twoTierFromCommune is the route from the commune's step on as the city
// has it after 30 June 2025: the district gone, the Sở next.
var twoTierFromCommune = routing.Route{Chain: "two-tier", Award: routing.BangKhenTinh, Issuer: routing.Interior,
	Steps: []routing.Step{route.Steps[0], route.Steps[2], route.Steps[3]}}

func TestApprovalReachingAnEndedDistrictGoesToTheSo(t *testing.T) {
	h := newHarness(t)
	h.replan = func(req ReplanStep) Replanned {
		if req.Route.Steps[req.Step].UnitID != "huyen" {
			return Replanned{}
		}
		r := twoTierFromCommune
		return Replanned{Route: &r, Note: "Thành phố Dĩ An thôi hoạt động từ ngày 01/07/2025; hồ sơ chuyển đến Sở GD&ĐT."}
	}
	last := call{UpdateDecide, Decision{Actor: reviewer[3], Action: ActionApprove, Step: 2}, "", StatusAccepted, 2}
	st := h.run([]call{
		{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, "", StatusInReview, 0},
		// The commune's approval lands at the Sở: step 1 is now the Sở's.
		{UpdateDecide, Decision{Actor: reviewer[0], Action: ActionApprove, Step: 0}, "", StatusInReview, 1},
		// The district's reviewer has nothing left to decide.
		{UpdateDecide, Decision{Actor: reviewer[1], Action: ActionApprove, Step: 1}, ErrForbidden, "", 0},
		{UpdateDecide, Decision{Actor: reviewer[2], Action: ActionApprove, Step: 1}, "", StatusInReview, 2},
		last,
	})
	if st.Status != StatusAccepted {
		t.Fatalf("final status %s", st.Status)
	}
	var actions []string
	for _, tr := range h.transitions {
		actions = append(actions, tr.Action)
	}
	want := []string{ActionSubmit, ActionApprove, ActionReroute, ActionApprove, ActionApprove}
	if len(actions) != len(want) {
		t.Fatalf("transitions %v, want %v", actions, want)
	}
	for i := range want {
		if actions[i] != want[i] {
			t.Fatalf("transitions %v, want %v", actions, want)
		}
	}
	rr := h.transitions[2]
	if rr.Route == nil || len(rr.Route.Steps) != 3 || rr.UnitID != "sogd" || rr.Actor.Role != SystemActor.Role || rr.Comment == "" {
		t.Fatalf("the reroute line: %+v", rr)
	}
	if h.transitions[1].Route != nil {
		t.Errorf("the approval carries a route: %+v", h.transitions[1].Route)
	}
}

func TestAwardWhoseAuthorityEndedGoesBackToTheBody(t *testing.T) {
	h := newHarness(t)
	h.replan = func(req ReplanStep) Replanned {
		if req.Step != 1 {
			return Replanned{}
		}
		return Replanned{Stranded: true, Note: "Thẩm quyền Giấy khen của Chủ tịch UBND huyện đã kết thúc ngày 30/06/2025."}
	}
	h.run([]call{
		{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, "", StatusInReview, 0},
		{UpdateDecide, Decision{Actor: reviewer[0], Action: ActionApprove, Step: 0}, "", StatusReturned, 1},
		{UpdateWithdraw, Withdrawal{Actor: body}, "", StatusWithdrawn, 1},
	})
	back := h.transitions[2]
	if back.Action != ActionReturn || back.ToStatus != StatusReturned || back.Actor.Role != SystemActor.Role || back.Comment == "" {
		t.Fatalf("the line giving it back: %+v", back)
	}
}

// A signal from the daily handover moves a nomination that waits at a
// unit which ended after it arrived there.
func TestHandoverSignalMovesAWaitingNomination(t *testing.T) {
	h := newHarness(t)
	ended := false
	h.replan = func(req ReplanStep) Replanned {
		if !ended || req.Route.Steps[req.Step].UnitID != "huyen" {
			return Replanned{}
		}
		r := twoTierFromCommune
		return Replanned{Route: &r, Note: "Thành phố Dĩ An thôi hoạt động."}
	}
	h.env.RegisterDelayedCallback(func() {
		ended = true
		h.env.SignalWorkflow(SignalReroute, Reroute{Reason: "test"})
	}, 150*time.Second)
	h.env.RegisterDelayedCallback(func() {
		st, err := h.env.QueryWorkflow(QueryState)
		if err != nil {
			t.Fatal(err)
		}
		var s State
		if err := st.Get(&s); err != nil {
			t.Fatal(err)
		}
		if s.UnitID != "sogd" || s.Step != 1 || s.Status != StatusInReview {
			t.Errorf("after the handover: %+v, want in review at the Sở (step 1)", s)
		}
	}, 170*time.Second)
	h.run([]call{
		{UpdateSubmit, Submission{Actor: body, DossierVersion: 1}, "", StatusInReview, 0},
		{UpdateDecide, Decision{Actor: reviewer[0], Action: ActionApprove, Step: 0}, "", StatusInReview, 1},
		{UpdateWithdraw, Withdrawal{Actor: body}, "", StatusWithdrawn, 1},
	})
	if n := len(h.transitions); n != 4 || h.transitions[2].Action != ActionReroute {
		t.Fatalf("transitions %+v", h.transitions)
	}
}
