package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tdkt/tdkt/internal/problems"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/service"
)

// Cookies of the UI, all scoped to /ui/.
const (
	sessionCookie = "tdkt_session" // the API access token
	preCookie     = "tdkt_pre"     // binds the login form's CSRF token before a session exists
	flashCookie   = "tdkt_flash"   // a catalogue key shown once after a redirect
	langCookie    = "lang"         // "vi" or "en"
	cookiePath    = "/ui/"
	csrfField     = "csrf"
	maxFormBytes  = 1 << 20
)

// request is one authenticated page request: the caller's token and
// identity, the language, and the form's CSRF token.
type request struct {
	ui     *UI
	r      *http.Request
	w      http.ResponseWriter
	Token  string
	Caller service.Caller
	Me     service.MeView
	Lang   string
}

// ctx is the page request's context.
func (rq *request) ctx() context.Context { return rq.r.Context() }

// svc is the service the pages call.
func (rq *request) svc() *service.Service { return rq.ui.svc }

// clientAddress is the address the request came from, as the API reads
// it (the connection's; forwarded headers are not trusted), so that the
// per-address limits count a client's API and web requests together.
func clientAddress(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// handler is a page that needs a session. A returned error renders the
// error page (a refusal with its status and message).
type handler func(rq *request) error

// secure reports whether cookies must be marked Secure.
func (u *UI) secure(r *http.Request) bool { return r.TLS != nil || u.opts.SecureCookies }

// setCookie sets an HttpOnly, SameSite=Lax cookie on /ui/ (Secure under
// TLS or Options.SecureCookies).
func (u *UI) setCookie(w http.ResponseWriter, r *http.Request, name, value string, expires time.Time) {
	c := &http.Cookie{Name: name, Value: value, Path: cookiePath, HttpOnly: true, Secure: u.secure(r),
		SameSite: http.SameSiteLaxMode}
	if !expires.IsZero() {
		c.Expires = expires
		c.MaxAge = max(1, int(time.Until(expires).Seconds()))
	}
	http.SetCookie(w, c)
}

// clearCookie deletes a cookie of the UI.
func (u *UI) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: cookiePath, HttpOnly: true, Secure: u.secure(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// csrfToken is the form token of a session (or of a pre-session cookie
// for the login form): an HMAC of it under the UI's key, so it cannot be
// forged without the key nor reused with another session.
func (u *UI) csrfToken(binding string) string {
	if binding == "" {
		return ""
	}
	m := hmac.New(sha256.New, u.key)
	m.Write([]byte("tdkt-ui-csrf\x00"))
	m.Write([]byte(binding))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// validCSRF reports whether a form's token matches its binding.
func (u *UI) validCSRF(binding, token string) bool {
	want := u.csrfToken(binding)
	return want != "" && token != "" && hmac.Equal([]byte(want), []byte(token))
}

// parseForm bounds and parses a POST body — a form, or a multipart form
// carrying a file — and checks its CSRF token.
func (u *UI) parseForm(w http.ResponseWriter, r *http.Request, binding string) error {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" { // unreadable: parsed as a plain form
		r.Body = http.MaxBytesReader(w, r.Body, u.maxUpload()+maxFormBytes)
		if err := r.ParseMultipartForm(maxFormBytes); err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return errTooLarge
			}
			return errBadForm
		}
	} else {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			return errBadForm
		}
	}
	if !u.validCSRF(binding, r.PostForm.Get(csrfField)) {
		return errCSRF
	}
	return nil
}

var (
	errCSRF     = errors.New("missing or invalid CSRF token")
	errBadForm  = errors.New("unreadable form")
	errTooLarge = errors.New("form too large")
)

// maxUpload bounds one uploaded file: the UI's own bound, else the
// service's.
func (u *UI) maxUpload() int64 {
	if u.opts.MaxUploadBytes > 0 {
		return u.opts.MaxUploadBytes
	}
	return u.svc.MaxUploadBytes()
}

// langOf is the request's language: ?lang=, else the cookie, else
// Vietnamese.
func langOf(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && (c.Value == "en" || c.Value == "vi") {
		return c.Value
	}
	return "vi"
}

// rememberLang stores a ?lang= choice in the cookie.
func (u *UI) rememberLang(w http.ResponseWriter, r *http.Request) {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "vi" {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l, Path: cookiePath, Secure: u.secure(r),
			SameSite: http.SameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	}
}

// authed wraps a page that needs a session: no valid session redirects to
// the login page; a POST must carry the session's CSRF token.
func (u *UI) authed(h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.rememberLang(w, r)
		w.Header().Set("Cache-Control", "no-store")
		rq := &request{ui: u, r: r, w: w, Lang: langOf(r)}
		if c, err := r.Cookie(sessionCookie); err == nil {
			rq.Token = c.Value
		}
		if rq.Token == "" {
			u.toLogin(w, r)
			return
		}
		if r.Method == http.MethodPost {
			switch err := u.parseForm(w, r, rq.Token); {
			case errors.Is(err, errTooLarge):
				u.errorPage(w, r, nil, http.StatusRequestEntityTooLarge, u.tr(r, "err_too_large"))
				return
			case err != nil:
				u.errorPage(w, r, nil, http.StatusForbidden, u.tr(r, "err_csrf"))
				return
			}
		}
		who, err := u.svc.Authenticate(r.Context(), rq.Token)
		if errors.Is(err, service.ErrUnauthorized) {
			u.clearCookie(w, r, sessionCookie)
			u.toLogin(w, r)
			return
		}
		if err != nil {
			u.fail(rq, err)
			return
		}
		who.RequestID, who.Address = w.Header().Get("X-Request-Id"), clientAddress(r)
		who.Origin = origin(r)
		rq.Caller, rq.Me = who, service.Me(who)
		if err := h(rq); err != nil {
			u.fail(rq, err)
		}
	})
}

// toLogin redirects to the login page, coming back here afterwards (for
// a GET).
func (u *UI) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/ui/login"
	if r.Method == http.MethodGet && r.URL.Path != "/ui/" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// fail renders a handler's error: an expired session goes back to the
// login page, a refusal shows its message with its status.
func (u *UI) fail(rq *request, err error) {
	if p := problems.From(err); p != nil {
		if p.Status == http.StatusUnauthorized {
			u.clearCookie(rq.w, rq.r, sessionCookie)
			u.toLogin(rq.w, rq.r)
			return
		}
		u.errorPage(rq.w, rq.r, rq, p.Status, p.Text(rq.Lang))
		return
	}
	u.log.Error("web ui", "path", rq.r.URL.Path, "error", err)
	u.errorPage(rq.w, rq.r, rq, http.StatusInternalServerError, u.tr(rq.r, "err_internal"))
}

// safeNext accepts only a path of the UI as the target after login (no
// open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/ui/") && !strings.HasPrefix(next, "//") && !strings.Contains(next, "\\") {
		return next
	}
	return "/ui/"
}

// randomHex returns n random bytes in hex: pre-session cookies and
// idempotency keys.
func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("web: no randomness: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// flash remembers a message key for the next page.
func (rq *request) flash(key string) {
	rq.ui.setCookie(rq.w, rq.r, flashCookie, key, time.Now().Add(time.Minute))
}

// takeFlash returns the pending message, if any, and clears it.
func (u *UI) takeFlash(w http.ResponseWriter, r *http.Request, lang string) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	u.clearCookie(w, r, flashCookie)
	if m, ok := catalogue[c.Value]; ok && strings.HasPrefix(c.Value, "flash_") {
		return m.in(lang)
	}
	return ""
}

// redirect answers a successful POST (post/redirect/get).
func (rq *request) redirect(path string) error {
	http.Redirect(rq.w, rq.r, path, http.StatusSeeOther)
	return nil
}

// loginPage shows the login form with a CSRF token bound to a
// pre-session cookie.
func (u *UI) loginPage(w http.ResponseWriter, r *http.Request) {
	u.rememberLang(w, r)
	u.renderLogin(w, r, http.StatusOK, "", nil)
}

// renderLogin renders the login form, with the API's problem if any.
func (u *UI) renderLogin(w http.ResponseWriter, r *http.Request, status int, username string, p *Problem) {
	pre := u.preSession(w, r)
	w.Header().Set("Cache-Control", "no-store")
	lang := langOf(r)
	data := loginData{Username: username, Next: safeNext(r.FormValue("next"))}
	pg := u.newPage(w, r, nil, lang, "login_title")
	pg.CSRF = u.csrfToken(pre)
	if p != nil {
		data.Form = newFormErrors(p, lang, nil, "/username", "/password")
	}
	pg.Data = data
	u.render(w, status, "login", pg)
}

// loginData is the login page.
type loginData struct {
	Username string
	Next     string
	Form     formErrors
}

// login exchanges the username and password for an API token kept in the
// session cookie.
func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	binding := ""
	if c, err := r.Cookie(preCookie); err == nil {
		binding = c.Value
	}
	if err := u.parseForm(w, r, binding); err != nil {
		u.errorPage(w, r, nil, http.StatusForbidden, u.tr(r, "err_csrf"))
		return
	}
	username := textnorm.Clean(strings.TrimSpace(r.PostForm.Get("username")))
	sess, err := u.svc.Login(r.Context(), clientAddress(r),
		service.LoginInput{Username: username, Password: r.PostForm.Get("password")})
	if p := problems.From(err); p != nil {
		if p.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(p.RetryAfter))
		}
		u.renderLogin(w, r, p.Status, username, p)
		return
	}
	expires, perr := time.Parse(time.RFC3339, sess.ExpiresAt)
	if err != nil || perr != nil {
		u.log.Error("web ui login", "error", err)
		u.errorPage(w, r, nil, http.StatusInternalServerError, u.tr(r, "err_internal"))
		return
	}
	u.clearCookie(w, r, preCookie)
	u.setCookie(w, r, sessionCookie, sess.Token, expires)
	http.Redirect(w, r, safeNext(r.PostForm.Get("next")), http.StatusSeeOther)
}

// logout revokes the session's token and clears the cookie.
func (u *UI) logout(rq *request) error {
	if err := u.svc.Logout(rq.ctx(), rq.Caller); err != nil {
		return err
	}
	u.clearCookie(rq.w, rq.r, sessionCookie)
	rq.flash("flash_logged_out")
	return rq.redirect("/ui/login")
}
