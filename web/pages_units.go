package web

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// Unit administration: the hierarchy as it stands on a chosen day, a form
// to add a unit, and each unit's page with its parents over time and the
// forms to rename, move or end it. Only the province's administrator
// changes units (the service refuses anyone else); everyone else reads.

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
	ID, Code, Name, Kind, LegalKind, ReviewLevel, ParentID, EffectiveFrom string
}

// unitsAdminData is the hierarchy page.
type unitsAdminData struct {
	At      string // the day shown, YYYY-MM-DD
	Rows    []unitRow
	CanEdit bool
	Kinds   []string // the kinds a new unit may have
	// LegalKinds are the legal kinds any kind allows, for the form's list.
	LegalKinds []string
	Levels     []string
	Groups     []unitGroup // the possible parents: the units shown
	Form       unitForm
	Errs       formErrors
}

var (
	unitKindOrder = []string{"province", "department", "district", "commune", "school", "agency", "enterprise"}
	unitLevels    = []string{"commune", "district", "education", "interior"}
	unitPointers  = []string{"/id", "/code", "/name", "/kind", "/legal_kind", "/review_level", "/parent_id", "/effective_from"}
	editPointers  = []string{"/name", "/name_from", "/parent_id", "/parent_from", "/effective_to", "/to"}
	// signerPointers are the fields of the roster's form.
	signerPointers = []string{"/name", "/title", "/valid_from", "/valid_to", "/unit_id"}
)

// canEditUnits: only the province's administrator changes units.
func (rq *request) canEditUnits() bool { return rq.Caller.ProvinceWide() }

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
	day, err := time.Parse(time.DateOnly, at)
	if err != nil {
		return err // at is a valid day (validDay)
	}
	units, err := rq.svc().Units(rq.ctx(), service.UnitFilter{At: day})
	if err != nil {
		return err
	}
	d := &unitsAdminData{At: at, Rows: hierarchy(units), CanEdit: rq.canEditUnits(), Levels: unitLevels,
		Kinds: unitKindOrder, LegalKinds: service.LegalKindList()}
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

// createUnit adds a unit.
func (u *UI) createUnit(rq *request) error {
	p := rq.r.PostForm
	f := unitForm{ID: strings.TrimSpace(p.Get("/id")), Code: strings.TrimSpace(p.Get("/code")), Name: strings.TrimSpace(p.Get("/name")),
		Kind: p.Get("/kind"), LegalKind: p.Get("/legal_kind"), ReviewLevel: p.Get("/review_level"), ParentID: p.Get("/parent_id"),
		EffectiveFrom: strings.TrimSpace(p.Get("/effective_from"))}
	in := service.UnitInput{ID: f.ID, Code: f.Code, Name: f.Name, Kind: f.Kind, LegalKind: f.LegalKind, ReviewLevel: f.ReviewLevel,
		ParentID: f.ParentID, EffectiveFrom: f.EffectiveFrom}
	if _, err := rq.svc().CreateUnit(rq.ctx(), rq.Caller, in); err != nil {
		prob := problems.From(err)
		if prob == nil {
			return err
		}
		at := validDay(p.Get("at"))
		if at == "" {
			at = today()
		}
		return u.showUnitAdmin(rq, prob.Status, at, func(d *unitsAdminData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, unitPointers...)
		})
	}
	rq.flash("flash_unit_created")
	return rq.redirect("/ui/admin/units/" + seg(f.ID))
}

// unitEditData is a unit's page.
type unitEditData struct {
	Unit    service.UnitDetailView
	Parent  string // the parent's name today (or the nearest day in force)
	Lineage []lineageSide
	CanEdit bool
	Groups  []unitGroup
	// The forms as typed, and the refused one's errors.
	Name, NameFrom, ParentID, ParentFrom, EffectiveTo string
	Errs                                              formErrors
	// Signers is the unit's roster of signers; Signer the roster's form
	// as typed and SignerErrs its errors.
	Signers    []service.SignerView
	Signer     service.SignerInput
	SignerErrs formErrors
}

// lineageSide is one side of a unit's lineage: ID is its heading's key.
type lineageSide struct {
	ID    string
	Units []service.LineageView
}

// unitPage shows a unit, its parents over time and the forms to change it.
func (u *UI) unitPage(rq *request) error {
	return u.showUnit(rq, http.StatusOK, nil)
}

// showUnit renders a unit's page; edit adds a refused form.
func (u *UI) showUnit(rq *request, status int, edit func(*unitEditData)) error {
	un, err := rq.svc().Unit(rq.ctx(), rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d := &unitEditData{Unit: un, CanEdit: rq.canEditUnits(), Name: un.Name, ParentFrom: today(),
		Lineage: []lineageSide{{"unit_predecessors", un.Predecessors}, {"unit_successors", un.Successors}}}
	if d.Signers, err = rq.svc().Signers(rq.ctx(), rq.Caller, un.ID, ""); err != nil && !errors.Is(err, service.ErrForbidden) {
		return err
	}
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

// changeUnit renames, moves or ends a unit, one change per form.
func (u *UI) changeUnit(rq *request) error {
	id := rq.r.PathValue("id")
	p := rq.r.PostForm
	var typed func(d *unitEditData)
	var in service.UnitPatch
	flash := ""
	switch p.Get("op") {
	case "rename":
		name, from := strings.TrimSpace(p.Get("/name")), strings.TrimSpace(p.Get("/name_from"))
		in.Name, flash = &name, "flash_unit_renamed"
		if from != "" {
			in.NameFrom = &from
		}
		typed = func(d *unitEditData) { d.Name, d.NameFrom = name, from }
	case "move":
		parent, from := p.Get("/parent_id"), strings.TrimSpace(p.Get("/parent_from"))
		in.ParentID, in.ParentFrom, flash = &parent, &from, "flash_unit_moved"
		typed = func(d *unitEditData) { d.ParentID, d.ParentFrom = parent, from }
	case "end":
		to := strings.TrimSpace(p.Get("/effective_to"))
		in.EffectiveTo, flash = &to, "flash_unit_ended"
		typed = func(d *unitEditData) { d.EffectiveTo = to }
	case "succeed":
		return u.succeedUnit(rq, id)
	case "signer":
		return u.addSigner(rq, id)
	default:
		return rq.redirect("/ui/admin/units/" + seg(id))
	}
	un, err := rq.svc().PatchUnit(rq.ctx(), rq.Caller, id, in)
	if err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity && prob.Status != http.StatusConflict {
			return err
		}
		return u.showUnit(rq, prob.Status, func(d *unitEditData) {
			typed(d)
			d.Errs = newFormErrors(prob, rq.Lang, nil, editPointers...)
		})
	}
	if flash == "flash_unit_ended" && un.ActiveAccounts != nil && *un.ActiveAccounts > 0 {
		flash = "flash_unit_ended_accounts"
	}
	rq.flash(flash)
	return rq.redirect("/ui/admin/units/" + seg(id))
}

// succeedUnit moves an ended unit's accounts to the successor chosen.
func (u *UI) succeedUnit(rq *request, id string) error {
	if _, err := rq.svc().Succeed(rq.ctx(), rq.Caller, id, service.SucceedInput{To: rq.r.PostForm.Get("/to")}); err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showUnit(rq, prob.Status, func(d *unitEditData) { d.Errs = newFormErrors(prob, rq.Lang, nil, editPointers...) })
	}
	rq.flash("flash_unit_succeeded")
	return rq.redirect("/ui/admin/units/" + seg(id))
}

// addSigner records a term on the unit's roster of signers.
func (u *UI) addSigner(rq *request, id string) error {
	p := rq.r.PostForm
	in := service.SignerInput{UnitID: id, Name: strings.TrimSpace(p.Get("/name")),
		Title:     strings.TrimSpace(strings.ReplaceAll(p.Get("/title"), "\r\n", "\n")),
		ValidFrom: strings.TrimSpace(p.Get("/valid_from")), ValidTo: strings.TrimSpace(p.Get("/valid_to"))}
	if _, err := rq.svc().AddSigner(rq.ctx(), rq.Caller, in); err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showUnit(rq, prob.Status, func(d *unitEditData) {
			d.Signer, d.SignerErrs = in, newFormErrors(prob, rq.Lang, nil, signerPointers...)
		})
	}
	rq.flash("flash_signer_added")
	return rq.redirect("/ui/admin/units/" + seg(id) + "#h-signers")
}
