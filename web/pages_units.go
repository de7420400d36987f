package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Unit administration: the hierarchy as it stands on a chosen day, a form
// to add a unit, and each unit's page with its parents over time and the
// forms to rename, move or end it. Only the province's administrator
// changes units (the API refuses anyone else); everyone else reads.

// UnitLink is one of a unit's parent links.
type UnitLink struct {
	ParentID      string  `json:"parent_id"`
	ParentName    string  `json:"parent_name"`
	EffectiveFrom string  `json:"effective_from"`
	EffectiveTo   *string `json:"effective_to"`
}

// UnitDetail is a unit with its parents over time (GET /api/v1/units/{id}).
type UnitDetail struct {
	Unit
	Parents        []UnitLink `json:"parents"`
	ActiveAccounts *int       `json:"active_accounts"`
}

// unitRow is a unit placed in the hierarchy.
type unitRow struct {
	Unit
	Depth      int
	ParentName string
}

// Indent is the row's indentation (rem) in the name column.
func (r unitRow) Indent() float64 { return 1.25 * float64(r.Depth) }

// unitForm holds the new-unit form as typed.
type unitForm struct {
	ID, Name, Kind, ReviewLevel, ParentID, EffectiveFrom string
}

// unitsAdminData is the hierarchy page.
type unitsAdminData struct {
	At      string // the day shown, YYYY-MM-DD
	Rows    []unitRow
	CanEdit bool
	Kinds   []string // the kinds a new unit may have
	Levels  []string
	Groups  []unitGroup // the possible parents: the units shown
	Form    unitForm
	Errs    formErrors
}

var (
	unitKindOrder = []string{"province", "department", "district", "commune", "school", "agency", "enterprise"}
	unitLevels    = []string{"commune", "district", "education", "interior"}
	unitPointers  = []string{"/id", "/name", "/kind", "/review_level", "/parent_id", "/effective_from"}
	editPointers  = []string{"/name", "/parent_id", "/parent_from", "/effective_to"}
)

// canEditUnits: the API lets only the province's administrator change
// units.
func (rq *request) canEditUnits() bool {
	return rq.Me.Role == roleAdmin && rq.Me.Unit.Kind == "province"
}

// today is the current day in Vietnam.
func today() string { return time.Now().In(zone).Format(time.DateOnly) }

// Today is the current day in Vietnam (YYYY-MM-DD).
func (p *page) Today() string { return today() }

// validDay returns v if it is a YYYY-MM-DD day, else "".
func validDay(v string) string {
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return ""
	}
	return v
}

// forgetUnitNames drops the cached unit names after a change.
func (u *UI) forgetUnitNames() {
	u.unitsMu.Lock()
	u.units = nil
	u.unitsMu.Unlock()
}

// unitAdmin shows the hierarchy on ?at= (default today).
func (u *UI) unitAdmin(rq *request) error {
	at := validDay(rq.r.URL.Query().Get("at"))
	if at == "" {
		at = today()
	}
	return u.showUnitAdmin(rq, http.StatusOK, at, func(d *unitsAdminData) { d.Form.EffectiveFrom = at })
}

// showUnitAdmin renders the hierarchy on day at; edit adds a refused form.
func (u *UI) showUnitAdmin(rq *request, status int, at string, edit func(*unitsAdminData)) error {
	var units list[Unit]
	if err := rq.get("/api/v1/units?at="+url.QueryEscape(at), &units); err != nil {
		return err
	}
	d := &unitsAdminData{At: at, Rows: hierarchy(units.Items), CanEdit: rq.canEditUnits(), Levels: unitLevels,
		Kinds: slices.DeleteFunc(slices.Clone(unitKindOrder), func(k string) bool { return k == "province" })}
	byKind := map[string][]Unit{}
	for _, r := range d.Rows {
		byKind[r.Kind] = append(byKind[r.Kind], r.Unit)
	}
	for _, k := range unitKindOrder {
		if len(byKind[k]) > 0 {
			d.Groups = append(d.Groups, unitGroup{Kind: k, Units: byKind[k]})
		}
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "unitadmin", rq.page("unitadmin_title", d))
}

// hierarchy orders units as a tree: each unit after its parent, siblings
// by kind then name; a unit whose parent is not among them is a root.
func hierarchy(units []Unit) []unitRow {
	byID := map[string]Unit{}
	for _, un := range units {
		byID[un.ID] = un
	}
	children := map[string][]Unit{}
	var roots []Unit
	for _, un := range units {
		if _, ok := byID[un.ParentID]; ok && un.ParentID != un.ID {
			children[un.ParentID] = append(children[un.ParentID], un)
		} else {
			roots = append(roots, un)
		}
	}
	order := func(a, b Unit) int {
		if c := slices.Index(unitKindOrder, a.Kind) - slices.Index(unitKindOrder, b.Kind); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	}
	out := make([]unitRow, 0, len(units))
	seen := map[string]bool{}
	var walk func(un Unit, depth int)
	walk = func(un Unit, depth int) {
		if seen[un.ID] {
			return
		}
		seen[un.ID] = true
		out = append(out, unitRow{Unit: un, Depth: depth, ParentName: byID[un.ParentID].Name})
		kids := children[un.ID]
		slices.SortFunc(kids, order)
		for _, c := range kids {
			walk(c, depth+1)
		}
	}
	slices.SortFunc(roots, order)
	for _, r := range roots {
		walk(r, 0)
	}
	for _, un := range units { // a cycle the API should never allow
		if !seen[un.ID] {
			walk(un, 0)
		}
	}
	return out
}

// createUnit adds a unit (POST /api/v1/units).
func (u *UI) createUnit(rq *request) error {
	p := rq.r.PostForm
	f := unitForm{ID: strings.TrimSpace(p.Get("/id")), Name: strings.TrimSpace(p.Get("/name")), Kind: p.Get("/kind"),
		ReviewLevel: p.Get("/review_level"), ParentID: p.Get("/parent_id"), EffectiveFrom: strings.TrimSpace(p.Get("/effective_from"))}
	body := map[string]any{"id": f.ID, "name": f.Name, "kind": f.Kind, "parent_id": f.ParentID, "effective_from": f.EffectiveFrom}
	if f.ReviewLevel != "" {
		body["review_level"] = f.ReviewLevel
	}
	res := rq.call(http.MethodPost, "/api/v1/units", body)
	if !res.ok() {
		at := validDay(p.Get("at"))
		if at == "" {
			at = today()
		}
		return u.showUnitAdmin(rq, res.Status, at, func(d *unitsAdminData) {
			d.Form, d.Errs = f, newFormErrors(res.problem(), rq.Lang, nil, unitPointers...)
		})
	}
	u.forgetUnitNames()
	rq.flash("flash_unit_created")
	return rq.redirect("/ui/admin/units/" + seg(f.ID))
}

// unitEditData is a unit's page.
type unitEditData struct {
	Unit    UnitDetail
	Parent  string // the parent's name today (or the nearest day in force)
	CanEdit bool
	Groups  []unitGroup
	// The forms as typed, and the refused one's errors.
	Name, ParentID, ParentFrom, EffectiveTo string
	Errs                                    formErrors
}

// unitPage shows a unit, its parents over time and the forms to change it.
func (u *UI) unitPage(rq *request) error {
	return u.showUnit(rq, http.StatusOK, nil)
}

// showUnit renders a unit's page; edit adds a refused form.
func (u *UI) showUnit(rq *request, status int, edit func(*unitEditData)) error {
	var un UnitDetail
	if err := rq.get("/api/v1/units/"+seg(rq.r.PathValue("id")), &un); err != nil {
		return err
	}
	d := &unitEditData{Unit: un, CanEdit: rq.canEditUnits(), Name: un.Name, ParentFrom: today()}
	for _, l := range un.Parents {
		if l.ParentID == un.ParentID {
			d.Parent = l.ParentName
		}
	}
	if d.CanEdit {
		groups, err := rq.unitGroups()
		if err != nil {
			return err
		}
		d.Groups = groups
	}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "unit", rq.page("unit_title", d))
}

// changeUnit renames, moves or ends a unit (PATCH /api/v1/units/{id}),
// one change per form.
func (u *UI) changeUnit(rq *request) error {
	id := rq.r.PathValue("id")
	p := rq.r.PostForm
	typed := func(d *unitEditData) {}
	var body map[string]any
	flash := ""
	switch p.Get("op") {
	case "rename":
		name := strings.TrimSpace(p.Get("/name"))
		body, flash = map[string]any{"name": name}, "flash_unit_renamed"
		typed = func(d *unitEditData) { d.Name = name }
	case "move":
		parent, from := p.Get("/parent_id"), strings.TrimSpace(p.Get("/parent_from"))
		body, flash = map[string]any{"parent_id": parent, "parent_from": from}, "flash_unit_moved"
		typed = func(d *unitEditData) { d.ParentID, d.ParentFrom = parent, from }
	case "end":
		to := strings.TrimSpace(p.Get("/effective_to"))
		body, flash = map[string]any{"effective_to": to}, "flash_unit_ended"
		typed = func(d *unitEditData) { d.EffectiveTo = to }
	default:
		return rq.redirect("/ui/admin/units/" + seg(id))
	}
	res := rq.call(http.MethodPatch, "/api/v1/units/"+seg(id), body)
	if !res.ok() {
		if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusConflict {
			return &apiError{res}
		}
		return u.showUnit(rq, res.Status, func(d *unitEditData) {
			typed(d)
			d.Errs = newFormErrors(res.problem(), rq.Lang, nil, editPointers...)
		})
	}
	if flash == "flash_unit_ended" {
		var un UnitDetail
		if res.decode(&un) == nil && un.ActiveAccounts != nil && *un.ActiveAccounts > 0 {
			flash = "flash_unit_ended_accounts"
		}
	}
	u.forgetUnitNames()
	rq.flash(flash)
	return rq.redirect("/ui/admin/units/" + seg(id))
}
