package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/tdkt/tdkt/service"
)

// The public postings: anyone, without an account, reads the Prime
// Minister's Bằng khen nominees under their 10 working days of posting and
// files an objection. Interior reads and resolves the objections on the
// nomination's page.

// objectionForm holds an objection as typed.
type objectionForm struct{ Author, Contact, Text string }

// postingsData is the public postings page.
type postingsData struct {
	Postings []Posting
	// FormCSRF binds the objection forms to the pre-session cookie: the
	// page's own CSRF (the header's logout form) is a session's, if any.
	FormCSRF string
	Open     string // the posting whose objection was refused
	Form     objectionForm
	Errs     formErrors
}

// optionalSession is a public page's request: with the caller's session
// when there is a valid one (the page then shows the navigation), else
// anonymous.
func (u *UI) optionalSession(w http.ResponseWriter, r *http.Request) *request {
	rq := &request{ui: u, r: r, w: w, Lang: langOf(r)}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" {
		if who, err := u.svc.Authenticate(r.Context(), c.Value); err == nil {
			who.Address = clientAddress(r)
			rq.Token, rq.Caller, rq.Me = c.Value, who, service.Me(who)
		}
	}
	return rq
}

// preSession returns the pre-session cookie that binds the CSRF token of
// a form shown without a session, setting one if there is none.
func (u *UI) preSession(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(preCookie); err == nil && len(c.Value) == 32 {
		return c.Value
	}
	pre := randomHex(16)
	u.setCookie(w, r, preCookie, pre, time.Now().Add(2*time.Hour))
	return pre
}

// postings shows the nominees under posting, each with an objection form.
func (u *UI) postings(w http.ResponseWriter, r *http.Request) {
	u.rememberLang(w, r)
	u.showPostings(w, r, http.StatusOK, nil)
}

// showPostings renders the postings page; edit adds a refused objection.
func (u *UI) showPostings(w http.ResponseWriter, r *http.Request, status int, edit func(*postingsData)) {
	w.Header().Set("Cache-Control", "no-store")
	rq := u.optionalSession(w, r)
	anon := &request{ui: u, r: r, w: w, Lang: rq.Lang}
	var ps list[Posting]
	if err := anon.get("/api/v1/public/postings", &ps); err != nil {
		u.fail(rq, err)
		return
	}
	d := &postingsData{Postings: ps.Items, FormCSRF: u.csrfToken(u.preSession(w, r))}
	if edit != nil {
		edit(d)
	}
	p := u.newPage(w, r, rq, rq.Lang, "postings_title")
	p.Data = d
	u.render(w, status, "postings", p)
}

// object files an objection (POST /api/v1/public/postings/{id}/objections).
// Its errors go back beside the posting's form; the API's rate limit
// applies to the browser's address.
func (u *UI) object(w http.ResponseWriter, r *http.Request) {
	u.rememberLang(w, r)
	binding := ""
	if c, err := r.Cookie(preCookie); err == nil {
		binding = c.Value
	}
	switch err := u.parseForm(w, r, binding); {
	case errors.Is(err, errTooLarge):
		u.errorPage(w, r, nil, http.StatusRequestEntityTooLarge, u.tr(r, "err_too_large"))
		return
	case err != nil:
		u.errorPage(w, r, nil, http.StatusForbidden, u.tr(r, "err_csrf"))
		return
	}
	id := r.PathValue("id")
	f := objectionForm{Author: strings.TrimSpace(r.PostForm.Get("author")), Contact: strings.TrimSpace(r.PostForm.Get("contact")),
		Text: strings.TrimSpace(r.PostForm.Get("text"))}
	body := map[string]any{"author": f.Author, "text": f.Text}
	if f.Contact != "" {
		body["contact"] = f.Contact
	}
	anon := &request{ui: u, r: r, w: w, Lang: langOf(r)}
	res := anon.call(http.MethodPost, "/api/v1/public/postings/"+seg(id)+"/objections", body)
	if !res.ok() {
		if res.Status == http.StatusNotFound {
			u.errorPage(w, r, nil, res.Status, res.problem().Text(anon.Lang))
			return
		}
		u.showPostings(w, r, res.Status, func(d *postingsData) {
			d.Open, d.Form = id, f
			d.Errs = newFormErrors(res.problem(), anon.Lang, nil, "/author", "/contact", "/text")
		})
		return
	}
	u.setCookie(w, r, flashCookie, "flash_objection", time.Now().Add(time.Minute))
	http.Redirect(w, r, "/ui/postings", http.StatusSeeOther)
}

// resolveObjection records how Interior resolved an objection, then shows
// the nomination again (its errors beside the objection's form).
func (u *UI) resolveObjection(rq *request) error {
	id := rq.r.PathValue("id")
	nomination := rq.r.PostForm.Get("nomination")
	text := strings.TrimSpace(rq.r.PostForm.Get("resolution"))
	res := rq.call(http.MethodPost, "/api/v1/objections/"+seg(id)+"/resolve", map[string]any{"resolution": text})
	if !res.ok() {
		if nomination == "" || res.Status != http.StatusUnprocessableEntity {
			return &apiError{res}
		}
		return u.showDetail(rq, nomination, res.Status, func(d *detailData) {
			d.ResolveID, d.ResolveText = id, rq.r.PostForm.Get("resolution")
			d.Resolve = newFormErrors(res.problem(), rq.Lang, nil, "/resolution")
		})
	}
	rq.flash("flash_resolved")
	if nomination == "" {
		return rq.redirect("/ui/")
	}
	return rq.redirect("/ui/nominations/" + url.PathEscape(nomination) + "#objections")
}
