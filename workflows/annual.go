package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/calendar"
)

// Names of the yearly reporting reminder.
const (
	AnnualReminderWorkflow   = "AnnualReportReminder"
	ActivityRemindAnnual     = "RemindAnnualReport"
	AnnualReminderScheduleID = "tdkt-annual-report-reminder"
)

// AnnualReminder is started every year by a Temporal Schedule two weeks
// before 20 November, the day by which units report the year's results to
// the Department of Education: it asks every nominating body to report.
func AnnualReminder(ctx workflow.Context) error {
	year := workflow.Now(ctx).In(calendar.Zone).Year()
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Minute},
	})
	return workflow.ExecuteActivity(actx, ActivityRemindAnnual, year).Get(ctx, nil)
}
