// Package access decides who may do what to a nomination. It is pure — no
// I/O, no clock — so that one rule serves the nomination workflow's update
// validators, the service layer's checks and the web UI's buttons: a button
// is shown exactly when the action behind it would be accepted.
package access

import (
	"slices"

	"github.com/tdkt/tdkt/routing"
)

// Roles of users. They travel in workflow payloads and are stored on user
// rows, so their strings never change.
const (
	RoleNominator = "nominator" // a nominating body's clerk
	RoleReviewer  = "reviewer"  // a reviewer at a level
	RoleInterior  = "interior"  // Sở Nội vụ officer
	RoleAdmin     = "admin"     // an administrator of their unit (province-wide at the top)
)

// Statuses of a nomination. Draft exists only in the database, before the
// workflow starts.
const (
	StatusDraft     = "draft"
	StatusInReview  = "in_review"
	StatusReturned  = "returned"
	StatusAccepted  = "accepted"
	StatusRejected  = "rejected"
	StatusWithdrawn = "withdrawn"
)

// Actor is the authenticated caller behind a request, as the service
// resolved it from the token and the database. It is part of every update
// a workflow receives.
type Actor struct {
	UserID string        `json:"user_id"`
	Name   string        `json:"name"`
	Role   string        `json:"role"`
	UnitID string        `json:"unit_id"`
	Level  routing.Level `json:"level,omitempty"` // the review level of the actor's unit
	// ProvinceWide marks the administrator of the province (city) itself,
	// the only one who acts across it: deadlines, rounds, decisions.
	ProvinceWide bool `json:"province_wide,omitempty"`
	// FormerUnits are the units a nominator's unit comes from, whose
	// nominations it carries on.
	FormerUnits []string `json:"former_units,omitempty"`
}

// Nomination is what the rules read of a nomination.
type Nomination struct {
	BodyUnitID    string // the nominating body
	Status        string
	Step          int // the current step of the route
	CurrentLevel  string
	CurrentUnitID string
	HasDeadline   bool // the current step has a term (in review)
}

// Action is something a caller may do to a nomination.
type Action string

// Actions, in the order Allowed lists them.
const (
	Edit     Action = "edit"     // change the dossier of a draft or returned nomination
	Upload   Action = "upload"   // attach evidence
	Submit   Action = "submit"   // send a draft into review
	Resubmit Action = "resubmit" // answer a return with a new version
	Withdraw Action = "withdraw" // take it back
	Decide   Action = "decide"   // approve, return or reject the current step
	Extend   Action = "extend"   // give the current step more working days
)

var actions = []Action{Edit, Upload, Submit, Resubmit, Withdraw, Decide, Extend}

// IsBody reports whether the actor speaks for the nominating body: a
// nominator of that unit, or of the unit it went into (a clerk whose
// commune merged into another carries on its nominations).
func IsBody(a Actor, bodyUnitID string) bool {
	return a.Role == RoleNominator && (a.UnitID == bodyUnitID || slices.Contains(a.FormerUnits, bodyUnitID))
}

// Reviews reports whether the actor reviews the given step of a route:
// a reviewer (or Interior officer) of that step's unit at its level.
func Reviews(a Actor, st routing.Step) bool {
	return (a.Role == RoleReviewer || a.Role == RoleInterior) &&
		a.Level == st.Level && a.UnitID == st.UnitID
}

// Can reports whether the actor may take the action on the nomination in
// its present state.
func Can(a Actor, n Nomination, act Action) bool {
	editable := n.Status == StatusDraft || n.Status == StatusReturned
	switch act {
	case Edit, Upload:
		return IsBody(a, n.BodyUnitID) && editable
	case Submit:
		return IsBody(a, n.BodyUnitID) && n.Status == StatusDraft
	case Resubmit:
		return IsBody(a, n.BodyUnitID) && n.Status == StatusReturned
	case Withdraw:
		return IsBody(a, n.BodyUnitID) && (editable || n.Status == StatusInReview)
	case Decide:
		return n.Status == StatusInReview &&
			Reviews(a, routing.Step{Level: routing.Level(n.CurrentLevel), UnitID: n.CurrentUnitID})
	case Extend:
		return a.Role == RoleAdmin && a.ProvinceWide && n.Status == StatusInReview && n.HasDeadline
	}
	return false
}

// Allowed lists the actions the actor may take on the nomination now.
func Allowed(a Actor, n Nomination) []Action {
	var out []Action
	for _, act := range actions {
		if Can(a, n, act) {
			out = append(out, act)
		}
	}
	return out
}

// StatusNames are the statuses in Vietnamese, as documents and messages
// print them.
var StatusNames = map[string]string{
	StatusDraft: "Đang soạn", StatusInReview: "Đang xét",
	StatusReturned: "Trả lại để bổ sung", StatusAccepted: "Được chấp thuận",
	StatusRejected: "Không chấp thuận", StatusWithdrawn: "Đã rút",
}
