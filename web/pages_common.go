package web

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/tdkt/tdkt/service"
)

// formErrors is an API problem laid out on a form: messages beside the
// fields they point at, a summary linking to them, and the rest.
type formErrors struct {
	Message string
	Fields  map[string][]string // hand-written fields, by pointer
	Summary []summaryItem
	Other   []string // errors that no field shows
}

// summaryItem is one error of the summary, linking to its field.
type summaryItem struct{ Href, Text string }

// ferr is the data of the "ferr" template: one field's errors.
type ferr struct {
	ID   string
	Msgs []string
}

// For returns the errors of a hand-written field.
func (fe formErrors) For(ptr string) ferr { return ferr{ID: FieldID(ptr), Msgs: fe.Fields[ptr]} }

// Has reports errors on a hand-written field.
func (fe formErrors) Has(ptr string) bool { return len(fe.Fields[ptr]) > 0 }

// newFormErrors lays out problem p on a form whose hand-written fields are
// pointers (an error under one of them goes to it: "/votes" takes
// "/votes/0/for") and, when form is not nil, on a generated form.
func newFormErrors(p *Problem, lang string, form *Form, pointers ...string) formErrors {
	fe := formErrors{Message: p.Text(lang), Fields: map[string][]string{}}
	for _, e := range p.Errors {
		msg := e.In(lang)
		if ptr := matchPointer(pointers, e.Pointer); ptr != "" {
			fe.Fields[ptr] = append(fe.Fields[ptr], msg)
			fe.Summary = append(fe.Summary, summaryItem{Href: "#" + FieldID(ptr), Text: msg})
			continue
		}
		if form != nil {
			if fd := form.lookup(e.Pointer); fd != nil {
				fd.Errors = append(fd.Errors, msg)
				fe.Summary = append(fe.Summary, summaryItem{Href: "#" + fd.ID, Text: msg})
				continue
			}
		}
		fe.Other = append(fe.Other, msg)
	}
	return fe
}

// matchPointer returns the longest of pointers equal to ptr or above it.
func matchPointer(pointers []string, ptr string) string {
	best := ""
	for _, p := range pointers {
		if (ptr == p || strings.HasPrefix(ptr, p+"/")) && len(p) > len(best) {
			best = p
		}
	}
	return best
}

// home sends each role to its main page.
func (u *UI) home(rq *request) error {
	switch rq.Me.Role {
	case roleReviewer, roleInterior:
		return rq.redirect("/ui/inbox")
	case roleAdmin:
		return rq.redirect("/ui/rounds")
	}
	return rq.redirect("/ui/nominations")
}

// verifyCode is a certificate's verification code (128 bits in hex).
var verifyCode = regexp.MustCompile(`[0-9a-f]{32}`)

// verifyLookup is the public form that leads to a certificate's
// verification page (/verify/{code}, served by the API).
func (u *UI) verifyLookup(w http.ResponseWriter, r *http.Request) {
	u.rememberLang(w, r)
	code := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("code")))
	msg := ""
	if code != "" {
		if m := verifyCode.FindString(code); m != "" {
			http.Redirect(w, r, "/verify/"+m, http.StatusSeeOther)
			return
		}
		msg = u.tr(r, "verify_bad_code")
	}
	rq := u.optionalSession(w, r)
	p := u.newPage(w, r, rq, rq.Lang, "verify_title")
	p.Data = struct{ Code, Error string }{code, msg}
	status := http.StatusOK
	if msg != "" {
		status = http.StatusUnprocessableEntity
	}
	u.render(w, status, "verify", p)
}

// unitList shows the units in force on a date.
func (u *UI) unitList(rq *request) error {
	q := rq.r.URL.Query()
	at := q.Get("at")
	if at != "" {
		if _, err := time.Parse(time.DateOnly, at); err != nil {
			at = ""
		}
	}
	var f service.UnitFilter
	if at != "" {
		f.At, _ = time.Parse(time.DateOnly, at) // checked above
	}
	units, err := rq.svc().Units(rq.ctx(), f)
	if err != nil {
		return err
	}
	names := map[string]string{}
	kinds := map[string]bool{}
	for _, un := range units {
		names[un.ID] = un.Name
		kinds[un.Kind] = true
	}
	kind := q.Get("kind")
	var shown []Unit
	for _, un := range units {
		if kind == "" || un.Kind == kind {
			shown = append(shown, un)
		}
	}
	var kindList []string
	for k := range kinds {
		kindList = append(kindList, k)
	}
	slices.Sort(kindList)
	return rq.show(http.StatusOK, "units", rq.page("units_title", struct {
		Units        []Unit
		Names        map[string]string
		At, Kind     string
		Kinds        []string
		Total, Shown int
	}{shown, names, at, kind, kindList, len(units), len(shown)}))
}
