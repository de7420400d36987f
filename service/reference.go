package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
)

// UnitView is a unit as lists and pages show it. ValidFrom and ValidTo
// are its first and last days in force, as documents state them;
// EffectiveTo is the first day it is no longer in force (the day after
// ValidTo), as the changes take it.
type UnitView struct {
	ID            string  `json:"id"`
	Code          string  `json:"code,omitempty"`
	Name          string  `json:"name"`
	Kind          string  `json:"kind"`
	LegalKind     string  `json:"legal_kind,omitempty"`
	ReviewLevel   string  `json:"review_level,omitempty"`
	ParentID      string  `json:"parent_id,omitempty"`
	ValidFrom     string  `json:"valid_from"`
	ValidTo       *string `json:"valid_to,omitempty"`
	EffectiveFrom string  `json:"effective_from"`
	EffectiveTo   *string `json:"effective_to,omitempty"`
}

// ViewUnit is the view of u under parentID.
func ViewUnit(u models.Unit, parentID string) UnitView {
	from := u.EffectiveFrom.Format(time.DateOnly)
	v := UnitView{ID: u.ID, Code: u.Code, Name: u.Name, Kind: u.Kind, LegalKind: u.LegalKind, ReviewLevel: u.ReviewLevel,
		ParentID: parentID, ValidFrom: from, EffectiveFrom: from}
	if u.EffectiveTo != nil {
		end, last := u.EffectiveTo.Format(time.DateOnly), u.EffectiveTo.AddDate(0, 0, -1).Format(time.DateOnly)
		v.EffectiveTo, v.ValidTo = &end, &last
	}
	return v
}

// MeView is the caller as they see themselves.
type MeView struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	FullName string   `json:"full_name"`
	Role     string   `json:"role"`
	Head     bool     `json:"head,omitempty"`
	Level    string   `json:"level,omitempty"`
	Unit     UnitView `json:"unit"`
}

// Me is the caller's view of themselves.
func Me(who Caller) MeView {
	return MeView{ID: who.User.ID, Username: who.User.Username, FullName: who.User.FullName,
		Role: who.User.Role, Head: who.User.Head, Level: string(who.Level()), Unit: ViewUnit(who.Unit, "")}
}

// UnitFilter narrows the units in force on a day. Kind matches either
// the kind (commune) or the legal kind (phường).
type UnitFilter struct {
	At     time.Time // zero: today
	Kind   string
	Code   string
	Parent string
}

// Units lists the units in force on f.At (the tree of that day), by kind
// and name.
func (s *Service) Units(ctx context.Context, f UnitFilter) ([]UnitView, error) {
	at := f.At
	if at.IsZero() {
		at = s.today()
	}
	q := s.db.WithContext(ctx).Order("kind, name")
	if f.Kind != "" {
		q = q.Where("kind = ? OR legal_kind = ?", f.Kind, f.Kind)
	}
	if f.Code != "" {
		q = q.Where("code = ?", f.Code)
	}
	var units []models.Unit
	if err := q.Find(&units).Error; err != nil {
		return nil, fmt.Errorf("list units: %w", err)
	}
	parents, err := models.ParentsAt(ctx, s.db, at)
	if err != nil {
		return nil, fmt.Errorf("parents on %s: %w", at.Format(time.DateOnly), err)
	}
	out := []UnitView{}
	for _, u := range units {
		if u.InForce(at) && (f.Parent == "" || parents[u.ID] == f.Parent) {
			out = append(out, ViewUnit(u, parents[u.ID]))
		}
	}
	return out, nil
}

// AwardsView lists the awards and the review chains.
type AwardsView struct {
	Items  []routing.AwardInfo `json:"items"`
	Chains []routing.Chain     `json:"chains"`
}

// Awards is the catalogue of awards and chains as the routing table
// describes them. Who holds an award on which days is the authorities'
// rows, so the table's own ValidTo (what the rows were seeded from) is
// left out rather than shown when a row may have corrected it.
func (s *Service) Awards() AwardsView {
	items := slices.Clone(routing.Awards)
	for i := range items {
		items[i].ValidTo = ""
	}
	return AwardsView{Items: items, Chains: routing.Chains}
}

// AwardCatalogue is Awards with each award's valid_to as the authorities'
// rows have it today: the last day of its latest row, none while that row
// is open.
func (s *Service) AwardCatalogue(ctx context.Context) (AwardsView, error) {
	rows, err := s.ref.Authorities(ctx)
	if err != nil {
		return AwardsView{}, err
	}
	v := s.Awards()
	for i, a := range v.Items {
		var latest *models.Authority
		for j := range rows {
			if r := &rows[j]; r.Award == string(a.Code) && (latest == nil || r.ValidFrom.After(latest.ValidFrom)) {
				latest = r
			}
		}
		if latest != nil && latest.ValidTo != nil {
			v.Items[i].ValidTo = latest.ValidTo.UTC().Format(time.DateOnly)
		}
	}
	return v, nil
}

// UnitNames maps every unit's ID, in force or ended, to its name (a 2024
// round names its districts, which no longer exist). The map is the
// caller's to change.
func (s *Service) UnitNames(ctx context.Context) (map[string]string, error) {
	names, err := s.ref.UnitNames(ctx)
	if err != nil {
		return nil, err
	}
	return maps.Clone(names), nil
}
