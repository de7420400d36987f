package workflows

import (
	"errors"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/calendar"
)

// Names of the annual rounds' rollover.
const (
	RoundRolloverWorkflow   = "AnnualRoundRollover"
	ActivityOpenAnnualRound = "OpenAnnualRound"
	RoundRolloverScheduleID = "tdkt-annual-round-rollover"
)

// OpenedRound is the annual round the rollover made sure of: its window,
// and whether it was created now.
type OpenedRound struct {
	Schedule Schedule `json:"schedule"`
	Created  bool     `json:"created"`
}

// RolloverYear is the year whose annual round the rollover opens on day
// now: from 1 December the next year's (announced before it opens on 1
// January), before it the current year's.
func RolloverYear(now time.Time) int {
	now = now.In(calendar.Zone)
	if now.Month() == time.December {
		return now.Year() + 1
	}
	return now.Year()
}

// RoundRollover is started by a Temporal Schedule every 1 December (and
// once when the schedule is created): it creates the coming year's annual
// round from the last one and starts the workflow that keeps its
// calendar, so that no year is left without an open round. Both steps are
// idempotent: a round or a round workflow that exists is left alone.
func RoundRollover(ctx workflow.Context) (OpenedRound, error) {
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Minute},
	})
	var opened OpenedRound
	year := RolloverYear(workflow.Now(ctx))
	if err := workflow.ExecuteActivity(actx, ActivityOpenAnnualRound, year).Get(ctx, &opened); err != nil {
		return opened, err
	}
	if opened.Schedule.RoundID == "" {
		return opened, nil // past the movement's period
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:        RoundWorkflowID(opened.Schedule.RoundID),
		ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_ABANDON,
	})
	err := workflow.ExecuteChildWorkflow(cctx, RoundWorkflow, opened.Schedule).GetChildWorkflowExecution().Get(ctx, nil)
	var running *temporal.ChildWorkflowExecutionAlreadyStartedError
	if err != nil && !errors.As(err, &running) {
		return opened, err
	}
	return opened, nil
}
