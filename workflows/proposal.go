package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Names of the proposals of learning titles' workflow.
const (
	ProposalWorkflow        = "LearningProposal"
	UpdateDecideProposal    = "decide-proposal"
	QueryProposal           = "proposal"
	ActivityProjectProposal = "ProjectProposal"
	ActivityNotifyProposal  = "NotifyProposal"
	StatusDecided           = "decided"
)

// ProposalWorkflowID is the ID of a proposal's workflow.
func ProposalWorkflowID(id string) string { return "learning-proposal-" + id }

// ProposalStep is one step of a proposal's route: its role (review or
// decide), the unit that takes it, and its term.
type ProposalStep struct {
	Role         string `json:"role"`
	UnitID       string `json:"unit_id"`
	Name         string `json:"name"`
	WorkingDays  int    `json:"working_days,omitempty"`
	CalendarDays int    `json:"calendar_days,omitempty"`
}

// ProposalInput starts a proposal's workflow.
type ProposalInput struct {
	ProposalID string         `json:"proposal_id"`
	Proposer   Actor          `json:"proposer"`
	Steps      []ProposalStep `json:"steps"`
}

// ProposalDecision is the argument of the decide-proposal update. Head
// says the caller heads their unit, which a decide step needs.
type ProposalDecision struct {
	Actor          Actor  `json:"actor"`
	Head           bool   `json:"head"`
	Action         string `json:"action"` // approve or reject
	Comment        string `json:"comment,omitempty"`
	Step           int    `json:"step"`
	DecisionNumber string `json:"decision_number,omitempty"`
	DecisionDate   string `json:"decision_date,omitempty"`
}

// ProposalState is a proposal's live state.
type ProposalState struct {
	ProposalID string     `json:"proposal_id"`
	Status     string     `json:"status"`
	Step       int        `json:"step"`
	UnitID     string     `json:"unit_id,omitempty"`
	Seq        int        `json:"seq"`
	DueAt      *time.Time `json:"due_at,omitempty"`
	Reminded   bool       `json:"reminded,omitempty"`
}

// ProposalTransition is one change of a proposal, projected by the
// ProjectProposal activity; with Decided set it records the recognitions
// in the same transaction.
type ProposalTransition struct {
	ProposalID     string       `json:"proposal_id"`
	Seq            int          `json:"seq"`
	Action         string       `json:"action"`
	Step           int          `json:"step"`
	Term           ProposalStep `json:"term"`
	ToStatus       string       `json:"to_status"`
	Actor          Actor        `json:"actor"`
	Comment        string       `json:"comment,omitempty"`
	At             time.Time    `json:"at"`
	Decided        bool         `json:"decided,omitempty"`
	DecisionNumber string       `json:"decision_number,omitempty"`
	DecisionDate   string       `json:"decision_date,omitempty"`
}

// ProposalNotice asks the NotifyProposal activity to remind a step's unit.
type ProposalNotice struct {
	ProposalID string    `json:"proposal_id"`
	Seq        int       `json:"seq"`
	UnitID     string    `json:"unit_id"`
	DueAt      time.Time `json:"due_at"`
}

// Proposal carries a proposal of recognitions through its steps: each
// step's unit approves (the last, its head, with the decision's number
// and date, which records the recognitions) or rejects with its reasons,
// within the step's term; the unit is reminded when the term ends.
// Nothing is decided by silence.
func Proposal(ctx workflow.Context, in ProposalInput) (ProposalState, error) {
	if len(in.Steps) == 0 {
		return ProposalState{}, temporal.NewNonRetryableApplicationError("proposal has no steps", ErrInvalid, nil)
	}
	p := &proposal{in: in, state: ProposalState{ProposalID: in.ProposalID}}
	if err := workflow.SetQueryHandler(ctx, QueryProposal, func() (ProposalState, error) { return p.state, nil }); err != nil {
		return p.state, err
	}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateDecideProposal, p.decide,
		workflow.UpdateHandlerOptions{Validator: p.validate}); err != nil {
		return p.state, err
	}
	if err := p.move(ctx, ActionSubmit, StatusInReview, 0, in.Proposer, "", ProposalDecision{}); err != nil {
		return p.state, err
	}
	for {
		if p.state.Status != StatusInReview {
			return p.state, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
		}
		seq, due := p.state.Seq, p.state.DueAt
		// The term is adopted after its projection returns: a change of
		// either wakes the loop to arm the new one.
		changed := func() bool { return p.state.Seq != seq || p.state.DueAt != due }
		if due == nil || p.state.Reminded {
			if err := workflow.Await(ctx, changed); err != nil {
				return p.state, err
			}
			continue
		}
		if wait := due.Sub(workflow.Now(ctx)); wait > 0 {
			woken, err := workflow.AwaitWithTimeout(ctx, wait, changed)
			if err != nil {
				return p.state, err
			}
			if woken {
				continue
			}
		}
		p.state.Reminded = true
		notice := ProposalNotice{ProposalID: in.ProposalID, Seq: p.state.Seq, UnitID: p.state.UnitID, DueAt: *due}
		actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute,
			RetryPolicy: &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Minute, MaximumAttempts: 50}})
		workflow.Go(ctx, func(ctx workflow.Context) {
			if err := workflow.ExecuteActivity(actx, ActivityNotifyProposal, notice).Get(ctx, nil); err != nil {
				workflow.GetLogger(ctx).Error("proposal reminder failed", "error", err)
			}
		})
	}
}

type proposal struct {
	in    ProposalInput
	state ProposalState
}

func (p *proposal) validate(d ProposalDecision) error {
	if p.state.Status != StatusInReview {
		return conflict("the proposal is already %s", p.state.Status)
	}
	if d.Step != p.state.Step {
		return conflict("the proposal is at step %d, not %d", p.state.Step, d.Step)
	}
	step := p.in.Steps[d.Step]
	if d.Actor.UnitID != step.UnitID || (d.Actor.Role != RoleReviewer && d.Actor.Role != RoleInterior) {
		return forbidden("step %d (%s) is taken by its unit's reviewers", d.Step, step.Name)
	}
	switch d.Action {
	case ActionApprove:
		if step.Role == "decide" {
			if !d.Head {
				return forbidden("the decision of step %d is its unit's head's", d.Step)
			}
			if d.DecisionNumber == "" || d.DecisionDate == "" {
				return invalid("a decision needs its number and date")
			}
		}
	case ActionReject:
		if d.Comment == "" {
			return invalid("a rejection needs a comment giving the reasons")
		}
	default:
		return invalid("unknown action %q (approve or reject)", d.Action)
	}
	return nil
}

func (p *proposal) decide(ctx workflow.Context, d ProposalDecision) (ProposalState, error) {
	if err := p.validate(d); err != nil {
		return p.state, err
	}
	switch {
	case d.Action == ActionReject:
		return p.state, p.move(ctx, ActionReject, StatusRejected, p.state.Step, d.Actor, d.Comment, d)
	case p.state.Step == len(p.in.Steps)-1:
		return p.state, p.move(ctx, ActionApprove, StatusDecided, p.state.Step, d.Actor, d.Comment, d)
	default:
		return p.state, p.move(ctx, ActionApprove, StatusInReview, p.state.Step+1, d.Actor, d.Comment, d)
	}
}

// move changes the state, then projects it (and, for the decision, the
// recognitions) before answering.
func (p *proposal) move(ctx workflow.Context, action, to string, step int, actor Actor, comment string, d ProposalDecision) error {
	p.state.Status, p.state.Step = to, step
	p.state.UnitID = p.in.Steps[step].UnitID
	if to != StatusInReview {
		p.state.UnitID = ""
	}
	p.state.Seq++
	p.state.DueAt, p.state.Reminded = nil, false
	t := ProposalTransition{ProposalID: p.in.ProposalID, Seq: p.state.Seq, Action: action, Step: step, Term: p.in.Steps[step],
		ToStatus: to, Actor: actor, Comment: comment, At: workflow.Now(ctx).UTC(), Decided: to == StatusDecided,
		DecisionNumber: d.DecisionNumber, DecisionDate: d.DecisionDate}
	var dl Deadline
	if err := workflow.ExecuteLocalActivity(readModelOptions(ctx), ActivityProjectProposal, t).Get(ctx, &dl); err != nil {
		return fmt.Errorf("project proposal %d (%s): %w", t.Seq, t.Action, err)
	}
	if p.state.Seq == t.Seq && to == StatusInReview && !dl.DueAt.IsZero() {
		due := dl.DueAt
		p.state.DueAt = &due
	}
	return nil
}
