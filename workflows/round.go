package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Names of the round workflow and its messages.
const (
	RoundWorkflow          = "Round"
	UpdateReschedule       = "reschedule"
	QueryRound             = "round"
	ActivityProjectRound   = "ProjectRoundState"
	ActivityRemindUnits    = "RemindSilentUnits"
	RoundStateScheduled    = "scheduled"
	RoundStateOpen         = "open"
	RoundStateClosed       = "closed"
	defaultRemindDaysClose = 7
)

// RoundWorkflowID is the ID of a round's workflow.
func RoundWorkflowID(roundID string) string { return "round-" + roundID }

// Schedule is a round's submission window; RemindDays is how many days
// before the close the units that have submitted nothing are reminded.
type Schedule struct {
	RoundID    string    `json:"round_id"`
	OpensAt    time.Time `json:"opens_at"`
	ClosesAt   time.Time `json:"closes_at"`
	RemindDays int       `json:"remind_days"`
}

// RoundState is the live state of a round's workflow.
type RoundState struct {
	Schedule Schedule `json:"schedule"`
	State    string   `json:"state"`
	Reminded bool     `json:"reminded"`
}

// Round keeps a review round's calendar: it opens and closes the round at
// its times, and reminds units that have submitted nothing before the
// close. Nominations are not its children (each has its own workflow);
// the API refuses submissions outside the window from the same dates. An
// administrator's change of dates (the reschedule update) re-arms the
// timers. The workflow ends when the round has closed and no change came
// for a year.
func Round(ctx workflow.Context, sched Schedule) (RoundState, error) {
	if sched.RemindDays == 0 {
		sched.RemindDays = defaultRemindDaysClose
	}
	r := &round{st: RoundState{Schedule: sched, State: RoundStateScheduled}}
	if err := workflow.SetQueryHandler(ctx, QueryRound, func() (RoundState, error) { return r.st, nil }); err != nil {
		return r.st, err
	}
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateReschedule, r.reschedule,
		workflow.UpdateHandlerOptions{Validator: r.validateReschedule})
	if err != nil {
		return r.st, err
	}
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: time.Minute,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: time.Second, MaximumInterval: 10 * time.Minute},
	})
	for {
		version := r.version
		changed := func() bool { return r.version != version }
		now := workflow.Now(ctx)
		s := r.st.Schedule
		remindAt := s.ClosesAt.Add(-time.Duration(s.RemindDays) * 24 * time.Hour)
		var next time.Time
		var action func() error
		open := func() error { return r.setState(actx, RoundStateOpen) }
		switch {
		case now.Before(s.OpensAt):
			if err := r.setState(actx, RoundStateScheduled); err != nil {
				return r.st, err
			}
			next, action = s.OpensAt, open
		case !r.st.Reminded && now.Before(s.ClosesAt):
			if err := open(); err != nil {
				return r.st, err
			}
			next, action = remindAt, func() error { return r.remind(actx) }
		case now.Before(s.ClosesAt):
			if err := open(); err != nil {
				return r.st, err
			}
			next, action = s.ClosesAt, func() error { return r.setState(actx, RoundStateClosed) }
		default:
			if err := r.setState(actx, RoundStateClosed); err != nil {
				return r.st, err
			}
			// Closed: wait for a change of dates, or end after a year.
			woken, err := workflow.AwaitWithTimeout(ctx, 365*24*time.Hour, changed)
			if err != nil {
				return r.st, err
			}
			if !woken {
				err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
				return r.st, err
			}
			continue
		}
		if wait := next.Sub(now); wait > 0 {
			woken, err := workflow.AwaitWithTimeout(ctx, wait, changed)
			if err != nil {
				return r.st, err
			}
			if woken {
				continue
			}
		}
		if err := action(); err != nil {
			return r.st, err
		}
	}
}

type round struct {
	st      RoundState
	version int // bumped by every reschedule
}

func (r *round) setState(ctx workflow.Context, state string) error {
	if r.st.State == state {
		return nil
	}
	r.st.State = state
	if err := workflow.ExecuteActivity(ctx, ActivityProjectRound, r.st).Get(ctx, nil); err != nil {
		return fmt.Errorf("project round state %s: %w", state, err)
	}
	return nil
}

func (r *round) remind(ctx workflow.Context) error {
	r.st.Reminded = true
	if err := workflow.ExecuteActivity(ctx, ActivityRemindUnits, r.st.Schedule).Get(ctx, nil); err != nil {
		workflow.GetLogger(ctx).Error("round reminder failed", "round", r.st.Schedule.RoundID, "error", err)
	}
	return nil
}

func (r *round) validateReschedule(s Schedule) error {
	if s.RoundID != r.st.Schedule.RoundID {
		return invalid("schedule of round %s sent to round %s", s.RoundID, r.st.Schedule.RoundID)
	}
	if !s.ClosesAt.After(s.OpensAt) {
		return invalid("the round must close after it opens")
	}
	return nil
}

func (r *round) reschedule(ctx workflow.Context, s Schedule) (RoundState, error) {
	if err := r.validateReschedule(s); err != nil {
		return r.st, err
	}
	if s.RemindDays == 0 {
		s.RemindDays = r.st.Schedule.RemindDays
	}
	if !s.ClosesAt.Equal(r.st.Schedule.ClosesAt) {
		r.st.Reminded = false // a new close: a new reminder
	}
	r.st.Schedule = s
	r.version++
	return r.st, nil
}
