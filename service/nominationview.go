package service

import (
	"encoding/json"
	"time"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// NominationView is a nomination as the API sends it and the pages show
// it (api/openapi.yaml, Nomination). Interior's consolidated list embeds
// it; it is the view api/nominations.go builds as nominationView, which
// moves here with the nominations.
type NominationView struct {
	ID             string          `json:"id"`
	RoundID        string          `json:"round_id"`
	UnitID         string          `json:"unit_id"`
	NomineeKind    string          `json:"nominee_kind"`
	NomineeName    string          `json:"nominee_name"`
	Award          string          `json:"award"`
	Dossier        json.RawMessage `json:"dossier"`
	DossierVersion int             `json:"dossier_version"`
	Status         string          `json:"status"`
	CurrentLevel   string          `json:"current_level,omitempty"`
	CurrentUnitID  string          `json:"current_unit_id,omitempty"`
	CurrentStep    int             `json:"current_step"`
	Route          *routing.Route  `json:"route,omitempty"`
	DueAt          *time.Time      `json:"due_at,omitempty"`
	Overdue        bool            `json:"overdue"`
	EscalatedAt    *time.Time      `json:"escalated_at,omitempty"`
	SubmittedAt    *time.Time      `json:"submitted_at,omitempty"`
	FinishedAt     *time.Time      `json:"finished_at,omitempty"`
	CreatedAt      time.Time       `json:"created_at"`
	UpdatedAt      time.Time       `json:"updated_at"`
	History        []HistoryView   `json:"history,omitempty"`
	// Eligibility is the award's rules evaluated at submission: pass,
	// fail or warning with the reason, for the reviewers.
	Eligibility json.RawMessage `json:"eligibility,omitempty"`
	// Certificate is the certificate issued for the nomination, on its own
	// page only: the nominating body finds its PDF and verification page.
	Certificate *IssuedView `json:"certificate,omitempty"`
}

// HistoryView is one transition of a nomination's audit trail.
type HistoryView struct {
	Seq            int       `json:"seq"`
	Action         string    `json:"action"`
	Level          string    `json:"level,omitempty"`
	UnitID         string    `json:"unit_id,omitempty"`
	ActorID        string    `json:"actor_id,omitempty"`
	ActorName      string    `json:"actor_name,omitempty"`
	Comment        string    `json:"comment,omitempty"`
	FromStatus     string    `json:"from_status,omitempty"`
	ToStatus       string    `json:"to_status"`
	DossierVersion int       `json:"dossier_version"`
	At             time.Time `json:"at"`
}

// viewNomination shows a nomination row (overdue by the service's clock).
func (s *Service) viewNomination(n models.Nomination) NominationView {
	v := NominationView{ID: n.ID, RoundID: n.RoundID, UnitID: n.UnitID, NomineeKind: n.NomineeKind,
		NomineeName: n.NomineeName, Award: n.Award, Dossier: json.RawMessage(n.Dossier),
		DossierVersion: n.DossierVersion, Status: n.Status, CurrentLevel: n.CurrentLevel,
		CurrentUnitID: n.CurrentUnitID, CurrentStep: n.CurrentStep, DueAt: n.DueAt, EscalatedAt: n.EscalatedAt,
		Overdue:     n.Status == access.StatusInReview && n.DueAt != nil && s.now().After(*n.DueAt),
		SubmittedAt: n.SubmittedAt, FinishedAt: n.FinishedAt, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
	if n.Eligibility != "" {
		v.Eligibility = json.RawMessage(n.Eligibility)
	}
	if n.Route != "" {
		var r routing.Route
		if json.Unmarshal([]byte(n.Route), &r) == nil {
			v.Route = &r
		}
	}
	return v
}
