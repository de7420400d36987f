// Package api is tdkt's HTTP interface: the JSON API under /api/v1, its
// OpenAPI document, health endpoints and the public verification page.
// Handlers authenticate the caller, check that the nomination is theirs to
// see, and hand every state change to the nomination's workflow.
package api

import (
	"context"
	_ "embed"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/tdkt/tdkt/internal/metrics"
	"github.com/tdkt/tdkt/internal/textnorm"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/service"
)

// Server is the HTTP adapter over the service: routes, binding, problem
// mapping and the middleware that only HTTP has (request IDs, access log,
// security headers, body limits, CORS, metrics).
type Server struct {
	// Service holds the rules; every handler calls it.
	Service *service.Service
	Log     *slog.Logger
	// MaxBodyBytes bounds JSON request bodies (default 1 MiB).
	MaxBodyBytes int64
	// Metrics, when set, records every request; ServeMetrics also mounts
	// GET /metrics on this server (dev: production serves it on its own
	// address, away from the public API).
	Metrics      *metrics.Registry
	ServeMetrics bool
	// AllowOrigins lists the origins allowed by CORS; empty disables CORS.
	AllowOrigins []string
	// UI, when set, is the web UI, served under /ui/ (and / redirects to
	// it). It may be set after Handler is built.
	UI http.Handler

	svc *service.Service
}

// reference caches units, rounds and the calendar between requests.
func (s *Server) reference() *models.Reference { return s.svc.Reference() }

//go:embed openapi.yaml
var openAPIDoc []byte

// csp allows only the server's own scripts, images and styles (inline
// style attributes too: the pages are server-rendered), no framing.
const csp = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"

// Handler builds the HTTP handler with every route and middleware. It is
// the Echo instance itself, so tests can list its routes.
func (s *Server) Handler() *echo.Echo {
	if s.Log == nil {
		s.Log = slog.Default()
	}
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = 1 << 20
	}
	s.svc = s.Service
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.errorHandler
	s.middleware(e)
	s.routes(e)
	s.mountUI(e)
	return e
}

// middleware is what every request passes: its ID, panics answered, the
// access log, security headers, the body bound, URL checks, CORS.
func (s *Server) middleware(e *echo.Echo) {
	// The client's address is the connection's: X-Forwarded-For is not
	// trusted (the login rate limit would be trivially bypassed).
	e.IPExtractor = echo.ExtractIPDirect()
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: func() string { return uuid.NewString() }}))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableErrorHandler: false, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		s.Log.Error("panic", "request_id", requestID(c), "error", err, "stack", string(stack))
		return err
	}}))
	e.Use(s.accessLog)
	e.Use(middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection: "0", ContentTypeNosniff: "nosniff", XFrameOptions: "DENY",
		ReferrerPolicy: "same-origin", ContentSecurityPolicy: csp,
	}))
	e.Use(s.limitBody)
	e.Use(validURL)
	if len(s.AllowOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{
			AllowOrigins:  s.AllowOrigins,
			AllowMethods:  []string{http.MethodGet, http.MethodPost, http.MethodPatch, http.MethodDelete},
			AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "Idempotency-Key"},
			ExposeHeaders: []string{echo.HeaderXRequestID, "Retry-After", echo.HeaderContentDisposition},
			MaxAge:        600,
		}))
	}
}

// routes is the API's route table: each path, its handler and the roles
// it requires beyond a valid session.
func (s *Server) routes(e *echo.Echo) {
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/openapi.yaml", func(c echo.Context) error { return c.Blob(http.StatusOK, "application/yaml", openAPIDoc) })
	if s.Metrics != nil && s.ServeMetrics {
		e.GET("/metrics", echo.WrapHandler(s.Metrics.Handler()))
	}

	// Routes are added one by one (not through a group with middleware) so
	// that the router still answers 405 for a wrong method.
	v1 := "/api/v1"
	e.POST(v1+"/auth/login", s.login)
	authed := func(method, path string, h echo.HandlerFunc, roles ...string) {
		mw := []echo.MiddlewareFunc{s.authenticate}
		if len(roles) > 0 {
			mw = append(mw, s.require(roles...))
		}
		e.Add(method, v1+path, h, mw...)
	}
	authed(http.MethodPost, "/auth/logout", s.logout)
	authed(http.MethodGet, "/me", s.me)
	authed(http.MethodGet, "/units", s.listUnits)
	authed(http.MethodPost, "/units", s.createUnit, models.RoleAdmin)
	authed(http.MethodGet, "/units/:id", s.getUnit)
	authed(http.MethodPatch, "/units/:id", s.patchUnit, models.RoleAdmin)
	authed(http.MethodPut, "/units/:id/successors", s.setSuccessors, models.RoleAdmin)
	authed(http.MethodPost, "/units/:id/succeed", s.succeedUnit, models.RoleAdmin)
	authed(http.MethodGet, "/awards", s.listAwards)
	authed(http.MethodGet, "/forms", s.listForms)
	authed(http.MethodGet, "/forms/:kind", s.getForm)
	authed(http.MethodGet, "/forms/:kind/example", s.formExample)
	authed(http.MethodGet, "/rounds", s.listRounds)
	authed(http.MethodPost, "/rounds", s.createRound, models.RoleAdmin)
	authed(http.MethodPatch, "/rounds/:id", s.rescheduleRound, models.RoleAdmin)
	authed(http.MethodGet, "/rounds/:id/dashboard", s.roundDashboard, models.RoleInterior, models.RoleAdmin)
	authed(http.MethodPost, "/nominations", s.createNomination, models.RoleNominator)
	authed(http.MethodGet, "/nominations", s.listNominations)
	authed(http.MethodGet, "/nominations/import-template.xlsx", s.importTemplate)
	authed(http.MethodPost, "/nominations/import", s.importNominations, models.RoleNominator)
	authed(http.MethodGet, "/nominations.xlsx", s.exportNominations)
	authed(http.MethodGet, "/nominations.csv", s.exportNominations)
	authed(http.MethodGet, "/nominations/:id", s.getNomination)
	authed(http.MethodGet, "/nominations/:id/versions", s.listVersions)
	authed(http.MethodPost, "/nominations/:id/attachments", s.uploadAttachment, models.RoleNominator)
	authed(http.MethodGet, "/nominations/:id/attachments", s.listAttachments)
	authed(http.MethodGet, "/nominations/:id/attachments/:file", s.downloadAttachment)
	authed(http.MethodPatch, "/nominations/:id", s.patchNomination, models.RoleNominator)
	authed(http.MethodPost, "/nominations/:id/submit", s.submitNomination, models.RoleNominator)
	authed(http.MethodPost, "/nominations/:id/withdraw", s.withdrawNomination, models.RoleNominator)
	authed(http.MethodPost, "/nominations/:id/decisions", s.decide, models.RoleReviewer, models.RoleInterior)
	authed(http.MethodPost, "/nominations/:id/deadline", s.extendDeadline, models.RoleAdmin)
	authed(http.MethodGet, "/rounds/:id/consolidated", s.getConsolidated, models.RoleInterior, models.RoleAdmin)
	authed(http.MethodGet, "/rounds/:id/consolidated.xlsx", s.consolidatedXLSX, models.RoleInterior, models.RoleAdmin)
	authed(http.MethodGet, "/rounds/:id/report.xlsx", s.roundReport, models.RoleInterior, models.RoleAdmin, models.RoleReviewer)
	authed(http.MethodGet, "/rounds/:id/report.pdf", s.roundReportPDF, models.RoleInterior, models.RoleAdmin, models.RoleReviewer)
	authed(http.MethodPost, "/rounds/:id/council", s.recordCouncil, models.RoleInterior)
	authed(http.MethodPost, "/nominations/:id/posting", s.startPosting, models.RoleInterior)
	authed(http.MethodGet, "/nominations/:id/objections", s.listObjections, models.RoleInterior)
	authed(http.MethodPost, "/objections/:id/resolve", s.resolveObjection, models.RoleInterior)
	authed(http.MethodPost, "/decisions", s.issueDecision, models.RoleInterior, models.RoleReviewer)
	authed(http.MethodGet, "/decisions/:id", s.getDecision, models.RoleInterior, models.RoleAdmin, models.RoleReviewer)
	authed(http.MethodPost, "/certificates/:id/revoke", s.revokeCertificate, models.RoleInterior, models.RoleReviewer)
	authed(http.MethodGet, "/nominations/:id/certificate-draft.pdf", s.draftCertificate)
	authed(http.MethodGet, "/certificates/:id.pdf", s.certificatePDF)
	authed(http.MethodGet, "/decisions/:id/certificates.pdf", s.decisionCertificates, models.RoleInterior, models.RoleAdmin, models.RoleReviewer)
	authed(http.MethodGet, "/decisions/:id/decision.pdf", s.decisionPDF, models.RoleInterior, models.RoleAdmin, models.RoleReviewer)
	e.GET(v1+"/public/postings", s.listPostings)
	e.POST(v1+"/public/postings/:id/objections", s.object)
	e.GET("/verify/:code", s.verify)
	authed(http.MethodGet, "/inbox", s.inbox)
	authed(http.MethodGet, "/inbox.xlsx", s.exportInbox)
	authed(http.MethodGet, "/inbox.csv", s.exportInbox)
	authed(http.MethodGet, "/users", s.listUsers, roleAccountAdmin)
	authed(http.MethodPost, "/users", s.createUser, roleAccountAdmin)
	authed(http.MethodPatch, "/users/:id", s.patchUser, roleAccountAdmin)
	authed(http.MethodPost, "/users/:id/password", s.resetPassword, roleAccountAdmin)
	authed(http.MethodGet, "/holidays", s.listHolidays, roleAccountAdmin)
	authed(http.MethodPost, "/holidays", s.addHoliday, roleAccountAdmin)
	authed(http.MethodDelete, "/holidays/:date", s.deleteHoliday, roleAccountAdmin)
	authed(http.MethodGet, "/units/:id/awards", s.unitAwards)
	authed(http.MethodGet, "/units/:id/signers", s.listSigners, roleAccountAdmin, models.RoleInterior, models.RoleReviewer)
	authed(http.MethodPost, "/signers", s.addSigner, roleAccountAdmin)
	authed(http.MethodGet, "/legal-bases", s.listLegalBases)
	authed(http.MethodPost, "/legal-bases", s.createLegalBasis, models.RoleAdmin)
	authed(http.MethodPatch, "/legal-bases/:id", s.patchLegalBasis, models.RoleAdmin)
	authed(http.MethodGet, "/authorities", s.listAuthorities)
	authed(http.MethodPost, "/authorities", s.createAuthority, models.RoleAdmin)
	authed(http.MethodPatch, "/authorities/:id", s.patchAuthority, models.RoleAdmin)
	authed(http.MethodGet, "/learning/titles", s.learningCatalogue)
	authed(http.MethodPost, "/learning/holders", s.createHolder)
	authed(http.MethodGet, "/learning/holders/:id", s.getHolder)
	authed(http.MethodPost, "/learning/recognitions", s.recordRecognition)
	authed(http.MethodPost, "/learning/recognitions/:id/revoke", s.revokeRecognition)
	authed(http.MethodPut, "/learning/counts", s.recordCount)
	authed(http.MethodGet, "/learning/recognitions", s.listRecognitions)
	authed(http.MethodGet, "/learning/recognitions.xlsx", s.exportRecognitions)
	authed(http.MethodGet, "/learning/import-template.xlsx", s.registerTemplate)
	authed(http.MethodPost, "/learning/import/preview", s.previewRegisterImport)
	authed(http.MethodPost, "/learning/import", s.commitRegisterImport)
	authed(http.MethodGet, "/learning/indicators", s.learningIndicators)
	authed(http.MethodPost, "/learning/proposals", s.createProposal)
	authed(http.MethodGet, "/learning/proposals/:id", s.getProposal)
	authed(http.MethodPost, "/learning/proposals/:id/decisions", s.decideProposal, models.RoleReviewer, models.RoleInterior)
	authed(http.MethodGet, "/learning/reports", s.listLearningReports)
	authed(http.MethodGet, "/learning/reports/:id", s.getLearningReport)
	authed(http.MethodPatch, "/learning/reports/:id", s.patchLearningReport)
	authed(http.MethodPost, "/learning/reports/:id/submit", s.submitLearningReport)
	authed(http.MethodPost, "/learning/reports/:id/receive", s.receiveLearningReport)
	authed(http.MethodGet, "/learning/indicators.xlsx", s.learningIndicatorsXLSX)
	authed(http.MethodGet, "/learning/indicators.pdf", s.learningIndicatorsPDF)
}

// mountUI serves the web UI under /ui/ (and / redirects there).
func (s *Server) mountUI(e *echo.Echo) {
	ui := func(c echo.Context) error {
		if s.UI == nil {
			return problem(http.StatusNotFound, "Giao diện web chưa được bật.", "The web UI is not enabled.")
		}
		s.UI.ServeHTTP(c.Response(), c.Request())
		return nil
	}
	e.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/ui/") })
	e.GET("/ui/*", ui)
	e.POST("/ui/*", ui)
}

// validURL refuses a path or query that is not valid UTF-8 (it would reach
// the database as is) and an Idempotency-Key that is not printable ASCII.
func validURL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if !utf8.ValidString(r.URL.Path) || !utf8.ValidString(r.URL.RawQuery) {
			return problem(http.StatusBadRequest, "Địa chỉ chứa ký tự không hợp lệ (không phải UTF-8).", "The URL is not valid UTF-8.")
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			return problem(http.StatusBadRequest, "Tham số truy vấn không hợp lệ.", "Malformed query string.")
		}
		for _, vs := range q {
			for _, v := range vs {
				if !utf8.ValidString(v) || !textnorm.Valid(v) {
					return problem(http.StatusBadRequest, "Tham số truy vấn chứa ký tự không hợp lệ.", "A query parameter is not valid UTF-8 text.")
				}
			}
		}
		for _, ch := range r.Header.Get("Idempotency-Key") {
			if ch < 0x21 || ch > 0x7e {
				return problem(http.StatusBadRequest, "Idempotency-Key chỉ gồm ký tự ASCII in được.", "Idempotency-Key must be printable ASCII.")
			}
		}
		return next(c)
	}
}

func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		limit := s.MaxBodyBytes
		if r.Method == http.MethodPost && (strings.HasSuffix(r.URL.Path, "/attachments") || strings.HasSuffix(r.URL.Path, "/nominations/import") ||
			strings.HasSuffix(r.URL.Path, "/learning/import") || strings.HasSuffix(r.URL.Path, "/learning/import/preview")) {
			// Evidence files and workbooks: the upload limit, plus room for the form.
			limit = s.maxUpload() + 64<<10
		}
		if r.ContentLength > limit {
			return problem(http.StatusRequestEntityTooLarge, "Dữ liệu gửi lên vượt quá dung lượng cho phép.", "The request body is too large.")
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

func (s *Server) accessLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		if s.Metrics != nil {
			s.Metrics.ObserveHTTP(c.Request().Method, c.Path(), c.Response().Status, time.Since(start))
		}
		s.Log.Info("http",
			"request_id", requestID(c),
			"method", c.Request().Method,
			"path", c.Request().URL.Path,
			"status", c.Response().Status,
			"bytes", c.Response().Size,
			"duration_ms", float64(time.Since(start).Microseconds())/1000,
			"user", userID(c))
		return nil
	}
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// readyz reports ready only when the database and Temporal both answer.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	checks, ok := s.svc.Ready(ctx)
	if !ok {
		p := problem(http.StatusServiceUnavailable, "Hệ thống chưa sẵn sàng.", "Not ready: a dependency is unavailable.")
		p.Detail += " " + checks["database"] + "/" + checks["temporal"]
		p.DetailEN += " database=" + checks["database"] + ", temporal=" + checks["temporal"]
		return p
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ready", "checks": checks})
}
