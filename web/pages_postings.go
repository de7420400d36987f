package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/problems"
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
	Postings []service.PublicPosting
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
			who.Address, who.Origin = clientAddress(r), origin(r)
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
	ps, err := u.svc.Postings(r.Context())
	if err != nil {
		u.fail(rq, err)
		return
	}
	d := &postingsData{Postings: ps, FormCSRF: u.csrfToken(u.preSession(w, r))}
	if edit != nil {
		edit(d)
	}
	p := u.newPage(w, r, rq, rq.Lang, "postings_title")
	p.Data = d
	u.render(w, status, "postings", p)
}

// object files an objection. Its errors go back beside the posting's
// form; the per-address limit of objections applies to the browser's
// address as to an API client's.
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
	lang := langOf(r)
	// Anonymous: the objector is known by their address alone.
	who := service.Caller{Address: clientAddress(r), RequestID: w.Header().Get("X-Request-Id")}
	_, err := u.svc.Object(r.Context(), who, id, func(in *service.ObjectionInput) error {
		*in = service.ObjectionInput{Author: f.Author, Contact: f.Contact, Text: f.Text}
		return nil
	})
	if err != nil {
		p := problems.From(err)
		switch {
		case p == nil:
			u.fail(&request{ui: u, r: r, w: w, Lang: lang}, err)
		case p.Status == http.StatusNotFound:
			u.errorPage(w, r, nil, p.Status, p.Text(lang))
		default:
			if p.RetryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
			}
			u.showPostings(w, r, p.Status, func(d *postingsData) {
				d.Open, d.Form = id, f
				d.Errs = newFormErrors(p, lang, nil, "/author", "/contact", "/text")
			})
		}
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
	err := rq.svc().ResolveObjection(rq.ctx(), rq.Caller, id, service.ResolveInput{Resolution: text})
	if err != nil {
		p := problems.From(err)
		if nomination == "" || p == nil || p.Status != http.StatusUnprocessableEntity {
			return err
		}
		return u.showDetail(rq, nomination, p.Status, func(d *detailData) {
			d.ResolveID, d.ResolveText = id, rq.r.PostForm.Get("resolution")
			d.Resolve = newFormErrors(p, rq.Lang, nil, "/resolution")
		})
	}
	rq.flash("flash_resolved")
	if nomination == "" {
		return rq.redirect("/ui/")
	}
	return rq.redirect("/ui/nominations/" + url.PathEscape(nomination) + "#objections")
}

// origin is the scheme and host a page was requested on, as the API reads
// them (TLS, or the X-Forwarded-Proto of a proxy): the links printed on
// certificates start with it when no public base URL is configured.
func origin(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	} else if p := r.Header.Get("X-Forwarded-Proto"); p != "" {
		scheme = p
	}
	return scheme + "://" + r.Host
}
