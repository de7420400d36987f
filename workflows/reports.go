package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/tdkt/tdkt/calendar"
)

// Names of the yearly reports on the movement.
const (
	LearningReportsWorkflow    = "LearningReports"
	ActivityDraftReports       = "DraftLearningReports"
	ActivityRemindReports      = "RemindLearningReports"
	LearningReportsScheduleID  = "tdkt-learning-reports"
	learningReportRemindBefore = 7 * 24 * time.Hour
)

// ReportsYear is the year whose reports a run on day now prepares.
type ReportsYear struct {
	Year int `json:"year"`
}

// LearningReports is started every 1 November by a Temporal Schedule (and
// once when the schedule is created): it drafts each commune's and the
// Sở GD&ĐT's report on the year's movement — with the 2025 preliminary
// and the 2030 final review's in those years — addressed to the level
// above, then a week before 20 November reminds the units whose report is
// still a draft. Both activities are idempotent.
func LearningReports(ctx workflow.Context) (int, error) {
	now := workflow.Now(ctx).In(calendar.Zone)
	year := ReportsYear{Year: now.Year()}
	if now.Month() < time.November {
		// The run the schedule's creation triggers, early in the year:
		// the drafts wait for 1 November's units.
		return 0, nil
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 5 * time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Minute},
	})
	var drafted int
	if err := workflow.ExecuteActivity(actx, ActivityDraftReports, year).Get(ctx, &drafted); err != nil {
		return 0, err
	}
	remind := ReportDue(year.Year).Add(-learningReportRemindBefore)
	if wait := remind.Sub(now); wait > 0 {
		if err := workflow.Sleep(ctx, wait); err != nil {
			return drafted, err
		}
	} else if now.After(ReportDue(year.Year)) {
		return drafted, nil // past the deadline: nothing to remind of
	}
	return drafted, workflow.ExecuteActivity(actx, ActivityRemindReports, year).Get(ctx, nil)
}

// ReportDue is when the year's reports are due: 17:00 on 20 November in
// Việt Nam.
func ReportDue(year int) time.Time {
	return time.Date(year, time.November, 20, 17, 0, 0, 0, calendar.Zone)
}
