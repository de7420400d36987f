package routing

import (
	"errors"
	"fmt"
	"time"
)

// Unit is what routing needs to know of an organisational unit.
type Unit struct {
	ID   string
	Name string
	// Level is the review level the unit sits at, empty for a unit that is
	// not itself a level of the chain (a school, an enterprise, the
	// province).
	Level    Level
	ParentID string
}

// Directory answers the questions routing asks about units. The store
// implements it over the units in force at the round's date.
type Directory interface {
	Unit(id string) (Unit, bool)
	// Reviewer returns the single unit reviewing at a province-wide level
	// (Education, Interior) within the province or city whose unit is
	// root: before 1 July 2025 Bình Dương, Bà Rịa - Vũng Tàu and the city
	// each had their own departments.
	Reviewer(level Level, root string) (Unit, bool)
}

// Step is one level of a planned route and the unit that reviews there.
type Step struct {
	Level    Level  `json:"level"`
	UnitID   string `json:"unit_id"`
	UnitName string `json:"unit_name"`
}

// Route is the planned path of one nomination.
type Route struct {
	Chain  string `json:"chain"`
	Award  Award  `json:"award"`
	Issuer Level  `json:"issuer"`
	Steps  []Step `json:"steps"`
}

// ErrNotRoutable is wrapped by every planning error caused by the request
// (as opposed to missing data), so the API can answer 422.
var ErrNotRoutable = errors.New("not routable")

// Plan computes the route of a nomination from the nominating body's unit,
// the award asked for and the chain of the round. The route enters at the
// first level of the chain at or above the nominating body and ends at the
// award's last review level.
func Plan(dir Directory, chain Chain, bodyID string, award Award) (Route, error) {
	info, err := LookupAward(award)
	if err != nil {
		return Route{}, fmt.Errorf("%w: %w", ErrNotRoutable, err)
	}
	if !chain.Has(info.LastLevel) {
		return Route{}, fmt.Errorf("%w: %s is not decided in the chain %q (no %s level)",
			ErrNotRoutable, info.Name, chain.Code, info.LastLevel)
	}
	// The body's ancestors, nearest first, tell which local levels it
	// belongs to.
	local := map[Level]Unit{}
	var entry Level
	var root string
	id := bodyID
	for depth := 0; id != ""; depth++ {
		if depth > 16 {
			return Route{}, fmt.Errorf("%w: unit %s: parent chain too deep or cyclic", ErrNotRoutable, bodyID)
		}
		u, ok := dir.Unit(id)
		if !ok {
			return Route{}, fmt.Errorf("%w: unit %s is not in force at the round's reference date", ErrNotRoutable, id)
		}
		if u.Level != "" && chain.Has(u.Level) {
			if _, seen := local[u.Level]; !seen {
				local[u.Level] = u
			}
			if entry == "" {
				entry = u.Level
			}
		}
		root = u.ID
		id = u.ParentID
	}
	if entry == "" {
		// A body outside any local level (a provincial school, a
		// department, an enterprise registered with the province) starts
		// at the first province-wide level of the chain.
		entry = Education
	}
	if entry.Rank() > info.LastLevel.Rank() {
		return Route{}, fmt.Errorf("%w: a body at the %s level cannot be nominated for %s",
			ErrNotRoutable, entry, info.Name)
	}
	r := Route{Chain: chain.Code, Award: award, Issuer: info.Issuer}
	for _, l := range chain.Levels {
		if l.Rank() < entry.Rank() || l.Rank() > info.LastLevel.Rank() {
			continue
		}
		u, ok := local[l]
		if !ok {
			u, ok = dir.Reviewer(l, root)
		}
		if !ok {
			return Route{}, fmt.Errorf("%w: no unit reviews at the %s level for unit %s", ErrNotRoutable, l, bodyID)
		}
		r.Steps = append(r.Steps, Step{Level: l, UnitID: u.ID, UnitName: u.Name})
	}
	return r, nil
}

// Replan gives the route of a nomination reaching step on a day, with the
// chain and the units in force that day (dir): the steps before step stay
// as they were taken; from step on, the levels of a fresh plan for the
// body (bodyID, as it is that day) at or above the level of step. A
// district that ended while a nomination waited for it thus gives way to
// the next level of the chain that replaced it, and an ended commune to
// the one it became. Changed is false when step and every later step are
// as planned.
func Replan(dir Directory, chain Chain, r Route, step int, bodyID string) (next Route, changed bool, err error) {
	if step < 0 || step >= len(r.Steps) {
		return r, false, fmt.Errorf("%w: step %d is not on the route", ErrNotRoutable, step)
	}
	fresh, err := Plan(dir, chain, bodyID, r.Award)
	if err != nil {
		return r, false, err
	}
	next = Route{Chain: fresh.Chain, Award: r.Award, Issuer: r.Issuer, Steps: append([]Step(nil), r.Steps[:step]...)}
	from := r.Steps[step].Level.Rank()
	for _, s := range fresh.Steps {
		if s.Level.Rank() >= from {
			next.Steps = append(next.Steps, s)
		}
	}
	if len(next.Steps) == step {
		return r, false, fmt.Errorf("%w: no level at or above %s in the chain %q", ErrNotRoutable, r.Steps[step].Level, chain.Code)
	}
	changed = len(next.Steps) != len(r.Steps) || next.Chain != r.Chain
	for i := step; !changed && i < len(next.Steps); i++ {
		changed = next.Steps[i] != r.Steps[i]
	}
	if !changed {
		return r, false, nil
	}
	return next, true, nil
}

// ChainOn is the chain a step reached on day on follows: a three-tier
// round's nominations go on two tiers from the day the districts ended.
func ChainOn(c Chain, on time.Time) Chain {
	if c.Has(District) && !on.Before(DistrictsAbolished) {
		return TwoTier
	}
	return c
}
