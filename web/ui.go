// Package web is tdkt's server-rendered web UI for nominating bodies,
// reviewers, the Department of Home Affairs (Interior) and administrators.
//
// The UI holds no state and touches no database: every page calls package
// service with the session's caller — the same functions, rules and
// errors as the JSON API — and renders html/template pages from the
// service's views. The UI shows a refusal's message, and its per-field
// errors beside the form fields they point at.
//
// Pages are plain HTML forms (a few lines of optional JavaScript select all
// rows of the inbox); every asset is embedded. Sessions are HttpOnly,
// SameSite=Lax cookies holding the API token; every POST carries a CSRF
// token bound to the session. The UI speaks Vietnamese, with an English
// switch (?lang=en, remembered in the "lang" cookie).
package web

import (
	"crypto/rand"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/tdkt/tdkt/service"
)

// Options configure the UI.
type Options struct {
	// CSRFKey signs the CSRF tokens of the forms. Empty: a random key per
	// process (forms rendered before a restart are then refused once).
	CSRFKey []byte
	// SecureCookies marks the cookies Secure even when the request did not
	// arrive over TLS (behind a TLS-terminating proxy).
	SecureCookies bool
	// Log receives the UI's errors; nil: slog.Default().
	Log *slog.Logger
	// MaxUploadBytes bounds an uploaded evidence file or import workbook
	// (default 10 MB, the API's own limit).
	MaxUploadBytes int64
}

// ContentSecurityPolicy is the policy of every UI response: the API
// server's, repeated so that the UI is protected however it is mounted.
const ContentSecurityPolicy = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// UI is the web UI handler; build it with New.
type UI struct {
	svc     *service.Service
	opts    Options
	key     []byte
	log     *slog.Logger
	pages   map[string]*template.Template
	handler http.Handler
}

// New builds the UI over the service. It serves paths under /ui/.
func New(svc *service.Service, opts Options) http.Handler {
	u := &UI{svc: svc, opts: opts, key: opts.CSRFKey, log: opts.Log}
	if u.log == nil {
		u.log = slog.Default()
	}
	if len(u.key) == 0 {
		u.key = make([]byte, 32)
		if _, err := rand.Read(u.key); err != nil {
			panic("web: no randomness for the CSRF key: " + err.Error())
		}
	}
	u.pages = parsePages()
	mux := http.NewServeMux()
	u.routes(mux)
	// Cross-origin POSTs are refused before they reach a handler (Fetch
	// metadata / Origin), in addition to the per-form CSRF token.
	u.handler = http.NewCrossOriginProtection().Handler(mux)
	return u
}

// ServeHTTP sets the security headers and dispatches to the pages.
func (u *UI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	u.handler.ServeHTTP(w, r)
}

// routes registers every page. Handlers wrapped in authed need a session;
// POST handlers also get the CSRF check.
func (u *UI) routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static") // the embedded directory exists: go:embed checked it
	files := http.StripPrefix("/ui/static/", http.FileServerFS(static))
	mux.HandleFunc("GET /ui/static/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
	mux.HandleFunc("GET /ui/login", u.loginPage)
	mux.HandleFunc("POST /ui/login", u.login)
	mux.HandleFunc("GET /ui/verify", u.verifyLookup)
	mux.HandleFunc("GET /ui/postings", u.postings)
	mux.HandleFunc("POST /ui/postings/{id}/objections", u.object)
	mux.Handle("POST /ui/logout", u.authed(u.logout))
	mux.Handle("GET /ui/{$}", u.authed(u.home))

	mux.Handle("GET /ui/nominations", u.authed(u.nominationList))
	mux.Handle("GET /ui/nominations/new", u.authed(u.newNomination))
	mux.Handle("POST /ui/nominations", u.authed(u.createNomination))
	mux.Handle("GET /ui/nominations/{id}", u.authed(u.nominationDetail))
	mux.Handle("GET /ui/nominations/{id}/edit", u.authed(u.editNomination))
	mux.Handle("POST /ui/nominations/{id}/edit", u.authed(u.saveNomination))
	mux.Handle("POST /ui/nominations/{id}/submit", u.authed(u.submitNomination))
	mux.Handle("POST /ui/nominations/{id}/withdraw", u.authed(u.withdrawNomination))
	mux.Handle("POST /ui/nominations/{id}/decisions", u.authed(u.decide))
	mux.Handle("POST /ui/nominations/{id}/deadline", u.authed(u.extendDeadline))
	mux.Handle("POST /ui/nominations/{id}/posting", u.authed(u.startPosting))
	mux.Handle("POST /ui/objections/{id}/resolve", u.authed(u.resolveObjection))
	mux.Handle("GET /ui/nominations/{id}/certificate-draft.pdf", u.authed(u.draftPDF))
	mux.Handle("POST /ui/nominations/{id}/attachments", u.authed(u.uploadAttachment))
	mux.Handle("GET /ui/nominations/{id}/attachments/{file}", u.authed(u.downloadAttachment))
	mux.Handle("GET /ui/nominations/import", u.authed(u.importPage))
	mux.Handle("POST /ui/nominations/import", u.authed(u.importNominations))
	mux.Handle("GET /ui/nominations/import-template.xlsx", u.authed(u.importTemplate))
	mux.Handle("GET /ui/exports/{file}", u.authed(u.export))

	mux.Handle("GET /ui/inbox", u.authed(u.inbox))
	mux.Handle("POST /ui/inbox/approve", u.authed(u.bulkApprove))

	mux.Handle("GET /ui/rounds", u.authed(u.roundList))
	mux.Handle("POST /ui/rounds", u.authed(u.createRound))
	mux.Handle("GET /ui/rounds/{id}", u.authed(u.roundDetail))
	mux.Handle("POST /ui/rounds/{id}/schedule", u.authed(u.rescheduleRound))
	mux.Handle("GET /ui/rounds/{id}/consolidated", u.authed(u.consolidated))
	mux.Handle("POST /ui/rounds/{id}/council", u.authed(u.recordCouncil))
	mux.Handle("POST /ui/rounds/{id}/decision", u.authed(u.issueDecision))

	mux.Handle("GET /ui/decisions/{id}", u.authed(u.decisionPage))
	mux.Handle("GET /ui/decisions/{id}/certificates.pdf", u.authed(u.decisionPDF))
	mux.Handle("GET /ui/decisions/{id}/decision.pdf", u.authed(u.decisionDocument))
	mux.Handle("GET /ui/rounds/{id}/consolidated.xlsx", u.authed(u.consolidatedXLSX))
	mux.Handle("GET /ui/rounds/{id}/report.xlsx", u.authed(u.roundReport))
	mux.Handle("GET /ui/certificates/{file}", u.authed(u.certificatePDF))
	mux.Handle("POST /ui/certificates/{id}/revoke", u.authed(u.revokeCertificate))

	mux.Handle("GET /ui/learning", u.authed(u.learningDashboard))
	mux.Handle("GET /ui/learning/{file}", u.authed(u.learningExport))
	mux.Handle("GET /ui/learning/reports", u.authed(u.learningReports))
	mux.Handle("GET /ui/learning/reports/{id}", u.authed(u.learningReportPage))
	mux.Handle("POST /ui/learning/reports/{id}", u.authed(u.saveLearningReport))
	mux.Handle("POST /ui/learning/reports/{id}/receive", u.authed(u.receiveLearningReport))
	mux.Handle("GET /ui/units", u.authed(u.unitList))
	mux.Handle("GET /ui/admin", u.authed(u.adminPage))
	mux.Handle("GET /ui/admin/users", u.authed(u.userList))
	mux.Handle("POST /ui/admin/users", u.authed(u.createUser))
	mux.Handle("POST /ui/admin/users/{id}/disabled", u.authed(u.setUserDisabled))
	mux.Handle("POST /ui/admin/users/{id}/password", u.authed(u.resetPassword))
	mux.Handle("GET /ui/admin/units", u.authed(u.unitAdmin))
	mux.Handle("POST /ui/admin/units", u.authed(u.createUnit))
	mux.Handle("GET /ui/admin/units/{id}", u.authed(u.unitPage))
	mux.Handle("POST /ui/admin/units/{id}", u.authed(u.changeUnit))
	mux.Handle("GET /ui/admin/holidays", u.authed(u.holidayList))
	mux.Handle("POST /ui/admin/holidays", u.authed(u.addHoliday))
	mux.Handle("POST /ui/admin/holidays/{date}/delete", u.authed(u.deleteHoliday))
	mux.Handle("GET /ui/admin/legal-bases", u.authed(u.legalBasesList))
	mux.Handle("POST /ui/admin/legal-bases", u.authed(u.addLegalBasis))
	mux.Handle("GET /ui/admin/legal-bases/{id}", u.authed(u.legalBasisPage))
	mux.Handle("POST /ui/admin/legal-bases/{id}", u.authed(u.correctLegalBasis))
	mux.Handle("GET /ui/admin/authorities", u.authed(u.authoritiesList))
	mux.Handle("POST /ui/admin/authorities", u.authed(u.addAuthority))
	mux.Handle("GET /ui/admin/authorities/{id}", u.authed(u.authorityPage))
	mux.Handle("POST /ui/admin/authorities/{id}", u.authed(u.correctAuthority))
	mux.HandleFunc("/ui/", u.notFound)
}

// notFound answers every other path under /ui/.
func (u *UI) notFound(w http.ResponseWriter, r *http.Request) {
	u.errorPage(w, r, nil, http.StatusNotFound, u.tr(r, "err_not_found"))
}
