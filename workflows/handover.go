package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Names of the daily handover of nominations waiting at ended units.
const (
	HandoverWorkflow            = "Handover"
	ActivityStrandedNominations = "StrandedNominations"
	HandoverScheduleID          = "tdkt-daily-handover"
	// handoverPage bounds the signals one run sends: the next page goes on
	// in a new run, so the history stays short however many are waiting.
	handoverPage = 200
)

// StrandedPage asks for the nominations in review, after ID After, that
// wait at a unit no longer in force on the day of At (in a round that
// routes by the day).
type StrandedPage struct {
	At    time.Time `json:"at"`
	After string    `json:"after,omitempty"`
	Limit int       `json:"limit"`
}

// Handover is started every day just after midnight in Việt Nam by a
// Temporal Schedule (and once when the schedule is created): each
// nomination waiting at a unit that ended — a district on 1 July 2025, a
// commune merged into another — is signalled to plan its route again, so
// it moves to the unit in force with a line in its history.
func Handover(ctx workflow.Context, page StrandedPage) (int, error) {
	if page.At.IsZero() {
		page.At = workflow.Now(ctx).UTC()
	}
	page.Limit = handoverPage
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Minute},
	})
	var ids []string
	if err := workflow.ExecuteActivity(actx, ActivityStrandedNominations, page).Get(ctx, &ids); err != nil {
		return 0, err
	}
	signals := make([]workflow.Future, 0, len(ids))
	for _, id := range ids {
		signals = append(signals, workflow.SignalExternalWorkflow(ctx, WorkflowID(id), "", SignalReroute,
			Reroute{Reason: "the unit it waits for has ended"}))
	}
	for i, f := range signals {
		// A nomination that finished meanwhile has nothing to hand over.
		if err := f.Get(ctx, nil); err != nil {
			workflow.GetLogger(ctx).Warn("handover signal", "nomination", ids[i], "error", err)
		}
	}
	if len(ids) == page.Limit {
		page.After = ids[len(ids)-1]
		return len(ids), workflow.NewContinueAsNewError(ctx, HandoverWorkflow, page)
	}
	return len(ids), nil
}
