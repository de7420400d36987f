package web

import (
	"net/url"

	"github.com/tdkt/tdkt/access"
	"github.com/tdkt/tdkt/internal/problems"
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
type Nomination = service.NominationView

// Version is one submitted version of a dossier and what changed.
type Version = service.VersionView

// list is the API's {items, total} envelope.
type list[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// Objections is a nomination's posting and the objections raised during
// it, on its page (service.ObjectionsView).
type Objections = service.ObjectionsView

// Problem is a refusal as the pages show it (package problems).
type Problem = problems.Problem

// FieldError is one invalid field, located by a JSON pointer.
type FieldError = service.FieldError

// seg escapes one path segment of a URL (IDs come from the page's URL and
// must not add segments).
func seg(s string) string { return url.PathEscape(s) }
