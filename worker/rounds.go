package worker

import (
	"context"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/activities"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// StartRound starts the workflow keeping a round's calendar, or leaves the
// running one alone.
func StartRound(ctx context.Context, c client.Client, taskQueue string, r models.Round) error {
	_, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{
		ID:                       workflows.RoundWorkflowID(r.ID),
		TaskQueue:                taskQueue,
		WorkflowIDConflictPolicy: enumspb.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING,
	}, workflows.RoundWorkflow, workflows.Schedule{RoundID: r.ID, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt})
	if err != nil {
		return fmt.Errorf("start round %s: %w", r.ID, err)
	}
	return nil
}

// RescheduleRound tells a round's workflow its new dates (starting it if
// it is not running), so its timers re-arm.
func RescheduleRound(ctx context.Context, c client.Client, taskQueue string, r models.Round) error {
	if err := StartRound(ctx, c, taskQueue, r); err != nil {
		return err
	}
	h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{
		WorkflowID: workflows.RoundWorkflowID(r.ID), UpdateName: workflows.UpdateReschedule,
		Args:         []any{workflows.Schedule{RoundID: r.ID, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt}},
		WaitForStage: client.WorkflowUpdateStageCompleted,
	})
	if err == nil {
		err = h.Get(ctx, nil)
	}
	if err != nil {
		return fmt.Errorf("reschedule round %s: %w", r.ID, err)
	}
	return nil
}

// EnsureRounds starts the workflow of every round that does not have one
// running, e.g. the rounds loaded by the seed. It runs at worker start.
func EnsureRounds(ctx context.Context, c client.Client, db *gorm.DB, taskQueue string) error {
	var rounds []models.Round
	if err := db.WithContext(ctx).Find(&rounds).Error; err != nil {
		return fmt.Errorf("load rounds: %w", err)
	}
	for _, r := range rounds {
		if err := StartRound(ctx, c, taskQueue, r); err != nil {
			return err
		}
	}
	return nil
}

// RelayOutbox retries the outbox's pending messages every interval until
// ctx ends, so that no notification is lost to a mail server that was down
// longer than an activity's retries.
func RelayOutbox(ctx context.Context, acts *activities.Activities, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := acts.DeliverPending(ctx); err != nil && acts.Log != nil {
				acts.Log.Warn("outbox relay", "error", err)
			}
		}
	}
}

// EnsureAnnualSchedule creates, if missing, the Temporal Schedule that
// starts the yearly reporting reminder on 6 November at 08:00 in Vietnam
// (01:00 UTC), two weeks before the 20 November deadline.
func EnsureAnnualSchedule(ctx context.Context, c client.Client, taskQueue string) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: workflows.AnnualReminderScheduleID,
		Spec: client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{{
			Month:      []client.ScheduleRange{{Start: 11}},
			DayOfMonth: []client.ScheduleRange{{Start: 6}},
			Hour:       []client.ScheduleRange{{Start: 1}},
			Minute:     []client.ScheduleRange{{Start: 0}},
			Second:     []client.ScheduleRange{{Start: 0}},
			Comment:    "6 November, 08:00 Asia/Ho_Chi_Minh",
		}}},
		Action: &client.ScheduleWorkflowAction{ID: "annual-report-reminder", Workflow: workflows.AnnualReminderWorkflow,
			TaskQueue: taskQueue},
		Note: "Nhắc các đơn vị báo cáo kết quả trước ngày 20/11 hằng năm",
	})
	if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("annual reminder schedule: %w", err)
	}
	return nil
}

// EnsureRoundRollover creates, if missing, the Temporal Schedule that
// opens each coming year's annual round on 1 December at 08:00 in Vietnam
// (01:00 UTC), and triggers it once on creation, so that a deployment
// started in December has next year's round at once.
func EnsureRoundRollover(ctx context.Context, c client.Client, taskQueue string) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: workflows.RoundRolloverScheduleID,
		Spec: client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{{
			Month:      []client.ScheduleRange{{Start: 12}},
			DayOfMonth: []client.ScheduleRange{{Start: 1}},
			Hour:       []client.ScheduleRange{{Start: 1}},
			Minute:     []client.ScheduleRange{{Start: 0}},
			Second:     []client.ScheduleRange{{Start: 0}},
			Comment:    "1 December, 08:00 Asia/Ho_Chi_Minh",
		}}},
		Action: &client.ScheduleWorkflowAction{ID: "annual-round-rollover", Workflow: workflows.RoundRolloverWorkflow,
			TaskQueue: taskQueue},
		TriggerImmediately: true,
		Note:               "Mở đợt khen thưởng hằng năm của năm sau vào ngày 01/12",
	})
	if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("annual round rollover schedule: %w", err)
	}
	return nil
}

// EnsureHandover creates, if missing, the Temporal Schedule that hands the
// nominations waiting at an ended unit to the unit in force, every day at
// 00:05 in Vietnam (17:05 UTC), and triggers it once on creation, so that
// a database brought forward from before a reorganisation is handed over
// at once.
func EnsureHandover(ctx context.Context, c client.Client, taskQueue string) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: workflows.HandoverScheduleID,
		Spec: client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{{
			Hour:       []client.ScheduleRange{{Start: 17}},
			Minute:     []client.ScheduleRange{{Start: 5}},
			Second:     []client.ScheduleRange{{Start: 0}},
			Month:      []client.ScheduleRange{{Start: 1, End: 12}},
			DayOfMonth: []client.ScheduleRange{{Start: 1, End: 31}},
			DayOfWeek:  []client.ScheduleRange{{Start: 0, End: 6}},
			Comment:    "every day, 00:05 Asia/Ho_Chi_Minh",
		}}},
		Action: &client.ScheduleWorkflowAction{ID: "daily-handover", Workflow: workflows.HandoverWorkflow,
			Args: []any{workflows.StrandedPage{}}, TaskQueue: taskQueue},
		TriggerImmediately: true,
		Note:               "Chuyển hồ sơ đang chờ ở đơn vị đã thôi hoạt động sang đơn vị kế thừa",
	})
	if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("daily handover schedule: %w", err)
	}
	return nil
}

// EnsureSchedules makes sure of everything the worker keeps running on the
// calendar: each round's workflow, the yearly report reminder, the annual
// rounds' rollover, the daily handover and the units' yearly reports on
// the movement.
func EnsureSchedules(ctx context.Context, c client.Client, db *gorm.DB, taskQueue string) error {
	if err := EnsureRounds(ctx, c, db, taskQueue); err != nil {
		return err
	}
	for _, ensure := range []func(context.Context, client.Client, string) error{EnsureAnnualSchedule, EnsureRoundRollover, EnsureHandover, EnsureLearningReports} {
		if err := ensure(ctx, c, taskQueue); err != nil {
			return err
		}
	}
	return nil
}

// EnsureLearningReports creates, if missing, the Temporal Schedule that
// drafts the units' reports on the movement every 1 November at 08:00 in
// Vietnam (01:00 UTC) and reminds a week before they are due, and triggers
// it once on creation, so a deployment has this year's drafts at once.
func EnsureLearningReports(ctx context.Context, c client.Client, taskQueue string) error {
	_, err := c.ScheduleClient().Create(ctx, client.ScheduleOptions{
		ID: workflows.LearningReportsScheduleID,
		Spec: client.ScheduleSpec{Calendars: []client.ScheduleCalendarSpec{{
			Month:      []client.ScheduleRange{{Start: 11}},
			DayOfMonth: []client.ScheduleRange{{Start: 1}},
			Hour:       []client.ScheduleRange{{Start: 1}},
			Minute:     []client.ScheduleRange{{Start: 0}},
			Second:     []client.ScheduleRange{{Start: 0}},
			Comment:    "1 November, 08:00 Asia/Ho_Chi_Minh",
		}}},
		Action: &client.ScheduleWorkflowAction{ID: "learning-reports", Workflow: workflows.LearningReportsWorkflow,
			TaskQueue: taskQueue},
		TriggerImmediately: true,
		Note:               "Lập dự thảo báo cáo phong trào xây dựng xã hội học tập của các đơn vị (hạn 20/11)",
	})
	if err != nil && !errors.Is(err, temporal.ErrScheduleAlreadyRunning) {
		return fmt.Errorf("learning reports schedule: %w", err)
	}
	return nil
}
