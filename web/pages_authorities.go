package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/service"
)

// The award authorities, who may award what on a day: the table with each
// row's days, council and source, those held on a chosen day, a form to
// add a row and each row's page with the form to correct it. Everyone
// signed in reads them; the service lets only the province's
// administrator change them. The form and levels of a row are the routing
// table's and are not typed: the service fills them for a new row and
// keeps them on a correction.

// authorityForm holds an authority form as typed.
type authorityForm struct {
	Award, Name, DecidedBy, ValidFrom, ValidTo, Council, Source, Position string
}

// authorityPointers are the form's fields, by the service's pointers.
var authorityPointers = []string{"/award", "/name", "/decided_by", "/valid_from", "/valid_to", "/council", "/source", "/position"}

// authorityRow is a row with its levels named in the page's language.
type authorityRow struct {
	service.AuthorityView
	LastLevelLabel, IssuerLabel string
}

// authoritiesData is the table's page.
type authoritiesData struct {
	Date    string // the day shown, or "" for every row
	Rows    []authorityRow
	CanEdit bool
	Awards  []Option
	Form    authorityForm
	Errs    formErrors
}

// authorityData is a row's page.
type authorityData struct {
	Row     authorityRow
	CanEdit bool
	Form    authorityForm
	Errs    formErrors
}

// canEditAuthorities: only the province's administrator changes the rows.
func (rq *request) canEditAuthorities() bool { return rq.Caller.ProvinceWide() }

// authorityRowOf names a row's levels.
func (rq *request) authorityRowOf(v service.AuthorityView) authorityRow {
	return authorityRow{AuthorityView: v, LastLevelLabel: tr(rq.Lang, "level_"+v.LastLevel), IssuerLabel: tr(rq.Lang, "level_"+v.Issuer)}
}

// typedAuthorityForm reads the form as typed.
func typedAuthorityForm(rq *request) authorityForm {
	p := rq.r.PostForm
	get := func(k string) string { return strings.TrimSpace(p.Get(k)) }
	return authorityForm{Award: get("/award"), Name: get("/name"), DecidedBy: get("/decided_by"), ValidFrom: get("/valid_from"),
		ValidTo: get("/valid_to"), Council: get("/council"), Source: get("/source"), Position: get("/position")}
}

// position is the order typed; a non-number is sent as -1, which the
// service refuses beside the field.
func (f authorityForm) position() int {
	if f.Position == "" {
		return 0
	}
	n, err := strconv.Atoi(f.Position)
	if err != nil {
		return -1
	}
	return n
}

// authorityFormOf fills the correction form with a row.
func authorityFormOf(v service.AuthorityView) authorityForm {
	f := authorityForm{Award: v.Award, Name: v.Name, DecidedBy: v.DecidedBy, ValidFrom: v.ValidFrom, Council: v.Council,
		Source: v.Source, Position: strconv.Itoa(v.Position)}
	if v.ValidTo != nil {
		f.ValidTo = *v.ValidTo
	}
	return f
}

// authoritiesList shows the table, or (?date=) the rows held that day.
func (u *UI) authoritiesList(rq *request) error {
	return u.showAuthorities(rq, http.StatusOK, validDay(rq.r.URL.Query().Get("date")), nil)
}

// showAuthorities renders the table; edit adds a refused form.
func (u *UI) showAuthorities(rq *request, status int, date string, edit func(*authoritiesData)) error {
	list, err := rq.svc().Authorities(rq.ctx(), rq.Caller, date, "")
	if err != nil {
		return err
	}
	d := &authoritiesData{Date: date, CanEdit: rq.canEditAuthorities()}
	for _, v := range list.Items {
		d.Rows = append(d.Rows, rq.authorityRowOf(v))
	}
	if edit != nil {
		edit(d)
	}
	awards, err := rq.awards()
	if err != nil {
		return err
	}
	for _, a := range awards {
		d.Awards = append(d.Awards, Option{Value: string(a.Code), Label: a.Name, Selected: string(a.Code) == d.Form.Award})
	}
	return rq.show(status, "authorities", rq.page("authorities_title", d))
}

// addAuthority adds a row.
func (u *UI) addAuthority(rq *request) error {
	f := typedAuthorityForm(rq)
	in := service.AuthorityInput{Award: f.Award, Name: f.Name, DecidedBy: f.DecidedBy, ValidFrom: f.ValidFrom, ValidTo: f.ValidTo,
		Council: f.Council, Source: f.Source, Position: f.position()}
	v, err := rq.svc().CreateAuthority(rq.ctx(), rq.Caller, in)
	if err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showAuthorities(rq, prob.Status, "", func(d *authoritiesData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, authorityPointers...)
		})
	}
	rq.flash("flash_authority_added")
	return rq.redirect("/ui/admin/authorities/" + strconv.FormatUint(uint64(v.ID), 10))
}

// authorityPage shows a row and the form to correct it.
func (u *UI) authorityPage(rq *request) error { return u.showAuthority(rq, http.StatusOK, nil) }

// showAuthority renders a row's page; edit adds a refused form.
func (u *UI) showAuthority(rq *request, status int, edit func(*authorityData)) error {
	v, err := rq.svc().Authority(rq.ctx(), rq.Caller, rq.r.PathValue("id"))
	if err != nil {
		return err
	}
	d := &authorityData{Row: rq.authorityRowOf(v), CanEdit: rq.canEditAuthorities(), Form: authorityFormOf(v)}
	if edit != nil {
		edit(d)
	}
	return rq.show(status, "authority", rq.page("authority_row_title", d))
}

// correctAuthority sends the form whole as the correction (its award, and
// so its form and levels, stay): the service writes (and audits) only
// what changed.
func (u *UI) correctAuthority(rq *request) error {
	id := rq.r.PathValue("id")
	f := typedAuthorityForm(rq)
	pos := f.position()
	p := service.AuthorityPatch{Name: &f.Name, DecidedBy: &f.DecidedBy, ValidFrom: &f.ValidFrom, ValidTo: &f.ValidTo,
		Council: &f.Council, Source: &f.Source, Position: &pos}
	if _, err := rq.svc().PatchAuthority(rq.ctx(), rq.Caller, id, p); err != nil {
		prob := problems.From(err)
		if prob == nil || prob.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showAuthority(rq, prob.Status, func(d *authorityData) {
			d.Form, d.Errs = f, newFormErrors(prob, rq.Lang, nil, authorityPointers...)
		})
	}
	rq.flash("flash_authority_corrected")
	return rq.redirect("/ui/admin/authorities/" + seg(id))
}
