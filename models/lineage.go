package models

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/routing"
)

// The kinds of unit, their legal kinds and which may hold which, and the
// lineage of reorganised units.

// LegalKinds lists, for each kind, the legal kinds its units may have, the
// first being the one a unit gets when its name does not say.
var LegalKinds = map[string][]string{
	KindProvince:   {"tỉnh", "thành phố"},
	KindDistrict:   {"huyện", "quận", "thị xã", "thành phố"},
	KindCommune:    {"xã", "phường", "thị trấn", "đặc khu"},
	KindDepartment: {"sở"},
	KindSchool:     {"trường"},
	KindAgency:     {"cơ quan"},
	KindEnterprise: {"doanh nghiệp"},
}

// ParentKinds lists the kinds of unit that may hold a unit of each kind. A
// province or city holds its districts, communes and departments; a
// commune or district its schools, agencies and enterprises; a department
// its schools and agencies. A province has no parent.
var ParentKinds = map[string][]string{
	KindProvince:   nil,
	KindDistrict:   {KindProvince},
	KindCommune:    {KindDistrict, KindProvince},
	KindDepartment: {KindProvince},
	KindSchool:     {KindDepartment, KindDistrict, KindCommune},
	KindAgency:     {KindProvince, KindDepartment, KindDistrict, KindCommune},
	KindEnterprise: {KindProvince, KindDistrict, KindCommune},
}

// CodedKinds are the administrative units, which carry a national code.
var CodedKinds = []string{KindProvince, KindDistrict, KindCommune}

// LegalKindOf is the legal kind a unit's name opens with ("Phường Dĩ An":
// phường), among those its kind allows; "" when the name does not say.
func LegalKindOf(kind, name string) string {
	lower := strings.ToLower(name)
	// Longest first: "thị trấn" before "thị xã", "thành phố" before none.
	kinds := slices.Clone(LegalKinds[kind])
	slices.SortFunc(kinds, func(a, b string) int { return len(b) - len(a) })
	for _, k := range kinds {
		if strings.HasPrefix(lower, k+" ") {
			return k
		}
	}
	return ""
}

// Lineage is a unit's lineage both ways.
type Lineage struct {
	Predecessors []UnitLineage
	Successors   []UnitLineage
}

// LineageOf reads the lineage of unit id, each side ordered by the other
// unit's ID.
func LineageOf(ctx context.Context, db *gorm.DB, id string) (Lineage, error) {
	var l Lineage
	if err := db.WithContext(ctx).Where("successor_id = ?", id).Order("predecessor_id").Find(&l.Predecessors).Error; err != nil {
		return l, fmt.Errorf("predecessors of %s: %w", id, err)
	}
	if err := db.WithContext(ctx).Where("predecessor_id = ?", id).Order("successor_id").Find(&l.Successors).Error; err != nil {
		return l, fmt.Errorf("successors of %s: %w", id, err)
	}
	return l, nil
}

// AllLineage returns every lineage row.
func AllLineage(ctx context.Context, db *gorm.DB) ([]UnitLineage, error) {
	var rows []UnitLineage
	if err := db.WithContext(ctx).Order("predecessor_id, successor_id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("load lineage: %w", err)
	}
	return rows, nil
}

// WithPredecessors is id and every unit it comes from, however far back
// (Phường Dĩ An of 2025: old Phường Dĩ An, An Bình and, in part, Tân Đông
// Hiệp), id first then breadth first.
func WithPredecessors(rows []UnitLineage, id string) []string {
	preds := map[string][]string{}
	for _, r := range rows {
		preds[r.SuccessorID] = append(preds[r.SuccessorID], r.PredecessorID)
	}
	seen := map[string]bool{id: true}
	out := []string{id}
	for i := 0; i < len(out); i++ {
		for _, p := range preds[out[i]] {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}

// SetSuccessors replaces the successors of unit id with succ, within tx.
func SetSuccessors(ctx context.Context, tx *gorm.DB, id string, succ []UnitLineage) error {
	if err := tx.WithContext(ctx).Where("predecessor_id = ?", id).Delete(&UnitLineage{}).Error; err != nil {
		return fmt.Errorf("clear the successors of %s: %w", id, err)
	}
	if len(succ) == 0 {
		return nil
	}
	if err := tx.WithContext(ctx).Create(&succ).Error; err != nil {
		return fmt.Errorf("record the successors of %s: %w", id, err)
	}
	return nil
}

// MoveAccounts puts the accounts of unit from under unit to and returns
// the IDs of those moved.
func MoveAccounts(ctx context.Context, tx *gorm.DB, from, to string) ([]string, error) {
	var ids []string
	if err := tx.WithContext(ctx).Model(&User{}).Where("unit_id = ?", from).Order("id").Pluck("id", &ids).Error; err != nil {
		return nil, fmt.Errorf("accounts of %s: %w", from, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := tx.WithContext(ctx).Model(&User{}).Where("id IN ?", ids).Update("unit_id", to).Error; err != nil {
		return nil, fmt.Errorf("move the accounts of %s to %s: %w", from, to, err)
	}
	return ids, nil
}

// WholeSuccessor follows the whole successions from unit id to the first
// unit inForce accepts, "" if id went into none whole: Bình Dương's Sở Nội
// vụ gives the city's on a day after 30 June 2025.
func WholeSuccessor(rows []UnitLineage, id string, inForce func(id string) bool) string {
	for depth := 0; depth < 8 && id != ""; depth++ {
		if inForce(id) {
			return id
		}
		next := ""
		for _, l := range rows {
			if l.PredecessorID == id && l.Share == ShareFull {
				next = l.SuccessorID
			}
		}
		id = next
	}
	return ""
}

// SuccessorOn is the unit that id is on a day: id itself while inForce
// accepts it; else, followed until one is in force, its whole successor or
// the first (by ID) of the units it went into in part, with the others of
// those as alsoInto. "" when the lineage leads to no unit in force.
func SuccessorOn(rows []UnitLineage, id string, inForce func(id string) bool) (unit string, alsoInto []string) {
	for depth := 0; depth < 8 && id != ""; depth++ {
		if inForce(id) {
			return id, alsoInto
		}
		var whole string
		var parts []string
		for _, l := range rows {
			switch {
			case l.PredecessorID != id:
			case l.Share == ShareFull:
				whole = l.SuccessorID
			default:
				parts = append(parts, l.SuccessorID)
			}
		}
		slices.Sort(parts)
		switch {
		case whole != "":
			id = whole
		case len(parts) > 0:
			id, alsoInto = parts[0], append(alsoInto, parts[1:]...)
		default:
			id = ""
		}
	}
	return "", nil
}

// SaveRoute stores a nomination's planned route, within tx: the JSON the
// workflow started with and the step rows that scope reviewers' lists.
func SaveRoute(tx *gorm.DB, nominationID string, route routing.Route) error {
	raw, err := json.Marshal(route)
	if err != nil {
		return fmt.Errorf("route of %s: %w", nominationID, err)
	}
	if err := tx.Model(&Nomination{}).Where("id = ?", nominationID).Update("route", string(raw)).Error; err != nil {
		return fmt.Errorf("route of %s: %w", nominationID, err)
	}
	if err := tx.Where("nomination_id = ?", nominationID).Delete(&RouteStep{}).Error; err != nil {
		return fmt.Errorf("route steps of %s: %w", nominationID, err)
	}
	steps := make([]RouteStep, 0, len(route.Steps))
	for i, st := range route.Steps {
		steps = append(steps, RouteStep{NominationID: nominationID, Step: i, Level: string(st.Level), UnitID: st.UnitID, UnitName: st.UnitName})
	}
	if len(steps) == 0 {
		return nil
	}
	if err := tx.Create(&steps).Error; err != nil {
		return fmt.Errorf("route steps of %s: %w", nominationID, err)
	}
	return nil
}
