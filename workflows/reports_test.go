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

// TestLearningReportsDraftThenRemind: started on 1 November 2030, the run
// drafts the year's reports at once and reminds a week before 17:00 on 20
// November; started after the deadline, it drafts and reminds no one.
func TestLearningReportsDraftThenRemind(t *testing.T) {
	for _, c := range []struct {
		start  time.Time
		remind time.Time // zero: no reminder
	}{
		{time.Date(2030, 11, 1, 8, 0, 0, 0, calendar.Zone), time.Date(2030, 11, 13, 17, 0, 0, 0, calendar.Zone)},
		{time.Date(2030, 12, 8, 8, 0, 0, 0, calendar.Zone), time.Time{}},
	} {
		var s testsuite.WorkflowTestSuite
		env := s.NewTestWorkflowEnvironment()
		env.SetStartTime(c.start)
		env.RegisterWorkflowWithOptions(LearningReports, workflow.RegisterOptions{Name: LearningReportsWorkflow})
		var drafted, reminded []time.Time
		var years []int
		env.RegisterActivityWithOptions(func(_ context.Context, y ReportsYear) (int, error) {
			drafted, years = append(drafted, env.Now()), append(years, y.Year)
			return 170, nil
		}, activity.RegisterOptions{Name: ActivityDraftReports})
		env.RegisterActivityWithOptions(func(_ context.Context, y ReportsYear) error {
			reminded = append(reminded, env.Now())
			return nil
		}, activity.RegisterOptions{Name: ActivityRemindReports})
		env.ExecuteWorkflow(LearningReportsWorkflow)
		var n int
		if err := env.GetWorkflowResult(&n); err != nil || n != 170 {
			t.Fatalf("%s: %d drafted, %v", c.start, n, err)
		}
		if len(drafted) != 1 || !drafted[0].Equal(c.start) || years[0] != 2030 {
			t.Errorf("%s: drafted %v for %v", c.start, drafted, years)
		}
		switch {
		case c.remind.IsZero() && len(reminded) != 0:
			t.Errorf("%s: reminded after the deadline at %v", c.start, reminded)
		case !c.remind.IsZero() && (len(reminded) != 1 || !reminded[0].Equal(c.remind)):
			t.Errorf("%s: reminded at %v, want %v", c.start, reminded, c.remind)
		}
	}
}

// Created before November (a deployment in March), the schedule's first
// run drafts nothing: 1 November's run drafts over that day's units.
func TestLearningReportsWaitForNovember(t *testing.T) {
	var s testsuite.WorkflowTestSuite
	env := s.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2030, 3, 1, 8, 0, 0, 0, calendar.Zone))
	env.RegisterWorkflowWithOptions(LearningReports, workflow.RegisterOptions{Name: LearningReportsWorkflow})
	called := false
	env.RegisterActivityWithOptions(func(context.Context, ReportsYear) (int, error) { called = true; return 1, nil },
		activity.RegisterOptions{Name: ActivityDraftReports})
	env.ExecuteWorkflow(LearningReportsWorkflow)
	var n int
	if err := env.GetWorkflowResult(&n); err != nil || n != 0 || called {
		t.Fatalf("in March: %d drafted (called %v), %v", n, called, err)
	}
}
