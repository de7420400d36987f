package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/routing"
)

// Nomination carries one nomination up its route. It is started together
// with the submit update (update-with-start); every later change of state
// is an update whose validator refuses a wrong caller or a wrong state
// before anything is written to history, and whose handler projects the
// transition into the read model before answering, so the caller sees the
// database already updated.
func Nomination(ctx workflow.Context, in Input) (State, error) {
	n := &nomination{in: in, state: State{NominationID: in.NominationID, Status: StatusDraft}}
	if len(in.Route.Steps) == 0 {
		return n.state, temporal.NewNonRetryableApplicationError("nomination has an empty route", ErrInvalid, nil)
	}
	if err := workflow.SetQueryHandler(ctx, QueryState, func() (State, error) { return n.state, nil }); err != nil {
		return n.state, err
	}
	updates := []struct {
		name      string
		handler   any
		validator any
	}{
		{UpdateSubmit, n.submit, n.validateSubmit},
		{UpdateDecide, n.decide, n.validateDecide},
		{UpdateResubmit, n.resubmit, n.validateResubmit},
		{UpdateWithdraw, n.withdraw, n.validateWithdraw},
		{UpdateExtend, n.extend, n.validateExtend},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler,
			workflow.UpdateHandlerOptions{Validator: u.validator}); err != nil {
			return n.state, fmt.Errorf("register update %s: %w", u.name, err)
		}
	}
	n.listenReroute(ctx)
	if err := n.watchDeadlines(ctx); err != nil {
		return n.state, err
	}
	return n.state, nil
}

type nomination struct {
	in    Input
	state State
	// remindAt is when the reminder of the current step goes out.
	remindAt time.Time
	// rerouting counts the handover's reroutes in flight, which the
	// workflow waits for before it ends, like update handlers.
	rerouting int
}

func forbidden(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrForbidden)
}

func conflict(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrConflict)
}

func invalid(format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), ErrInvalid)
}

// isBody reports whether the actor speaks for the nominating body.
func (n *nomination) isBody(a Actor) bool { return access.IsBody(a, n.in.BodyUnitID) }

func (n *nomination) validateSubmit(s Submission) error {
	if !n.isBody(s.Actor) {
		return forbidden("only the nominating body can submit this nomination")
	}
	if n.state.Status != StatusDraft {
		return conflict("the nomination was already submitted (status %s)", n.state.Status)
	}
	if s.DossierVersion < 1 {
		return invalid("dossier version must be at least 1")
	}
	return nil
}

func (n *nomination) submit(ctx workflow.Context, s Submission) (State, error) {
	if err := n.validateSubmit(s); err != nil {
		return n.state, err
	}
	n.state.DossierVersion = s.DossierVersion
	return n.enter(ctx, ActionSubmit, 0, s.Actor, s.Comment)
}

func (n *nomination) validateDecide(d Decision) error {
	switch d.Action {
	case ActionApprove:
	case ActionReturn, ActionReject:
		if d.Comment == "" {
			return invalid("a %s needs a comment giving the reasons", d.Action)
		}
	default:
		return invalid("unknown action %q (approve, return or reject)", d.Action)
	}
	steps := n.in.Route.Steps
	if d.Step < 0 || d.Step >= len(steps) {
		return invalid("step %d is not on this nomination's route", d.Step)
	}
	want := steps[d.Step]
	if !access.Reviews(d.Actor, want) {
		if d.Actor.Role != RoleReviewer && d.Actor.Role != RoleInterior {
			return forbidden("only reviewers decide on nominations")
		}
		return forbidden("step %d is reviewed by %s (%s), not by your unit", d.Step, want.UnitName, want.Level)
	}
	if n.state.Terminal() {
		return conflict("the nomination is already %s", n.state.Status)
	}
	if d.Step > n.state.Step {
		return conflict("the nomination has not reached step %d (%s) yet; it is %s at step %d",
			d.Step, want.Level, n.state.Status, n.state.Step)
	}
	if d.Step < n.state.Step || n.state.Status != StatusInReview {
		return conflict("step %d has already been decided; the nomination is %s at step %d",
			d.Step, n.state.Status, n.state.Step)
	}
	return nil
}

func (n *nomination) decide(ctx workflow.Context, d Decision) (State, error) {
	// Validate again: another update may have changed the state between
	// this update's validation and its handler.
	if err := n.validateDecide(d); err != nil {
		return n.state, err
	}
	switch d.Action {
	case ActionApprove:
		if n.state.Step == len(n.in.Route.Steps)-1 {
			return n.transition(ctx, ActionApprove, StatusAccepted, n.state.Step, d.Actor, d.Comment, nil)
		}
		return n.enter(ctx, ActionApprove, n.state.Step+1, d.Actor, d.Comment)
	case ActionReturn:
		return n.transition(ctx, ActionReturn, StatusReturned, n.state.Step, d.Actor, d.Comment, nil)
	default:
		return n.transition(ctx, ActionReject, StatusRejected, n.state.Step, d.Actor, d.Comment, nil)
	}
}

func (n *nomination) validateResubmit(s Submission) error {
	if !n.isBody(s.Actor) {
		return forbidden("only the nominating body can resubmit this nomination")
	}
	if n.state.Status != StatusReturned {
		return conflict("only a returned nomination can be resubmitted (status %s)", n.state.Status)
	}
	if s.DossierVersion <= n.state.DossierVersion {
		return invalid("resubmission needs a new dossier version (have %d, got %d)", n.state.DossierVersion, s.DossierVersion)
	}
	return nil
}

func (n *nomination) resubmit(ctx workflow.Context, s Submission) (State, error) {
	if err := n.validateResubmit(s); err != nil {
		return n.state, err
	}
	n.state.DossierVersion = s.DossierVersion
	// The nomination resumes at the level that returned it.
	return n.enter(ctx, ActionResubmit, n.state.Step, s.Actor, s.Comment)
}

// enter moves the nomination into review at step, then hands it on if the
// unit planned there no longer exists on the day.
func (n *nomination) enter(ctx workflow.Context, action string, step int, actor Actor, comment string) (State, error) {
	if _, err := n.transition(ctx, action, StatusInReview, step, actor, comment, nil); err != nil {
		return n.state, err
	}
	if err := n.reach(ctx); err != nil {
		return n.state, err
	}
	return n.state, nil
}

func (n *nomination) validateWithdraw(w Withdrawal) error {
	if !n.isBody(w.Actor) {
		return forbidden("only the nominating body can withdraw this nomination")
	}
	if n.state.Status != StatusInReview && n.state.Status != StatusReturned {
		return conflict("a nomination that is %s cannot be withdrawn", n.state.Status)
	}
	return nil
}

func (n *nomination) withdraw(ctx workflow.Context, w Withdrawal) (State, error) {
	if err := n.validateWithdraw(w); err != nil {
		return n.state, err
	}
	return n.transition(ctx, ActionWithdraw, StatusWithdrawn, n.state.Step, w.Actor, w.Reason, nil)
}

// transition changes the state synchronously (so a concurrent handler sees
// it at once), then projects it into the read model.
func (n *nomination) transition(ctx workflow.Context, action, to string, step int, actor Actor, comment string, route *routing.Route) (State, error) {
	from := n.state.Status
	acted := ""
	if actor.Role == RoleReviewer || actor.Role == RoleInterior {
		acted = string(n.in.Route.Steps[n.state.Step].Level)
	}
	n.state.Status = to
	n.state.Step = step
	n.state.Level = string(n.in.Route.Steps[step].Level)
	n.state.UnitID = n.in.Route.Steps[step].UnitID
	if n.state.Terminal() {
		n.state.Level, n.state.UnitID = "", ""
	}
	n.state.Seq++
	n.state.DueAt, n.state.Reminded, n.state.Escalated = nil, false, false
	n.remindAt = time.Time{}
	t := Transition{
		NominationID:   n.in.NominationID,
		Seq:            n.state.Seq,
		Action:         action,
		FromStatus:     from,
		ToStatus:       to,
		Step:           step,
		Level:          n.state.Level,
		UnitID:         n.state.UnitID,
		ActedLevel:     acted,
		Actor:          actor,
		Comment:        comment,
		DossierVersion: n.state.DossierVersion,
		At:             workflow.Now(ctx).UTC(),
		Route:          route,
	}
	if err := n.publish(ctx); err != nil {
		return n.state, fmt.Errorf("search attributes: %w", err)
	}
	dl, err := project(ctx, t)
	if err != nil {
		return n.state, err
	}
	// Only adopt the deadline if no other transition happened meanwhile.
	if n.state.Seq == t.Seq && to == StatusInReview && !dl.DueAt.IsZero() {
		due := dl.DueAt
		n.state.DueAt = &due
		n.remindAt = dl.RemindAt
	}
	return n.state, nil
}

// project writes a transition into the read model. It is a local activity:
// a short database write run by the worker inside the workflow task, so an
// update is validated, applied, projected and answered in one round trip.
func project(ctx workflow.Context, t Transition) (Deadline, error) {
	var dl Deadline
	if err := workflow.ExecuteLocalActivity(readModelOptions(ctx), ActivityProjectTransition, t).Get(ctx, &dl); err != nil {
		return dl, fmt.Errorf("project transition %d (%s): %w", t.Seq, t.Action, err)
	}
	return dl, nil
}
