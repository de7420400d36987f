package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// routeByDay is the change that routes each step by the units in force
// on the day the step is reached (a district that ended while a
// nomination waited for it, a commune that became another). Histories
// recorded before it replay without it.
const routeByDay = "route-by-day"

// reach makes sure the unit the nomination now waits for is in force
// today; it runs after every transition that enters a step and when the
// daily handover signals that a unit ended.
func (n *nomination) reach(ctx workflow.Context) error {
	if workflow.GetVersion(ctx, routeByDay, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return nil
	}
	for n.state.Status == StatusInReview {
		seq := n.state.Seq
		req := ReplanStep{NominationID: n.in.NominationID, RoundID: n.in.RoundID, BodyUnitID: n.in.BodyUnitID,
			Route: n.in.Route, Step: n.state.Step, At: workflow.Now(ctx).UTC()}
		var out Replanned
		if err := workflow.ExecuteLocalActivity(readModelOptions(ctx), ActivityReplanStep, req).Get(ctx, &out); err != nil {
			return fmt.Errorf("replan step %d: %w", req.Step, err)
		}
		if n.state.Seq != seq {
			continue // moved on meanwhile: check where it is now
		}
		switch {
		case out.Stranded:
			_, err := n.transition(ctx, ActionReturn, StatusReturned, n.state.Step, SystemActor, out.Note, nil)
			return err
		case out.Route != nil:
			n.in.Route = *out.Route
			_, err := n.transition(ctx, ActionReroute, StatusInReview, n.state.Step, SystemActor, out.Note, out.Route)
			return err
		}
		return nil
	}
	return nil
}

// listenReroute answers the handover's reroute signals for as long as the
// nomination runs.
func (n *nomination) listenReroute(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, SignalReroute)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var r Reroute
			ch.Receive(ctx, &r)
			n.rerouting++
			if err := n.reach(ctx); err != nil {
				workflow.GetLogger(ctx).Error("reroute failed", "reason", r.Reason, "error", err)
			}
			n.rerouting--
		}
	})
}

// readModelOptions run a local activity against the database: a short
// call inside the workflow task, retried until the database is back.
func readModelOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithLocalActivityOptions(ctx, workflow.LocalActivityOptions{
		StartToCloseTimeout: 30 * time.Second,
		// Without a total limit the SDK would stop after the first 30 s;
		// the state has already moved, so the read model must follow it
		// however long the database is away.
		ScheduleToCloseTimeout: 365 * 24 * time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    200 * time.Millisecond,
			BackoffCoefficient: 2,
			MaximumInterval:    time.Minute,
		},
	})
}
