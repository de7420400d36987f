package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// The legal bases decisions cite: the table with each row's days and
// source, those in force on a chosen day, a form to add a row and each
// row's page with the form to correct it. Everyone signed in reads them;
// the service lets only the province's administrator change them.

// legalForm holds a legal basis form as typed.
type legalForm struct {
	Code, Kind, Title, IssuedOn, ValidFrom, ValidTo, Sector, Source, Position string
}

// legalPointers are the form's fields, by the service's pointers.
var legalPointers = []string{"/code", "/kind", "/title", "/issued_on", "/valid_from", "/valid_to", "/sector", "/source", "/position"}

// legalBasesData is the table's page.
type legalBasesData struct {
	Date    string // the day shown, or "" for every row
	Rows    []service.LegalBasisView
	CanEdit bool
	Kinds   []string
	Form    legalForm
	Errs    formErrors
}

// legalBasisData is a row's page.
type legalBasisData struct {
	Row     service.LegalBasisView
	CanEdit bool
	Kinds   []string
	Form    legalForm
	Errs    formErrors
}

// canEditLegalBases: only the province's administrator changes the rows.
func (rq *request) canEditLegalBases() bool { return rq.Caller.ProvinceWide() }

// typedLegalForm reads the form as typed.
func typedLegalForm(rq *request) legalForm {
	p := rq.r.PostForm
	get := func(k string) string { return strings.TrimSpace(p.Get(k)) }
	return legalForm{Code: get("/code"), Kind: get("/kind"), Title: get("/title"), IssuedOn: get("/issued_on"),
		ValidFrom: get("/valid_from"), ValidTo: get("/valid_to"), Sector: get("/sector"), Source: get("/source"), Position: get("/position")}
}

// position is the order typed; a non-number is sent as -1, which the
// service refuses beside the field.
func (f legalForm) position() int {
	if f.Position == "" {
		return 0
	}
	n, err := strconv.Atoi(f.Position)
	if err != nil {
		return -1
	}
	return n
}

// legalFormOf fills the correction form with a row.
func legalFormOf(v service.LegalBasisView) legalForm {
	f := legalForm{Code: v.Code, Kind: v.Kind, Title: v.Title, ValidFrom: v.ValidFrom, Sector: v.Sector, Source: v.Source,
		Position: strconv.Itoa(v.Position)}
	if v.IssuedOn != nil {
		f.IssuedOn = *v.IssuedOn
	}
	if v.ValidTo != nil {
		f.ValidTo = *v.ValidTo
	}
	return f
}

// legalBasesList shows the table, or (?date=) the rows in force that day.
func (u *UI) legalBasesList(rq *request) error {
	return u.showLegalBases(rq, http.StatusOK, validDay(rq.r.URL.Query().Get("date")), nil)
}

// showLegalBases renders the table; edit adds a refused form.
func (u *UI) showLegalBases(rq *request, status int, date string, edit func(*legalBasesData)) error {
	list, err := rq.svc().LegalBases(rq.ctx(), rq.Caller, date)
	if err != nil {
		return err
	}
	d := &legalBasesData{Date: date, Rows: list.Items, CanEdit: rq.canEditLegalBases(), Kinds: service.LegalBasisKinds(),
		Form: legalForm{Kind: "thông tư"}}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "legalbases", rq.page("legal_title", d))
}

// addLegalBasis adds a row.
func (u *UI) addLegalBasis(rq *request) error {
	f := typedLegalForm(rq)
	in := service.LegalBasisInput{Code: f.Code, Kind: f.Kind, Title: f.Title, IssuedOn: f.IssuedOn, ValidFrom: f.ValidFrom,
		ValidTo: f.ValidTo, Sector: f.Sector, Source: f.Source, Position: f.position()}
	v, err := rq.svc().CreateLegalBasis(rq.ctx(), rq.Caller, in)
	if err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showLegalBases(rq, prob.Status, "", func(d *legalBasesData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, legalPointers...)
		})
	}
	rq.flash("flash_legal_added")
	return rq.redirect("/ui/admin/legal-bases/" + strconv.FormatUint(uint64(v.ID), 10))
}

// legalBasisPage shows a row and the form to correct it.
func (u *UI) legalBasisPage(rq *request) error { return u.showLegalBasis(rq, http.StatusOK, nil) }

// showLegalBasis renders a row's page; edit adds a refused form.
func (u *UI) showLegalBasis(rq *request, status int, edit func(*legalBasisData)) error {
	v, err := rq.svc().LegalBasis(rq.ctx(), rq.Caller, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d := &legalBasisData{Row: v, CanEdit: rq.canEditLegalBases(), Kinds: service.LegalBasisKinds(), Form: legalFormOf(v)}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "legalbasis", rq.page("legal_row_title", d))
}

// correctLegalBasis sends the form whole as the correction: the service
// writes (and audits) only what changed.
func (u *UI) correctLegalBasis(rq *request) error {
	id := rq.r.PathValue("id")
	f := typedLegalForm(rq)
	pos := f.position()
	p := service.LegalBasisPatch{Code: &f.Code, Kind: &f.Kind, Title: &f.Title, IssuedOn: &f.IssuedOn, ValidFrom: &f.ValidFrom,
		ValidTo: &f.ValidTo, Sector: &f.Sector, Source: &f.Source, Position: &pos}
	if _, err := rq.svc().PatchLegalBasis(rq.ctx(), rq.Caller, id, p); err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showLegalBasis(rq, prob.Status, func(d *legalBasisData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, legalPointers...)
		})
	}
	rq.flash("flash_legal_corrected")
	return rq.redirect("/ui/admin/legal-bases/" + seg(id))
}
