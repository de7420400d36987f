package workflows

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/calendar"
)

// TestRoundRollover: run on 7 December 2026 the rollover opens 2027's
// round and starts the workflow of its calendar; run in June, the current
// year's.
func TestRoundRollover(t *testing.T) {
	for now, want := range map[time.Time]int{
		time.Date(2026, 12, 7, 8, 0, 0, 0, calendar.Zone):   2027,
		time.Date(2026, 6, 1, 8, 0, 0, 0, calendar.Zone):    2026,
		time.Date(2026, 11, 30, 23, 0, 0, 0, calendar.Zone): 2026,
	} {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetStartTime(now)
		env.RegisterWorkflowWithOptions(RoundRollover, workflow.RegisterOptions{Name: RoundRolloverWorkflow})
		var asked int
		env.RegisterActivityWithOptions(func(_ context.Context, year int) (OpenedRound, error) {
			asked = year
			return OpenedRound{Schedule: Schedule{RoundID: "hang-nam", OpensAt: now.Add(time.Hour), ClosesAt: now.Add(24 * time.Hour)}, Created: true}, nil
		}, activity.RegisterOptions{Name: ActivityOpenAnnualRound})
		var started []Schedule
		env.RegisterWorkflowWithOptions(func(_ workflow.Context, s Schedule) (RoundState, error) {
			started = append(started, s)
			return RoundState{}, nil
		}, workflow.RegisterOptions{Name: RoundWorkflow})
		env.ExecuteWorkflow(RoundRolloverWorkflow)
		if err := env.GetWorkflowError(); err != nil {
			t.Fatal(err)
		}
		if asked != want || len(started) != 1 || started[0].RoundID != "hang-nam" {
			t.Errorf("on %s: asked for %d (want %d), started %+v", now, asked, want, started)
		}
	}
}
