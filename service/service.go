// Package service holds tdkt's rules and their orchestration — create,
// submit, decide, issue, and who may do each — with typed errors and no
// HTTP. The REST API (package api) and the web UI (package web) are thin
// adapters over it: both call the same functions with a Caller, render the
// same view types, and map the same errors (see errors.go) to what their
// users read.
//
// A nomination's state changes go to its workflow as Temporal updates; the
// read model in the database (models) is what lists and pages show.
package service

import (
	"context"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/certificates"
	"github.com/tdkt/tdkt/internal/auth"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/signing"
)

// Config is what a Service is built from.
type Config struct {
	DB        *gorm.DB
	Temporal  client.Client
	TaskQueue string
	Tokens    auth.Tokens
	Log       *slog.Logger
	// Now is the clock (tests pin it); nil: time.Now.
	Now func() time.Time
	// Reference caches units, rounds and the calendar; nil: a new one
	// over DB.
	Reference *models.Reference
	// PublicBaseURL prefixes the verification links printed on
	// certificates.
	PublicBaseURL string
	// DataDir holds evidence files and issued documents.
	DataDir string
	// Fonts typeset certificates; zero: the embedded Liberation Serif.
	Fonts certificates.Fonts
	// Signer, when set, signs issued certificates (PAdES).
	Signer *signing.Signer
	// MaxUploadBytes bounds one evidence file (default 10 MB).
	MaxUploadBytes int64
	// PersonKey keys the hash that stands for a person's CCCD number in
	// the register of learning titles (PERSON_KEY); empty: derived
	// from the token secret.
	PersonKey []byte
}

// Service is tdkt's application layer; build it with New. It is safe for
// concurrent use.
type Service struct {
	cfg      Config
	db       *gorm.DB
	temporal client.Client
	log      *slog.Logger
	ref      *models.Reference

	limits  rateLimits    // per-address limits of logins and objections
	unknown unknownLogins // failed logins on usernames without an account
}

// New builds a Service.
func New(cfg Config) *Service {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Reference == nil {
		cfg.Reference = &models.Reference{DB: cfg.DB}
	}
	if cfg.MaxUploadBytes == 0 {
		cfg.MaxUploadBytes = 10 << 20
	}
	return &Service{cfg: cfg, db: cfg.DB, temporal: cfg.Temporal, log: cfg.Log, ref: cfg.Reference}
}

// now is the service's clock.
func (s *Service) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// Reference is the reference cache the service reads units, rounds and
// the calendar through.
func (s *Service) Reference() *models.Reference { return s.ref }

// DB is the application database (for readiness checks).
func (s *Service) DB() *gorm.DB { return s.db }

// Temporal is the engine client (for readiness checks).
func (s *Service) Temporal() client.Client { return s.temporal }

// MaxUploadBytes bounds one evidence file.
func (s *Service) MaxUploadBytes() int64 { return s.cfg.MaxUploadBytes }

// today is the date in Vietnam, at midnight UTC: the day reference data
// (units, parents) is read at.
func (s *Service) today() time.Time {
	y, m, d := s.now().In(calendar.Zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Ready checks the database and Temporal: each check is "ok",
// "unavailable" or "not configured"; ok is whether both answered.
func (s *Service) Ready(ctx context.Context) (checks map[string]string, ok bool) {
	checks = map[string]string{"database": "ok", "temporal": "ok"}
	ok = true
	if sqlDB, err := s.db.DB(); err != nil || sqlDB.PingContext(ctx) != nil {
		checks["database"], ok = "unavailable", false
	}
	if s.temporal == nil {
		checks["temporal"], ok = "not configured", false
	} else if _, err := s.temporal.CheckHealth(ctx, &client.CheckHealthRequest{}); err != nil {
		checks["temporal"], ok = "unavailable", false
	}
	return checks, ok
}

// DataDir is where evidence files and issued documents are stored.
func (s *Service) DataDir() string { return s.dataDir() }

// Now is the service's clock: the pages that show what is open or due
// read the same time the rules do.
func (s *Service) Now() time.Time { return s.now() }

// engineReady refuses, as unavailable, what needs the workflow engine when
// the service has none (a server started without Temporal, a test): the
// caller is told to come back, and nothing is changed.
func (s *Service) engineReady() error {
	if s.temporal == nil {
		return Unavailable("Chưa kết nối được máy chủ quy trình; vui lòng thử lại sau.", "The workflow engine is not configured.")
	}
	return nil
}
