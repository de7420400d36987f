package bench

import (
	"context"
	"time"

	"go.temporal.io/sdk/workflow"
)

// rawShape is the engine-only baseline: the same four-level shape as a
// nomination — start, then per level a signal and an activity — with no
// API, no database and no validation.
func rawShape(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: 30 * time.Second})
	ch := workflow.GetSignalChannel(ctx, "decide")
	for level := 0; level < 4; level++ {
		var action string
		ch.Receive(ctx, &action)
		if err := workflow.ExecuteActivity(ctx, noop, level).Get(ctx, nil); err != nil {
			return err
		}
	}
	return nil
}

func noop(context.Context, int) error { return nil }
