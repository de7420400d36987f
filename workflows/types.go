// Package workflows holds the Temporal workflows of tdkt. Everything here
// is deterministic: no I/O, no wall clock, no randomness, no map iteration
// order. Side effects happen in activities, which are called by name so
// that this package does not import the database layer.
package workflows

import (
	"time"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/routing"
)

// Names shared by the workflows, the worker and the API.
const (
	NominationWorkflow = "Nomination"

	UpdateSubmit   = "submit"
	UpdateDecide   = "decide"
	UpdateResubmit = "resubmit"
	UpdateWithdraw = "withdraw"
	UpdateExtend   = "extend"
	QueryState     = "state"

	ActivityProjectTransition = "ProjectTransition"
	ActivityNotifyDeadline    = "NotifyDeadline"
	ActivityReplanStep        = "ReplanStep"

	// SignalReroute asks a nomination to check that the unit it waits for
	// still exists (the daily handover sends it to those that wait at an
	// ended unit).
	SignalReroute = "reroute"
)

// Statuses of a nomination (package access defines them with the rules
// that read them).
const (
	StatusDraft     = access.StatusDraft
	StatusInReview  = access.StatusInReview
	StatusReturned  = access.StatusReturned
	StatusAccepted  = access.StatusAccepted
	StatusRejected  = access.StatusRejected
	StatusWithdrawn = access.StatusWithdrawn
)

// Actions recorded in the audit trail.
const (
	ActionSubmit   = "submit"
	ActionApprove  = "approve"
	ActionReturn   = "return"
	ActionReject   = "reject"
	ActionResubmit = "resubmit"
	ActionWithdraw = "withdraw"
	ActionExtend   = "extend"
	ActionReroute  = "reroute" // handed to the unit in force on the day a step is reached
)

// Roles that may act on a nomination: the user roles of package access.
const (
	RoleNominator = access.RoleNominator
	RoleReviewer  = access.RoleReviewer
	RoleInterior  = access.RoleInterior
	RoleAdmin     = access.RoleAdmin
)

// Kinds of deadline notices.
const (
	NoticeReminder   = "reminder"   // the deadline is near
	NoticeEscalation = "escalation" // the deadline passed: the level's head is told
)

// Error types carried by the application errors the updates return; the API
// maps them to HTTP statuses.
const (
	ErrForbidden = "Forbidden" // 403: not this caller's step or nomination
	ErrConflict  = "Conflict"  // 409: wrong state, step already decided
	ErrInvalid   = "Invalid"   // 422: malformed request
)

// WorkflowID is the ID of a nomination's workflow; deriving it from the
// nomination ID makes a second start of the same nomination impossible.
func WorkflowID(nominationID string) string { return "nomination-" + nominationID }

// Actor is the authenticated caller behind an update (package access,
// whose rules the validators apply).
type Actor = access.Actor

// Input starts a nomination's workflow.
type Input struct {
	NominationID string        `json:"nomination_id"`
	RoundID      string        `json:"round_id"`
	BodyUnitID   string        `json:"body_unit_id"` // the nominating body
	Route        routing.Route `json:"route"`
}

// SystemActor acts for tdkt itself: a route planned again when a unit on
// it ended, a nomination given back because its award's authority ended.
var SystemActor = Actor{Name: "Hệ thống tdkt", Role: "system"}

// Submission is the argument of the submit and resubmit updates.
type Submission struct {
	Actor          Actor  `json:"actor"`
	DossierVersion int    `json:"dossier_version"`
	Comment        string `json:"comment,omitempty"`
}

// Decision is the argument of the decide update. Step is the step the
// reviewer saw: a decision on a step that has moved on is a conflict.
type Decision struct {
	Actor   Actor  `json:"actor"`
	Action  string `json:"action"` // approve, return, reject
	Comment string `json:"comment"`
	Step    int    `json:"step"`
}

// Withdrawal is the argument of the withdraw update.
type Withdrawal struct {
	Actor  Actor  `json:"actor"`
	Reason string `json:"reason,omitempty"`
}

// Extension is the argument of the extend update: an administrator moves
// the current step's deadline (the API computes DueAt in working days).
type Extension struct {
	Actor  Actor     `json:"actor"`
	DueAt  time.Time `json:"due_at"`
	Reason string    `json:"reason"`
}

// ReplanStep asks the ReplanStep activity whether the unit of a step the
// nomination reaches at At is still in force, and if not, for the route
// in force that day.
type ReplanStep struct {
	NominationID string        `json:"nomination_id"`
	RoundID      string        `json:"round_id"`
	BodyUnitID   string        `json:"body_unit_id"`
	Route        routing.Route `json:"route"`
	Step         int           `json:"step"`
	At           time.Time     `json:"at"`
}

// Replanned is the activity's answer. Route is nil when the step stands.
// Otherwise Note is the history line saying what changed and why; with
// Stranded set the step cannot be reached at all (the award's authority
// ended with its level) and the nomination goes back to its body.
type Replanned struct {
	Route    *routing.Route `json:"route,omitempty"`
	Note     string         `json:"note,omitempty"`
	Stranded bool           `json:"stranded,omitempty"`
}

// Reroute is the argument of the reroute signal.
type Reroute struct {
	Reason string `json:"reason,omitempty"`
}

// Deadline is the current step's term, as the projection computed it from
// the round's working days and the holiday calendar.
type Deadline struct {
	DueAt    time.Time `json:"due_at"`
	RemindAt time.Time `json:"remind_at"`
}

// Notice asks the NotifyDeadline activity to remind or escalate one step.
type Notice struct {
	Kind         string    `json:"kind"`
	NominationID string    `json:"nomination_id"`
	Seq          int       `json:"seq"` // the last transition: with Kind, it keys the notice
	Step         int       `json:"step"`
	Level        string    `json:"level"`
	UnitID       string    `json:"unit_id"`
	DueAt        time.Time `json:"due_at"`
}

// State is the live state of a nomination, returned by every update and by
// the state query.
type State struct {
	NominationID   string `json:"nomination_id"`
	Status         string `json:"status"`
	Step           int    `json:"step"`
	Level          string `json:"level,omitempty"`
	UnitID         string `json:"unit_id,omitempty"`
	DossierVersion int    `json:"dossier_version"`
	Seq            int    `json:"seq"` // transitions so far
	// DueAt is the current step's deadline; Reminded and Escalated tell
	// which notices went out for it.
	DueAt     *time.Time `json:"due_at,omitempty"`
	Reminded  bool       `json:"reminded,omitempty"`
	Escalated bool       `json:"escalated,omitempty"`
}

// Terminal reports whether the nomination has reached a final state.
func (s State) Terminal() bool {
	switch s.Status {
	case StatusAccepted, StatusRejected, StatusWithdrawn:
		return true
	}
	return false
}

// Transition is one change of state, projected into the read model by the
// ProjectTransition activity. (NominationID, Seq) identifies it, so a
// projection that runs twice changes nothing.
type Transition struct {
	NominationID   string    `json:"nomination_id"`
	Seq            int       `json:"seq"`
	Action         string    `json:"action"`
	FromStatus     string    `json:"from_status"`
	ToStatus       string    `json:"to_status"`
	Step           int       `json:"step"`                  // where the nomination is now
	Level          string    `json:"level,omitempty"`       // empty once finished
	UnitID         string    `json:"unit_id,omitempty"`     // the unit it now waits for
	ActedLevel     string    `json:"acted_level,omitempty"` // the level a reviewer acted at
	Actor          Actor     `json:"actor"`
	Comment        string    `json:"comment,omitempty"`
	DossierVersion int       `json:"dossier_version"`
	At             time.Time `json:"at"`
	// DueAt, when set, is the deadline to record (an extension); otherwise
	// the projection computes the deadline of a step being entered.
	DueAt *time.Time `json:"due_at,omitempty"`
	// Route, when set, is the route planned again (a reroute): the
	// projection stores it in place of the old one.
	Route *routing.Route `json:"route,omitempty"`
}
