package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// watchDeadlines runs until the nomination is finished. While a step waits
// for its reviewer, it sleeps until the step's reminder and then its
// deadline: the reminder goes to the unit's reviewers, and when the
// deadline passes the step is escalated to the unit's head and flagged.
// Nothing is ever approved by silence. Any transition or extension wakes
// the loop, which re-arms the timers for the new deadline.
func (n *nomination) watchDeadlines(ctx workflow.Context) error {
	for {
		if n.state.Terminal() {
			return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) && n.rerouting == 0 })
		}
		seq, due, remind := n.state.Seq, n.state.DueAt, n.remindAt
		changed := func() bool {
			return n.state.Seq != seq || n.state.DueAt != due || !n.remindAt.Equal(remind) || n.state.Terminal()
		}
		var next time.Time
		kind := ""
		switch {
		case n.state.Status != StatusInReview || due == nil:
		case !n.state.Reminded && !n.remindAt.IsZero() && n.remindAt.Before(*due):
			next, kind = n.remindAt, NoticeReminder
		case !n.state.Escalated:
			next, kind = *due, NoticeEscalation
		}
		if kind == "" {
			if err := workflow.Await(ctx, changed); err != nil {
				return err
			}
			continue
		}
		if wait := next.Sub(workflow.Now(ctx)); wait > 0 {
			woken, err := workflow.AwaitWithTimeout(ctx, wait, changed)
			if err != nil {
				return err
			}
			if woken {
				continue
			}
		}
		if err := n.notify(ctx, kind); err != nil {
			return err
		}
	}
}

// notify sends a deadline notice for the current step and records it.
func (n *nomination) notify(ctx workflow.Context, kind string) error {
	notice := Notice{Kind: kind, NominationID: n.in.NominationID, Seq: n.state.Seq, Step: n.state.Step,
		Level: n.state.Level, UnitID: n.state.UnitID, DueAt: *n.state.DueAt}
	if kind == NoticeReminder {
		n.state.Reminded = true
	} else {
		n.state.Reminded, n.state.Escalated = true, true
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    10 * time.Minute,
			MaximumAttempts:    50, // a mail server down for hours: give up, the outbox keeps the message
		},
	})
	// Sent in its own coroutine: a mail server that is down for hours must
	// not hold up the next step's timers.
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := workflow.ExecuteActivity(actx, ActivityNotifyDeadline, notice).Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Error("deadline notice failed", "kind", kind, "error", err)
		}
	})
	return nil
}

func (n *nomination) validateExtend(e Extension) error {
	if e.Actor.Role != RoleAdmin {
		return forbidden("only an administrator can extend a deadline")
	}
	if n.state.Status != StatusInReview || n.state.DueAt == nil {
		return conflict("only a nomination waiting for a reviewer has a deadline (status %s)", n.state.Status)
	}
	if !e.DueAt.After(*n.state.DueAt) {
		return invalid("the new deadline %s is not after the current one %s",
			e.DueAt.Format(time.RFC3339), n.state.DueAt.Format(time.RFC3339))
	}
	if e.Reason == "" {
		return invalid("an extension needs a reason")
	}
	return nil
}

func (n *nomination) extend(ctx workflow.Context, e Extension) (State, error) {
	if err := n.validateExtend(e); err != nil {
		return n.state, err
	}
	due := e.DueAt.UTC()
	n.state.Seq++
	n.state.DueAt, n.state.Reminded, n.state.Escalated = &due, false, false
	n.remindAt = time.Time{}
	t := Transition{
		NominationID: n.in.NominationID, Seq: n.state.Seq, Action: ActionExtend,
		FromStatus: n.state.Status, ToStatus: n.state.Status, Step: n.state.Step,
		Level: n.state.Level, UnitID: n.state.UnitID, Actor: e.Actor, Comment: e.Reason,
		DossierVersion: n.state.DossierVersion, At: workflow.Now(ctx).UTC(), DueAt: &due,
	}
	dl, err := project(ctx, t)
	if err != nil {
		return n.state, err
	}
	if n.state.Seq == t.Seq {
		n.remindAt = dl.RemindAt
	}
	return n.state, nil
}
