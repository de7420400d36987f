package web

import (
	"encoding/json"
	"time"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/service"
)

// The API's JSON, as far as the pages use it (api/openapi.yaml describes
// it in full).

// Roles (package access).
const (
	roleNominator = access.RoleNominator
	roleReviewer  = access.RoleReviewer
	roleInterior  = access.RoleInterior
	roleAdmin     = access.RoleAdmin
)

// Unit is an administrative or reviewing unit.
type Unit = service.UnitView

// Round is a review round with its quotas.
type Round = service.RoundView

// Award is one form of commendation, as the routing table gives it.
type Award = routing.AwardInfo

// Nomination is one nomination with, on its own page, its history.
type Nomination struct {
	ID             string          `json:"id"`
	RoundID        string          `json:"round_id"`
	UnitID         string          `json:"unit_id"`
	NomineeKind    string          `json:"nominee_kind"`
	NomineeName    string          `json:"nominee_name"`
	Award          string          `json:"award"`
	Dossier        json.RawMessage `json:"dossier"`
	DossierVersion int             `json:"dossier_version"`
	Status         string          `json:"status"`
	CurrentLevel   string          `json:"current_level"`
	CurrentUnitID  string          `json:"current_unit_id"`
	CurrentStep    int             `json:"current_step"`
	Route          *Route          `json:"route"`
	DueAt          *time.Time      `json:"due_at"`
	Overdue        bool            `json:"overdue"`
	EscalatedAt    *time.Time      `json:"escalated_at"`
	SubmittedAt    *time.Time      `json:"submitted_at"`
	FinishedAt     *time.Time      `json:"finished_at"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	History        []HistoryEntry  `json:"history"`
	Eligibility    []RuleResult    `json:"eligibility"`
	Certificate    *Issued         `json:"certificate"`
}

// Issued is the certificate issued for a nomination, on its own page.
type Issued = service.IssuedView

// Route is the planned path of a nomination.
type Route struct {
	Chain  string `json:"chain"`
	Award  string `json:"award"`
	Issuer string `json:"issuer"`
	Steps  []Step `json:"steps"`
}

// Step is one level of a route.
type Step struct {
	Level    string `json:"level"`
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
}

// HistoryEntry is one transition of the audit trail.
type HistoryEntry struct {
	Seq            int       `json:"seq"`
	Action         string    `json:"action"`
	Level          string    `json:"level"`
	UnitID         string    `json:"unit_id"`
	ActorName      string    `json:"actor_name"`
	Comment        string    `json:"comment"`
	FromStatus     string    `json:"from_status"`
	ToStatus       string    `json:"to_status"`
	DossierVersion int       `json:"dossier_version"`
	At             time.Time `json:"at"`
}

// RuleResult is one eligibility rule evaluated at submission.
type RuleResult struct {
	RuleID    string `json:"rule_id"`
	Status    string `json:"status"`
	Message   string `json:"message"`
	MessageEN string `json:"message_en"`
	Pointer   string `json:"pointer"`
}

// NominationPage is a page of a list.
type NominationPage struct {
	Items   []Nomination `json:"items"`
	Total   int          `json:"total"`
	Page    int          `json:"page"`
	PerPage int          `json:"per_page"`
}

// Version is one submitted version of a dossier and what changed.
type Version struct {
	Version       int             `json:"version"`
	CreatedBy     string          `json:"created_by"`
	CreatedByName string          `json:"created_by_name"`
	CreatedAt     time.Time       `json:"created_at"`
	NomineeName   string          `json:"nominee_name"`
	Dossier       json.RawMessage `json:"dossier"`
	Changes       []Change        `json:"changes"`
}

// Change is one changed value between two versions.
type Change struct {
	Pointer string `json:"pointer"`
	Before  any    `json:"before"`
	After   any    `json:"after"`
}

// FormInfo names a nominee kind's dossier form.
type FormInfo struct {
	Kind    string `json:"kind"`
	Title   string `json:"title"`
	TitleEN string `json:"title_en"`
}

// list is the API's {items, total} envelope.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// Objections is a nomination's posting and the objections raised during
// it, on its page (service.ObjectionsView).
type Objections = service.ObjectionsView
